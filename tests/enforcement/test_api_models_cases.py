"""Generated API access and audit tests of case handling (core.testing.ApiModelTests): cases, parties, evidence and
payments are kept to the agency (and the county's supervisors), with an audit entry for each write."""

from smartjustice.core.testing import ApiModelTests
from smartjustice.enforcement.choices import CaseAuditEvent
from smartjustice.enforcement.models import CaseEvidence, CasePayment, EnforcementCase, Party
from tests.enforcement import case_makers
from tests.enforcement.mobile_makers import organisation, person


def _case_payload(place) -> dict:
    # The base class's own organisation is a 司法局: here it acts as the 执法主体 of its market-regulation cases.
    place.organisation.enforcement_domain = case_makers.MARKET
    place.organisation.save(update_fields=["enforcement_domain"])
    return {
        "party": organisation(),
        "cause": "未按规定明码标价",
        "domain": case_makers.MARKET,
        "discovered_on": "2026-11-30",
        "facts": "当事人销售的商品未标明价格。",
    }


class TestEnforcementCaseApi(ApiModelTests):
    model = EnforcementCase
    list_url = "enforcement/cases"
    detail_url = "enforcement/cases/{pk}"
    roles = ("enforcement_officer",)
    factory = case_makers.case
    create_payload = _case_payload
    create_event = CaseAuditEvent.CASE_REGISTERED


class TestPartyApi(ApiModelTests):
    model = Party
    list_url = "enforcement/parties"
    detail_url = "enforcement/parties/{pk}"
    roles = ("enforcement_officer",)
    factory = case_makers.party
    create_payload = staticmethod(lambda place: person())
    create_event = CaseAuditEvent.PARTY_REGISTERED


class TestCaseEvidenceApi(ApiModelTests):
    model = CaseEvidence
    list_url = "enforcement/evidence"
    detail_url = "enforcement/evidence/{pk}"
    roles = ("enforcement_officer",)
    factory = (
        case_makers.evidence
    )  # recorded through the multipart upload (tests/enforcement/test_case_api.py)


class TestCasePaymentApi(ApiModelTests):
    model = CasePayment
    list_url = "enforcement/payments"
    detail_url = "enforcement/payments/{pk}"
    roles = ("enforcement_officer",)
    factory = (
        case_makers.payment
    )  # recorded on the case (POST /cases/{id}/payments, tests/enforcement/test_case_api.py)
