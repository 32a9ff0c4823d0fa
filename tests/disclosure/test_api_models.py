"""Generated API access and audit tests of the annual reports (core.testing.ApiModelTests)."""

from smartjustice.core.testing import ApiModelTests
from smartjustice.disclosure.choices import DisclosureAuditEvent
from smartjustice.disclosure.models import AnnualReport
from tests.disclosure import makers


class TestAnnualReportApi(ApiModelTests):
    model = AnnualReport
    list_url = "disclosure/reports"
    detail_url = "disclosure/reports/{pk}"
    roles = ("statistics_reporter",)
    factory = makers.any_report
    create_payload = {"year": 2001}
    create_event = DisclosureAuditEvent.REPORT_OPENED
