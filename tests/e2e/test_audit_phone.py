"""审计日志 on a 390 px phone: the time takes two short lines so the operator's account reads in whole pieces."""

import pytest
from playwright.sync_api import expect

from smartjustice.core.testing import make_staff
from tests.core.factories import PASSWORD, TIANHE

from .conftest import PHONE, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_audit_table_leaves_room_for_the_operator_on_a_phone(new_page, divisions):
    auditor = make_staff(TIANHE, "auditor", username="th_audit_reader")
    page = new_page(**PHONE)
    page.goto("/login/")
    page.get_by_label("账号").fill(auditor.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
    page.goto("/audit/")
    row = page.locator(".sj-audit tbody tr").first
    expect(row).to_contain_text(auditor.username)  # the sign-in just now
    time_cell, operator = row.locator("td.sj-audit-time"), row.locator("td").nth(3)
    # Date and time on two lines, not one wide line that squeezes the account name to a few letters per line.
    assert time_cell.bounding_box()["width"] < 120
    assert operator.bounding_box()["width"] >= 70
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS / "phone-audit.png", full_page=True)
