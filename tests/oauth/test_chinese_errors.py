"""OAuth errors keep their RFC `error` code and carry a Chinese `error_description` for the person using the app."""

import base64
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from smartjustice.core.testing import has_chinese

from .conftest import authorize_query

pytestmark = pytest.mark.django_db


def test_wrong_client_credentials_at_the_token_endpoint(machine_client):
    application, _ = machine_client
    basic = base64.b64encode(f"{application.client_id}:wrong-secret".encode()).decode()
    response = Client().post(
        "/oauth/token/", {"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "invalid_client"
    assert has_chinese(body["error_description"]), body


def test_a_refused_scope_is_explained_in_chinese(machine_client):
    application, secret = machine_client
    basic = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
    response = Client().post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "scope": "openid profile"},
        headers={"Authorization": f"Basic {basic}"},
    )
    body = response.json()
    assert body["error"] == "invalid_scope" and has_chinese(body["error_description"]), body


def test_the_authorization_error_sent_back_to_the_app_is_chinese(public_client, officer):
    client = Client()
    client.force_login(officer)
    response = client.get(authorize_query(public_client, None))  # a public client without PKCE
    assert response.status_code == 302
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["error"] == ["invalid_request"]
    assert has_chinese(query["error_description"][0]) and "PKCE" in query["error_description"][0]
