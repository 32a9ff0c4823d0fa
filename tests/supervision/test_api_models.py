"""Generated API access and audit tests of 执法监督 (core.testing.ApiModelTests)."""

from smartjustice.core.testing import ApiModelTests
from smartjustice.supervision.choices import SupervisionAuditEvent
from smartjustice.supervision.models import CaseFileReview, SupervisionFlag, SupervisionOrder
from tests.supervision import makers


class TestSupervisionFlagApi(ApiModelTests):
    model = SupervisionFlag
    list_url = "supervision/flags"
    detail_url = "supervision/flags/{pk}"
    roles = ("enforcement_supervisor",)
    factory = makers.flag  # written by the scan (tests/supervision/test_checks.py)
    update_url = "supervision/flags/{pk}/dismiss"
    update_method = "post"
    update_payload = {"reason": "经核实，该案另有两名执法人员在场，系录入遗漏"}
    update_event = SupervisionAuditEvent.FLAG_DISMISSED


class TestSupervisionOrderApi(ApiModelTests):
    model = SupervisionOrder
    list_url = "supervision/orders"
    detail_url = "supervision/orders/{pk}"
    roles = ("enforcement_supervisor",)
    factory = makers.order
    create_payload = makers.order_payload
    create_event = SupervisionAuditEvent.ORDER_ISSUED


class TestCaseFileReviewApi(ApiModelTests):
    model = CaseFileReview
    list_url = "supervision/reviews"
    detail_url = "supervision/reviews/{pk}"
    roles = ("enforcement_supervisor",)
    factory = makers.review
    update_url = "supervision/reviews/{pk}/score"
    update_method = "post"
    update_payload = staticmethod(lambda review: {"scores": makers.full_scores(decision=8)})
    update_event = SupervisionAuditEvent.REVIEW_SCORED
