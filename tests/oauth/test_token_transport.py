"""Access tokens travel only in the Authorization header or a form POST body, and never reach a log (ADR 0011)."""

import logging

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client

from smartjustice.core.testing import has_chinese
from smartjustice.oauth import redaction

from .conftest import sign_in_tokens, userinfo
from .test_client_credentials import basic, client_credentials_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def access_token(public_client, officer):
    client = Client()
    client.force_login(officer)
    return sign_in_tokens(client, public_client)["access_token"]


def assert_invalid_request(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == "invalid_request" and has_chinese(body["error_description"]), body
    assert response["WWW-Authenticate"].startswith('Bearer error="invalid_request"')
    assert response["WWW-Authenticate"].isascii()  # RFC 6750 §3: the header's description is ASCII
    assert response["Cache-Control"] == "no-store"


def test_userinfo_refuses_a_token_in_the_query_string(access_token):
    response = Client().get(f"/oauth/userinfo/?access_token={access_token}")
    assert_invalid_request(response)
    assert "查询参数" in response.json()["error_description"]
    assert userinfo(access_token).status_code == 200  # the same token in the header still works


def test_userinfo_refuses_the_query_token_even_beside_a_header(access_token):
    response = Client().get(
        f"/oauth/userinfo/?access_token={access_token}", headers={"Authorization": f"Bearer {access_token}"}
    )
    assert_invalid_request(response)


def test_userinfo_accepts_a_form_encoded_post_body(access_token, officer):
    # With the CSRF check on, as a real client meets it: a bearer request carries no CSRF cookie (the view overrides
    # the toolkit's csrf-exempt dispatch, and once answered 403 here).
    response = Client(enforce_csrf_checks=True).post(
        "/oauth/userinfo/",
        f"access_token={access_token}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    assert response.json()["preferred_username"] == officer.username


def test_userinfo_refuses_a_multipart_body_and_two_ways_at_once(access_token):
    multipart = Client().post("/oauth/userinfo/", {"access_token": access_token})  # the test client's default
    assert_invalid_request(multipart)
    twice = Client().post(
        "/oauth/userinfo/",
        f"access_token={access_token}",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {access_token}"},
    )
    assert_invalid_request(twice)


def test_introspection_refuses_the_token_in_the_query_string(machine_client):
    application, secret = machine_client
    token = client_credentials_token(application, secret).json()["access_token"]
    response = Client().get(f"/oauth/introspect/?token={token}", headers=basic(application, secret))
    assert_invalid_request(response)


class Captured(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def captured():
    handler = Captured()
    loggers = [logging.getLogger(name) for name in ("django.server", "gunicorn.access", "smartjustice.test")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


def test_runserver_request_lines_carry_no_token(captured):
    # Django's own request-line logging, as `make run` writes it; the filter comes from settings LOGGING.
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.request = None
    handler.client_address = ("127.0.0.1", 50000)
    handler.requestline = "GET /oauth/userinfo/?access_token=SECRETabc123&x=1 HTTP/1.1"
    handler.log_request(400, 120)
    handler.requestline = "GET /oauth/logout/?id_token_hint=eyJhbGciOi.eyJzdWIi.c2ln&state=s HTTP/1.1"
    handler.log_request(302, 0)
    assert len(captured.lines) == 2, captured.lines
    assert "SECRETabc123" not in captured.lines[0] and "access_token=[已隐去]&x=1" in captured.lines[0]
    assert "eyJ" not in captured.lines[1] and "state=s" in captured.lines[1]


def test_gunicorn_access_lines_and_other_records_carry_no_secret(captured):
    redaction.install()  # what the oauth app does at start-up, after the server configured its loggers
    atoms = {"r": "GET /cb?code=AUTHCODE1&state=ok HTTP/1.1", "q": "code=AUTHCODE1&state=ok", "s": "302"}
    access = logging.getLogger("gunicorn.access")
    level, access.level = access.level, logging.INFO  # gunicorn sets its access logger to INFO
    try:
        access.info("%(r)s %(s)s q=%(q)s", atoms)
    finally:
        access.setLevel(level)
    assert "AUTHCODE1" not in captured.lines[0] and "state=ok" in captured.lines[0]
    root_handlers = logging.getLogger().handlers
    assert any(isinstance(f, redaction.RedactSecrets) for h in root_handlers for f in h.filters)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("POST /oauth/token/ grant_type=refresh_token&refresh_token=RT12345", "RT12345"),
        ("client_id=abc&client_secret=S3CR3T&code_verifier=VER1", "S3CR3T"),
        ('{"access_token": "AT999", "token_type": "Bearer"}', "AT999"),
        ("Authorization: Bearer sj_12_abcdefghijkl", "abcdefghijkl"),
        ("Authorization: Basic Y2xpZW50OnNlY3JldA==", "Y2xpZW50OnNlY3JldA"),
        ("token=TK1&token_type_hint=access_token", "TK1"),
    ],
)
def test_redaction_of_every_secret_shape(text, secret):
    assert secret not in redaction.redact(text)


def test_ordinary_parameters_are_kept():
    line = "GET /api/v1/laws?law_code=xf&page=2&csrfmiddlewaretoken=x HTTP/1.1"
    assert redaction.redact(line) == line
