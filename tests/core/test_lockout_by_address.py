"""Lockout by account *and* client address: a stranger cannot keep an administrator locked out; administrators can
lift a lock in their jurisdiction; the locked page tells a citizen what they can do."""

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from smartjustice.core.choices import AuditEvent
from smartjustice.core.middleware import client_ip
from smartjustice.core.testing import ApiClient, assert_audited, make_staff

from .factories import PASSWORD, TIANHE, YUEXIU, staff_in

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
STRANGER = "203.0.113.9"
OFFICE = "198.51.100.7"


def api_sign_in(username: str, password: str, address: str, **headers):
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
        headers=headers,
    )


def lock_out(username: str, address: str = STRANGER) -> None:
    for _ in range(LIMIT):
        api_sign_in(username, "wrong-password", address)


def test_a_stranger_failing_five_times_does_not_lock_the_administrator_out():
    admin = staff_in(TIANHE, "system_admin")
    lock_out(admin.username, STRANGER)
    assert api_sign_in(admin.username, PASSWORD, STRANGER).status_code == 429, (
        "the stranger's address is locked"
    )
    assert api_sign_in(admin.username, PASSWORD, OFFICE).status_code == 201, (
        "the administrator still signs in"
    )
    assert_audited(AuditEvent.ACCOUNT_LOCKED, object_id=str(admin.pk))


def test_an_administrator_lifts_a_lock_in_their_jurisdiction_through_the_api():
    person = staff_in(TIANHE, "mediator")
    admin = make_staff(TIANHE, "system_admin")
    lock_out(person.username, OFFICE)
    assert api_sign_in(person.username, PASSWORD, OFFICE).status_code == 429
    elsewhere = make_staff(YUEXIU, "system_admin")
    assert ApiClient(elsewhere).post(f"users/{person.pk}/unlock").status_code == 404, "not their jurisdiction"
    assert ApiClient(make_staff(TIANHE, "mediator")).post(f"users/{person.pk}/unlock").status_code in (
        403,
        404,
    )
    response = ApiClient(admin).post(f"users/{person.pk}/unlock")
    assert response.status_code == 200, response.content
    assert response.json()["cleared"] >= 1
    assert api_sign_in(person.username, PASSWORD, OFFICE).status_code == 201
    entry = assert_audited(AuditEvent.ACCOUNT_UNLOCKED, object_id=str(person.pk), actor=admin)
    assert OFFICE in entry.detail


def test_the_staff_page_shows_the_lock_and_an_unlock_button():
    person = staff_in(TIANHE, "mediator")
    admin = make_staff(TIANHE, "system_admin")
    lock_out(person.username)
    browser = Client()
    browser.force_login(admin)
    page = browser.get(reverse("staff-detail", args=[person.pk])).content.decode()
    assert "登录已锁定" in page and "解除锁定" in page
    assert browser.post(reverse("staff-unlock", args=[person.pk])).status_code == 302
    page = browser.get(reverse("staff-detail", args=[person.pk])).content.decode()
    assert "登录已锁定" not in page
    assert_audited(AuditEvent.ACCOUNT_UNLOCKED, object_id=str(person.pk), actor=admin)


def test_the_locked_page_tells_a_citizen_to_wait_or_call_the_hotline():
    person = staff_in(TIANHE, "mediator")
    browser = Client(REMOTE_ADDR=STRANGER)
    for _ in range(LIMIT):
        browser.post(reverse("login"), {"username": person.username, "password": "wrong-password"})
    page = browser.post(
        reverse("login"), {"username": person.username, "password": PASSWORD}
    ).content.decode()
    assert "分钟后再试" in page and "12348" in page
    assert "请联系本单位系统管理员解除锁定" not in page, "a citizen has no 单位 to ask"


class _Request:
    def __init__(self, remote: str, forwarded: str = ""):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_the_client_address_is_remote_addr_unless_behind_trusted_proxies():
    assert client_ip(_Request("10.0.0.2", "1.2.3.4")) == "10.0.0.2", "a client cannot choose its address"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        # The one proxy appended what it saw; what the client wrote further left is ignored.
        assert client_ip(_Request("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
        assert client_ip(_Request("10.0.0.2")) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_ip(_Request("10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"
