"""Demo 政府信息公开申请 (`smartjustice load_demo`): real handling by the demo accounts, visible to the right staff."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from smartjustice.core import demo as core_demo
from smartjustice.core import workflow
from smartjustice.core.errors import DomainError
from smartjustice.core.models import Attachment, AuditEntry, Notification, User
from smartjustice.govinfo import demo, queries, rules
from smartjustice.govinfo.choices import GovInfoAuditEvent
from smartjustice.govinfo.models import GovInfoRequest, Status

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The quick core demo and the demo requests, loaded once inside a transaction rolled back afterwards."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        core_demo.load(quick=True)
        step = demo.load()
        list(core_demo.load_domains())  # the other modules' demo records, as `load_demo` loads them
        yield step
        transaction.set_rollback(True)


def entries() -> list[dict]:
    return demo.spec()["requests"]


def request_for(entry: dict) -> GovInfoRequest:
    return GovInfoRequest.objects.get(
        applicant__username=entry["applicant"], description=entry["description"]
    )


def visible_to(username: str) -> set[str]:
    user = User.objects.get(username=username)
    return {r.description for r in queries.list_requests(user)}


def test_every_demo_request_is_created_and_counted_by_state(loaded):
    assert (loaded.created, loaded.existing) == (len(entries()), 0)
    assert GovInfoRequest.objects.count() == len(entries())
    assert loaded.detail == {"已提交": 2, "已登记": 1, "已延期": 1, "已答复": 1, "待补正": 1}


def test_each_request_went_through_its_steps_by_the_named_accounts(loaded):
    for entry in entries():
        request = request_for(entry)
        assert request.organisation.name == entry["organisation"]
        history = [(h.transition, h.actor.username) for h in workflow.history(request)]
        assert history == [(s["action"], s["actor"]) for s in entry["steps"]]
        created = AuditEntry.objects.get(
            event=GovInfoAuditEvent.SUBMITTED, object_type="govinfo.govinforequest", object_id=str(request.pk)
        )
        assert (created.actor_username, created.channel) == (entry["applicant"], "command")
        # Each later step is one typed entry too, by the account the demo names for it.
        steps = AuditEntry.objects.filter(
            object_type="govinfo.govinforequest", object_id=str(request.pk), parent__isnull=True
        ).exclude(pk=created.pk)
        assert [e.actor_username for e in steps.order_by("id")] == [s["actor"] for s in entry["steps"]]


def test_registered_requests_run_twenty_working_days_from_today(loaded):
    today = timezone.localdate()
    for status in (Status.ACCEPTED, Status.EXTENDED, Status.ANSWERED):
        request = GovInfoRequest.objects.get(status=status)
        assert request.received_on == today
        assert request.due_on == rules.answer_due(today)
        assert request.handled_by.username == "th_disclosure"
    assert not GovInfoRequest.objects.filter(status=Status.SUBMITTED, due_on__isnull=False).exists()


def test_extension_was_approved_by_the_head_with_a_reason_and_the_applicant_told(loaded):
    request = GovInfoRequest.objects.get(status=Status.EXTENDED)
    assert request.extended_due_on == rules.extended_due(request.due_on)
    assert "21个街道司法所" in request.extension_reason
    assert workflow.history(request).last().actor.username == "th_disclosure_head"
    assert Notification.objects.filter(recipient=request.applicant, title__contains="答复期限已延长").exists()


def test_answer_has_its_reply_letter_in_pdf_and_word(loaded):
    request = GovInfoRequest.objects.get(status=Status.ANSWERED)
    assert request.reply_type == "disclosed"
    assert request.answered_on == timezone.localdate()
    assert request.reply_number.startswith("天司信复")
    letters = Attachment.objects.filter(document_number=request.reply_number)
    assert sorted(a.original_name.rsplit(".", 1)[1] for a in letters) == ["docx", "pdf"]
    assert Notification.objects.filter(recipient=request.applicant, title__contains="已答复").exists()


def test_correction_notice_says_what_is_missing(loaded):
    request = GovInfoRequest.objects.get(status=Status.CORRECTION_REQUESTED)
    assert "文号" in request.correction_notice
    assert request.due_on is None  # the answer period starts when the corrected application is registered
    assert Notification.objects.filter(recipient=request.applicant, title__contains="需要补正").exists()


def test_district_staff_see_their_own_district_only(loaded):
    tianhe = {e["description"] for e in entries() if e["organisation"] == "广州市天河区司法局"}
    yuexiu = {e["description"] for e in entries() if e["organisation"] == "广州市越秀区司法局"}
    assert tianhe and yuexiu
    assert visible_to("th_disclosure") == tianhe
    assert visible_to("th_disclosure_head") == tianhe
    assert visible_to("yx_admin") == yuexiu
    assert visible_to("gz_disclosure") == tianhe | yuexiu  # the city sees its districts
    handlers = Notification.objects.filter(title__startswith="新的政府信息公开申请")
    assert set(handlers.values_list("recipient__username", flat=True)) == {
        "th_disclosure",
        "th_disclosure_head",
    }


def test_applicants_see_only_their_own_requests(loaded):
    for username in ("citizen1", "citizen2", "enterprise1", "enterprise2"):
        mine = {e["description"] for e in entries() if e["applicant"] == username}
        assert visible_to(username) == mine
    assert visible_to("citizen3") == set()


def test_loading_again_creates_nothing(loaded):
    counts = (
        GovInfoRequest.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
        Attachment.objects.count(),
    )
    again = demo.load()
    assert (again.created, again.existing) == (0, len(entries()))
    out = StringIO()
    call_command("load_demo", "--quick", stdout=out)
    assert f"政府信息公开申请：新增 0，已存在 {len(entries())}" in out.getvalue()
    assert "未新增任何记录" in out.getvalue()
    assert counts == (
        GovInfoRequest.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
        Attachment.objects.count(),
    )


@pytest.mark.parametrize("today", ["2027-09-30", "2031-12-31"])  # before 国庆; a year not yet announced
def test_requests_load_whatever_the_date(loaded, monkeypatch, today):
    fresh = {"requests": [{**e, "description": e["description"] + "（再次申请）"} for e in entries()]}
    monkeypatch.setattr(demo, "spec", lambda: fresh)
    with time_machine.travel(f"{today} 10:00 +0800", tick=False):
        step = demo.load()
        day = datetime.date.fromisoformat(today)
        accepted = GovInfoRequest.objects.get(status=Status.ACCEPTED, description__endswith="（再次申请）")
    assert step.created == len(entries())
    assert accepted.received_on == day
    assert accepted.due_on == rules.answer_due(day)


def test_missing_demo_accounts_are_reported(loaded, monkeypatch):
    broken = {"requests": [{**entries()[0], "applicant": "citizen99"}]}
    monkeypatch.setattr(demo, "spec", lambda: broken)
    with pytest.raises(DomainError, match="citizen99"):
        demo.load()
