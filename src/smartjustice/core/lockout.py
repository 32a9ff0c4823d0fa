"""Sign-in lockout (django-axes) as administrators see it: who is locked out of an account, and lifting the lock.

Axes locks a pair — an account and the client address the failures came from (settings AXES_LOCKOUT_PARAMETERS) —
so a stranger failing five times for gd_admin locks only their own address out of it. A locked-out person waits
for the cool-off period or asks an administrator of the account's jurisdiction to lift the lock (`unlock_account`,
audited).
"""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import access, audit
from .choices import AuditEvent
from .errors import PermissionDenied
from .models import User

UNLOCK_PERMISSION = "core.unlock_user"
#: 12348: the public legal service hotline (公共法律服务热线), the number a citizen without a 单位 can call.
HOTLINE = "12348"


def cool_off() -> timedelta:
    return timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def cool_off_minutes() -> int:
    return max(1, round(cool_off().total_seconds() / 60))


def locked_addresses(username: str) -> list[str]:
    """The client addresses currently locked out of the account `username`."""
    since = timezone.now() - cool_off()
    return sorted(
        set(
            AccessAttempt.objects.filter(
                username=username,
                failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                attempt_time__gte=since,
            ).values_list("ip_address", flat=True)
        )
    )


def is_locked(user: User) -> bool:
    return bool(locked_addresses(user.get_username()))


def may_unlock(actor, user: User) -> bool:
    """Administrators (core.unlock_user) of the account's jurisdiction; a portal account without one: the province."""
    return access.has_permission(actor, UNLOCK_PERMISSION) and access.may_act_in(actor, user.jurisdiction_id)


@transaction.atomic
def unlock_account(user: User, *, actor) -> int:
    """Lift every lock on the account (all client addresses) before the cool-off ends; the count of cleared records."""
    if not may_unlock(actor, user):
        raise PermissionDenied("只能解除本辖区账号的锁定")
    addresses = locked_addresses(user.get_username())
    cleared = reset(username=user.get_username())
    audit.record(
        AuditEvent.ACCOUNT_UNLOCKED,
        obj=user,
        actor=actor,
        detail=f"解除登录锁定（来源地址：{'、'.join(a for a in addresses if a) or '无'}）",
    )
    return cleared
