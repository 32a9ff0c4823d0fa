"""Generated API access and audit tests of 考核奖惩 and 审批 (core.testing.ApiModelTests): kept to the executing
jurisdiction, an audit entry for each write."""

from smartjustice.core.testing import ApiModelTests
from smartjustice.correction.choices import CorrectionAuditEvent
from smartjustice.correction.models.conduct import ApprovalRequest, Assessment, Sanction
from tests.correction import conduct_makers


class TestAssessmentApi(ApiModelTests):
    model = Assessment
    list_url = "correction/assessments"
    detail_url = "correction/assessments/{pk}"
    roles = ("correction_officer",)
    factory = conduct_makers.assessment
    create_payload = conduct_makers.assessment_payload
    create_event = CorrectionAuditEvent.ASSESSMENT_RECORDED


class TestSanctionApi(ApiModelTests):
    model = Sanction
    list_url = "correction/sanctions"
    detail_url = "correction/sanctions/{pk}"
    roles = ("correction_officer",)
    factory = conduct_makers.sanction
    create_payload = conduct_makers.sanction_payload
    create_event = CorrectionAuditEvent.SANCTION_DRAFTED
    update_payload = {"facts": "无正当理由未按时报告三次"}
    update_event = CorrectionAuditEvent.SANCTION_UPDATED


class TestApprovalRequestApi(ApiModelTests):
    model = ApprovalRequest
    list_url = "correction/approvals"
    detail_url = "correction/approvals/{pk}"
    roles = ("correction_officer",)
    factory = conduct_makers.approval
    create_payload = conduct_makers.approval_payload
    create_event = CorrectionAuditEvent.APPROVAL_SUBMITTED
