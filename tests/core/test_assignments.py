"""Who is assigned to a record (承办人, 审核人), audited, and the workflow guards that read the assignments."""

import pytest

from smartjustice.core import assignments
from smartjustice.core.assignments import at_least, not_same_person, organisation_kind_in, requires_assignee
from smartjustice.core.choices import AuditEvent, OrganisationKind
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.models import Assignment
from smartjustice.core.testing import assert_audited
from smartjustice.core.workflow import State, Transition, Workflow
from smartjustice.govinfo.models import GovInfoRequest
from tests.core.factories import TIANHE, YUEXIU
from tests.govinfo import factories

pytestmark = pytest.mark.django_db

CHANGE = "govinfo.change_govinforequest"


@pytest.fixture(autouse=True)
def _quiet(settings, tmp_path):
    settings.NOTIFICATION_CHANNELS = []
    settings.MEDIA_ROOT = tmp_path


def _workflow(*guards) -> Workflow:
    """Registration guarded by `guards` (the 政府信息公开 states; the guards are what is under test)."""
    return Workflow(
        name="assigned",
        initial="submitted",
        states=[State("submitted", "已提交"), State("accepted", "已登记")],
        transitions=[
            Transition("accept", "登记受理", ("submitted",), "accepted", permission=CHANGE, guards=guards)
        ],
    )


def _status(request) -> str:
    return GovInfoRequest.objects.get(pk=request.pk).status


def test_assigning_and_ending_an_assignment_is_audited_and_kept():
    request = factories.submitted(TIANHE)
    head, officer = factories.head_of_office(TIANHE), factories.officer(TIANHE, real_name="王芳")
    assignment = assignments.assign(request, user=officer, role="handler", actor=head)
    assert assignments.assign(request, user=officer, role="handler", actor=head) == assignment  # once only
    assert [a.user for a in assignments.assignments_of(request, "handler")] == [officer]
    assert assignment.jurisdiction_code == TIANHE and assignment.assigned_by == head
    assert_audited(AuditEvent.ASSIGNED, obj=assignment, actor=head, count=1)
    assert assignments.unassign(request, user=officer, role="handler", actor=head) == 1
    assert not assignments.assignments_of(request).exists()
    ended = Assignment.objects.get(pk=assignment.pk)  # ended, not deleted
    assert ended.ended_at is not None and ended.ended_by == head
    assert_audited(AuditEvent.UNASSIGNED, obj=ended, actor=head, count=1)


def test_only_staff_of_the_records_jurisdiction_are_assigned_by_staff_of_it():
    request = factories.submitted(TIANHE)
    head = factories.head_of_office(TIANHE)
    with pytest.raises(ValidationFailed) as excinfo:
        assignments.assign(request, user=factories.officer(YUEXIU), actor=head)
    assert "办理范围" in excinfo.value.message
    with pytest.raises(ValidationFailed):
        assignments.assign(request, user=factories.citizen(), actor=head)
    with pytest.raises(PermissionDenied):
        assignments.assign(request, user=factories.officer(TIANHE), actor=factories.head_of_office(YUEXIU))


def test_requires_assignee_lets_only_the_assigned_handler_act():
    flow = _workflow(requires_assignee())
    request = factories.submitted(TIANHE)
    handler, colleague = factories.officer(TIANHE), factories.officer(TIANHE)
    assignments.assign(request, user=handler, actor=factories.head_of_office(TIANHE))
    assert flow.available_transitions(request, colleague) == []
    with pytest.raises(TransitionNotAllowed) as excinfo:
        flow.transition(request, "accept", actor=colleague)
    assert excinfo.value.message == "只有本事项的承办人可以办理此操作"
    flow.transition(request, "accept", actor=handler)
    assert _status(request) == "accepted"


def test_at_least_two_officers_must_be_assigned():
    # e.g. 《中华人民共和国行政处罚法》第四十二条: 执法人员不得少于两人.
    flow = _workflow(at_least(2))
    request = factories.submitted(TIANHE)
    head, first, second = (
        factories.head_of_office(TIANHE),
        factories.officer(TIANHE),
        factories.officer(TIANHE),
    )
    assignments.assign(request, user=first, actor=head)
    with pytest.raises(TransitionNotAllowed) as excinfo:
        flow.transition(request, "accept", actor=first)
    assert excinfo.value.message == "本事项须至少指派2名承办人"
    assignments.assign(request, user=second, actor=head)
    request = GovInfoRequest.objects.get(pk=request.pk)  # a fresh read, as the next request would make
    flow.transition(request, "accept", actor=first)
    assert _status(request) == "accepted"


def test_the_reviewer_is_not_the_handler():
    flow = _workflow(not_same_person("reviewer", "handler"))
    request = factories.submitted(TIANHE)
    head, handler, reviewer = (
        factories.head_of_office(TIANHE),
        factories.officer(TIANHE),
        factories.officer(TIANHE),
    )
    assignments.assign(request, user=handler, role="handler", actor=head)
    with pytest.raises(TransitionNotAllowed) as excinfo:
        flow.transition(request, "accept", actor=handler)
    assert excinfo.value.message == "审核人不能由本事项的承办人担任"
    flow.transition(request, "accept", actor=reviewer)
    assert _status(request) == "accepted"


def test_organisation_kind_conditions():
    flow = _workflow(organisation_kind_in(OrganisationKind.JUSTICE_STATION))
    request = factories.submitted(TIANHE)
    officer = factories.officer(TIANHE)  # of 天河区司法局, a bureau
    with pytest.raises(TransitionNotAllowed) as excinfo:
        flow.transition(request, "accept", actor=officer)
    assert excinfo.value.message == f"只有{OrganisationKind.JUSTICE_STATION.label}的工作人员可以办理此操作"
    assert _workflow(organisation_kind_in(OrganisationKind.JUSTICE_BUREAU)).allowed(
        request, "accept", officer
    )
