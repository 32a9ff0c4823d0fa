"""粤矫通 on a 390 × 844 phone: a subject under community correction checks in (a live photo from <input capture>,
the phone's position, a short report), downloads the receipt, and files a leave request and sees its progress —
every page axe-checked, nothing wider than the screen."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from smartjustice.core.testing import COUNTY_A, PASSWORD, Place, organisation_in
from smartjustice.correction.models import ApprovalRequest, CheckIn
from tests.correction import makers, reporting_makers

from .conftest import PHONE, SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TIANHE_PARK = {"latitude": 23.1248, "longitude": 113.3612, "accuracy": 15}


def photo_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (190, 150, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_subject_checks_in_and_files_a_leave_request_on_a_phone(new_page, divisions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    reporting_makers.hub_catalogue()
    subject = makers.subject(
        Place(COUNTY_A, organisation_in(COUNTY_A)),
        name="陈矫正",
        next_report_due_at=timezone.now() + datetime.timedelta(days=1),
    )
    account = makers.subject_account(subject, username="subject-chen")

    page = new_page(**PHONE, geolocation=TIANHE_PARK, permissions=["geolocation"])
    sign_in(page, account.username)
    page.goto("/correction/app/")
    expect(page.get_by_test_id("my-term")).to_contain_text(subject.get_category_display())
    expect(page.get_by_test_id("next-report")).to_contain_text("下次报告")
    expect(page.get_by_role("navigation", name="粤矫通")).to_be_visible()
    assert page.locator("link[rel=manifest]").get_attribute("href") == "/correction/app/manifest.webmanifest"
    assert fits_the_screen(page)
    page.screenshot(path=SCREENSHOTS / "phone-correction-app-home.png", full_page=True)

    # 签到: the photo through <input capture>, the position from the phone, a short report.
    page.get_by_role("link", name="立即签到报告").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("check-in-form")
    photo = form.get_by_label("现场照片")
    assert photo.get_attribute("capture") == "user" and "image/" in photo.get_attribute("accept")
    photo.set_input_files(files=[{"name": "live.png", "mimeType": "image/png", "buffer": photo_png()}])
    expect(form.locator("[data-photo-preview] img")).to_be_visible()
    form.get_by_label("活动情况").fill("本周在公司正常上班，周末在家陪伴家人，无外出。")
    expect(page.locator("[data-position-status]")).to_contain_text("已定位")
    assert fits_the_screen(page)
    page.screenshot(path=SCREENSHOTS / "phone-correction-check-in.png", full_page=True)
    form.get_by_role("button", name="提交签到").click()
    page.wait_for_load_state()

    done = page.get_by_test_id("check-in-done")
    expect(done).to_contain_text("已签到")
    item = CheckIn.objects.get(subject=subject)
    assert item.channel == "app" and item.photo_id is not None
    assert item.latitude == pytest.approx(23.1248) and item.longitude == pytest.approx(113.3612)
    with page.expect_download() as download:
        page.get_by_test_id("receipt-download").click()
    receipt = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert (
        receipt
    )  # the receipt the subject keeps (verified offline by `smartjustice correction verify-receipt`)
    assert fits_the_screen(page)

    # 外出申请 and its progress.
    page.get_by_role("navigation", name="粤矫通").get_by_role("link", name="申请").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="新申请").click()
    page.wait_for_load_state()
    request_form = page.get_by_test_id("request-form")
    starts = timezone.localdate() + datetime.timedelta(days=3)
    request_form.get_by_label("申请事项").select_option(label="外出")
    request_form.get_by_label("目的地（场所、人员）").fill("佛山市南海区 父母家")
    request_form.get_by_label("事由").fill("父亲住院，前往照顾")
    request_form.get_by_label("开始日期").fill(starts.isoformat())
    request_form.get_by_label("结束日期").fill((starts + datetime.timedelta(days=2)).isoformat())
    assert fits_the_screen(page)
    request_form.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()

    request = ApprovalRequest.objects.get(subject=subject)
    assert request.kind == "leave" and request.submitted_by_id == account.pk
    detail = page.get_by_test_id("request-detail")
    expect(detail).to_contain_text("佛山市南海区 父母家")
    expect(page.get_by_test_id("request-status")).to_have_text(request.get_status_display())
    assert fits_the_screen(page)
    page.screenshot(path=SCREENSHOTS / "phone-correction-leave-request.png", full_page=True)

    page.goto("/correction/app/")
    expect(page.get_by_test_id("my-todos")).to_contain_text("外出")
    page.goto("/correction/app/messages/")
    expect(page.get_by_role("heading", name="消息")).to_be_visible()
    assert fits_the_screen(page)
