"""The workflow mechanism, on a real workflow (政府信息公开申请): states, permissions, guards, history, races."""

import pytest

from smartjustice.core import workflow
from smartjustice.core.choices import AuditEvent
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed
from smartjustice.core.models import TransitionRecord
from smartjustice.core.models.workflow import HistoryIsAppendOnly
from smartjustice.core.testing import assert_audited, make_staff
from smartjustice.core.workflow import State, Transition, Workflow
from smartjustice.govinfo.models import GovInfoRequest
from tests.core.factories import GUANGZHOU, TIANHE, YUEXIU
from tests.govinfo import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quiet_channels(settings, tmp_path):
    settings.NOTIFICATION_CHANNELS = []
    settings.MEDIA_ROOT = tmp_path


def test_a_transition_saves_the_state_and_records_history_and_audit():
    request = factories.submitted(TIANHE)
    officer = factories.officer(TIANHE, real_name="王芳")
    record = workflow.transition(request, "accept", actor=officer, comment="材料齐全")
    assert GovInfoRequest.objects.get(pk=request.pk).status == "accepted"
    assert (record.from_state, record.to_state, record.actor_id, record.actor_name) == (
        "submitted",
        "accepted",
        officer.pk,
        "王芳",
    )
    assert record.jurisdiction_code == TIANHE
    assert list(workflow.history(request)) == [record]
    entry = assert_audited(AuditEvent.WORKFLOW_TRANSITION, obj=request, actor=officer)
    assert entry.before["status"] == "submitted" and entry.after["status"] == "accepted"
    # The correction-notice clock of 已提交 stopped and the answer clock of 已登记 started in the same write.
    assert (entry.before["clock_code"], entry.after["clock_code"]) == ("correction_notice", "answer")
    assert "登记受理" in entry.detail and "材料齐全" in entry.detail


def test_a_step_not_allowed_from_the_current_state_is_refused_in_chinese():
    request = factories.submitted(TIANHE)
    with pytest.raises(TransitionNotAllowed) as excinfo:
        workflow.transition(request, "answer", actor=factories.officer(TIANHE))
    assert excinfo.value.message == "当前状态为“已提交”，不能执行“作出答复”"
    assert not TransitionRecord.objects.exists()


def test_a_role_without_the_permission_is_refused():
    request = factories.accepted(TIANHE)
    # 政府信息公开工作人员 may answer but not approve an extension (that is the head of office).
    with pytest.raises(PermissionDenied) as excinfo:
        workflow.transition(request, "extend", actor=factories.officer(TIANHE))
    assert "延期答复" in excinfo.value.message
    with pytest.raises(PermissionDenied):
        workflow.transition(request, "answer", actor=make_staff(TIANHE, "auditor"))
    assert GovInfoRequest.objects.get(pk=request.pk).status == "accepted"


def test_permission_applies_only_inside_the_actors_jurisdiction():
    request = factories.submitted(TIANHE)
    with pytest.raises(PermissionDenied):
        workflow.transition(request, "accept", actor=factories.officer(YUEXIU))
    # A superior (the city) may act on a county's record.
    workflow.transition(request, "accept", actor=factories.officer(GUANGZHOU))


def test_owner_steps_belong_to_the_owner_only():
    request = factories.submitted(TIANHE)
    with pytest.raises(PermissionDenied):
        workflow.transition(request, "withdraw", actor=factories.citizen())
    with pytest.raises(PermissionDenied):  # staff cannot withdraw on the applicant's behalf
        workflow.transition(request, "withdraw", actor=factories.officer(TIANHE))
    workflow.transition(request, "withdraw", actor=request.applicant)


def test_available_transitions_are_the_buttons_a_user_may_press():
    request = factories.submitted(TIANHE)
    names = lambda user: [t.name for t in workflow.available_transitions(request, user)]  # noqa: E731
    assert names(factories.officer(TIANHE)) == ["accept", "request_correction"]
    assert names(request.applicant) == ["withdraw"]
    assert names(factories.officer(YUEXIU)) == []
    assert names(factories.citizen()) == []
    request.correction_notice = "已告知过一次"  # the guard hides a second correction request
    assert names(factories.officer(TIANHE)) == ["accept"]


def test_guards_refuse_with_their_message():
    request = factories.accepted(TIANHE)
    request.due_on = None
    GovInfoRequest.objects.filter(pk=request.pk).update(due_on=None)
    with pytest.raises(TransitionNotAllowed) as excinfo:
        workflow.transition(request, "extend", actor=factories.head_of_office(TIANHE))
    assert excinfo.value.message == "该申请尚未登记答复期限，不能延期"


