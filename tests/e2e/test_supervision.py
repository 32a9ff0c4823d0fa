"""In the browser: a supervisor opens a flag the scan raised, issues a 督办 with a deadline and finds it listed."""

import datetime

import pytest
from playwright.sync_api import expect

from smartjustice.core.testing import COUNTY_A, PASSWORD
from smartjustice.supervision import checks
from tests.supervision import makers

from .conftest import DESKTOP, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_issues_an_order_from_a_flag(new_page, divisions, settings):
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"
    agency = makers.agency(COUNTY_A)
    case = makers.case(
        agency, handlers=(makers.officer(agency, name="孙执法", certified=False),), cause="销售商品未明码标价"
    )
    checks.scan(rules=["single_officer"])
    supervisor = makers.supervisor(COUNTY_A, real_name="天河监督员")
    deadline = makers.today() + datetime.timedelta(days=12)

    page = new_page(**DESKTOP)
    page.goto("/login/")
    page.get_by_label("账号").fill(supervisor.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()

    page.goto("/supervision/")
    expect(page.get_by_role("heading", name="执法监督")).to_be_visible()
    expect(page.locator("#rule-chart svg")).to_be_visible()  # ECharts drew the bar chart (vendored, no CDN)
    page.screenshot(path=SCREENSHOTS / "supervision-dashboard.png", full_page=True)
    page.goto("/supervision/flags/")
    row = page.get_by_role("row").filter(has_text=case.number)
    expect(row).to_contain_text("承办人 1 人，少于 2 人")
    row.get_by_role("link", name="执法人员少于两人").click()
    expect(page.locator("#flag-why")).to_contain_text("少于 2 人")

    page.get_by_label("督办事项和整改要求").fill("请补派一名持证执法人员，并报送指派审批表。")
    page.get_by_label("整改期限").fill(deadline.isoformat())
    page.get_by_role("button", name="发出督办").click()
    expect(page.get_by_text(f"整改期限 {deadline:%Y年%m月%d日}")).to_be_visible()
    number = page.get_by_role("heading", level=1).inner_text().split()[1]

    page.goto("/supervision/orders/")
    listed = page.locator("#order-table").get_by_role("row").filter(has_text=number)
    expect(listed).to_contain_text("待整改")
    expect(listed).to_contain_text(deadline.isoformat())
    page.screenshot(path=SCREENSHOTS / "supervision-orders.png")
