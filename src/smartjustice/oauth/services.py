"""Every write to client applications: register (the secret is returned once, only its hash is kept) and remove."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from smartjustice.core import audit
from smartjustice.core.choices import AuditEvent
from smartjustice.core.errors import ValidationFailed, from_django_validation_error

from .choices import ClientType, GrantType
from .queries import require_client_admin


def _snapshot(application) -> dict:
    return {
        "name": application.name,
        "client_id": application.client_id,
        "client_type": application.client_type,
        "authorization_grant_type": application.authorization_grant_type,
        "redirect_uris": application.redirect_uris,
        "client_secret": audit.SECRET if application.client_secret else "",
    }


@transaction.atomic
def register_client(
    *,
    actor,
    name: str,
    client_type: str,
    grant_type: str,
    redirect_uris: str | list[str] = "",
    skip_authorization: bool = False,
):
    """Register a client application; answers (application, plaintext secret or "" for a public client).

    `actor` None is the operator at the command line (`smartjustice oauth register`); people must be system
    administrators.
    """
    if actor is not None:
        require_client_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写应用名称", fields={"name": ["请填写应用名称"]})
    if client_type not in ClientType.values:
        raise ValidationFailed("请选择客户端类型", fields={"client_type": ["请选择客户端类型"]})
    if grant_type not in GrantType.values:
        raise ValidationFailed("请选择授权方式", fields={"grant_type": ["请选择授权方式"]})
    if isinstance(redirect_uris, str):
        redirect_uris = redirect_uris.split()
    uris = [u.strip() for u in redirect_uris if u.strip()]
    if grant_type == GrantType.CLIENT_CREDENTIALS:
        if client_type != ClientType.CONFIDENTIAL:
            message = "客户端凭证方式只适用于能保管密钥的机密客户端"
            raise ValidationFailed(message, fields={"client_type": [message]})
        if uris:
            message = "客户端凭证方式不使用回调地址"
            raise ValidationFailed(message, fields={"redirect_uris": [message]})
    elif not uris:
        message = "授权码方式须至少填写一个回调地址"
        raise ValidationFailed(message, fields={"redirect_uris": [message]})
    Application = get_application_model()
    secret = generate_client_secret() if client_type == ClientType.CONFIDENTIAL else ""
    application = Application(
        name=name[:255],
        user=actor if actor is not None else None,
        client_type=client_type,
        authorization_grant_type=grant_type,
        redirect_uris=" ".join(uris),
        client_secret=secret,
        # ID tokens are RS256-signed with the platform key (published in the JWKS); machine clients get none.
        algorithm=Application.RS256_ALGORITHM
        if grant_type == GrantType.AUTHORIZATION_CODE
        else Application.NO_ALGORITHM,
        skip_authorization=skip_authorization,
    )
    try:
        application.full_clean(exclude=["client_secret", "user"])
    except DjangoValidationError as exc:
        error = from_django_validation_error(exc)
        if "redirect_uris" in error.fields:
            error.message = (
                "回调地址无效：须为完整的 https 地址（开发环境允许 http），多个地址以空格或换行分隔"
            )
            error.fields["redirect_uris"] = [error.message]
        raise error from None
    application.save()  # django-oauth-toolkit hashes the secret on save
    audit.record(
        AuditEvent.OBJECT_CREATED,
        obj=application,
        actor=actor,
        after=_snapshot(application),
        jurisdiction_code=getattr(actor, "jurisdiction_id", None) or "",
        detail=f"登记接入应用“{application.name}”",
    )
    return application, secret


@transaction.atomic
def remove_client(application, *, actor) -> None:
    """Remove a client application; its tokens and grants go with it, so its clients are signed out at once."""
    require_client_admin(actor)
    before = _snapshot(application)
    pk = application.pk
    audit.record(
        AuditEvent.OBJECT_DELETED,
        obj=application,
        actor=actor,
        before=before,
        jurisdiction_code=actor.jurisdiction_id or "",
        detail=f"删除接入应用“{application.name}”",
        object_id=str(pk),
    )
    application.delete()
