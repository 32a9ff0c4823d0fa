"""OAuth2 client-credentials authentication for machine clients of the API (hub consumers and sources).

`ClientCredentialsAuth(scopes)` is a django-ninja auth class: it validates the `Authorization: Bearer …` access
token with django-oauth-toolkit (expiry, revocation, the required scopes) and answers the hub consumer registered
for the token's OAuth2 application, also available as `request.consumer`. Tokens come from the token endpoint with
`grant_type=client_credentials`.
"""

from __future__ import annotations

from ninja.security import HttpBearer

from smartjustice.core import context
from smartjustice.core.errors import PermissionDenied

HUB_SCOPES = {
    "hub.pull": "从共享协同平台拉取已订阅的数据",
    "hub.ingest": "向共享协同平台批量报送数据",
}


class ClientCredentialsAuth(HttpBearer):
    """`Authorization: Bearer <OAuth2 access token>` carrying every scope in `scopes`."""

    openapi_description = "OAuth2 客户端凭证：以 client_id/client_secret 向令牌端点申请访问令牌（grant_type=client_credentials）"

    def __init__(self, *scopes: str):
        super().__init__()
        self.scopes = list(scopes)

    def authenticate(self, request, token: str):
        from oauth2_provider.oauth2_backends import get_oauthlib_core

        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
        if not valid:
            return None  # missing, unknown, expired or revoked: 401
        if not oauth_request.access_token.allow_scopes(self.scopes):
            # A live token without the scope: say so instead of “not signed in”.
            raise PermissionDenied(f"访问令牌缺少所需权限范围：{'、'.join(self.scopes)}")
        application = oauth_request.access_token.application
        consumer = getattr(application, "hub_consumer", None) if application is not None else None
        if consumer is None or not consumer.is_active:
            raise PermissionDenied("该客户端未登记为共享平台数据使用方或已停用")
        request.consumer = consumer
        request.oauth_token = oauth_request.access_token
        context.bind_actor(None)
        return consumer
