"""The subjects API as a client sees it: intake with its warnings and field errors in Chinese, masked personal data
and the audited reveal, plan, account, release with the certificate download, filing and exporting the archive, and a
subject's own account seeing only their own record."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import ApiClient, Place, assert_api_error, assert_audited
from smartjustice.correction.choices import CorrectionAuditEvent
from tests.correction import makers
from tests.correction import subject_makers as places

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []


@pytest.fixture
def officer():
    return places.officer()


def _payload(**fields):
    return {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in places.intake_payload(**fields).items()
    }


def test_intake_answers_the_record_masked_with_the_late_report_warning(officer):
    today = timezone.localdate()
    body = _payload(
        judgment_effective_on=today - timedelta(days=15),
        starts_on=today - timedelta(days=15),
        intake_on=today,
    )
    response = ApiClient(officer).post("correction/subjects", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["pii_masked"] is True
    assert data["id_number"] != body["id_number"] and "*" in data["id_number"]
    assert data["warnings"] and "十日" in data["warnings"][0]
    assert data["agency"]["name"] == "广州市天河区社区矫正管理局"


def test_intake_errors_name_the_field_in_chinese(officer):
    response = ApiClient(officer).post("correction/subjects", _payload(id_number="44010619900101123X"))
    assert_api_error(response, 422, "validation_failed", fields=["id_number"])
    response = ApiClient(officer).post("correction/subjects", _payload(ends_on="2020-01-01"))
    assert_api_error(response, 422, "validation_failed", fields=["ends_on"])


def test_reveal_is_audited_and_refused_outside_the_jurisdiction(officer):
    subject = makers.subject(Place(places.TIANHE, places.agency()))
    client = ApiClient(officer)
    assert client.get(f"correction/subjects/{subject.pk}").json()["id_number"] != subject.id_number
    revealed = client.post(f"correction/subjects/{subject.pk}/reveal")
    assert revealed.status_code == 200
    assert revealed.json()["id_number"] == subject.id_number and revealed.json()["pii_masked"] is False
    assert_audited(AuditEvent.PII_VIEWED, obj=subject, actor=officer)
    peer = ApiClient(places.officer(places.YUEXIU))
    assert peer.post(f"correction/subjects/{subject.pk}/reveal").status_code == 404


def test_a_subject_sees_only_their_own_record():
    place = Place(places.TIANHE, places.agency())
    own, other = makers.subject(place), makers.subject(place)
    client = ApiClient(makers.subject_account(own))
    listed = client.get("correction/subjects").json()["items"]
    assert [row["id"] for row in listed] == [own.pk]
    assert client.get(f"correction/subjects/{other.pk}").status_code == 404
    assert client.patch(f"correction/subjects/{own.pk}", {"phone": "13700000000"}).status_code == 404


def test_plan_account_release_and_certificate_download(officer):
    today = timezone.localdate()
    subject = makers.subject(
        Place(places.TIANHE, places.agency()),
        gender="female",
        starts_on=today - timedelta(days=100),
        ends_on=today,
    )
    client = ApiClient(officer)
    refused = client.put(f"correction/subjects/{subject.pk}/plan", {"plan": "每周电话报告"})
    assert_api_error(refused, 422, "validation_failed", fields=["plan"])
    member = client.post(
        "correction/group-members",
        {"subject_id": subject.pk, "role": "station", "name": "黄所员", "gender": "female"},
    )
    assert member.status_code == 201
    assert client.put(f"correction/subjects/{subject.pk}/plan", {"plan": "每周电话报告"}).status_code == 200

    account = makers.subject_account(makers.subject(Place(places.TIANHE, places.agency())))
    wrong = client.put(f"correction/subjects/{subject.pk}/account", {"username": account.username})
    assert_api_error(wrong, 422, "validation_failed", fields=["username"])

    assert (
        client.post(f"correction/subjects/{subject.pk}/release", {}).status_code == 403
    )  # an officer, not the head
    head = ApiClient(places.head())
    released = head.post(f"correction/subjects/{subject.pk}/release", {"reason": "expired"})
    assert released.status_code == 200, released.content
    number = released.json()["release_certificate_number"]
    assert released.json()["status"] == "released" and number
    folder = client.get(f"correction/subjects/{subject.pk}/archive").json()
    certificate = next(e for e in folder["entries"] if e["title"] == "解除社区矫正证明书")
    download = client.get(f"correction/subjects/{subject.pk}/files/{certificate['attachment_id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    peer = ApiClient(places.officer(places.YUEXIU))
    assert (
        peer.get(f"correction/subjects/{subject.pk}/files/{certificate['attachment_id']}").status_code == 404
    )


def test_filing_and_exporting_the_archive(officer):
    subject = makers.subject(Place(places.TIANHE, places.agency()))
    client = ApiClient(officer)
    upload = SimpleUploadedFile(
        "judgment.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n", "application/pdf"
    )
    filed = client.client.post(
        f"/api/v1/correction/subjects/{subject.pk}/archive/items",
        {"kind": "judgment", "title": "刑事判决书", "file": upload},
    )
    assert filed.status_code == 201, filed.content
    assert_audited(CorrectionAuditEvent.ARCHIVE_ITEM_ADDED, actor=officer)
    missing = client.client.post(
        f"/api/v1/correction/subjects/{subject.pk}/archive/items", {"kind": "record", "title": "空记录"}
    )
    assert_api_error(missing, 422, "validation_failed", fields=["content"])
    exported = client.get(f"correction/subjects/{subject.pk}/archive/zip")
    assert exported.status_code == 200 and exported["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        assert any(name.endswith("judgment.pdf") for name in archive.namelist())
    assert_audited(CorrectionAuditEvent.ARCHIVE_EXPORTED, obj=subject, actor=officer)
    assert (
        ApiClient(places.officer(places.YUEXIU))
        .get(f"correction/subjects/{subject.pk}/archive/zip")
        .status_code
        == 404
    )
