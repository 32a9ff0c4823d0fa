"""Sign-in, sign-out, failed sign-in and lockout go to the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from . import access, audit
from .choices import AuditEvent


def _jurisdiction(user) -> str:
    """The account's jurisdiction; the province's for accounts without one (self-registered portal accounts) and
    for unknown user names, so province auditors see those sign-ins and lockouts."""
    return access.jurisdiction_code_of(user) if user is not None else access.province_code()


def on_logged_in(sender, request, user, **kwargs):
    audit.record(AuditEvent.LOGIN_SUCCEEDED, obj=user, actor=user, jurisdiction_code=_jurisdiction(user))


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditEvent.LOGGED_OUT, obj=user, actor=user, jurisdiction_code=_jurisdiction(user))


def on_login_failed(sender, credentials, request=None, **kwargs):
    from .models import User

    username = (credentials or {}).get("username", "")[:150]
    user = User.objects.filter(username=username).only("pk", "username", "jurisdiction").first()
    audit.record(
        AuditEvent.LOGIN_FAILED,
        obj=user,
        actor=None,
        object_type="core.user",
        object_repr=username,
        jurisdiction_code=_jurisdiction(user),
        detail=f"账号：{username}",
    )


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    from .models import User

    user = User.objects.filter(username=username or "").only("pk", "username", "jurisdiction").first()
    audit.record(
        AuditEvent.ACCOUNT_LOCKED,
        obj=user,
        actor=None,
        object_type="core.user",
        object_repr=username or "",
        jurisdiction_code=_jurisdiction(user),
        detail="连续登录失败，账号被临时锁定",
    )


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_logged_in, dispatch_uid="sj_logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="sj_logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="sj_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="sj_locked_out")
