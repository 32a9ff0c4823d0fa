"""Attachments: checked on the way in, stored by content with SHA-256 and SM3, tampering detected, downloads logged."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from smartjustice.core import attachments
from smartjustice.core.choices import AuditEvent
from smartjustice.core.errors import NotFound, ValidationFailed
from smartjustice.core.testing import ApiClient, assert_api_error, assert_audited
from tests.core.factories import TIANHE, YUEXIU
from tests.govinfo import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_stored_file_keeps_both_digests_and_a_content_addressed_path():
    request = factories.submitted(TIANHE)
    attachment = attachments.store_attachment(
        SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf"),
        actor=request.applicant,
        owner=request,
    )
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.sm3 == hashlib.new("sm3", PDF).hexdigest()
    assert attachment.size == len(PDF)
    assert (
        attachment.file.name
        == f"attachments/{attachment.sha256[:2]}/{attachment.sha256[2:4]}/{attachment.sha256}"
    )
    assert (attachment.original_name, attachment.content_type) == ("申请书.pdf", "application/pdf")
    assert (attachment.owner_type, attachment.owner_id, attachment.jurisdiction_code) == (
        "govinfo.govinforequest",
        str(request.pk),
        TIANHE,
    )
    # The same content again is stored once.
    again = attachments.store_attachment(PDF, filename="副本.pdf", actor=request.applicant, owner=request)
    assert again.file.name == attachment.file.name and again.pk != attachment.pk
    assert attachments.verify_attachment(attachment).ok


def test_tampering_with_the_stored_file_is_detected():
    request = factories.submitted(TIANHE)
    attachment = attachments.store_attachment(
        _docx_bytes(), filename="说明.docx", actor=request.applicant, owner=request
    )
    path = default_storage.path(attachment.file.name)
    with open(path, "r+b") as stored:
        stored.seek(10)
        stored.write(b"X")
    result = attachments.verify_attachment(attachment)
    assert not result.ok and not result.sha256_ok and not result.sm3_ok
    assert result.message == "校验失败：文件内容已被篡改或损坏"
    default_storage.delete(attachment.file.name)
    assert attachments.verify_attachment(attachment).message.startswith("文件缺失")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("程序.exe", b"MZ\x90\x00", "不支持的文件类型：.exe"),
        ("无扩展名", b"hello", "不支持的文件类型"),
        ("伪装.pdf", b"MZ\x90\x00not a pdf", "文件内容与扩展名 .pdf 不符"),
        ("伪装.docx", b"PK\x03\x04broken zip", "文件内容与扩展名 .docx 不符"),
        ("空文件.txt", b"", "是空文件"),
        ("二进制.txt", b"abc\x00def", "二进制"),
    ],
)
def test_files_of_the_wrong_kind_are_refused_in_chinese(name, content, message):
    request = factories.submitted(TIANHE)
    with pytest.raises(ValidationFailed) as excinfo:
        attachments.store_attachment(content, filename=name, actor=request.applicant, owner=request)
    assert message in excinfo.value.message
    assert "file" in excinfo.value.fields


def test_files_over_the_limit_are_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    request = factories.submitted(TIANHE)
    with pytest.raises(ValidationFailed) as excinfo:
        attachments.store_attachment(
            b"%PDF-" + b"0" * 2000, filename="大.pdf", actor=request.applicant, owner=request
        )
    assert "超过" in excinfo.value.message and "上限" in excinfo.value.message


def test_chinese_text_in_gb18030_is_accepted():
    request = factories.submitted(TIANHE)
    attachment = attachments.store_attachment(
        "情况说明".encode("gb18030"), filename="说明.txt", actor=request.applicant, owner=request
    )
    assert attachment.content_type.startswith("text/plain")


def test_reading_follows_the_owning_record():
    request = factories.submitted(TIANHE)
    attachment = attachments.store_attachment(
        PDF, filename="申请书.pdf", actor=request.applicant, owner=request
    )
    assert attachments.get_attachment_for(request.applicant, attachment.pk) == attachment
    assert attachments.get_attachment_for(factories.officer(TIANHE), attachment.pk) == attachment
    for outsider in (factories.officer(YUEXIU), factories.citizen()):
        with pytest.raises(NotFound):
            attachments.get_attachment_for(outsider, attachment.pk)
    with pytest.raises(NotFound):
        attachments.get_attachment_for(request.applicant, 99999999)


def test_api_download_is_logged_and_metadata_and_verification_are_served():
    request = factories.submitted(TIANHE)
    attachment = attachments.store_attachment(
        PDF, filename="申请书.pdf", actor=request.applicant, owner=request
    )
    officer = factories.officer(TIANHE)
    api = ApiClient(officer)
    meta = api.get(f"/attachments/{attachment.pk}").json()
    assert meta["sm3"] == attachment.sm3 and meta["download_url"].endswith(
        f"/attachments/{attachment.pk}/download"
    )
    response = api.get(meta["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert_audited(AuditEvent.ATTACHMENT_DOWNLOADED, obj=attachment, actor=officer)
    assert api.get(f"/attachments/{attachment.pk}/verify").json() == {
        "ok": True,
        "sha256_ok": True,
        "sm3_ok": True,
        "message": "校验通过：文件与上传时一致",
    }
    outsider = ApiClient(factories.officer(YUEXIU))
    for path in ("", "/download", "/verify"):
        assert_api_error(outsider.get(f"/attachments/{attachment.pk}{path}"), 404, "not_found")
    assert_api_error(ApiClient(None).get(f"/attachments/{attachment.pk}"), 401, "not_authenticated")
