"""The desktop pages of case handling: the list (search, filters, pages, clock, empty state), a lead registered with
its party, one case (party masked until the logged reveal, officers, evidence with its ledger entry, the timeline,
the workflow buttons, documents made and downloaded), the party lookup and the workbench tile."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smartjustice.core.choices import AuditEvent
from smartjustice.core.modules import modules
from smartjustice.core.testing import COUNTY_A, COUNTY_B, assert_audited, make_staff
from smartjustice.enforcement import cases, documents
from smartjustice.enforcement.choices import CaseStatus
from smartjustice.enforcement.models import EnforcementCase
from tests.enforcement import mobile_makers as makers

pytestmark = pytest.mark.django_db

MARKET = "market_regulation"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"


@pytest.fixture
def agency():
    makers.hub_catalogue()
    return makers.agency_in(COUNTY_A, MARKET, name="广州市天河区市场监督管理局")


@pytest.fixture
def handlers(agency):
    return [
        makers.certified_officer(COUNTY_A, agency=agency, name="张执法"),
        makers.certified_officer(COUNTY_A, agency=agency, name="李执法"),
    ]


@pytest.fixture
def officer(handlers):
    return handlers[0].user


@pytest.fixture
def head(agency):
    return make_staff(COUNTY_A, "agency_head", organisation=agency, real_name="王局长")


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_case(agency, officer, **fields) -> EnforcementCase:
    party = cases.register_party(
        agency=agency,
        actor=officer,
        **makers.organisation(name=fields.pop("party", None) or "广州市天河区测试商行"),
    )
    return cases.register_case(
        agency=agency,
        party=party,
        cause=fields.pop("cause", "未按规定明码标价"),
        domain=MARKET,
        discovered_on=timezone.localdate(),
        facts="当事人销售的商品未标明价格。",
        actor=officer,
        **fields,
    )


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_list_searches_filters_and_says_when_empty(agency, handlers, head, officer):
    client = browser(officer)
    empty = text(client.get(reverse("enforcement:cases")))
    assert "暂无行政处罚案件" in empty and "登记案件线索" in empty
    first = new_case(agency, officer, cause="未按规定明码标价")
    second = new_case(agency, officer, cause="无照经营", party="广州市天河区另一商行")
    cases.file_case(second, officers=handlers, actor=head)
    page = text(client.get(reverse("enforcement:cases")))
    assert "未按规定明码标价" in page and "无照经营" in page and "sj-clock" in page or "—" in page
    assert second.number in page and "（未立案）" in page
    searched = text(client.get(reverse("enforcement:cases"), {"q": "无照"}))
    assert "无照经营" in searched and "未按规定明码标价" not in searched
    staged = text(client.get(reverse("enforcement:cases"), {"status": CaseStatus.LEAD}))
    assert first.cause in staged and "无照经营" not in staged
    nothing = text(client.get(reverse("enforcement:cases"), {"q": "不存在的案由"}))
    assert "没有符合条件的案件" in nothing
    partial = client.get(reverse("enforcement:cases"), headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and "未按规定明码标价".encode() in partial.content
    ignored = client.get(reverse("enforcement:cases"), {"status": "nonsense", "page": "x"})
    assert ignored.status_code == 200  # a bad filter is dropped, not an error


def test_a_lead_is_registered_from_the_page(agency, officer):
    client = browser(officer)
    form = text(client.get(reverse("enforcement:case-create")))
    assert "登记案件线索" in form and "证件号码" in form
    party = makers.person(name="陈某某")
    response = client.post(
        reverse("enforcement:case-create"),
        {
            "party_kind": "person",
            "party_name": party["name"],
            "party_id_number": party["id_number"],
            "party_phone": party["phone"],
            "party_address": party["address"],
            "cause": "占道经营",
            "source": "lead",
            "domain": MARKET,
            "discovered_on": str(timezone.localdate()),
        },
    )
    case = EnforcementCase.objects.get(cause="占道经营")
    assert response.status_code == 302 and response["Location"] == reverse(
        "enforcement:case-detail", args=[case.pk]
    )
    assert case.party.name == "陈某某" and case.agency == agency
    refused = text(
        client.post(
            reverse("enforcement:case-create"),
            {
                "party_name": "王某",
                "party_id_number": "110101199003070000",
                "cause": "占道经营",
                "source": "lead",
                "discovered_on": str(timezone.localdate()),
            },
        )
    )
    assert "is-invalid" in refused or "alert-danger" in refused
    assert EnforcementCase.objects.count() == 1
    # From the party lookup: the chosen party is carried into the form.
    chosen = text(client.get(reverse("enforcement:case-create"), {"party": case.party_id}))
    assert "已选择" in chosen and "陈某某" in chosen


def test_the_case_page_masks_the_party_until_the_logged_reveal(agency, handlers, head, officer):
    case = new_case(agency, officer)
    client = browser(officer)
    page = text(client.get(reverse("enforcement:case-detail", args=[case.pk])))
    assert case.party.name in page
    assert case.party.id_number not in page and case.party.phone not in page
    assert 'data-pii="masked"' in page and "显示完整信息" in page
    revealed = client.post(
        reverse("enforcement:case-party-reveal", args=[case.pk]), headers={"HX-Request": "true"}
    )
    assert case.party.id_number in revealed.content.decode() and b"<html" not in revealed.content
    assert_audited(AuditEvent.PII_VIEWED, actor=officer)


def test_the_case_page_shows_officers_evidence_timeline_buttons_and_documents(
    agency, handlers, head, officer
):
    case = new_case(agency, officer)
    head_page = text(browser(head).get(reverse("enforcement:case-detail", args=[case.pk])))
    assert "立案" in head_page and "不予立案" in head_page  # the head's buttons
    response = browser(head).post(reverse("enforcement:case-act", args=[case.pk, "not_file"]), {"reason": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.LEAD  # refused with a message: a reason is required
    cases.file_case(case, officers=handlers, actor=head)
    client = browser(officer)
    added = client.post(
        reverse("enforcement:case-evidence-add", args=[case.pk]),
        {"kind": "inspection_record", "title": "现场检查笔录", "content": "店内20种商品均未标价。"},
    )
    assert added.status_code == 302
    page = text(client.get(reverse("enforcement:case-detail", args=[case.pk])))
    evidence = case.evidence.get()
    assert "张执法" in page and "李执法" in page  # officers
    assert "现场检查笔录" in page and f"#{evidence.ledger_index}" in page and evidence.sha256[:8] in page
    assert "立案" in page  # the timeline has the filing
    assert (
        "拟定处罚" in page
        and "不予处罚（撤案）"
        in browser(head).get(reverse("enforcement:case-detail", args=[case.pk])).content.decode()
    )
    proposed = client.post(
        reverse("enforcement:case-penalty", args=[case.pk]),
        {"fine_amount": "2000", "legal_basis": "《中华人民共和国价格法》第四十二条"},
    )
    assert proposed.status_code == 302
    page = text(client.get(reverse("enforcement:case-detail", args=[case.pk])))
    assert "送达事先告知书" in page  # the step's button, now that a penalty is proposed
    assert client.post(reverse("enforcement:case-act", args=[case.pk, "notify"])).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.notice_number
    made = client.post(
        reverse("enforcement:case-document-generate", args=[case.pk]), {"kind": "inspection_record"}
    )
    assert made.status_code == 302
    page = text(client.get(reverse("enforcement:case-detail", args=[case.pk])))
    assert "现场检查（勘验）笔录" in page
    document = documents.documents_of(case).first()
    download = client.get(reverse("enforcement:case-file", args=[case.pk, document.pk]))
    assert download.status_code == 200
    refused = client.post(reverse("enforcement:case-document-generate", args=[case.pk]), {"kind": "decision"})
    assert refused.status_code == 302  # not offered yet: a message, nothing made
    other = makers.certified_officer(COUNTY_B, name="越秀执法").user
    assert browser(other).get(reverse("enforcement:case-detail", args=[case.pk])).status_code == 404
    assert (
        browser(other).get(reverse("enforcement:case-file", args=[case.pk, document.pk])).status_code == 404
    )
    supervisor = make_staff(COUNTY_A, "enforcement_supervisor")
    supervised = text(browser(supervisor).get(reverse("enforcement:case-detail", args=[case.pk])))
    assert case.cause in supervised and "登记证据" not in supervised and "生成 PDF" not in supervised


def test_the_party_lookup_finds_by_name_or_full_number(agency, officer):
    case = new_case(agency, officer)
    client = browser(officer)
    assert "暂无当事人" not in text(client.get(reverse("enforcement:parties")))
    by_number = text(client.get(reverse("enforcement:parties"), {"q": case.party.id_number}))
    # Found, and masked in the row (the number itself appears only in the search box it was typed into).
    assert case.party.name in by_number and by_number.count(case.party.id_number) == 1
    assert 'data-pii="masked"' in by_number
    assert "没有找到当事人" in text(client.get(reverse("enforcement:parties"), {"q": "查无此人"}))
    detail = text(client.get(reverse("enforcement:party-detail", args=[case.party_id])))
    assert case.cause in detail and case.party.phone not in detail
    revealed = text(client.post(reverse("enforcement:party-reveal", args=[case.party_id])))
    assert case.party.phone in revealed


def test_the_workbench_tile_lists_open_cases_by_deadline(agency, handlers, head, officer):
    case = new_case(agency, officer)
    tile = next(t for m in modules() for t in m.tiles if t.key == "enforcement.open_cases")
    content = tile.collect(officer)
    assert content.count == 1 and content.items[0].href == reverse("enforcement:case-detail", args=[case.pk])
    outsider = makers.certified_officer(COUNTY_B, name="越秀执法").user
    assert tile.collect(outsider).count == 0


def test_a_supervisor_filters_the_county_cases_by_agency(agency, officer):
    ours = new_case(agency, officer, cause="未按规定明码标价")
    other_agency = makers.agency_in(COUNTY_A, MARKET, name="广州市天河区另一执法局")
    other_officer = makers.certified_officer(COUNTY_A, agency=other_agency, name="另一执法").user
    theirs = new_case(other_agency, other_officer, cause="无照经营")
    client = browser(make_staff(COUNTY_A, "enforcement_supervisor"))
    page = text(client.get(reverse("enforcement:cases")))
    assert ours.cause in page and theirs.cause in page and "执法主体" in page
    filtered = text(client.get(reverse("enforcement:cases"), {"agency": other_agency.pk}))
    assert theirs.cause in filtered and ours.cause not in filtered
    # An officer sees only their own agency's cases, and no agency filter.
    own = text(browser(officer).get(reverse("enforcement:cases")))
    assert ours.cause in own and theirs.cause not in own


def test_payments_and_statements_are_recorded_from_the_page(agency, handlers, head, officer):
    from smartjustice.core.testing import Place
    from tests.enforcement import case_makers

    decided = case_makers.decided_case(Place(COUNTY_A, agency))
    client = browser(officer)
    page = text(client.get(reverse("enforcement:case-detail", args=[decided.pk])))
    assert "登记缴款" in page
    assert (
        client.post(reverse("enforcement:case-payment-add", args=[decided.pk]), {"amount": "-5"}).status_code
        == 200
    )
    response = client.post(
        reverse("enforcement:case-payment-add", args=[decided.pk]),
        {"amount": "5000", "receipt_number": "PJ-9", "kind": "fine"},
    )
    assert response.status_code == 302
    assert decided.payments.get().receipt_number == "PJ-9"
    notified = case_makers.case(Place(COUNTY_A, agency), status=CaseStatus.NOTIFIED, number="测试案90001")
    refused = text(client.post(reverse("enforcement:case-statement", args=[notified.pk]), {"statement": ""}))
    assert "陈述" in refused and "alert-danger" in refused or "is-invalid" in refused
    done = client.post(
        reverse("enforcement:case-statement", args=[notified.pk]), {"statement": "当事人称已改正。"}
    )
    assert done.status_code == 302
    notified.refresh_from_db()
    assert "已改正" in notified.statement
