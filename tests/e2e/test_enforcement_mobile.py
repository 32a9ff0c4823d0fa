"""An officer's on-the-spot penalty (简易程序) on a 390 px phone: the form, the party's signature drawn on the screen
with the finger (mouse moves here), the device's position, and the decision number handed over — axe-checked."""

import pytest
from playwright.sync_api import expect

from smartjustice.enforcement.models import EnforcementCase
from tests.core.factories import PASSWORD, TIANHE
from tests.enforcement import mobile_makers as makers

from .conftest import PHONE, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


def draw_signature(page) -> None:
    pad = page.get_by_test_id("signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.15, y + h * 0.6)
    page.mouse.down()
    for step in range(1, 21):  # a wavy stroke, like a hand-written name
        page.mouse.move(x + w * (0.15 + 0.035 * step), y + h * (0.6 - 0.25 * ((step % 4) / 3)), steps=2)
    page.mouse.up()
    page.mouse.move(x + w * 0.3, y + h * 0.3)
    page.mouse.down()
    page.mouse.move(x + w * 0.35, y + h * 0.8, steps=5)
    page.mouse.up()


def test_officer_issues_an_on_the_spot_penalty_on_a_phone(new_page, divisions, settings):
    settings.CREDENTIALS_PUBLIC_URL = "http://testserver"
    makers.hub_catalogue()
    officer = makers.certified_officer(TIANHE, name="张执法", username="officer-zhang")
    colleague = makers.certified_officer(TIANHE, agency=officer.agency, name="李执法")
    party = makers.person(name="陈摊主")

    page = new_page(
        **PHONE, geolocation={"latitude": 23.1291, "longitude": 113.2644}, permissions=["geolocation"]
    )
    sign_in(page, officer.user.username)
    page.goto("/enforcement/m/")
    expect(page.get_by_test_id("field-actions")).to_be_visible()
    page.get_by_test_id("field-actions").get_by_role("link", name="当场处罚").click()
    page.wait_for_load_state()

    form = page.get_by_test_id("penalty-form")
    expect(form).to_be_visible()
    form.get_by_label("公民", exact=True).check()
    form.get_by_label("当事人姓名或名称").fill(party["name"])
    form.get_by_label("身份证号码或统一社会信用代码").fill(party["id_number"])
    form.get_by_label("案由").fill("占道经营")
    form.get_by_label("违法事实").fill("当事人在天河路人行道上摆摊销售水果，占用人行道约4平方米。")
    form.get_by_label("违法地点").fill("广州市天河区天河路385号前人行道")
    form.get_by_label("处罚依据").fill("《城市市容和环境卫生管理条例》第三十六条")
    form.get_by_label("罚款", exact=True).check()
    form.get_by_label("罚款金额（元）").fill("100")
    expect(form.get_by_label(colleague.user.display_name, exact=False)).to_be_checked()
    expect(page.locator("[data-position-status]")).to_contain_text("已定位")
    draw_signature(page)
    expect(page.locator("[data-signature-status]")).to_have_text("已签名")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS / "phone-enforcement-penalty-form.png", full_page=True)

    form.get_by_role("button", name="作出决定并当场交付").click()
    page.wait_for_load_state()

    number = page.get_by_test_id("decision-number")
    expect(number).to_be_visible()
    case = EnforcementCase.objects.get()
    expect(number).to_have_text(case.decision_number)
    expect(page.get_by_test_id("case-documents")).to_contain_text(case.decision_number)
    assert case.party_signature_id is not None and not case.signature_refused
    record = case.evidence.get(kind="inspection_record")
    assert float(record.latitude) == pytest.approx(23.1291) and float(record.longitude) == pytest.approx(
        113.2644
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SCREENSHOTS / "phone-enforcement-penalty-decided.png", full_page=True)

    # The other field pages on the same phone (each checked by axe): 亮证, the party just registered, 现场检查.
    page.goto("/enforcement/m/credential/")
    expect(page.get_by_test_id("my-credential")).to_contain_text(officer.credential.number)
    expect(page.get_by_role("img", name="行政执法证核验二维码")).to_be_visible()
    page.goto("/enforcement/m/parties/?by=name&q=陈摊主")
    results = page.get_by_test_id("lookup-results")
    expect(results).to_contain_text("陈摊主")
    expect(results).not_to_contain_text(party["id_number"])
    page.goto("/enforcement/m/inspections/new/")
    expect(page.get_by_test_id("inspection-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
