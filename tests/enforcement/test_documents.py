"""执法文书: every kind renders to PDF and Word with the case's facts, the party, the amount and its 文号; the 决定书
carries what 《行政处罚法》第五十九条 requires; documents the case cannot carry yet are refused."""

import io
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from docx import Document

from smartjustice.core import attachments
from smartjustice.core.errors import ValidationFailed
from smartjustice.core.testing import COUNTY_A, Place, assert_audited, make_staff
from smartjustice.enforcement import documents
from smartjustice.enforcement.choices import (
    CaseAuditEvent,
    CaseDocumentKind,
    CaseStatus,
    EvidenceKind,
    Procedure,
)
from tests.enforcement import case_makers
from tests.enforcement.officer_makers import agency_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []


@pytest.fixture
def place():
    return Place(COUNTY_A, agency_in(COUNTY_A))


@pytest.fixture
def officer(place):
    return make_staff(COUNTY_A, "enforcement_officer", organisation=place.organisation, real_name="王执法")


def pdf_text(attachment) -> str:
    document = pdfium.PdfDocument(attachments.read_bytes(attachment))
    text = "".join(page.get_textpage().get_text_bounded() for page in document)
    return "".join(text.split())  # lines wrap anywhere in Chinese


def docx_text(attachment) -> str:
    document = Document(io.BytesIO(attachments.read_bytes(attachment)))
    return "".join(p.text for p in document.paragraphs)


def test_the_decision_carries_what_article_59_requires(place, officer):
    case = case_makers.decided_case(place, fine_amount=Decimal("5000.00"), payment_due_on=None)
    case_makers.evidence(case, title="现场检查笔录（一）")
    generated = documents.generate_case_document(case, CaseDocumentKind.DECISION, actor=officer)

    assert generated.number == case.decision_number  # the case's own 文号, not a second one
    text = pdf_text(generated.pdf)
    for expected in (
        case.party.name,  # （一）当事人的姓名或者名称、地址
        "体育西路100号",
        "".join(case.facts.split()),  # （二）违法事实和证据
        "现场检查笔录（一）",
        "明码标价和禁止价格欺诈规定》第二十一条",  # （三）种类和依据
        "罚款人民币5,000.00元",
        "伍仟元整",
        "十五日内",  # （四）履行方式和期限
        "六十日内",  # （五）复议、诉讼的途径和期限
        "六个月内",
        "人民政府申请行政复议",
        place.organisation.name,  # （六）机关名称和日期
        f"{case.decided_on.year}年{case.decided_on.month}月{case.decided_on.day}日",
        "（印章）",
        case.decision_number,
    ):
        assert "".join(expected.split()) in text, expected
    word = docx_text(generated.docx)
    assert case.decision_number in word and case.party.name in word and "伍仟元整" in word
    assert_audited(CaseAuditEvent.CASE_DOCUMENT_GENERATED, obj=case, actor=officer)


def test_other_documents_take_the_agencys_own_series(place, officer):
    case = case_makers.case(place, status=CaseStatus.INVESTIGATING, number="测试案00001")
    first = documents.generate_case_document(case, CaseDocumentKind.FILING_APPROVAL, actor=officer)
    second = documents.generate_case_document(case, "filing_approval", actor=officer)
    assert first.number.startswith("天市监立审〔") and first.number.endswith("1号")
    assert second.number.endswith("2号")
    assert first.number in pdf_text(first.pdf)
    assert case.party.name in pdf_text(first.pdf)
    assert [a.document_number for a in documents.documents_of(case)].count(second.number) == 2  # pdf + docx


def test_prior_notice_states_the_proposal_and_the_rights(place, officer):
    case = case_makers.case(
        place,
        status=CaseStatus.NOTIFIED,
        fine_amount=Decimal("12000"),
        legal_basis="《中华人民共和国价格法》第四十二条",
        hearing_offered=True,
    )
    generated = documents.generate_case_document(case, CaseDocumentKind.PRIOR_NOTICE, actor=officer)
    text = pdf_text(generated.pdf)
    assert "罚告" in generated.number and generated.number in text
    assert "壹万贰仟元整" in text and "陈述和申辩" in text and "要求听证的权利" in text
    assert "".join(case.facts.split()) in text


def test_every_kind_renders_once_the_case_is_ready(place, officer):
    ordinary = case_makers.decided_case(
        place,
        status=CaseStatus.CLOSED,
        legal_review_passed=True,
        legal_review_opinion="事实清楚，证据确凿，适用依据正确，程序合法，同意。",
        hearing_on=case_makers.timezone.localdate(),
        closed_on=case_makers.timezone.localdate(),
    )
    case_makers.evidence(ordinary, kind=EvidenceKind.INSPECTION_RECORD)
    case_makers.evidence(
        ordinary, kind=EvidenceKind.INQUIRY_RECORD, title="询问笔录", content="问：是否标价？答：没有。"
    )
    on_the_spot = case_makers.decided_case(
        place, procedure=Procedure.SIMPLIFIED, fine_amount=Decimal("100"), signature_refused=True
    )
    for kind in CaseDocumentKind:
        case = on_the_spot if kind == CaseDocumentKind.ON_THE_SPOT_DECISION else ordinary
        generated = documents.generate_case_document(case, kind, actor=officer)
        text = pdf_text(generated.pdf)
        assert kind.label in text, kind
        assert generated.number in text, kind
        assert case.party.name in text or kind == CaseDocumentKind.LEGAL_REVIEW and case.party.name in text
        assert generated.docx is not None and generated.number in docx_text(generated.docx), kind
    assert "拒绝签收" in pdf_text(
        documents.generate_case_document(
            on_the_spot, CaseDocumentKind.ON_THE_SPOT_DECISION, actor=officer
        ).pdf
    )


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (CaseDocumentKind.DECISION, "尚未作出行政处罚决定"),
        (CaseDocumentKind.INQUIRY_RECORD, "尚未登记询问笔录"),
        (CaseDocumentKind.PRIOR_NOTICE, "尚未提出拟处罚意见"),
        (CaseDocumentKind.CLOSING_REPORT, "执行完毕或者撤案后"),
        (CaseDocumentKind.ON_THE_SPOT_DECISION, "简易程序"),
        ("nonsense", "未知的文书种类"),
    ],
)
def test_a_document_the_case_cannot_carry_yet_is_refused(place, officer, kind, message):
    case = case_makers.case(place, status=CaseStatus.INVESTIGATING)
    with pytest.raises(ValidationFailed, match=message):
        documents.generate_case_document(case, kind, actor=officer)
    assert not documents.documents_of(case).exists()


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("200", "贰佰元整"),
        ("1050.5", "壹仟零伍拾元伍角整"),
        ("100000", "壹拾万元整"),
        ("30006", "叁万零陆元整"),
        ("1000000.07", "壹佰万元零柒分"),
        ("12345678.9", "壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角整"),
    ],
)
def test_amounts_are_written_in_capitals(amount, words):
    assert documents.yuan_in_words(Decimal(amount)) == words


def test_number_prefixes_name_place_domain_and_kind(place):
    case = case_makers.case(place)
    assert documents.number_prefix(case, CaseDocumentKind.PRIOR_NOTICE) == "天市监罚告"
    assert documents.number_prefix(case, CaseDocumentKind.DECISION) == "天市监罚决"
    assert len({documents.number_prefix(case, k) for k in CaseDocumentKind}) == len(CaseDocumentKind)
