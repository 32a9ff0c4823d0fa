"""Machine clients: client-credentials tokens, scopes by grant type, revocation and introspection."""

import base64

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def basic(application, secret: str) -> dict:
    value = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {value}"}


def client_credentials_token(application, secret: str, scope: str = "hub.pull"):
    return Client().post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "scope": scope},
        headers=basic(application, secret),
    )


def introspect(token: str, application, secret: str) -> dict:
    response = Client().post("/oauth/introspect/", {"token": token}, headers=basic(application, secret))
    assert response.status_code == 200, response.content
    return response.json()


def test_client_credentials_token_for_hub_scopes(machine_client):
    application, secret = machine_client
    response = client_credentials_token(application, secret, "hub.pull hub.ingest")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert set(body["scope"].split()) == {"hub.pull", "hub.ingest"}
    assert "refresh_token" not in body and "id_token" not in body
    info = introspect(body["access_token"], application, secret)
    assert info["active"] is True and info["client_id"] == application.client_id


def test_wrong_secret_gets_no_token(machine_client):
    application, _ = machine_client
    response = client_credentials_token(application, "not-the-secret")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_machine_client_cannot_ask_for_sign_in_scopes(machine_client):
    application, secret = machine_client
    response = client_credentials_token(application, secret, "openid profile")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_sign_in_client_cannot_use_client_credentials(confidential_client):
    application, secret = confidential_client
    response = client_credentials_token(application, secret)
    assert response.status_code == 400
    assert response.json()["error"] == "unauthorized_client"


def test_only_the_secret_hash_is_stored(machine_client):
    application, secret = machine_client
    application.refresh_from_db()
    assert application.client_secret != secret
    assert application.client_secret.startswith("md5$") or "$" in application.client_secret


def test_revoked_token_is_refused(machine_client, confidential_client, officer):
    application, secret = machine_client
    token = client_credentials_token(application, secret).json()["access_token"]
    assert introspect(token, application, secret)["active"] is True

    revoked = Client().post("/oauth/revoke_token/", {"token": token}, headers=basic(application, secret))
    assert revoked.status_code == 200
    assert introspect(token, application, secret) == {"active": False}
    # A revoked token opens nothing: userinfo answers 401.
    response = Client().get("/oauth/userinfo/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_access_token_in_the_query_string_is_refused(machine_client):
    application, secret = machine_client
    token = client_credentials_token(application, secret).json()["access_token"]
    response = Client().get(f"/oauth/userinfo/?access_token={token}")
    assert response.status_code in (400, 401)
