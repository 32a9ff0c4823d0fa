"""The OpenID Connect provider end to end, through the Django test client: discovery, sign-in, tokens."""

import base64
import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from jwcrypto import jwk, jwt

from smartjustice.core.testing import PASSWORD

from .conftest import (
    ISSUER,
    REDIRECT_URI,
    authorize_query,
    pkce_pair,
    refresh,
    sign_in_and_consent,
    sign_in_tokens,
    userinfo,
)

pytestmark = pytest.mark.django_db


def jwks_keyset(client: Client) -> jwk.JWKSet:
    response = client.get("/oauth/.well-known/jwks.json")
    assert response.status_code == 200
    return jwk.JWKSet.from_json(response.content)


def test_discovery_document_names_every_endpoint():
    response = Client().get("/oauth/.well-known/openid-configuration")
    assert response.status_code == 200
    doc = response.json()
    assert doc["issuer"] == ISSUER
    assert doc["authorization_endpoint"] == f"{ISSUER}/authorize/"
    assert doc["token_endpoint"] == f"{ISSUER}/token/"
    assert doc["userinfo_endpoint"] == f"{ISSUER}/userinfo/"
    assert doc["jwks_uri"] == f"{ISSUER}/.well-known/jwks.json"
    assert doc["revocation_endpoint"] == f"{ISSUER}/revoke_token/"
    assert doc["introspection_endpoint"] == f"{ISSUER}/introspect/"
    assert doc["end_session_endpoint"] == f"{ISSUER}/logout/"  # OIDC RP-Initiated Logout 1.0 §2.1
    # Only what the platform does: every client is registered RS256 (the toolkit would also list HS256).
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
        "none",
    }
    assert doc["response_types_supported"] == ["code"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert {"openid", "profile", "email", "hub.pull", "hub.ingest"} <= set(doc["scopes_supported"])
    assert {"sub", "name", "organisation", "jurisdiction_code", "roles"} <= set(doc["claims_supported"])


def test_jwks_publishes_the_rsa_public_key_only():
    keys = json.loads(Client().get("/oauth/.well-known/jwks.json").content)["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig" and key["kid"]
    assert "d" not in key and "p" not in key, "the private part must never be published"


def test_anonymous_sign_in_goes_through_the_platform_login_page(public_client):
    _, challenge = pkce_pair()
    response = Client().get(authorize_query(public_client, challenge))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert "oauth/authorize" in response["Location"]


def test_authorization_code_with_pkce_yields_a_verifiable_id_token_and_userinfo(public_client, officer):
    client = Client()
    login = client.post("/login/", {"username": officer.username, "password": PASSWORD})
    assert login.status_code == 302
    verifier, challenge = pkce_pair()

    consent = client.get(authorize_query(public_client, challenge))
    assert consent.status_code == 200
    text = consent.content.decode()
    assert "授权“移动执法终端”使用您的平台账号" in text
    assert "使用平台统一账号登录" in text and "读取姓名、所属单位、所属区划和角色" in text

    answer = sign_in_and_consent(client, public_client, challenge)
    assert answer["state"] == "xyz-state"
    assert answer["iss"] == ISSUER  # RFC 9207, against mix-up attacks
    token = Client().post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": REDIRECT_URI,
            "client_id": public_client.client_id,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.content
    body = token.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert set(body["scope"].split()) == {"openid", "profile", "email"}

    verified = jwt.JWT(jwt=body["id_token"], key=jwks_keyset(Client()), algs=["RS256"])
    claims = json.loads(verified.claims)
    assert claims["iss"] == ISSUER
    assert claims["aud"] == public_client.client_id
    assert claims["sub"] == str(officer.pk)
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["name"] == "张执法"
    assert claims["organisation"] == officer.organisation.name
    assert claims["jurisdiction_code"] == "440106000000"
    assert claims["roles"] == ["enforcement_officer", "legal_reviewer"]
    assert claims["email"] == "zhang@example.gov.cn"
    assert claims["preferred_username"] == officer.username
    assert claims["organisation_id"] == officer.organisation_id
    assert claims["account_kind"] == "staff"
    assert claims["exp"] - claims["iat"] == 3600

    userinfo = Client().get("/oauth/userinfo/", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert userinfo.status_code == 200
    info = userinfo.json()
    assert info["sub"] == str(officer.pk)
    assert info["organisation"] == officer.organisation.name
    assert info["roles"] == ["enforcement_officer", "legal_reviewer"]

    # The code is single-use.
    again = Client().post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": REDIRECT_URI,
            "client_id": public_client.client_id,
            "code_verifier": verifier,
        },
    )
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_a_tampered_id_token_fails_verification(public_client, officer):
    client = Client()
    client.force_login(officer)
    verifier, challenge = pkce_pair()
    answer = sign_in_and_consent(client, public_client, challenge)
    body = (
        Client()
        .post(
            "/oauth/token/",
            {
                "grant_type": "authorization_code",
                "code": answer["code"],
                "redirect_uri": REDIRECT_URI,
                "client_id": public_client.client_id,
                "code_verifier": verifier,
            },
        )
        .json()
    )
    header, payload, signature = body["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["system_admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(Exception):  # noqa: B017 - jwcrypto raises its own InvalidJWSSignature
        jwt.JWT(jwt=f"{header}.{forged}.{signature}", key=jwks_keyset(Client()), algs=["RS256"])


def test_public_client_without_pkce_is_refused(public_client, officer):
    client = Client()
    client.force_login(officer)
    response = client.get(authorize_query(public_client, None))
    # The client is known and its redirect URI registered, so the error goes back to it (RFC 6749 §4.1.2.1).
    assert response.status_code == 302
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["error"] == ["invalid_request"]
    assert "code" not in query


def test_plain_pkce_method_is_refused(public_client, officer):
    """RFC 9700 §2.1.1: only S256; a "plain" challenge (the verifier itself) gets no code."""
    client = Client()
    client.force_login(officer)
    verifier, _ = pkce_pair()
    url = authorize_query(public_client, None, code_challenge=verifier, code_challenge_method="plain")
    page = client.get(url)
    form = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    response = client.post(url, {**form, "allow": "授权"})
    assert response.status_code == 302
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["error"] == ["invalid_request"]
    assert "code" not in query


def test_wrong_pkce_verifier_is_refused(public_client, officer):
    client = Client()
    client.force_login(officer)
    _, challenge = pkce_pair()
    answer = sign_in_and_consent(client, public_client, challenge)
    other_verifier, _ = pkce_pair()
    token = Client().post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": REDIRECT_URI,
            "client_id": public_client.client_id,
            "code_verifier": other_verifier,
        },
    )
    assert token.status_code == 400 and token.json()["error"] == "invalid_grant"


