"""The pages of 政府信息公开申请: a citizen applies and follows the request, the office handles it."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import assert_audited
from smartjustice.govinfo.models import GovInfoRequest
from tests.core.factories import TIANHE, YUEXIU

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_public_page_explains_the_periods_and_signed_in_users_go_to_their_list():
    response = _client().get("/govinfo/")
    assert response.status_code == 200
    assert "20 个工作日" in response.content.decode()
    assert _client(factories.citizen()).get("/govinfo/")["Location"] == "/govinfo/my/"
    assert _client(factories.officer(TIANHE)).get("/govinfo/")["Location"] == "/govinfo/staff/"


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_citizen_applies_with_a_file_and_sees_the_request_in_my_requests():
    applicant = factories.citizen()
    client = _client(applicant)
    assert "所需政府信息" in client.get("/govinfo/apply/").content.decode()
    response = client.post(
        "/govinfo/apply/",
        {
            "organisation": factories.bureau(TIANHE).pk,
            "description": "2025年执法统计年报",
            "purpose": "",
            "delivery_method": "online",
            "address": "",
            "files": [SimpleUploadedFile("材料.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
        },
    )
    request = GovInfoRequest.objects.get(applicant=applicant)
    assert response.status_code == 302 and response["Location"] == f"/govinfo/{request.pk}/"
    page = client.get("/govinfo/my/").content.decode()
    assert request.reference in page and "已提交" in page
    detail = client.get(f"/govinfo/{request.pk}/").content.decode()
    assert "材料.pdf" in detail and "撤回申请" in detail and "登记受理" not in detail


def test_the_apply_form_shows_errors_in_chinese():
    client = _client(factories.citizen())
    response = client.post(
        "/govinfo/apply/",
        {
            "organisation": factories.bureau(TIANHE).pk,
            "description": "年报",
            "delivery_method": "post",
            "address": "",
        },
    )
    assert response.status_code == 200
    assert "请填写通讯地址" in response.content.decode()


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_the_office_registers_and_answers_from_the_detail_page_and_the_applicant_downloads():
    request = factories.submitted(TIANHE)
    officer = factories.officer(TIANHE)
    client = _client(officer)
    listing = client.get("/govinfo/staff/", {"status": "submitted", "q": request.reference}).content.decode()
    assert request.reference in listing
    detail = client.get(f"/govinfo/{request.pk}/").content.decode()
    assert "登记受理" in detail and "告知补正" in detail and "延期答复" not in detail
    assert request.applicant_id_number in detail  # revealed to the office, and logged
    assert_audited(AuditEvent.PII_VIEWED, actor=officer, object_id=str(request.pk))
    assert client.post(f"/govinfo/{request.pk}/act/accept/", {"comment": "材料齐全"}).status_code == 302
    response = client.post(
        f"/govinfo/{request.pk}/act/answer/",
        {"reply_type": "not_exist", "reply_text": "经检索，该信息不存在。"},
        follow=True,
    )
    assert "已作出答复" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "answered" and request.reply_number
    # The applicant sees the answer and downloads the letter.
    applicant_client = _client(request.applicant)
    page = applicant_client.get(f"/govinfo/{request.pk}/").content.decode()
    assert "信息不存在" in page and "政府信息公开申请答复书" in page
    assert "4401" in page and request.applicant_id_number in page  # their own information, unmasked
    letter = next(a for a in request_files(request) if a.original_name.endswith(".pdf"))
    download = applicant_client.get(f"/govinfo/{request.pk}/attachments/{letter.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert_audited(AuditEvent.ATTACHMENT_DOWNLOADED, actor=request.applicant, object_id=str(letter.pk))


def request_files(request):
    from smartjustice.core import attachments

    return list(attachments.attachments_of(request))


def test_a_refused_step_shows_a_message_instead_of_an_error_page():
    request = factories.accepted(TIANHE)
    client = _client(factories.officer(TIANHE))
    response = client.post(f"/govinfo/{request.pk}/act/extend/", {"reason": "需要时间"}, follow=True)
    assert response.status_code == 200
    assert "没有执行“延期答复”的权限" in response.content.decode()


def test_other_county_and_other_citizens_get_404():
    request = factories.submitted(TIANHE)
    for outsider in (factories.officer(YUEXIU), factories.citizen()):
        client = _client(outsider)
        assert client.get(f"/govinfo/{request.pk}/").status_code == 404
        assert client.post(f"/govinfo/{request.pk}/act/accept/").status_code == 404
    assert request.reference not in _client(factories.officer(YUEXIU)).get("/govinfo/staff/").content.decode()


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_the_buttons_carry_the_fields_of_each_step_and_a_bad_input_is_refused_in_chinese():
    request = factories.accepted(TIANHE)
    client = _client(factories.head_of_office(TIANHE))
    page = client.get(f"/govinfo/{request.pk}/").content.decode()
    # Drawn from the steps' input schemas: the extension's reason and days (1–20), the answer's reply types.
    assert 'name="reason"' in page and 'name="days"' in page and 'max="20"' in page
    assert "信息不存在" in page and 'name="reply_text"' in page
    assert "答复期限" in page and "剩余 20 个工作日" in page
    response = client.post(
        f"/govinfo/{request.pk}/act/extend/", {"reason": "需检索档案", "days": "30"}, follow=True
    )
    assert "提交的内容有误：延长的工作日数（最长 20 个工作日）：数值过大" in response.content.decode()
    assert GovInfoRequest.objects.get(pk=request.pk).status == "accepted"
    response = client.post(
        f"/govinfo/{request.pk}/act/extend/", {"reason": "需检索档案", "days": ""}, follow=True
    )
    assert "已延期答复" in response.content.decode()
    assert GovInfoRequest.objects.get(pk=request.pk).extended_due_on.isoformat() == "2026-11-27"
    assert client.post(f"/govinfo/{request.pk}/act/approve/").status_code == 404


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_the_applicant_sends_the_correction_with_files_from_the_page():
    request = factories.submitted(TIANHE)
    office = _client(factories.officer(TIANHE))
    detail = office.get(f"/govinfo/{request.pk}/").content.decode()
    assert "补正告知期限" in detail and "2026-10-13" in detail
    office.post(f"/govinfo/{request.pk}/act/request_correction/", {"notice": "请写明年份"})
    applicant = _client(request.applicant)
    page = applicant.get(f"/govinfo/{request.pk}/").content.decode()
    assert 'type="file"' in page and "提交补正" in page
    upload = SimpleUploadedFile("补正.pdf", b"%PDF-1.4 fix", content_type="application/pdf")
    response = applicant.post(
        f"/govinfo/{request.pk}/act/resubmit/",
        {"description": "2025年度年报", "files": [upload]},
        follow=True,
    )
    assert "已提交补正" in response.content.decode()
    assert "补正.pdf" in [a.original_name for a in request_files(request)]


def test_the_staff_list_shows_days_left_and_sorts_by_them():
    with time_machine.travel("2026-09-10 09:00 +0800", tick=False):
        later = factories.accepted(TIANHE)
    with time_machine.travel("2026-09-01 09:00 +0800", tick=False):
        sooner = factories.accepted(TIANHE)
    client = _client(factories.officer(TIANHE))
    with time_machine.travel("2026-09-25 09:00 +0800", tick=False):
        page = client.get("/govinfo/staff/", {"ordering": "remaining_days"}).content.decode()
    assert page.index(sooner.reference) < page.index(later.reference)
    assert "剩余 2 个工作日" in page and "ordering=-created_at" in page
    with time_machine.travel("2026-10-12 09:00 +0800", tick=False):
        page = client.get("/govinfo/staff/").content.decode()
    assert page.index(later.reference) < page.index(sooner.reference)
    assert "已超期" in page and "ordering=remaining_days" in page
