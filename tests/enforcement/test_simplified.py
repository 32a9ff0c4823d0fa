"""The simplified procedure (简易程序): a 警告 or a small fine decided and handed over on the spot by certified officers
(《中华人民共和国行政处罚法》第五十一条、第五十二条, with 第四十二条 on who may enforce)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from smartjustice.core.assignments import assignee_ids
from smartjustice.core.attachments import read_bytes
from smartjustice.core.errors import PermissionDenied, ValidationFailed
from smartjustice.core.testing import COUNTY_A, COUNTY_B, assert_audited
from smartjustice.credentials import services as credentials
from smartjustice.credentials.models import Credential
from smartjustice.enforcement import rules, simplified
from smartjustice.enforcement.choices import (
    CaseAuditEvent,
    CaseStatus,
    EvidenceKind,
    PartyKind,
    Procedure,
    ServiceMethod,
)
from smartjustice.enforcement.models import EnforcementCase, Party
from smartjustice.hub.models import HubRecord
from tests.enforcement import mobile_makers as makers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_url(settings):
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"


@pytest.fixture
def officer(db):
    makers.hub_catalogue()
    return makers.certified_officer(COUNTY_A, name="张执法")


@pytest.fixture
def colleague(officer):
    return makers.certified_officer(COUNTY_A, agency=officer.agency, name="李执法")


def issue(officer, colleague, **overrides):
    return makers.on_the_spot(officer, colleague, **overrides)


def refused(officer, colleague, field: str, **overrides) -> str:
    before = EnforcementCase.objects.count(), Party.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        issue(officer, colleague, **overrides)
    assert field in caught.value.fields, caught.value.fields
    assert (EnforcementCase.objects.count(), Party.objects.count()) == before  # nothing half-stored
    return caught.value.message


# --- the decision -------------------------------------------------------------------------------------------------


def test_the_case_is_created_decided_and_served_on_the_spot(officer, colleague):
    case = issue(officer, colleague)
    today = timezone.localdate()
    assert case.procedure == Procedure.SIMPLIFIED
    assert case.status == CaseStatus.SERVED
    assert case.decided_on == case.served_on == today
    assert case.service_method == ServiceMethod.ON_THE_SPOT
    assert case.decision_number and "当罚" in case.decision_number
    assert case.fine_amount == Decimal("100.00")
    assert case.agency_id == officer.agency_id and case.jurisdiction_id == COUNTY_A
    # 第五十三条 → 第六十七条第三款: fifteen days from receiving the decision (handed over today).
    assert case.payment_due_on == rules.PAYMENT_PERIOD.ends(today)


def test_decision_numbers_are_one_series_per_agency(officer, colleague):
    first, second = issue(officer, colleague), issue(officer, colleague)
    assert first.decision_number != second.decision_number
    assert first.decision_number.split("〔")[0] == second.decision_number.split("〔")[0]


def test_both_officers_are_the_handlers(officer, colleague):
    case = issue(officer, colleague)
    assert assignee_ids(case) == {officer.user_id, colleague.user_id}


def test_a_warning_needs_no_payment(officer, colleague):
    case = issue(officer, colleague, fine_amount=None, warning=True)
    assert case.fine_amount is None
    assert case.other_sanctions == ["警告、通报批评"]
    assert case.payment_due_on is None


def test_the_on_site_record_keeps_time_and_place_in_the_ledger(officer, colleague):
    moment = timezone.now() - datetime.timedelta(minutes=5)
    case = issue(officer, colleague, captured_at=moment)
    record = case.evidence.get(kind=EvidenceKind.INSPECTION_RECORD)
    assert record.latitude == Decimal("23.132456") and record.longitude == Decimal("113.327654")
    assert abs((record.captured_at - moment).total_seconds()) < 1
    assert record.ledger_index is not None


def test_one_audit_entry_for_the_decision(officer, colleague):
    case = issue(officer, colleague)
    entry = assert_audited(CaseAuditEvent.ON_THE_SPOT_PENALTY, obj=case, actor=officer.user, count=1)
    assert entry.parent_id is None


def test_the_decision_is_published_to_the_hub(officer, colleague):
    case = issue(
        officer, colleague, party=makers.organisation(name="广州示例商行有限公司"), fine_amount="2500"
    )
    record = HubRecord.objects.get(dataset__code="enforcement.case", record_key=case.decision_number)
    assert record.data["status"] == "已决定"
    assert record.data["party_type"] == "法人"
    assert record.data["fine_amount"] == 2500
    assert record.data["decided_on"] == case.decided_on.isoformat()
    assert record.jurisdiction_code == COUNTY_A


def test_the_on_the_spot_decision_document_is_generated(officer, colleague):
    from smartjustice.enforcement import documents

    case = issue(officer, colleague)
    numbers = set(documents.documents_of(case).values_list("document_number", flat=True))
    assert numbers == {case.decision_number}


# --- 第五十一条: limits ----------------------------------------------------------------------------------------------


def test_a_person_may_be_fined_up_to_200_yuan_on_the_spot(officer, colleague):
    assert issue(officer, colleague, fine_amount="200").fine_amount == Decimal("200.00")


def test_a_fine_over_200_yuan_on_a_person_is_refused_citing_article_51(officer, colleague):
    message = refused(officer, colleague, "fine_amount", fine_amount="200.01")
    assert "第五十一条" in message and "200" in message
    assert "普通程序" in message


def test_an_organisation_may_be_fined_up_to_3000_yuan_on_the_spot(officer, colleague):
    case = issue(officer, colleague, party=makers.organisation(), fine_amount="3000")
    assert case.party.kind == PartyKind.ORGANISATION
    assert case.fine_amount == Decimal("3000.00")


def test_a_fine_over_3000_yuan_on_an_organisation_is_refused(officer, colleague):
    message = refused(officer, colleague, "fine_amount", party=makers.organisation(), fine_amount="3000.50")
    assert "第五十一条" in message and "3000" in message


def test_a_sanction_is_required_and_only_one(officer, colleague):
    refused(officer, colleague, "fine_amount", fine_amount=None, warning=False)
    refused(officer, colleague, "warning", fine_amount="50", warning=True)
    refused(officer, colleague, "fine_amount", fine_amount="-5")


def test_facts_and_legal_basis_are_required(officer, colleague):
    assert "违法事实" in refused(officer, colleague, "facts", facts="  ")
    assert "处罚依据" in refused(officer, colleague, "legal_basis", legal_basis="")


def test_a_bad_id_number_is_refused_and_nothing_stored(officer, colleague):
    refused(officer, colleague, "id_number", party=makers.person(id_number="440106199001011234"))


# --- 第五十二条: signature ------------------------------------------------------------------------------------------


def test_the_party_signature_is_stored_with_the_case(officer, colleague):
    case = issue(officer, colleague)
    assert case.party_signature is not None
    assert case.party_signature.owner_id == str(case.pk)
    assert read_bytes(case.party_signature) == makers.png()
    assert not case.signature_refused


def test_a_refusal_to_sign_is_noted_instead(officer, colleague):
    case = issue(officer, colleague, signature_png=None, signature_refused=True)
    assert case.signature_refused and case.party_signature is None


def test_no_signature_and_no_refusal_is_refused(officer, colleague):
    assert "第五十二条" in refused(officer, colleague, "signature", signature_png=None)


def test_a_signature_that_is_not_a_png_is_refused(officer, colleague):
    refused(officer, colleague, "file", signature_png=b"GIF89a not a png")


# --- 第四十二条: who may decide -------------------------------------------------------------------------------------


def test_one_officer_alone_may_not_decide(officer):
    with pytest.raises(ValidationFailed) as caught:
        makers.on_the_spot(officer, None, co_officers=[])
    assert "第四十二条" in caught.value.message


def test_an_expired_certificate_is_refused(officer, colleague):
    Credential.objects.filter(pk=officer.credential_id).update(
        valid_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    officer.refresh_from_db()
    with pytest.raises(PermissionDenied) as caught:
        issue(officer, colleague)
    assert "已过期" in caught.value.message
    assert not EnforcementCase.objects.exists()


def test_a_colleague_with_a_revoked_certificate_is_refused(officer, colleague):
    credentials.revoke_credential(colleague.credential, actor=makers.issuer(COUNTY_A), reason="调离执法岗位")
    colleague.refresh_from_db()
    assert "已吊销" in refused(officer, colleague, "co_officers")


def test_an_officer_cannot_decide_in_anothers_name(officer, colleague):
    with pytest.raises(PermissionDenied):
        issue(officer, colleague, actor=colleague.user)


def test_a_party_of_another_agency_is_refused(officer, colleague):
    other = makers.certified_officer(COUNTY_B)
    foreign = makers.on_the_spot(other).party
    refused(officer, colleague, "party", party=foreign)


def test_the_limits_cite_article_51():
    assert rules.ON_THE_SPOT_LIMITS.citation.article == 51
    assert rules.ON_THE_SPOT_LIMITS.value == {"person": 200, "organisation": 3000}
    assert simplified.on_the_spot_limit(PartyKind.PERSON) == 200


def test_a_fine_below_the_items_statutory_range_is_refused(officer, colleague):
    from smartjustice.core.testing import Place
    from tests.enforcement import power_list_makers

    item = power_list_makers.item(Place(COUNTY_A, officer.agency))  # 罚款 1000–10000 元
    message = refused(officer, colleague, "fine_amount", item=item, fine_amount="100")
    assert "第四条" in message and "幅度" in message


def test_the_same_conduct_is_not_fined_twice_on_the_spot(officer, colleague):
    party = makers.person()
    issue(officer, colleague, party=party)
    assert "第二十九条" in refused(officer, colleague, "fine_amount", party=party)
