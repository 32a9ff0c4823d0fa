"""In the browser: a long law loads the chapter an article link names; the 受理机关 list narrows as one types."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from smartjustice.core.choices import OrganisationKind
from smartjustice.core.models import Organisation
from smartjustice.statutes.models import Law
from tests.core.factories import PASSWORD, PROVINCE, SHENZHEN_FUTIAN, TIANHE, YUEXIU, jurisdiction
from tests.govinfo import factories

from .conftest import DESKTOP, PHONE, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_article_link_into_a_long_law_lands_on_the_article(new_page, divisions):
    call_command("laws", "import", "--laws", "中华人民共和国民法典", verbosity=0)
    code = Law.objects.get(title="中华人民共和国民法典").code
    page = new_page(**DESKTOP)

    # The address names the article only in its hash: the script loads its chapter and scrolls to it.
    page.goto(f"/laws/{code}/#art-1165")
    article = page.locator("#art-1165")
    expect(article).to_contain_text("行为人因过错侵害他人民事权益造成损害的")
    expect(article).to_be_in_viewport()
    # ... and the scroll leaves it below the sticky top bar, not under it (the script scrolls with scrollIntoView;
    # scrolling once more measures where that lands, whatever the later layout shifts)
    page.evaluate("document.getElementById('art-1165').scrollIntoView()")
    bar = page.locator("header.sj-topbar").bounding_box()
    assert article.bounding_box()["y"] >= bar["y"] + bar["height"]
    assert page.locator("#art-1").count() == 1  # the first chapter came with the page

    # A table-of-contents entry loads its chapter in place (no new page).
    page.get_by_test_id("toc").get_by_role("link", name="第二十九章 不当得利").click()
    expect(page.locator("#art-985")).to_be_visible()
    assert "?chapter=" not in page.url

    # The link under an unloaded chapter's heading does the same.
    slot = page.locator(".sj-chapter:not([data-loaded])").first
    slot.get_by_role("link").click()
    expect(page.locator(".sj-chapter[data-loaded]")).to_have_count(4)
    page.screenshot(path=SCREENSHOTS / "law-reader.png")


def test_the_office_list_narrows_as_one_types(new_page, divisions):
    for code in (TIANHE, YUEXIU, SHENZHEN_FUTIAN):
        factories.bureau(code)
    Organisation.objects.create(
        jurisdiction=jurisdiction(PROVINCE), name="广东省司法厅", kind=OrganisationKind.JUSTICE_DEPARTMENT
    )
    futian = factories.bureau(SHENZHEN_FUTIAN)
    applicant = factories.citizen()
    page = new_page(**PHONE)
    page.goto("/login/")
    page.get_by_label("账号").fill(applicant.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
    page.goto("/govinfo/apply/")

    select = page.get_by_label("受理机关")
    assert select.locator("option").count() == 5  # 请选择 + 4 offices, in 省级 / 广州市 / 深圳市
    page.get_by_label("输入地市、区县或机关名称筛选").fill("福田")
    expect(page.get_by_text("找到 1 个机关")).to_be_visible()
    assert select.locator("option").count() == 2
    assert select.input_value() == str(futian.pk)  # the one match is chosen
    page.get_by_label("输入地市、区县或机关名称筛选").fill("广州")
    expect(page.get_by_text("找到 2 个机关")).to_be_visible()
    assert select.locator("optgroup").count() == 1
    page.get_by_label("输入地市、区县或机关名称筛选").fill("")
    assert select.locator("option").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
