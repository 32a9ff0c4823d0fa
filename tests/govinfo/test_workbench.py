"""The 信息公开 tile of the workbench: every request the office must act on, new 已提交 ones included, with dates."""

import datetime

import pytest
import time_machine
from django.test import Client

from smartjustice.govinfo import rules, services
from tests.core.factories import TIANHE, YUEXIU, staff_in

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []


def workbench(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/workbench/")
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_the_disclosure_officer_sees_new_and_registered_requests_with_their_deadlines():
    officer = factories.officer(TIANHE)
    new = factories.submitted(TIANHE, description="新提交的申请")
    registered = factories.accepted(TIANHE, by=officer)
    body = workbench(officer)
    assert "在办信息公开申请" in body and 'data-testid="todo-count">2<' in body
    assert new.reference in body and registered.reference in body  # the count lists its items
    assert "已提交" in body and "已登记" in body
    correction_due = rules.correction_notice_due(datetime.date(2026, 9, 28))
    assert f"补正告知期限 {correction_due:%Y-%m-%d}" in body
    assert f"答复期限 {registered.effective_due_on:%Y-%m-%d}" in body
    assert f'href="/govinfo/{new.pk}/"' in body


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_a_request_in_consultation_stays_on_the_list_after_the_running_ones():
    officer = factories.officer(TIANHE)
    consulting = factories.accepted(TIANHE, by=officer)
    services.consult_third_party(consulting, actor=officer, parties="第三方某公司")
    new = factories.submitted(TIANHE, description="新提交的申请")
    body = workbench(officer)
    assert 'data-testid="todo-count">2<' in body and "征求意见中" in body
    assert f"答复期限（已暂停） {consulting.clock_due_on:%Y-%m-%d}" in body
    assert body.index(new.reference) < body.index(consulting.reference)  # the running clock first


def test_another_county_s_officer_and_a_reader_without_handling_rights_see_none_of_them():
    factories.submitted(TIANHE)
    assert "在办信息公开申请" not in workbench(factories.officer(YUEXIU))
    admin = staff_in(TIANHE, "system_admin")  # may read requests, does not handle them
    assert "在办信息公开申请" not in workbench(admin)


def test_an_office_with_no_open_request_says_so():
    body = workbench(factories.officer(TIANHE))
    assert "暂无待办事项" in body
