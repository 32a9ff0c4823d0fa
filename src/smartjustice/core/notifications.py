"""Notifications: the in-app inbox, plus copies through gateways (SMS, WeChat …) that leave only after commit.

notify() writes the inbox row inside the caller's transaction and registers delivery with
transaction.on_commit, so a rolled-back service sends nothing and a committed one never sends a message about a
change that did not happen. Gateways are classes named in settings.NOTIFICATION_CHANNELS (dotted paths) with a
`send(notification)` method; LoggingSmsChannel is the reference implementation.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import access, privacy
from .errors import NotFound
from .models import Notification

logger = logging.getLogger(__name__)


class Channel:
    """A delivery gateway. Implementations must not raise for a single failed message (log and move on)."""

    name = "channel"

    def send(self, notification: Notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSmsChannel(Channel):
    """Reference SMS gateway: logs what would be sent (masked phone); a real gateway replaces `deliver`."""

    name = "sms"

    def send(self, notification: Notification) -> None:
        phone = getattr(notification.recipient, "phone", "")
        if not phone:
            return
        self.deliver(phone, f"【{settings.PLATFORM_NAME}】{notification.title}")

    def deliver(self, phone: str, text: str) -> None:
        logger.info("短信 → %s：%s", privacy.mask_field("phone", phone), text)


def channels() -> list[Channel]:
    """The configured gateways, instantiated (settings are read each time so tests can override them)."""
    return [import_string(path)() for path in getattr(settings, "NOTIFICATION_CHANNELS", [])]


def deliver(notification_id: int) -> None:
    """Hand one stored notification to every gateway; a failing gateway does not stop the others."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return
    for channel in channels():
        try:
            channel.send(notification)
        except Exception:  # a gateway outage must not break the request that already committed
            logger.exception(
                "notification channel %s failed for notification %s", channel.name, notification_id
            )


def notify(recipient, *, title: str, body: str = "", link: str = "", category: str = "") -> Notification:
    """Put a message in `recipient`'s inbox now and send it through the gateways after the transaction commits."""
    notification = Notification.objects.create(
        recipient=recipient, title=title[:200], body=body, link=link[:300], category=category[:32]
    )
    transaction.on_commit(lambda: deliver(notification.pk))
    return notification


# --- reads ---------------------------------------------------------------------------------------------------------


def list_for(user, *, unread_only: bool = False, category: str = ""):
    """The user's own inbox, newest first."""
    qs = Notification.objects.restrict(user, "view").filter(recipient_id=getattr(user, "pk", None))
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if category:
        qs = qs.filter(category=category)
    return qs


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return list_for(user, unread_only=True).count()


def get_notification_for(user, pk, *, action: str = "view") -> Notification:
    """One of the user's own notifications, or NotFound (another user's answers the same as a missing one)."""
    notification = access.get_for(
        user, Notification.objects.filter(recipient_id=getattr(user, "pk", None)), pk, action
    )
    return notification


# --- writes --------------------------------------------------------------------------------------------------------


def mark_read(notification: Notification, *, actor) -> Notification:
    """Mark one notification read (only its recipient may)."""
    if notification.recipient_id != getattr(actor, "pk", None):
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, actor) -> int:
    """Mark all of the actor's unread notifications read; returns how many changed."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
