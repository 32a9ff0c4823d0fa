"""A citizen on a phone asks 法宝宝 a question in plain words and gets the articles that answer it."""

import pytest
from playwright.sync_api import expect

from smartjustice.qa import retrieval, services
from tests.qa.conftest import import_test_laws

from .conftest import PHONE, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def robot(transactional_db, settings, tmp_path):
    """The test laws in the live server's database and the robot's index over them."""
    settings.QA_INDEX_DIR = tmp_path / "qa-index"
    import_test_laws()
    services.rebuild_index()
    yield
    retrieval.forget()


def test_a_citizen_asks_on_a_phone_and_gets_cited_articles(new_page, robot):
    page = new_page(**PHONE)
    page.goto("/qa/")
    expect(page.get_by_role("heading", name="法宝宝 · 法律问答")).to_be_visible()

    page.get_by_label("您的问题").fill("老板拖欠工资三个月不发，我该怎么办？")
    page.get_by_role("button", name="提问").click()

    answer = page.get_by_test_id("qa-answer").last
    expect(answer).to_be_visible()
    articles = answer.get_by_test_id("qa-articles")
    expect(articles).to_contain_text("劳动合同法")
    expect(answer.get_by_test_id("qa-disclaimer")).to_contain_text("不构成法律意见")
    expect(answer.get_by_test_id("qa-next-steps")).to_contain_text("法律援助")
    expect(page.get_by_label("您的问题")).to_have_value("")  # ready for the next question
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS / "phone-qa-answer.png", full_page=True)

    # The article links to its permanent address in the statute library.
    href = articles.get_by_role("link").first.get_attribute("href")
    assert href.startswith("/laws/")

    # An empty question is answered in Chinese, on the page.
    page.get_by_role("button", name="提问").click()
    expect(page.get_by_test_id("qa-error").last).to_contain_text("请输入您的问题")
