"""Authentication for the API: personal tokens (Bearer) for clients, the web session (with CSRF) for pages."""

from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from . import context, tokens


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sj_<id>_<secret>`."""

    openapi_description = "个人访问令牌：在“个人设置 → 访问令牌”中创建，仅在创建时显示一次"

    def authenticate(self, request, token: str):
        user = tokens.user_for_token(token)
        if user is None:
            return None
        request.user = user
        context.bind_actor(user)
        return user


class TokenHeaderAuth(APIKeyHeader):
    """`X-API-Token: sj_…` for clients that cannot set Authorization."""

    param_name = "X-API-Token"

    def authenticate(self, request, key):
        return TokenAuth().authenticate(request, key)


class StaffOrPortalSession(SessionAuth):
    """The logged-in browser session; CSRF is enforced for writes."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            context.bind_actor(user)
        return user


API_AUTH = [TokenAuth(), TokenHeaderAuth(), StaffOrPortalSession()]
