"""Personal API tokens: shown once, stored as a digest, expiring, revocable at once, only by their owner."""

import hashlib
import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from smartjustice.core.choices import AuditEvent
from smartjustice.core.models import ApiToken, AuditEntry
from smartjustice.core.testing import ApiClient, assert_api_error, assert_audited

from .factories import PASSWORD, TIANHE, UserFactory, jurisdiction, staff_in

pytestmark = pytest.mark.django_db


def bearer(plaintext: str) -> ApiClient:
    return ApiClient(None, token=plaintext)


def test_creating_a_token_shows_the_plaintext_once_and_stores_only_its_digest():
    officer = staff_in(TIANHE, "enforcement_officer")
    session = ApiClient(officer)
    response = session.post("tokens", {"name": "执法终端", "days": 30})
    assert response.status_code == 201, response.content
    assert "no-store" in response["Cache-Control"]  # the plaintext must not linger in a cache
    body = response.json()
    plaintext = body["token"]
    assert plaintext.startswith("sj_")
    assert body["state"] == "有效"
    token = ApiToken.objects.get(pk=body["id"])
    secret = plaintext.split("_", 2)[2]
    assert token.key_digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = json.dumps(list(ApiToken.objects.filter(pk=token.pk).values()), default=str)
    assert secret not in stored
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    # Listing never shows it again, and the trail never holds it.
    listed = session.get("tokens").json()
    assert [row["id"] for row in listed] == [token.pk]
    assert "token" not in listed[0]
    assert secret not in session.get("tokens").content.decode()
    trail = json.dumps(
        list(AuditEntry.objects.values("before", "after", "detail", "object_repr")), ensure_ascii=False
    )
    assert secret not in trail
    assert_audited(AuditEvent.TOKEN_CREATED, obj=token, actor=officer, request_id=response["X-Request-ID"])


def test_a_bearer_token_authenticates_and_acts_as_its_owner():
    admin = staff_in(TIANHE, "system_admin")
    client = ApiClient(admin, bearer=True)
    assert client.get("me").json()["username"] == admin.username
    response = client.post(
        "organisations", {"name": "天河区公证处", "kind": "notary_office", "jurisdiction": TIANHE}
    )
    assert response.status_code == 201, response.content
    entry = assert_audited(
        AuditEvent.ORGANISATION_CREATED, object_type="core.organisation", object_id=str(response.json()["id"])
    )
    assert entry.actor_id == admin.pk
    assert entry.channel == "api"


def test_the_token_may_also_travel_in_the_x_api_token_header():
    person = UserFactory()
    _, plaintext = _issue(person)
    response = ApiClient(None).get("me", headers={"X-API-Token": plaintext})
    assert response.status_code == 200
    assert response.json()["id"] == person.pk


def _issue(user, days=None):
    from smartjustice.core import services

    return services.issue_api_token(actor=user, name="测试", days=days)


def test_an_expired_token_is_refused():
    person = UserFactory()
    token, plaintext = _issue(person, days=7)
    assert bearer(plaintext).get("me").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert bearer(plaintext).get("me").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert_api_error(bearer(plaintext).get("me"), 401, "not_authenticated")
        assert ApiClient(person).get("tokens").json()[0]["state"] == "已过期"


