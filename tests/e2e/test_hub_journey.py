"""The data-sharing administrator registers a consumer and its subscription in the browser; the consumer pulls;
the citizen the record is about sees, on a phone, which agency received which of their data and why."""

import json

import pytest
from django.db import transaction
from django.test import Client
from playwright.sync_api import expect

from smartjustice.core import verification
from smartjustice.hub import services
from smartjustice.hub.models import Consumer
from tests.core.factories import PASSWORD, PROVINCE, TIANHE, UserFactory, staff_in
from tests.hub import factories

from .conftest import DESKTOP, PHONE, SCREENSHOTS
from .test_journeys import sign_in


def sign_in_to_portal(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url("/portal/")


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hub_people(divisions):
    services.load_catalogue()
    admin = staff_in(PROVINCE, "data_sharing_admin", real_name="林共享")
    citizen = UserFactory(username="lin_citizen", real_name="林小雨", id_number=factories.citizen_id(501))
    # 我的数据共享记录 shows only to an account whose identity was verified (here: at a service window).
    verification.record_verification(citizen, method="in_person", actor=None, id_number=citizen.id_number)
    return admin, citizen


def _pull(client_id: str, client_secret: str) -> list[dict]:
    """What the consumer's system does: a client-credentials token, then GET /api/v1/hub/pull."""
    client = Client()
    token = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret,
         "scope": "hub.pull"},
    ).json()["access_token"]  # fmt: skip
    response = client.get("/api/v1/hub/pull", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_a_consumer_registered_in_the_browser_pulls_and_the_citizen_sees_it(new_page, hub_people):
    admin, citizen = hub_people
    page = new_page(**DESKTOP)
    sign_in(page, admin.username)

    page.get_by_role("link", name="数据使用方", exact=True).click()
    expect(page.get_by_text("本辖区尚未登记数据使用方")).to_be_visible()
    page.get_by_role("link", name="登记使用方").first.click()
    page.get_by_label("接入代码").fill("ministry")
    page.get_by_label("名称").fill("司法部")
    page.get_by_label("类型").select_option(label="司法部")
    page.get_by_label("所属区划").select_option(PROVINCE)
    page.get_by_role("button", name="登记并签发凭据").click()
    expect(page.get_by_text("以下密钥只显示这一次")).to_be_visible()
    client_id = page.locator("#client-id").inner_text().strip()
    client_secret = page.locator("#client-secret").input_value().strip()
    page.screenshot(path=SCREENSHOTS / "hub-credentials.png", full_page=True)

    consumer = Consumer.objects.get(code="ministry")
    page.goto(f"/hub/consumers/{consumer.pk}/")
    page.get_by_role("link", name="新增订阅").first.click()
    page.get_by_label("数据集", exact=True).select_option(
        label="行政执法案件（enforcement.case，有条件共享）"
    )
    page.get_by_label("使用目的").fill("全国行政执法统计")
    page.get_by_label("法定依据或共享协议").fill("《行政处罚法》第四十八条")
    expect(page.get_by_label("拉取（游标）")).to_be_checked()  # no push address: pull only
    page.get_by_role("button", name="订阅", exact=True).click()
    expect(page.get_by_text("全国行政执法统计")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "hub-consumer.png", full_page=True)

    with transaction.atomic():  # the enforcement module publishes a case about the citizen
        services.publish(
            "enforcement.case",
            record_key="C-501",
            data=factories.case(501, id_number=citizen.id_number),
            jurisdiction_code=TIANHE,
        )
    services.fan_out()
    (item,) = _pull(client_id, client_secret)
    masked = item["data"]["party_id_number"]  # masked by default: the subscription chose no other rule
    assert "*" in masked and masked[-4:] == citizen.id_number[-4:]
    assert citizen.id_number not in json.dumps(item, ensure_ascii=False)

    phone = new_page(**PHONE)
    sign_in_to_portal(phone, citizen.username)
    phone.get_by_role("button", name="打开导航菜单").click()
    phone.get_by_role(
        "link", name="我的数据共享记录", exact=True
    ).click()  # the menu item (the portal has a card too)
    expect(phone).to_have_url("/hub/my-disclosures/")
    cards = phone.get_by_test_id("disclosure-cards")  # on a phone, a card per disclosure instead of the table
    expect(cards).to_contain_text("司法部")
    expect(cards).to_contain_text("全国行政执法统计")
    expect(cards).to_contain_text("当事人证件号码（脱敏显示）")
    expect(phone.get_by_test_id("disclosure-table")).to_be_hidden()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=SCREENSHOTS / "phone-my-disclosures.png", full_page=True)
