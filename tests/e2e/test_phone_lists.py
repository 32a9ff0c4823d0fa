"""我的申请 and /govinfo/staff/ on a 390 px phone: requests are cards, nothing overflows sideways."""

import pytest
from playwright.sync_api import expect

from tests.core.factories import PASSWORD, TIANHE
from tests.govinfo import factories

from .conftest import PHONE, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("who", ["applicant", "officer"])
def test_request_lists_fit_a_phone(new_page, divisions, who):
    request = factories.submitted(TIANHE)
    user, url = (
        (request.applicant, "/govinfo/my/")
        if who == "applicant"
        else (factories.officer(TIANHE), "/govinfo/staff/")
    )
    page = new_page(**PHONE)
    sign_in(page, user.username)
    page.goto(url)
    cards = page.get_by_test_id("request-cards")
    expect(cards).to_be_visible()
    expect(cards).to_contain_text(request.organisation.name)
    expect(cards).to_contain_text("已提交")
    expect(page.locator("table")).to_be_hidden()
    # 受理机关 reads as one line of text, not one character per line, and the status badge is inside the screen.
    office = cards.get_by_text(request.organisation.name)
    assert office.bounding_box()["width"] > 60
    badge = cards.locator(".badge").first
    box = badge.bounding_box()
    assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS / f"phone-govinfo-{who}.png", full_page=True)
