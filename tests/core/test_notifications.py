"""Notifications: the inbox row is written with the change; gateways hear of it only once the change commits."""

import logging

import pytest
from django.db import transaction

from smartjustice.core import notifications
from smartjustice.core.models import Notification
from smartjustice.core.notifications import Channel
from smartjustice.core.testing import ApiClient, assert_api_error, items_of
from tests.core.factories import UserFactory

pytestmark = pytest.mark.django_db

SENT: list[str] = []


class RecordingChannel(Channel):
    """A gateway that remembers what it was handed."""

    name = "recording"

    def send(self, notification):
        SENT.append(notification.title)


class BrokenChannel(Channel):
    name = "broken"

    def send(self, notification):
        raise ConnectionError("gateway down")


@pytest.fixture(autouse=True)
def _channels(settings):
    SENT.clear()
    settings.NOTIFICATION_CHANNELS = [f"{__name__}.RecordingChannel"]


def test_gateways_get_the_message_only_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notifications.notify(
            user, title="您的申请已登记", body="答复期限 2026年10月30日", link="/govinfo/1/"
        )
        assert SENT == []  # still inside the transaction: the inbox row exists, nothing has left
        assert Notification.objects.filter(pk=notification.pk).exists()
    assert len(callbacks) == 1
    assert SENT == ["您的申请已登记"]


def test_nothing_is_sent_when_the_change_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notifications.notify(user, title="不会发出")
        raise RuntimeError("the service failed after notifying")
    assert callbacks == []
    assert SENT == []
    assert not Notification.objects.filter(title="不会发出").exists()


def test_a_failing_gateway_does_not_stop_the_others(settings, django_capture_on_commit_callbacks, caplog):
    settings.NOTIFICATION_CHANNELS = [f"{__name__}.BrokenChannel", f"{__name__}.RecordingChannel"]
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(UserFactory(), title="照常送达")
    assert SENT == ["照常送达"]
    assert "broken" in caplog.text


def test_the_reference_sms_gateway_logs_a_masked_number(settings, django_capture_on_commit_callbacks, caplog):
    settings.NOTIFICATION_CHANNELS = ["smartjustice.core.notifications.LoggingSmsChannel"]
    user = UserFactory(phone="13812345678")
    with (
        caplog.at_level(logging.INFO, logger="smartjustice.core.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notifications.notify(user, title="您的申请已答复")
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text
    assert "您的申请已答复" in caplog.text


def test_inbox_unread_count_and_marking_read_through_the_api():
    user, other = UserFactory(), UserFactory()
    first = notifications.notify(user, title="第一条")
    notifications.notify(user, title="第二条", category="govinfo")
    foreign = notifications.notify(other, title="别人的")
    api = ApiClient(user)
    assert [n["title"] for n in items_of(api.get("/notifications"))] == ["第二条", "第一条"]
    assert api.get("/notifications", {"category": "govinfo"}).json()["count"] == 1
    assert api.get("/notifications/unread-count").json() == {"count": 2}
    body = api.post(f"/notifications/{first.pk}/read").json()
    assert body["is_read"] and body["read_at"]
    assert api.get("/notifications/unread-count").json() == {"count": 1}
    assert [n["title"] for n in items_of(api.get("/notifications", {"unread_only": True}))] == ["第二条"]
    assert_api_error(api.post(f"/notifications/{foreign.pk}/read"), 404, "not_found")
    assert api.post("/notifications/read-all").json() == {"count": 1}
    assert notifications.unread_count(user) == 0
    assert notifications.unread_count(other) == 1
    assert_api_error(ApiClient(None).get("/notifications"), 401, "not_authenticated")