def test_a_change_between_check_and_write_is_not_overwritten():
    """If another transaction changes the state after ours checked it, the conditional UPDATE changes nothing."""
    request = factories.submitted(TIANHE)

    def someone_else_withdraws_meanwhile(obj, actor):  # a guard written before guards saw the input
        type(obj)._base_manager.filter(pk=obj.pk).update(status="withdrawn")
        return None

    racing = Workflow(
        name="racing",
        initial="submitted",
        states=[State("submitted", "已提交"), State("accepted", "已登记"), State("withdrawn", "已撤回")],
        transitions=[
            Transition(
                "accept",
                "登记受理",
                ("submitted",),
                "accepted",
                permission="govinfo.change_govinforequest",
                guards=(someone_else_withdraws_meanwhile,),
            )
        ],
    )
    with pytest.raises(TransitionNotAllowed) as excinfo:
        racing.transition(request, "accept", actor=factories.officer(TIANHE))
    assert "已被他人办理" in excinfo.value.message
    # Nothing of ours was written (the simulated change rolled back with our transaction in this single-connection
    # test; in production it belongs to the other, committed transaction).
    assert GovInfoRequest.objects.get(pk=request.pk).status != "accepted"
    assert not TransitionRecord.objects.filter(object_id=str(request.pk)).exists()


def test_history_is_append_only():
    request = factories.accepted(TIANHE)
    record = TransitionRecord.objects.get(object_id=str(request.pk))
    record.comment = "改写"
    with pytest.raises(HistoryIsAppendOnly):
        record.save()
    with pytest.raises(HistoryIsAppendOnly):
        record.delete()
    with pytest.raises(HistoryIsAppendOnly):
        TransitionRecord.objects.filter(pk=record.pk).update(comment="改写")


def test_a_workflow_refuses_unknown_states_when_declared():
    with pytest.raises(ValueError):
        Workflow(
            name="bad",
            initial="a",
            states=[State("a", "甲")],
            transitions=[Transition("go", "走", ("a",), "b")],
        )


def _extend_workflow(*guards) -> Workflow:
    """The 政府信息公开 states with one extension step guarded by `guards` (for guards that read the input)."""
    return Workflow(
        name="guarded",
        initial="accepted",
        states=[State("accepted", "已登记"), State("extended", "已延期")],
        transitions=[
            Transition(
                "extend",
                "延期答复",
                ("accepted",),
                "extended",
                permission="govinfo.extend_govinforequest",
                guards=guards,
            )
        ],
    )


def test_a_guard_sees_the_input_of_the_step():
    def reason_must_be_given(obj, actor, payload):
        # While buttons are drawn there is no input yet (payload None): only a submitted step is refused.
        if payload is not None and not (payload.get("reason") or "").strip():
            return "延期须说明理由（《中华人民共和国政府信息公开条例》第三十三条第二款）"
        return None

    guarded = _extend_workflow(reason_must_be_given)
    request = factories.accepted(TIANHE)
    head = factories.head_of_office(TIANHE)
    assert [t.name for t in guarded.available_transitions(request, head)] == ["extend"]
    with pytest.raises(TransitionNotAllowed) as excinfo:
        guarded.transition(request, "extend", actor=head, payload={"reason": "  "})
    assert "延期须说明理由" in excinfo.value.message
    assert GovInfoRequest.objects.get(pk=request.pk).status == "accepted"
    guarded.transition(request, "extend", actor=head, payload={"reason": "需征求第三方意见"})
    assert GovInfoRequest.objects.get(pk=request.pk).status == "extended"


def test_guards_written_with_two_arguments_keep_working():
    seen = []

    def old_style(obj, actor):
        seen.append(actor.pk)
        return "旧式守卫拒绝"

    guarded = _extend_workflow(old_style)
    head = factories.head_of_office(TIANHE)
    with pytest.raises(TransitionNotAllowed) as excinfo:
        guarded.transition(factories.accepted(TIANHE), "extend", actor=head, payload={"reason": "x"})
    assert excinfo.value.message == "旧式守卫拒绝" and seen == [head.pk]


def test_the_module_level_transition_passes_the_input_to_guards():
    request = factories.submitted(TIANHE)
    officer = factories.officer(TIANHE)
    seen = {}

    def records_payload(obj, actor, payload):
        seen["payload"] = payload
        return None

    original = GovInfoRequest.workflow.get("accept")
    patched = Transition(
        original.name,
        original.label,
        original.sources,
        original.target,
        original.permission,
        guards=(records_payload,),
    )
    GovInfoRequest.workflow._transitions["accept"] = patched
    try:
        workflow.transition(request, "accept", actor=officer, payload={"comment": "材料齐全"})
    finally:
        GovInfoRequest.workflow._transitions["accept"] = original
    assert seen["payload"] == {"comment": "材料齐全"}
