"""Two officers pressing “作出答复” at the same moment: the request is answered once, with one reply letter.

This module uses real transactions (threads need committed data), which empties the database afterwards; the
`divisions` fixture reloads the divisions the rest of the suite relies on, so later tests are unaffected.
"""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from smartjustice.core.errors import TransitionNotAllowed
from smartjustice.core.models import (
    Attachment,
    DocumentSequence,
    Jurisdiction,
    Notification,
    TransitionRecord,
)
from smartjustice.govinfo import queries, services
from smartjustice.govinfo.models import GovInfoRequest
from tests.core.factories import TIANHE

from . import factories


@pytest.fixture
def divisions(django_db_setup, django_db_blocker):
    """Divisions present during each test and restored after the transactional flush that follows it."""
    with django_db_blocker.unblock():
        if not Jurisdiction.objects.filter(code=TIANHE).exists():
            call_command("load_jurisdictions", max_level=4, verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("load_jurisdictions", max_level=4, verbosity=0)


@pytest.fixture
def quiet(settings, tmp_path):
    settings.NOTIFICATION_CHANNELS = []
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_answers_apply_once(divisions, quiet):
    request = factories.accepted(TIANHE)
    officers = [factories.officer(TIANHE, real_name=f"办理人{i}") for i in range(2)]
    both_loaded = threading.Barrier(2, timeout=30)
    first_done = threading.Event()
    # PostgreSQL and file SQLite make the second writer wait for the first (row lock / BEGIN IMMEDIATE), so both
    # answer at once. The in-memory test SQLite shares one cache between threads and answers a second writer with
    # “table is locked” at once instead of waiting, so there the second answers right after the first: both still
    # hold the stale “已登记” record they read before either wrote, which is the race that matters.
    simultaneous = not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    outcomes: dict[int, object] = {}

    def answer(i: int) -> None:
        try:
            mine = queries.get_request_for(officers[i], request.pk)  # both read “已登记”
            both_loaded.wait()
            if i == 1 and not simultaneous:
                first_done.wait(timeout=60)
            services.answer_request(mine, actor=officers[i], reply_type="disclosed", reply_text=f"答复{i}")
            outcomes[i] = "answered"
        except Exception as exc:  # recorded for the assertions below
            outcomes[i] = exc
        finally:
            if i == 0:
                first_done.set()
            connection.close()

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(map(type, outcomes.values()), key=str) == sorted([str, TransitionNotAllowed], key=str), (
        outcomes
    )
    loser = next(o for o in outcomes.values() if isinstance(o, Exception))
    assert loser.message in ("当前状态为“已答复”，不能执行“作出答复”", "该事项已被他人办理，请刷新后重试")
    request = GovInfoRequest.objects.get(pk=request.pk)
    assert request.status == "answered"
    assert TransitionRecord.objects.filter(object_id=str(request.pk), transition="answer").count() == 1
    letters = Attachment.objects.filter(owner_id=str(request.pk), purpose=services.REPLY_LETTER)
    assert letters.count() == 2  # one PDF, one DOCX
    assert DocumentSequence.objects.get().last == 1
    assert Notification.objects.filter(recipient=request.applicant, title__endswith="已答复").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_to_the_transition_endpoint_register_once(divisions, quiet):
    """The generic endpoint (core.workflow_api) keeps the guarantee: two officers press 登记受理 at once."""
    from smartjustice.core.testing import ApiClient

    request = factories.submitted(TIANHE)
    clients = [ApiClient(factories.officer(TIANHE, real_name=f"登记人{i}")) for i in range(2)]
    simultaneous = not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    both_ready = threading.Barrier(2, timeout=30)
    first_done = threading.Event()
    responses: dict[int, object] = {}

    def press(i: int) -> None:
        try:
            both_ready.wait()
            if i == 1 and not simultaneous:
                first_done.wait(timeout=60)
            responses[i] = clients[i].post(f"/govinfo/requests/{request.pk}/transitions/accept", {})
        finally:
            if i == 0:
                first_done.set()
            connection.close()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    codes = sorted(r.status_code for r in responses.values())
    assert codes == [200, 409], [r.content for r in responses.values()]
    refused = next(r for r in responses.values() if r.status_code == 409).json()
    assert refused["code"] == "transition_not_allowed"
    assert refused["message"] in (
        "当前状态为“已登记”，不能执行“登记受理”",
        "该事项已被他人办理，请刷新后重试",
    )
    assert TransitionRecord.objects.filter(object_id=str(request.pk), transition="accept").count() == 1
    assert GovInfoRequest.objects.get(pk=request.pk).clock_code == "answer"
