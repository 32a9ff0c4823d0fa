"""Generated API access and audit tests of education and identity checks (core.testing.ApiModelTests)."""

from smartjustice.core.testing import ApiModelTests
from smartjustice.correction.choices import CorrectionAuditEvent
from smartjustice.correction.models import IdentityCheck, LearningAssignment, LearningSession, LearningTask
from tests.correction import education_makers


class TestLearningTaskApi(ApiModelTests):
    model = LearningTask
    list_url = "correction/education/tasks"
    detail_url = "correction/education/tasks/{pk}"
    roles = ("correction_officer",)
    factory = education_makers.task
    create_payload = education_makers.task_payload
    create_event = CorrectionAuditEvent.LEARNING_TASK_CREATED
    update_payload = {"title": "宪法学习（修订）", "hours": "6.0"}
    update_event = CorrectionAuditEvent.LEARNING_TASK_UPDATED


class TestLearningAssignmentApi(ApiModelTests):
    model = LearningAssignment
    list_url = "correction/education/assignments"
    detail_url = "correction/education/assignments/{pk}"
    roles = ("correction_officer",)
    factory = education_makers.assignment
    create_payload = education_makers.assignment_payload
    create_event = CorrectionAuditEvent.LEARNING_ASSIGNED


class TestLearningSessionApi(ApiModelTests):
    model = LearningSession
    list_url = "correction/education/sessions"
    detail_url = "correction/education/sessions/{pk}"
    roles = ("correction_officer",)
    factory = education_makers.session
    create_payload = education_makers.session_payload
    create_event = CorrectionAuditEvent.LEARNING_SESSION_STARTED


class TestIdentityCheckApi(ApiModelTests):
    model = IdentityCheck
    list_url = "correction/identity-checks"
    detail_url = "correction/identity-checks/{pk}"
    roles = ("correction_officer",)
    factory = education_makers.identity_check
    create_url = "correction/identity-checks/challenges"
    create_payload = education_makers.challenge_payload
    create_event = CorrectionAuditEvent.IDENTITY_CHALLENGE_ISSUED
