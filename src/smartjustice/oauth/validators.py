"""How the platform answers OAuth2/OIDC questions django-oauth-toolkit leaves open: claims, scopes, PKCE.

* Claims: `sub` (the account's stable id), `name`, `preferred_username`, `organisation`, `jurisdiction_code` and
  `roles` under the `profile` scope, `email` under `email`; the same claims go into the ID token and userinfo.
* Scopes depend on the client's grant type: sign-in clients (authorization code) may ask for openid/profile/email,
  machine clients (client credentials) only for the data-sharing hub's scopes.
* PKCE (RFC 7636, S256 only) is required of every public client, which has no secret to prove who it is.
* A disabled account (is_active False) gets nothing more: its authorization codes and refresh tokens are refused
  at the token endpoint and its access tokens at userinfo and every bearer-protected endpoint, from the moment it
  is disabled (the toolkit itself never looks at is_active).
"""

from __future__ import annotations

from collections import OrderedDict

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings

SIGN_IN_SCOPES = ("openid", "profile", "email")
MACHINE_SCOPES = ("hub.pull", "hub.ingest")


class PlatformOAuth2Validator(OAuth2Validator):
    """django-oauth-toolkit's validator with the platform's claims and per-client PKCE."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "organisation": "profile",
        "organisation_id": "profile",
        "jurisdiction_code": "profile",
        "roles": "profile",
        "account_kind": "profile",
    }

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        return valid and _active(request.user)

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        return valid and _active(request.user)

    def validate_bearer_token(self, token, scopes, request):
        if not super().validate_bearer_token(token, scopes, request):
            return False
        if _active(request.user):
            return True
        # RFC 6750 §3: error_description is ASCII (it travels in the WWW-Authenticate header).
        request.oauth2_error = OrderedDict(
            [("error", "invalid_token"), ("error_description", "The account is disabled.")]
        )
        return False

    def get_additional_claims(self, request):
        user = request.user
        organisation = user.organisation if user.organisation_id else None
        return {
            "name": user.display_name,
            "preferred_username": user.get_username(),
            "account_kind": user.kind,
            "organisation": organisation.name if organisation else "",
            "organisation_id": organisation.pk if organisation else None,
            "jurisdiction_code": user.jurisdiction_id or "",
            "roles": sorted(user.role_codes()) if user.is_staff_member else [],
            "email": user.email,
            "email_verified": False,  # the platform does not confirm addresses
        }

    def get_discovery_claims(self, request):
        return ["sub", *self.oidc_claim_scope_names()]

    @classmethod
    def oidc_claim_scope_names(cls) -> list[str]:
        return [
            "name", "preferred_username", "account_kind", "organisation", "organisation_id",
            "jurisdiction_code", "roles", "email", "email_verified",
        ]  # fmt: skip

    def is_pkce_required(self, client_id, request):
        """Public clients must use PKCE; confidential clients may (their secret already proves who they are)."""
        from oauth2_provider.models import get_application_model

        if oauth2_settings.PKCE_REQUIRED is True:
            return True
        client = getattr(request, "client", None)
        if client is None or getattr(client, "client_id", None) != client_id:
            client = get_application_model().objects.filter(client_id=client_id).first()
        return client is None or client.client_type == client.CLIENT_PUBLIC


def token_transport_error(request) -> str | None:
    """Why the access token is refused for where it travels (a key of errors.TOKEN_TRANSPORT), or None.

    RFC 6750 §2: the Authorization header (§2.1), or a single-part form-encoded POST body (§2.2) for clients that
    cannot set headers; never the query (§2.3 is what RFC 9700 §4.3.2 forbids: URLs land in logs and Referer
    headers), and never two ways at once (§2: "MUST NOT use more than one method").
    """
    if "access_token" in request.GET:
        return "query"
    if (
        request.method == "POST"
        and request.content_type == "multipart/form-data"
        and "access_token" in request.POST
    ):
        return "body_type"
    if "Authorization" in request.headers and request.method == "POST" and "access_token" in request.POST:
        return "twice"
    return None


def _active(user) -> bool:
    """A token for a person holds only while the account is enabled; machine tokens (no user) are unaffected."""
    return user is None or getattr(user, "is_active", False)


class GrantTypeScopes(BaseScopes):
    """The scopes a client may ask for follow from its grant type (least privilege)."""

    def get_all_scopes(self):
        return oauth2_settings.SCOPES

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        known = set(oauth2_settings.SCOPES)
        if application is None:  # the discovery document: everything the server knows
            return [
                *(s for s in SIGN_IN_SCOPES if s in known),
                *(s for s in known if s not in SIGN_IN_SCOPES),
            ]
        if application is not None and application.authorization_grant_type == "client-credentials":
            return [s for s in MACHINE_SCOPES if s in known]
        return [s for s in SIGN_IN_SCOPES if s in known]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        if application is not None and application.authorization_grant_type == "client-credentials":
            return ["hub.pull"]
        return ["openid"]
