"""Generated API access and audit tests of daily supervision (core.testing.ApiModelTests)."""

from smartjustice.core.testing import ApiModelTests
from smartjustice.correction.choices import CorrectionAuditEvent
from smartjustice.correction.models import CheckIn, SupervisionRecord
from tests.correction import reporting_makers


class TestCheckInApi(ApiModelTests):
    model = CheckIn
    list_url = "correction/check-ins"
    detail_url = "correction/check-ins/{pk}"
    roles = ("correction_officer",)
    factory = reporting_makers.check_in
    create_payload = reporting_makers.check_in_payload
    create_event = CorrectionAuditEvent.CHECKED_IN


class TestSupervisionRecordApi(ApiModelTests):
    model = SupervisionRecord
    list_url = "correction/visits"
    detail_url = "correction/visits/{pk}"
    roles = ("correction_officer",)
    factory = reporting_makers.supervision_record
    create_payload = reporting_makers.visit_payload
    create_event = CorrectionAuditEvent.SUPERVISION_RECORDED
