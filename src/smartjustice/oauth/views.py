"""Client application management pages and the platform's refinements of django-oauth-toolkit's endpoints."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from jwcrypto import jws, jwt
from jwcrypto.common import JWException
from oauth2_provider.exceptions import (
    ClientIdMissmatch,
    InvalidIDTokenError,
    InvalidOIDCClientError,
    InvalidOIDCRedirectURIError,
    LogoutDenied,
)
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.models import get_access_token_model, get_application_model, get_id_token_model
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import ConnectDiscoveryInfoView, IntrospectTokenView, RPInitiatedLogoutView
from oauth2_provider.views import UserInfoView as ToolkitUserInfoView
from oauthlib.common import add_params_to_uri

from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import queries, services
from .errors import token_transport_response
from .forms import ClientEditForm, ClientForm
from .validators import token_transport_error


@staff_required
def client_list(request):
    """Registered clients and the registration form; a new client's secret is shown in this one response only."""
    queries.require_client_permission(request.user, "view")
    if request.method == "POST":
        queries.require_client_permission(request.user, "add")
    form = ClientForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = submit(
            form,
            services.register_client,
            actor=request.user,
            name=data["name"],
            client_type=data["client_type"],
            grant_type=data["grant_type"],
            redirect_uris=data["redirect_uris"],
            post_logout_redirect_uris=data["post_logout_redirect_uris"],
            skip_authorization=data["skip_authorization"],
        )
        if result is not None:
            created, secret = result
            form = ClientForm()
    search = request.GET.get("q", "").strip()
    response = render(
        request,
        "oauth/clients.html",
        {
            "form": form,
            "page": page_of(queries.list_clients(request.user, search=search), request),
            "search": search,
            "created": created,
            "secret": secret,
            "issuer": request.build_absolute_uri("/oauth"),
            "may_add": queries.may_manage_clients(request.user, "add"),
            "may_change": queries.may_manage_clients(request.user, "change"),
            "may_delete": queries.may_manage_clients(request.user, "delete"),
        },
    )
    response["Cache-Control"] = "no-store"  # the secret must not linger in a cache
    return response


