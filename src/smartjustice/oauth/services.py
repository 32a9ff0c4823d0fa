"""Every write to client applications and sign-ins: register (the secret is returned once, only its hash is kept),
update, remove, and ending a user's single sign-on at every client (RP-initiated logout)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_application_model, get_refresh_token_model
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.validators import AllowedURIValidator

from smartjustice.core import access, audit
from smartjustice.core.choices import AuditEvent
from smartjustice.core.errors import ValidationFailed, from_django_validation_error

from .choices import ClientType, GrantType, OAuthAuditEvent
from .queries import require_client_permission

REDIRECT_URIS_INVALID = "回调地址无效：须为完整的 https 地址（开发环境允许 http），多个地址以空格或换行分隔"
POST_LOGOUT_URIS_INVALID = (
    "退出后跳转地址无效：须为完整的 https 地址（开发环境允许 http），不含 #片段，多个地址以空格或换行分隔"
)


def _snapshot(application) -> dict:
    return {
        "name": application.name,
        "client_id": application.client_id,
        "client_type": application.client_type,
        "authorization_grant_type": application.authorization_grant_type,
        "redirect_uris": application.redirect_uris,
        "post_logout_redirect_uris": application.post_logout_redirect_uris,
        "skip_authorization": application.skip_authorization,
        "client_secret": audit.SECRET if application.client_secret else "",
    }


def _uri_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split()
    return [u.strip() for u in value if u and u.strip()]


def _check_post_logout_uris(uris: list[str], *, grant_type: str, client_type: str) -> None:
    """Post-logout redirect URIs (OIDC RP-Initiated Logout §3) only for sign-in clients, each a full address."""
    if not uris:
        return
    if grant_type != GrantType.AUTHORIZATION_CODE:
        message = "客户端凭证方式没有用户登录，不使用退出后跳转地址"
        raise ValidationFailed(message, fields={"post_logout_redirect_uris": [message]})
    if (
        oauth2_settings.OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS
        and client_type != ClientType.CONFIDENTIAL
        and any(uri.lower().startswith("http:") for uri in uris)
    ):  # the end-session endpoint would refuse them (views.EndSessionView), so say so now
        message = "公开客户端的退出后跳转地址须使用 https"
        raise ValidationFailed(message, fields={"post_logout_redirect_uris": [message]})
    # The same rules as redirect URIs: a scheme the platform allows, a host, no fragment.
    validator = AllowedURIValidator(
        set(oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES),
        name="post logout redirect uri",
        allow_path=True,
        allow_query=True,
    )
    for uri in uris:
        try:
            validator(uri)
        except DjangoValidationError:
            raise ValidationFailed(
                POST_LOGOUT_URIS_INVALID, fields={"post_logout_redirect_uris": [POST_LOGOUT_URIS_INVALID]}
            ) from None


def _full_clean(application, *, exclude: list[str]) -> None:
    try:
        application.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        error = from_django_validation_error(exc)
        if "redirect_uris" in error.fields:
            error.message = REDIRECT_URIS_INVALID
            error.fields["redirect_uris"] = [error.message]
        raise error from None


@transaction.atomic
def register_client(
    *,
    actor,
    name: str,
    client_type: str,
    grant_type: str,
    redirect_uris: str | list[str] = "",
    post_logout_redirect_uris: str | list[str] = "",
    skip_authorization: bool = False,
):
    """Register a client application; answers (application, plaintext secret or "" for a public client).

    `actor` None is the operator at the command line (`smartjustice oauth register`); people need the
    oauth2_provider.add_application permission.
    """
    if actor is not None:
        require_client_permission(actor, "add")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写应用名称", fields={"name": ["请填写应用名称"]})
    if client_type not in ClientType.values:
        raise ValidationFailed("请选择客户端类型", fields={"client_type": ["请选择客户端类型"]})
    if grant_type not in GrantType.values:
        raise ValidationFailed("请选择授权方式", fields={"grant_type": ["请选择授权方式"]})
    uris = _uri_list(redirect_uris)
    logout_uris = _uri_list(post_logout_redirect_uris)
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
    _check_post_logout_uris(logout_uris, grant_type=grant_type, client_type=client_type)
    Application = get_application_model()
    secret = generate_client_secret() if client_type == ClientType.CONFIDENTIAL else ""
    application = Application(
        name=name[:255],
        user=actor if actor is not None else None,
        client_type=client_type,
        authorization_grant_type=grant_type,
        redirect_uris=" ".join(uris),
        post_logout_redirect_uris=" ".join(logout_uris),
        client_secret=secret,
        # ID tokens are RS256-signed with the platform key (published in the JWKS); machine clients get none.
        algorithm=Application.RS256_ALGORITHM
        if grant_type == GrantType.AUTHORIZATION_CODE
        else Application.NO_ALGORITHM,
        skip_authorization=skip_authorization,
    )
    _full_clean(application, exclude=["client_secret", "user"])
    application.save()  # django-oauth-toolkit hashes the secret on save
    audit.record(
        OAuthAuditEvent.CLIENT_REGISTERED,
        obj=application,
        actor=actor,
        after=_snapshot(application),
        jurisdiction_code=access.province_code(),  # platform clients belong to the province
        detail=f"登记接入应用“{application.name}”",
    )
    return application, secret


@transaction.atomic
def update_client(
    application,
    *,
    actor,
    name: str | None = None,
    redirect_uris: str | list[str] | None = None,
    post_logout_redirect_uris: str | list[str] | None = None,
    skip_authorization: bool | None = None,
):
    """Change a client's name, addresses or consent setting (None leaves a field alone).

    Client type and grant type stay as registered: changing them changes what the client must prove, so such a
    client is registered anew.
    """
    require_client_permission(actor, "change")
    before = _snapshot(application)
    if name is not None:
        name = name.strip()
        if not name:
            raise ValidationFailed("请填写应用名称", fields={"name": ["请填写应用名称"]})
        application.name = name[:255]
    grant_type = application.authorization_grant_type
    if redirect_uris is not None:
        uris = _uri_list(redirect_uris)
        if grant_type == GrantType.CLIENT_CREDENTIALS and uris:
            message = "客户端凭证方式不使用回调地址"
            raise ValidationFailed(message, fields={"redirect_uris": [message]})
        if grant_type == GrantType.AUTHORIZATION_CODE and not uris:
            message = "授权码方式须至少填写一个回调地址"
            raise ValidationFailed(message, fields={"redirect_uris": [message]})
        application.redirect_uris = " ".join(uris)
    if post_logout_redirect_uris is not None:
        logout_uris = _uri_list(post_logout_redirect_uris)
        _check_post_logout_uris(logout_uris, grant_type=grant_type, client_type=application.client_type)
        application.post_logout_redirect_uris = " ".join(logout_uris)
    if skip_authorization is not None:
        application.skip_authorization = bool(skip_authorization)
    after = _snapshot(application)
    changed = audit.changed_fields(before, after)
    if not changed:
        return application
    _full_clean(application, exclude=["client_secret", "user"])
    application.save()  # the stored hash is not hashed again (the toolkit recognises it)
    audit.record(
        OAuthAuditEvent.CLIENT_UPDATED,
        obj=application,
        actor=actor,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        changed=changed,
        jurisdiction_code=access.province_code(),  # platform clients belong to the province
        detail=f"修改接入应用“{application.name}”",
    )
    return application


@transaction.atomic
def remove_client(application, *, actor) -> None:
    """Remove a client application; its tokens and grants go with it, so its clients are signed out at once."""
    require_client_permission(actor, "delete")
    before = _snapshot(application)
    pk = application.pk
    audit.record(
        OAuthAuditEvent.CLIENT_REMOVED,
        obj=application,
        actor=actor,
        before=before,
        jurisdiction_code=access.province_code(),  # platform clients belong to the province
        detail=f"删除接入应用“{application.name}”",
        object_id=str(pk),
    )
    application.delete()


@transaction.atomic
def end_single_sign_on(user, *, application, actor) -> tuple[int, int]:
    """Revoke every OAuth token `user` holds, at every client: signing out of the single login signs out everywhere.

    Called by the end-session endpoint (OpenID Connect RP-Initiated Logout 1.0) for the user being signed out;
    answers (access tokens, refresh tokens) revoked, and records one TOKEN_REVOKED entry when there were any. Ending
    the browser session itself is Django's logout(), whose signal writes the LOGGED_OUT entry as for every sign-out.
    """
    AccessToken = get_access_token_model()
    RefreshToken = get_refresh_token_model()
    refresh_tokens = list(RefreshToken.objects.filter(user=user, revoked__isnull=True))
    access_tokens = list(AccessToken.objects.filter(user=user).select_related("id_token"))
    for token in refresh_tokens:
        token.revoke()  # marks it revoked and deletes its access token
    for token in access_tokens:
        if token.id_token is not None:
            token.id_token.revoke()  # the ID token row goes too; a later hint naming it is still recognised
        token.revoke()
    if access_tokens or refresh_tokens:
        requested_by = f"接入应用“{application.name}”" if application is not None else "统一登录退出端点"
        audit.record(
            AuditEvent.TOKEN_REVOKED,
            obj=user,
            actor=actor,
            jurisdiction_code=access.jurisdiction_code_of(user),
            detail=(
                f"{requested_by}发起退出统一登录：吊销该账号在全部接入应用的访问令牌 {len(access_tokens)} 个、"
                f"刷新令牌 {len(refresh_tokens)} 个"
            ),
        )
    return len(access_tokens), len(refresh_tokens)
