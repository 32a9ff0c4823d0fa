"""Chinese `error_description` for the OAuth2/OIDC endpoints, keeping the RFC 6749 / 6750 / 7009 `error` codes.

oauthlib and django-oauth-toolkit describe errors in English ("Invalid credentials given."); clients show the
description to people, so the platform's backend (OAuthLibCore subclass, settings OAUTH2_BACKEND_CLASS) replaces it
with Chinese: a known description by its text, else the code's general meaning. The `error` code itself never
changes, since clients branch on it.
"""

from __future__ import annotations

import json

from django.http import JsonResponse
from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.oauth2_backends import OAuthLibCore

# The meaning of each standard error code (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1; RFC 7009 §2.2.1; OIDC Core §3.1.2.6).
BY_CODE = {
    "invalid_request": "请求无效：缺少必需的参数、参数取值无效或重复",
    "invalid_client": "应用认证失败：应用标识或密钥错误，或该应用未在本平台登记",
    "invalid_grant": "授权无效：授权码、刷新令牌或凭据错误、已过期、已使用，或与回调地址、应用不符",
    "unauthorized_client": "该应用无权使用此授权方式",
    "unsupported_grant_type": "不支持该授权方式",
    "invalid_scope": "申请的权限范围无效或超出该应用获准的范围",
    "access_denied": "用户或平台拒绝了此次授权",
    "unsupported_response_type": "不支持该响应类型",
    "server_error": "认证服务内部错误，请稍后再试",
    "temporarily_unavailable": "认证服务暂时不可用，请稍后再试",
    "invalid_token": "访问令牌无效、已过期或已被吊销",
    "insufficient_scope": "访问令牌的权限范围不足",
    "unsupported_token_type": "不支持该类型的令牌",
    "login_required": "需要先登录",
    "consent_required": "需要用户同意授权",
    "interaction_required": "需要用户在页面上操作",
    "account_selection_required": "需要用户选择账号",
    "invalid_request_uri": "request_uri 参数无效",
    "invalid_request_object": "请求对象无效",
    "request_not_supported": "不支持 request 参数",
    "request_uri_not_supported": "不支持 request_uri 参数",
    "registration_not_supported": "不支持 registration 参数",
}
# Descriptions oauthlib gives for common mistakes, more precise than the code's general meaning.
BY_DESCRIPTION = {
    "Code challenge required.": "公共客户端必须使用 PKCE：缺少 code_challenge 参数",
    "Transform algorithm not supported.": "只支持 S256 方式的 PKCE（code_challenge_method=S256）",
    "Code verifier required.": "缺少 code_verifier 参数（PKCE）",
    "Mismatching redirect URI.": "回调地址与授权请求中的不一致",
    "Invalid redirect URI.": "回调地址无效",
    "Missing redirect URI.": "缺少回调地址（redirect_uri）",
    "Missing client_id parameter.": "缺少应用标识（client_id）",
    "Invalid client_id parameter value.": "应用标识（client_id）无效或该应用未登记",
    "Missing response_type parameter.": "缺少 response_type 参数",
    "Missing code parameter.": "缺少授权码（code）",
    "Missing token parameter.": "缺少令牌（token）参数",
    "Invalid credentials given.": "提供的凭据无效（授权码、刷新令牌或用户名密码错误或已过期）",
    "Invalid scope": "申请的权限范围无效",
    "Duplicate client_id parameter.": "client_id 参数重复",
}


# Where a bearer token may travel (RFC 6750 §2.1 header, §2.2 form body; never the query, RFC 9700 §4.3.2):
# reason → (Chinese error_description for the JSON body, ASCII text for the WWW-Authenticate header, RFC 6750 §3).
TOKEN_TRANSPORT = {
    "query": (
        "访问令牌不能放在网址的查询参数中（网址会被记入服务器和代理的日志）："
        "请放在 Authorization 请求头中（Bearer），或以表单方式 POST 提交",
        "Access tokens are not accepted in the URI query; use the Authorization header.",
    ),
    "body_type": (
        "请求体中的访问令牌只接受 application/x-www-form-urlencoded 表单格式",
        "A token in the body needs an application/x-www-form-urlencoded body.",
    ),
    "twice": (
        "访问令牌只能用一种方式提交：请求头和请求体不能同时携带",
        "Send the access token in one place only.",
    ),
    "introspection_query": (
        "待查询的令牌不能放在网址的查询参数中：请以 POST 表单提交 token 参数",
        "Send the token in a POST form body.",
    ),
}


def token_transport_response(reason: str) -> JsonResponse:
    """400 invalid_request for a token sent where it may not travel (RFC 6750 §3.1), Chinese in the body."""
    chinese, ascii_text = TOKEN_TRANSPORT[reason]
    body = {"error": "invalid_request", "error_description": chinese}
    response = JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    response["WWW-Authenticate"] = f'Bearer error="invalid_request", error_description="{ascii_text}"'
    response["Cache-Control"] = "no-store"
    return response


def chinese_description(error: str, description: str | None = "") -> str:
    """The Chinese explanation of one OAuth error (its English `description` when known, else its code)."""
    return BY_DESCRIPTION.get((description or "").strip()) or BY_CODE.get(error, "请求未能完成")


def localize_body(body):
    """A JSON error body with a Chinese `error_description`; anything else unchanged."""
    try:
        data = json.loads(body) if isinstance(body, (str, bytes)) and body else None
    except ValueError:
        return body
    if not isinstance(data, dict) or "error" not in data:
        return body
    data["error_description"] = chinese_description(data["error"], data.get("error_description"))
    return json.dumps(data, ensure_ascii=False)


def localize_exception(exc: OAuthToolkitError) -> None:
    """Translate the oauthlib error inside a toolkit exception (redirects and the error page read it)."""
    error = getattr(exc, "oauthlib_error", None)
    if error is not None:
        error.description = chinese_description(error.error, error.description)


class PlatformOAuthLibCore(OAuthLibCore):
    """The toolkit's backend with Chinese error descriptions on the token, revocation, userinfo and authorize paths."""

    def validate_authorization_request(self, request):
        try:
            return super().validate_authorization_request(request)
        except (FatalClientError, OAuthToolkitError) as exc:
            localize_exception(exc)
            raise

    def create_authorization_response(self, request, scopes, credentials, allow):
        try:
            return super().create_authorization_response(request, scopes, credentials, allow)
        except (FatalClientError, OAuthToolkitError) as exc:
            localize_exception(exc)
            raise

    def create_token_response(self, request):
        uri, headers, body, status = super().create_token_response(request)
        return uri, headers, localize_body(body) if status >= 400 else body, status

    def create_revocation_response(self, request):
        uri, headers, body, status = super().create_revocation_response(request)
        return uri, headers, localize_body(body) if status >= 400 else body, status

    def create_userinfo_response(self, request):
        uri, headers, body, status = super().create_userinfo_response(request)
        return uri, headers, localize_body(body) if status >= 400 else body, status
