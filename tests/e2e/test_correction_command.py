"""An officer at the 社区矫正指挥中心: the alert feed shows a new alert without reloading, the officer opens it from the
dashboard, records the contact and then dismisses it as a false alarm — axe-checked on a desktop screen."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from smartjustice.core.testing import COUNTY_A, PASSWORD, Place, make_staff, organisation_in
from smartjustice.correction import alerts
from smartjustice.correction.choices import AlertKind
from smartjustice.correction.models import CorrectionAlert
from tests.correction import makers

from .conftest import DESKTOP, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


def test_an_officer_handles_an_alert_from_the_command_dashboard(new_page, divisions):
    place = Place(COUNTY_A, organisation_in(COUNTY_A))
    officer = make_staff(COUNTY_A, "correction_officer", organisation=place.organisation, real_name="周矫正")
    earlier = makers.subject(place, name="林早先")
    alerts.raise_alert(
        earlier,
        kind=AlertKind.MISSED_REPORT,
        why="超过报告期限 26 小时未报告",
        started_at=timezone.now() - datetime.timedelta(hours=3),
    )

    page = new_page(**DESKTOP)
    sign_in(page, officer.username)
    page.goto("/correction/command/")
    feed = page.locator("#command-feed")
    expect(feed).to_contain_text("林早先")

    # A breach arrives while the dashboard is open: the feed shows it without a reload.
    subject = makers.subject(place, name="黄越界")
    alert, _ = alerts.raise_alert(
        subject,
        kind=AlertKind.GEOFENCE_EXIT,
        why="连续 6 个定位点位于活动区域（天河区）以外，最远 2.4 公里",
        point_count=6,
        max_distance_m=2400,
    )
    item = feed.locator(f"[data-alert-id='{alert.pk}'], li").filter(has_text="黄越界").first
    expect(item).to_be_visible(timeout=40_000)
    page.screenshot(path=SCREENSHOTS / "command-dashboard.png", full_page=True)

    item.get_by_role("link", name="处置").click()
    page.wait_for_load_state()
    expect(page.locator("#alert-why")).to_contain_text("活动区域")
    page.locator("#contact-note").fill("已电话联系本人，称到番禺探亲，已要求立即返回。")
    page.get_by_role("button", name="记录联系情况").click()
    page.wait_for_load_state()
    expect(page.locator("#alert-status")).to_have_text("已联系核实中")
    page.locator("#dismiss-note").fill("经核实为定位漂移，本人一直在天河区住所。")
    page.get_by_role("button", name="核实：误报").click()
    page.wait_for_load_state()
    expect(page.locator("#alert-status")).to_have_text("已核实：误报")

    alert = CorrectionAlert.objects.get(pk=alert.pk)
    assert alert.status == "dismissed" and alert.handled_by_id == officer.pk
    assert "定位漂移" in alert.handling_note
    page.goto("/correction/command/")
    expect(page.locator("#command-feed")).to_contain_text("已核实：误报")