def test_confidential_client_signs_in_with_its_secret(confidential_client, officer):
    application, secret = confidential_client
    client = Client()
    client.force_login(officer)
    answer = sign_in_and_consent(client, application, None)  # PKCE optional for a confidential client
    basic = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    token = Client().post(
        "/oauth/token/",
        {"grant_type": "authorization_code", "code": answer["code"], "redirect_uri": REDIRECT_URI},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert token.status_code == 200, token.content
    assert "id_token" in token.json()


def test_unregistered_redirect_uri_is_not_followed(public_client, officer):
    client = Client()
    client.force_login(officer)
    _, challenge = pkce_pair()
    url = authorize_query(public_client, challenge).replace("app.example.gov.cn", "evil.example.com")
    response = client.get(url)
    assert response.status_code == 400  # shown on our page, never redirected to the unknown address
    assert "授权请求无效" in response.content.decode()


def test_id_token_without_the_profile_scope_carries_no_profile_claims(public_client, officer):
    client = Client()
    client.force_login(officer)
    verifier, challenge = pkce_pair()
    answer = sign_in_and_consent(client, public_client, challenge, scope="openid")
    body = (
        Client()
        .post(
            "/oauth/token/",
            {
                "grant_type": "authorization_code",
                "code": answer["code"],
                "redirect_uri": REDIRECT_URI,
                "client_id": public_client.client_id,
                "code_verifier": verifier,
            },
        )
        .json()
    )
    claims = json.loads(jwt.JWT(jwt=body["id_token"], key=jwks_keyset(Client()), algs=["RS256"]).claims)
    assert claims["sub"] == str(officer.pk)
    assert not {"name", "organisation", "jurisdiction_code", "roles", "email"} & set(claims)


def test_refresh_token_rotates_and_the_old_one_is_spent(public_client, officer):
    client = Client()
    client.force_login(officer)
    first = sign_in_tokens(client, public_client)
    renewed = refresh(public_client, first["refresh_token"])
    assert renewed.status_code == 200, renewed.content
    second = renewed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert userinfo(second["access_token"]).status_code == 200
    assert userinfo(first["access_token"]).status_code == 401  # rotated away


def test_a_disabled_account_can_no_longer_refresh_or_use_its_tokens(
    public_client, machine_client, officer, admin
):
    from smartjustice.core import services as core_services

    client = Client()
    client.force_login(officer)
    tokens = sign_in_tokens(client, public_client)
    assert userinfo(tokens["access_token"]).status_code == 200
    application, secret = machine_client
    basic = {
        "Authorization": "Basic " + base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    }

    def introspect() -> dict:
        return Client().post("/oauth/introspect/", {"token": tokens["access_token"]}, headers=basic).json()

    assert introspect()["active"] is True

    core_services.update_account(officer, actor=admin, is_active=False)

    response = refresh(public_client, tokens["refresh_token"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "access_token" not in response.json()
    assert userinfo(tokens["access_token"]).status_code == 401
    assert introspect() == {"active": False}  # resource servers asking about the token hear the same


def test_a_code_issued_before_the_account_was_disabled_is_refused(public_client, officer, admin):
    from smartjustice.core import services as core_services

    client = Client()
    client.force_login(officer)
    verifier, challenge = pkce_pair()
    answer = sign_in_and_consent(client, public_client, challenge)
    core_services.update_account(officer, actor=admin, is_active=False)
    token = Client().post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": REDIRECT_URI,
            "client_id": public_client.client_id,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 400 and token.json()["error"] == "invalid_grant"