@staff_required
def client_edit(request, pk: int):
    """Change a client's name, callback and post-logout addresses, or consent setting."""
    application = queries.get_client_for(request.user, pk, action="change")
    form = ClientEditForm.for_application(application, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        updated = submit(form, services.update_client, application, actor=request.user, **data)
        if updated is not None:
            messages.success(request, f"已保存接入应用“{updated.name}”。")
            return redirect("oauth:clients")
    return render(request, "oauth/client_edit.html", {"application": application, "form": form})


@staff_required
def client_remove(request, pk: int):
    """GET asks for confirmation (when the page's modal is unavailable); POST removes."""
    application = queries.get_client_for(request.user, pk, action="delete")
    if request.method == "POST":
        services.remove_client(application, actor=request.user)
        messages.success(request, f"已删除接入应用“{application.name}”，其访问令牌同时失效。")
        return redirect("oauth:clients")
    return render(request, "oauth/client_remove.html", {"application": application})


class DiscoveryView(ConnectDiscoveryInfoView):
    """The toolkit's OpenID Provider metadata plus the revocation and introspection endpoints (RFC 8414 names).

    Lists only what the platform does: ID tokens are RS256 (every client is registered RS256, services.py; the
    toolkit would add HS256 whenever an RSA key is set), and clients authenticate with a secret in the Basic header
    or the form body, or as public clients with none (PKCE required).
    """

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["id_token_signing_alg_values_supported"] = [get_application_model().RS256_ALGORITHM]
        data["token_endpoint_auth_methods_supported"] = ["client_secret_basic", "client_secret_post", "none"]
        data["revocation_endpoint"] = self._get_endpoint_url(request, "revoke-token", required=True)
        data["introspection_endpoint"] = self._get_endpoint_url(request, "introspect", required=True)
        data["ui_locales_supported"] = ["zh-CN"]
        enriched = JsonResponse(data)
        enriched["Access-Control-Allow-Origin"] = "*"
        return enriched


@method_decorator(csrf_exempt, name="dispatch")
class UserInfoView(ToolkitUserInfoView):
    """OIDC Core §5.3 userinfo; the access token only in the Authorization header or a form POST body (RFC 6750 §2).

    Overriding ``dispatch`` drops the toolkit's ``csrf_exempt`` marking, which it sets on its own ``dispatch``: it is
    set again here, or the form POST that §5.3.1 requires (and the 400 answer to a query token recommends) would meet
    the CSRF check, which a bearer request without cookies can never pass.
    """

    def dispatch(self, request, *args, **kwargs):
        reason = token_transport_error(request)
        if reason is not None:
            return token_transport_response(reason)
        return super().dispatch(request, *args, **kwargs)


class IntrospectView(IntrospectTokenView):
    """RFC 7662 introspection that also reports a disabled account's access tokens inactive.

    The token to inspect comes in a POST form (§2.1); the toolkit's GET with `?token=` would put it in the logs.
    """

    def get(self, request, *args, **kwargs):
        if "token" in request.GET:
            return token_transport_response("introspection_query")
        return super().get(request, *args, **kwargs)

    @staticmethod
    def get_token_response(token_value=None):
        if token_value is not None:
            checksum = hashlib.sha256(token_value.encode("utf-8")).hexdigest()
            token = get_access_token_model().objects.filter(token_checksum=checksum).select_related("user")
            token = token.first()
            if token is not None and token.user is not None and not token.user.is_active:
                return JsonResponse({"active": False})
        return IntrospectTokenView.get_token_response(token_value)


# Chinese explanations of the toolkit's logout errors, by exception class (they share the code invalid_request).
LOGOUT_ERRORS = {
    InvalidIDTokenError: "应用提供的登录凭据（id_token_hint）无效、不是本平台签发的或已被篡改。",
    ClientIdMissmatch: "登录凭据与发起退出的应用不一致。",
    InvalidOIDCClientError: "发起退出的应用未在本平台登记，或未说明是哪个应用。",
    InvalidOIDCRedirectURIError: "退出后要跳转的地址未在本平台为该应用登记，为安全起见不予跳转。",
}


class EndSessionView(RPInitiatedLogoutView):
    """OpenID Connect RP-Initiated Logout 1.0: a client signs the user out of the platform's single login.

    The toolkit's view with the platform's rules: with a valid `id_token_hint` naming the signed-in user (or with
    nobody signed in) the user is signed out at once, otherwise the Chinese confirmation page asks first;
    `post_logout_redirect_uri` is followed only when registered for that client; every OAuth token of the user
    is revoked (services.end_single_sign_on) and the session ends through Django's logout(), which writes the
    LOGGED_OUT audit entry as every sign-out does. Malformed hints and unknown clients are answered with the
    error page (400), never a 500.
    """

    template_name = "oauth2_provider/logout_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        self.hint_application = None
        return super().dispatch(request, *args, **kwargs)

    def validate_logout_request_user(self, id_token_hint, client_id):
        """The hint's IDToken row, or None when the hint is valid but its sign-in has already been ended.

        The hint must carry the platform's signature for the client named in `aud`, this issuer, and a `sub`
        matching the stored token; expired hints are accepted (OIDC_RP_INITIATED_LOGOUT_ACCEPT_EXPIRED_TOKENS),
        as the client usually signs out long after the ID token's hour. A hint whose tokens an earlier logout
        revoked still names its client, so a second client signing out afterwards reaches its registered address.
        """
        if not id_token_hint:
            return None
        claims, application = self._verified_hint(id_token_hint)
        if claims is None:
            raise InvalidIDTokenError()
        if client_id and application.client_id != client_id:
            raise ClientIdMissmatch()
        self.hint_application = application
        id_token = (
            get_id_token_model()
            .objects.filter(jti=str(claims.get("jti", "")), application=application)
            .select_related("user", "application")
            .first()
        )
        if id_token is not None and str(id_token.user_id) != str(claims.get("sub")):
            raise InvalidIDTokenError()
        return id_token

    def _verified_hint(self, token: str):
        """(claims, application) of an ID token this platform signed, or (None, None)."""
        Application = get_application_model()
        try:
            unverified = jws.JWS()
            unverified.deserialize(token)
            payload = json.loads(unverified.objects["payload"].decode("utf-8"))
            audience = payload.get("aud")
            audiences = [audience] if isinstance(audience, str) else list(audience or [])
            application = Application.objects.filter(client_id__in=[str(a) for a in audiences]).first()
            if application is None or application.algorithm != Application.RS256_ALGORITHM:  # RS256 only
                return None, None
            check_claims = {} if oauth2_settings.OIDC_RP_INITIATED_LOGOUT_ACCEPT_EXPIRED_TOKENS else None
            verified = jwt.JWT(
                key=application.jwk_key, jwt=token, check_claims=check_claims, algs=[application.algorithm]
            )
            claims = json.loads(verified.claims)
        except (JWException, ValueError, TypeError, KeyError, AttributeError, ImproperlyConfigured):
            return None, None
        issuer = oauth2_settings.OAUTH2_VALIDATOR_CLASS().get_oidc_issuer_endpoint(self.request)
        if not isinstance(claims, dict) or claims.get("iss") != issuer:
            return None, None
        return claims, application

    def get_request_application(self, id_token, client_id):
        if client_id:
            application = get_application_model().objects.filter(client_id=client_id).first()
            if application is None:
                raise InvalidOIDCClientError()
            return application
        if id_token is not None:
            return id_token.application
        return self.hint_application

    def do_logout(self, application=None, post_logout_redirect_uri=None, state=None, token_user=None):
        request = self.request
        user = token_user or (request.user if request.user.is_authenticated else None)
        if user is not None and oauth2_settings.OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS:
            actor = request.user if request.user.is_authenticated else user
            services.end_single_sign_on(user, application=application, actor=actor)
        logout(request)  # user_logged_out → core.authevents writes LOGGED_OUT, as for every sign-out
        if post_logout_redirect_uri:
            if state:
                post_logout_redirect_uri = add_params_to_uri(post_logout_redirect_uri, [("state", state)])
            return OAuth2ResponseRedirect(post_logout_redirect_uri, application.get_allowed_schemes())
        return redirect(resolve_url(settings.LOGOUT_REDIRECT_URL))

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Cache-Control"] = "no-store"  # the confirmation form carries the ID token
        return response

    def error_response(self, error):
        if isinstance(error, LogoutDenied):  # the user chose to stay signed in: not an error for them
            return self.render_to_response({"cancelled": True})
        message = next((text for kind, text in LOGOUT_ERRORS.items() if isinstance(error, kind)), "")
        return self.render_to_response({"error": error, "message": message}, status=error.status_code)
