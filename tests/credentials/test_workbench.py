"""E-certificates on the workbench and in the menu: the officer's own 行政执法证, the issuing button, renewals."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from smartjustice.core.testing import COUNTY_A, make_staff

from .conftest import issue

pytestmark = pytest.mark.django_db


def get(user, path: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_an_officer_who_holds_a_certificate_finds_it_in_the_menu(credential, holder):
    assert 'href="/credentials/mine/"' in get(holder, "/workbench/")
    assert 'href="/credentials/mine/"' not in get(make_staff(COUNTY_A, "mediator"), "/workbench/")


def test_only_those_who_may_issue_see_the_issue_button(officer):
    assert "签发证照" in get(officer, "/credentials/")
    assert "签发证照" not in get(make_staff(COUNTY_A, "enforcement_officer"), "/credentials/")


def test_a_certificate_about_to_expire_is_on_the_credential_officer_s_to_do_list(officer, holder):
    soon = timezone.now() + datetime.timedelta(days=10)
    credential = issue(officer, holder, valid_until=soon)
    body = get(officer, "/workbench/")
    assert "待处理的电子证照" in body and credential.number in body
    assert f"有效期至 {timezone.localdate(soon):%Y-%m-%d}" in body
    assert "待处理的电子证照" not in get(holder, "/workbench/")
