"""政府信息公开申请 in the audit trail: one typed entry per step of the procedure, its parts linked to it."""

import pytest
from django.core.files.base import ContentFile

from smartjustice.core.choices import AuditEvent
from smartjustice.core.models import AuditEntry
from smartjustice.govinfo import services
from smartjustice.govinfo.choices import GovInfoAuditEvent, ReplyType

from . import factories

pytestmark = pytest.mark.django_db


def operations_on(request):
    """The top-level entries about one application, oldest first."""
    return AuditEntry.objects.filter(
        object_type="govinfo.govinforequest", object_id=str(request.pk), parent__isnull=True
    ).order_by("id")


def test_an_answer_is_one_entry_answered_with_the_transition_and_the_reply_letter_as_its_steps():
    request = factories.accepted()
    officer = factories.officer(real_name="王芳")
    before = operations_on(request).count()
    services.answer_request(
        request, actor=officer, reply_type=ReplyType.DISCLOSED, reply_text="予以公开，见附件。"
    )
    answers = list(operations_on(request))[before:]
    assert [entry.event for entry in answers] == [GovInfoAuditEvent.ANSWERED]
    answer = answers[0]
    assert answer.event_label == "作出答复" and answer.actor_id == officer.pk
    assert {"status", "reply_type", "reply_text", "answered_on", "reply_number"} <= set(answer.changed_fields)
    assert answer.after["status"] == "answered" and answer.before["status"] == "accepted"
    steps = list(answer.steps.order_by("id"))
    events = [step.event for step in steps]
    assert AuditEvent.WORKFLOW_TRANSITION in events and AuditEvent.DOCUMENT_GENERATED in events
    assert events.count(AuditEvent.ATTACHMENT_STORED) == 2, "the letter as PDF and as Word"
    document = next(step for step in steps if step.event == AuditEvent.DOCUMENT_GENERATED)
    assert request.reply_number in document.detail
    assert {step.actor_id for step in steps} == {officer.pk}, "every step is the answering officer's"
    # Nothing about the answer was written beside the operation.
    assert not AuditEntry.objects.filter(
        event__in=[AuditEvent.OBJECT_UPDATED, AuditEvent.OBJECT_CREATED],
        parent__isnull=True,
        pk__gt=answer.pk,
    ).exists()


def test_each_step_of_the_procedure_is_its_own_typed_entry():
    applicant = factories.citizen()
    request = factories.submitted(
        applicant=applicant, files=[ContentFile(b"%PDF-1.4\n%%EOF\n", name="身份证明.pdf")]
    )
    officer = factories.officer()
    services.request_correction(request, actor=officer, notice="请补充身份证明，15个工作日内")
    services.resubmit_request(request, actor=applicant, description="补正后的描述")
    services.accept_request(request, actor=officer)
    services.extend_request(request, actor=factories.head_of_office(), reason="需要会商")
    assert [entry.event for entry in operations_on(request)] == [
        GovInfoAuditEvent.SUBMITTED,
        GovInfoAuditEvent.CORRECTION_REQUESTED,
        GovInfoAuditEvent.RESUBMITTED,
        GovInfoAuditEvent.ACCEPTED,
        GovInfoAuditEvent.EXTENDED,
    ]
    submitted = operations_on(request).first()
    assert submitted.actor_id == applicant.pk and submitted.before is None
    assert [step.event for step in submitted.steps.all()] == [AuditEvent.ATTACHMENT_STORED]
    assert submitted.steps.get().object_type_label == "附件"


def test_a_withdrawal_is_recorded_as_withdrawn_by_the_applicant():
    applicant = factories.citizen()
    request = factories.submitted(applicant=applicant)
    services.withdraw_request(request, actor=applicant, reason="不再需要")
    withdrawn = operations_on(request).last()
    assert (withdrawn.event, withdrawn.actor_id) == (GovInfoAuditEvent.WITHDRAWN, applicant.pk)
    assert withdrawn.before["status"] == "submitted" and withdrawn.after["status"] == "withdrawn"
