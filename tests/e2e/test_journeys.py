"""A county officer on a phone: sign in, workbench, organisation list, and a peer county's record out of reach."""

import pytest
from playwright.sync_api import expect

from tests.core.factories import PASSWORD, TIANHE, YUEXIU, OrganisationFactory, jurisdiction, staff_in

from .conftest import DESKTOP, PHONE, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county_offices(divisions):
    """A notary office in 天河区 and one in 越秀区, and an officer of 天河区."""
    tianhe = OrganisationFactory(jurisdiction=jurisdiction(TIANHE), kind="notary_office", name="天河公证处")
    yuexiu = OrganisationFactory(jurisdiction=jurisdiction(YUEXIU), kind="notary_office", name="越秀公证处")
    officer = staff_in(TIANHE, "enforcement_officer", real_name="陈天河")
    return tianhe, yuexiu, officer


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url("/workbench/")


def test_county_officer_on_a_phone_cannot_reach_a_peer_countys_organisation(new_page, county_offices):
    tianhe, yuexiu, officer = county_offices
    page = new_page(**PHONE)

    sign_in(page, officer.username)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_test_id("my-organisation")).to_contain_text("天河区司法局")
    # On a phone the navigation is folded away, and nothing overflows sideways.
    expect(page.get_by_role("link", name="组织机构", exact=True)).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS / "phone-workbench.png", full_page=True)

    page.get_by_role("button", name="打开导航菜单").click()
    page.get_by_role("link", name="组织机构", exact=True).click()
    expect(page).to_have_url("/organisations/")
    cards = page.get_by_test_id("organisation-cards")
    expect(cards).to_contain_text(tianhe.name)
    expect(cards).not_to_contain_text(yuexiu.name)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS / "phone-organisations.png", full_page=True)

    # Typing the address of 越秀区's record answers the same as a record that does not exist.
    response = page.goto(f"/organisations/{yuexiu.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(page.get_by_text("记录不存在或您无权访问")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "phone-not-found.png", full_page=True)

    # Nor does searching for it find it.
    page.goto("/organisations/")
    page.get_by_label("关键词").fill("越秀")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("没有符合条件的组织机构")).to_be_visible()

    # Own record opens.
    page.goto(f"/organisations/{tianhe.pk}/")
    expect(page.get_by_role("heading", name=tianhe.name)).to_be_visible()


def test_the_same_pages_on_a_desktop(new_page, county_offices):
    tianhe, yuexiu, officer = county_offices
    page = new_page(**DESKTOP)
    sign_in(page, officer.username)
    # The side navigation is always shown on a desktop.
    expect(page.get_by_role("link", name="组织机构", exact=True)).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "desktop-workbench.png", full_page=True)
    page.get_by_role("link", name="组织机构", exact=True).click()
    expect(page.get_by_role("table")).to_contain_text(tianhe.name)
    expect(page.get_by_role("table")).not_to_contain_text(yuexiu.name)
    page.screenshot(path=SCREENSHOTS / "desktop-organisations.png", full_page=True)
