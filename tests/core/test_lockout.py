"""Lockout (django-axes): five wrong passwords lock the account, even against the right one; all of it is recorded."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smartjustice.core.choices import AuditEvent
from smartjustice.core.models import ApiToken
from smartjustice.core.testing import ApiClient, assert_api_error, assert_audited, audit_entries

from .factories import PASSWORD, TIANHE, staff_in

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def test_the_limit_is_five_failures():
    assert LIMIT == 5


def api_sign_in(username: str, password: str):
    return ApiClient(None).post("auth/token", {"username": username, "password": password})


def web_sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_against_the_api_even_with_the_right_password():
    person = staff_in(TIANHE, "mediator")
    for _ in range(LIMIT - 1):
        assert api_sign_in(person.username, "wrong-password").status_code == 401
    assert api_sign_in(person.username, "wrong-password").status_code == 429, "the fifth failure locks"
    response = api_sign_in(person.username, PASSWORD)
    assert response.status_code == 429, response.status_code
    assert "token" not in response.content.decode()
    assert not ApiToken.objects.filter(user=person).exists()
    assert audit_entries(AuditEvent.LOGIN_FAILED, object_id=str(person.pk)).count() >= LIMIT
    locked = assert_audited(AuditEvent.ACCOUNT_LOCKED, object_type="core.user", object_id=str(person.pk))
    assert locked.jurisdiction_code == TIANHE
    assert "锁定" in locked.detail


def test_the_api_tells_a_locked_out_client_in_chinese():
    person = staff_in(TIANHE, "mediator")
    for _ in range(LIMIT):
        api_sign_in(person.username, "wrong-password")
    body = assert_api_error(api_sign_in(person.username, PASSWORD), 429, "account_locked")
    assert "锁定" in body["message"]


def test_five_wrong_passwords_lock_the_account_against_the_web_form():
    person = staff_in(TIANHE, "mediator")
    browser = Client()
    for _ in range(LIMIT):
        web_sign_in(browser, person.username, "wrong-password")
        assert not signed_in(browser)
    response = web_sign_in(browser, person.username, PASSWORD)
    assert not signed_in(browser)
    assert "锁定" in response.content.decode()
    # A fresh browser is no way around it: the lock is on the account.
    fresh = Client()
    web_sign_in(fresh, person.username, PASSWORD)
    assert not signed_in(fresh)
    assert_audited(AuditEvent.ACCOUNT_LOCKED, object_id=str(person.pk))
    assert audit_entries(AuditEvent.LOGIN_FAILED, object_id=str(person.pk), channel="web").count() >= LIMIT


def test_failures_on_the_web_and_the_api_add_up():
    person = staff_in(TIANHE, "mediator")
    for _ in range(LIMIT - 2):
        web_sign_in(Client(), person.username, "wrong-password")
    for _ in range(2):
        api_sign_in(person.username, "wrong-password")
    assert api_sign_in(person.username, PASSWORD).status_code != 201


def test_one_accounts_lock_does_not_lock_another():
    victim = staff_in(TIANHE, "mediator")
    colleague = staff_in(TIANHE, "mediator")
    for _ in range(LIMIT):
        api_sign_in(victim.username, "wrong-password")
    assert api_sign_in(colleague.username, PASSWORD).status_code == 201


def test_a_successful_sign_in_before_the_limit_starts_the_count_again():
    person = staff_in(TIANHE, "mediator")
    for _ in range(LIMIT - 1):
        api_sign_in(person.username, "wrong-password")
    assert api_sign_in(person.username, PASSWORD).status_code == 201
    for _ in range(LIMIT - 1):
        api_sign_in(person.username, "wrong-password")
    assert api_sign_in(person.username, PASSWORD).status_code == 201
    assert audit_entries(AuditEvent.ACCOUNT_LOCKED, object_id=str(person.pk)).count() == 0


def test_the_lock_lifts_after_the_cool_off_period():
    person = staff_in(TIANHE, "mediator")
    for _ in range(LIMIT):
        api_sign_in(person.username, "wrong-password")
    assert api_sign_in(person.username, PASSWORD).status_code != 201
    with time_machine.travel(timezone.now() + timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)):
        assert api_sign_in(person.username, PASSWORD).status_code == 201