def test_a_revoked_token_is_refused_at_once():
    person = UserFactory()
    token, plaintext = _issue(person)
    client = bearer(plaintext)
    assert client.get("me").status_code == 200
    response = client.delete(f"tokens/{token.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "已吊销"
    assert_api_error(client.get("me"), 401, "not_authenticated")
    assert_audited(AuditEvent.TOKEN_REVOKED, obj=token, actor=person, count=1)
    # Revoking twice is a conflict, not a second event.
    response = ApiClient(person).delete(f"tokens/{token.pk}")
    assert_api_error(response, 409, "conflict")
    assert_audited(AuditEvent.TOKEN_REVOKED, obj=token, count=1)


def test_another_users_token_cannot_be_revoked():
    owner = UserFactory()
    token, plaintext = _issue(owner)
    for intruder in (UserFactory(), staff_in(TIANHE, "system_admin")):
        assert_api_error(ApiClient(intruder).delete(f"tokens/{token.pk}"), 404, "not_found")
        assert token.pk not in [row["id"] for row in ApiClient(intruder).get("tokens").json()]
    token.refresh_from_db()
    assert token.revoked_at is None
    assert bearer(plaintext).get("me").status_code == 200


@pytest.mark.parametrize("tamper", ["wrong-secret", "wrong-id", "garbage", "empty"])
def test_forged_tokens_are_refused(tamper):
    person = UserFactory()
    token, plaintext = _issue(person)
    _, key_id, secret = plaintext.split("_", 2)
    forged = {
        "wrong-secret": f"sj_{key_id}_{secret[:-2]}xx",
        "wrong-id": f"sj_000000000000_{secret}",
        "garbage": "not-a-token",
        "empty": "",
    }[tamper]
    response = ApiClient(None).get("me", headers={"Authorization": f"Bearer {forged}"})
    assert_api_error(response, 401, "not_authenticated")


def test_a_token_of_a_deactivated_account_is_refused():
    person = UserFactory()
    _, plaintext = _issue(person)
    person.is_active = False
    person.save()
    assert_api_error(bearer(plaintext).get("me"), 401, "not_authenticated")


def test_using_a_token_records_when_it_was_last_used():
    person = UserFactory()
    token, plaintext = _issue(person)
    assert token.last_used_at is None
    bearer(plaintext).get("me")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_lifetime_is_bounded():
    client = ApiClient(UserFactory())
    assert_api_error(
        client.post("tokens", {"name": "x", "days": 366}), 422, "validation_failed", fields=["days"]
    )
    assert_api_error(
        client.post("tokens", {"name": "", "days": 3}), 422, "validation_failed", fields=["name"]
    )
    assert_api_error(ApiClient(None).post("tokens", {"name": "x"}), 401, "not_authenticated")
    assert ApiToken.objects.count() == 0


def test_a_client_exchanges_username_and_password_for_a_token():
    person = staff_in(TIANHE, "mediator")
    response = ApiClient(None).post(
        "auth/token", {"username": person.username, "password": PASSWORD, "name": "调解终端", "days": 10}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "调解终端"
    assert bearer(body["token"]).get("me").json()["id"] == person.pk
    assert_audited(AuditEvent.TOKEN_CREATED, actor=person, object_id=str(body["id"]))
    signed_in = assert_audited(AuditEvent.LOGIN_SUCCEEDED, obj=person, actor=person)
    assert signed_in.channel == "api"
    person.refresh_from_db()
    assert person.last_login is not None


def test_a_wrong_password_gets_no_token_and_is_recorded():
    person = UserFactory(jurisdiction=jurisdiction(TIANHE))
    response = ApiClient(None).post("auth/token", {"username": person.username, "password": "nope-nope"})
    body = assert_api_error(response, 401, "not_authenticated")
    assert "密码" in body["message"]
    assert ApiToken.objects.count() == 0
    entry = assert_audited(AuditEvent.LOGIN_FAILED, object_type="core.user", object_id=str(person.pk))
    assert entry.channel == "api"
    assert "nope-nope" not in json.dumps([entry.before, entry.after, entry.detail], ensure_ascii=False)
    # An unknown account answers exactly the same, so account names cannot be probed.
    unknown = ApiClient(None).post("auth/token", {"username": "no-such-person", "password": "nope-nope"})
    assert unknown.json() == response.json()


def test_session_writes_need_the_csrf_token_but_bearer_writes_do_not():
    admin = staff_in(TIANHE, "system_admin")
    payload = {"name": "天河区公证处", "kind": "notary_office", "jurisdiction": TIANHE}
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    assert browser.get("/api/v1/me").status_code == 200, "reads need no CSRF token"
    response = browser.post("/api/v1/organisations", payload, content_type="application/json")
    assert_api_error(response, 403, "csrf_failed")
    _, plaintext = _issue(admin)
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/organisations",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {plaintext}"},
    )
    assert response.status_code == 201, response.content
