"""Fixtures for the OAuth2/OIDC provider (a staff member, registered clients) and the sign-in steps tests share."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.test import Client

from smartjustice.core.testing import COUNTY_A, PROVINCE, make_staff
from smartjustice.oauth import services

REDIRECT_URI = "https://app.example.gov.cn/callback"
POST_LOGOUT_URI = "https://app.example.gov.cn/signed-out"
ISSUER = "http://testserver/oauth"


def pkce_pair() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge (RFC 7636 §4.1–4.2)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_query(application, challenge: str | None, **extra) -> str:
    params = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile email",
        "state": "xyz-state",
        "nonce": "n-0S6_WzA2Mj",
        **extra,
    }
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    return "/oauth/authorize/?" + urlencode(params)


def sign_in_and_consent(client: Client, application, challenge: str | None = None, **extra) -> dict:
    """Open the consent page, agree, and answer the query of the redirect back to the client."""
    url = authorize_query(application, challenge, **extra)
    page = client.get(url)
    assert page.status_code == 200, page.content[:500]
    form = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    form["allow"] = "授权"
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:500]
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def sign_in_tokens(client: Client, application) -> dict:
    """The token response for a public client after `client`'s signed-in user consents (code + PKCE)."""
    verifier, challenge = pkce_pair()
    answer = sign_in_and_consent(client, application, challenge)
    response = Client().post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": REDIRECT_URI,
            "client_id": application.client_id,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()


def refresh(application, refresh_token: str):
    return Client().post(
        "/oauth/token/",
        {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": application.client_id},
    )


def userinfo(access_token: str):
    return Client().get("/oauth/userinfo/", headers={"Authorization": f"Bearer {access_token}"})


@pytest.fixture
def admin(db):
    return make_staff(PROVINCE, "system_admin", real_name="系统管理员")


@pytest.fixture
def officer(db):
    return make_staff(
        COUNTY_A, "enforcement_officer", "legal_reviewer", real_name="张执法", email="zhang@example.gov.cn"
    )


@pytest.fixture
def public_client(admin):
    application, secret = services.register_client(
        actor=admin,
        name="移动执法终端",
        client_type="public",
        grant_type="authorization-code",
        redirect_uris=[REDIRECT_URI],
        post_logout_redirect_uris=[POST_LOGOUT_URI],
    )
    assert secret == ""
    return application


@pytest.fixture
def confidential_client(admin):
    return services.register_client(
        actor=admin,
        name="省政务服务网",
        client_type="confidential",
        grant_type="authorization-code",
        redirect_uris=[REDIRECT_URI],
    )


@pytest.fixture
def machine_client(admin):
    return services.register_client(
        actor=admin, name="省大数据中心", client_type="confidential", grant_type="client-credentials"
    )


@pytest.fixture
def second_public_client(admin):
    application, _ = services.register_client(
        actor=admin,
        name="公共法律服务小程序",
        client_type="public",
        grant_type="authorization-code",
        redirect_uris=[REDIRECT_URI],
        post_logout_redirect_uris=["https://miniapp.example.gov.cn/bye"],
    )
    return application
