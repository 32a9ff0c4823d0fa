"""我的申请 and the staff list on a phone: each request is a card (the table is for wider screens)."""

import re

import pytest
import time_machine
from django.test import Client

from tests.core.factories import TIANHE

from . import factories

pytestmark = pytest.mark.django_db


def _page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _cards(html: str) -> str:
    match = re.search(
        r'<div class="list-group d-md-none mb-3" data-testid="request-cards">(.*?)\n</div>', html, re.S
    )
    assert match, "no phone cards on the page"
    return match.group(1)


def test_my_requests_show_as_cards_on_a_phone_with_office_and_status():
    request = factories.submitted(TIANHE)
    html = _page(request.applicant, "/govinfo/my/")
    assert '<div class="table-responsive d-none d-md-block">' in html  # the table only from md up
    cards = _cards(html)
    assert request.reference in cards and request.organisation.name in cards and "已提交" in cards


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_my_requests_show_how_many_days_the_office_has_left():
    officer = factories.officer(TIANHE)
    request = factories.accepted(TIANHE, by=officer)
    html = _page(request.applicant, "/govinfo/my/")
    table, cards = html.split('data-testid="request-cards"', 1)
    for part in (table, cards):  # the wide table and the phone cards alike (partials/clock.html)
        assert 'data-clock="running"' in part and f"剩余 {request.clock.remaining} 个工作日" in part
    assert f"答复期限 {request.clock_due_on:%Y-%m-%d}" in table


def test_the_staff_list_shows_cards_with_the_applicant():
    request = factories.submitted(TIANHE)
    cards = _cards(_page(factories.officer(TIANHE), "/govinfo/staff/"))
    assert (
        request.reference in cards and request.applicant_name in cards and request.organisation.name in cards
    )


def test_an_empty_list_says_so_on_a_phone_too():
    cards = _cards(_page(factories.citizen(), "/govinfo/my/"))
    assert "您还没有提交过申请" in cards
