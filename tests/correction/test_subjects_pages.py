"""The subject pages: the list (search, filters, pages, empty state), intake with its validation messages, one subject
with personal data masked until the logged reveal, release from the page, the archive folder, the transfer pages on
both sides, the navigation item and the workbench tile."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import Place, assert_audited
from smartjustice.correction import subjects
from smartjustice.correction.models import CorrectionSubject
from tests.correction import makers
from tests.correction import subject_makers as places

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer():
    return places.officer()


@pytest.fixture
def county():
    return Place(places.TIANHE, places.agency())


def test_list_searches_filters_and_pages(officer, county):
    makers.subject(county, name="王五山", category="parole")
    for n in range(22):
        makers.subject(county, name=f"批量对象{n:02d}")
    client = browser(officer)
    page = client.get(reverse("correction:subject-list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "社区矫正对象" in text and "入矫登记" in text and "page=2" in text
    found = client.get(reverse("correction:subject-list"), {"q": "王五山"}).content.decode()
    assert "王五山" in found and "批量对象00" not in found
    parole = client.get(reverse("correction:subject-list"), {"category": "parole"}).content.decode()
    assert "王五山" in parole and "批量对象01" not in parole
    none = client.get(reverse("correction:subject-list"), {"q": "不存在的人"}).content.decode()
    assert "没有符合条件的社区矫正对象" in none


def test_empty_list_invites_intake(officer):
    text = browser(officer).get(reverse("correction:subject-list")).content.decode()
    assert "暂无社区矫正对象" in text and reverse("correction:subject-intake") in text


def test_intake_form_shows_validation_messages_and_registers(officer):
    client = browser(officer)
    assert client.get(reverse("correction:subject-intake")).status_code == 200
    payload = places.intake_payload(
        id_number="440106199001011230",
        offence_type="traffic",
        level="ordinary",
        employment="employed",
        family_situation="stable",
    )
    payload = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in payload.items()}
    refused = client.post(reverse("correction:subject-intake"), payload)
    assert refused.status_code == 200
    assert "invalid-feedback" in refused.content.decode()
    assert not CorrectionSubject.objects.exists()
    payload["id_number"] = makers.person_id()
    payload["ends_on"] = payload["starts_on"]
    refused = client.post(reverse("correction:subject-intake"), payload).content.decode()
    assert "矫正期满日期须晚于矫正起始日期" in refused
    payload["ends_on"] = (timezone.localdate() + timedelta(days=90)).isoformat()
    done = client.post(reverse("correction:subject-intake"), payload)
    subject = CorrectionSubject.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "correction:subject-detail", args=[subject.pk]
    )


def test_detail_masks_personal_data_until_the_logged_reveal(officer, county):
    subject = makers.subject(county)
    client = browser(officer)
    page = client.get(reverse("correction:subject-detail", args=[subject.pk])).content.decode()
    assert subject.id_number not in page and subject.phone not in page and "显示完整信息" in page
    revealed = client.post(reverse("correction:subject-reveal", args=[subject.pk])).content.decode()
    assert subject.id_number in revealed
    assert_audited(AuditEvent.PII_VIEWED, obj=subject, actor=officer)
    peer = browser(places.officer(places.YUEXIU))
    assert peer.get(reverse("correction:subject-detail", args=[subject.pk])).status_code == 404
    assert peer.post(reverse("correction:subject-reveal", args=[subject.pk])).status_code == 404


def test_station_account_sees_only_its_street(county):
    mine = makers.subject(county, name="五山对象", jurisdiction_id=places.WUSHAN, station=places.station())
    other = makers.subject(county, name="石牌对象")
    client = browser(places.officer(places.WUSHAN))
    text = client.get(reverse("correction:subject-list")).content.decode()
    assert "五山对象" in text and "石牌对象" not in text
    assert client.get(reverse("correction:subject-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("correction:subject-detail", args=[other.pk])).status_code == 404


def test_group_rule_shows_on_the_plan_form(officer, county):
    subject = makers.subject(county, gender="female")
    client = browser(officer)
    client.post(
        reverse("correction:subject-member-add", args=[subject.pk]),
        {"role": "station", "name": "李所员", "gender": "male"},
    )
    refused = client.post(reverse("correction:subject-plan", args=[subject.pk]), {"plan": "每周报告"})
    assert refused.status_code == 200 and "女性成员" in refused.content.decode()


def test_head_releases_from_the_page_and_the_archive_lists_the_certificate(county):
    today = timezone.localdate()
    subject = makers.subject(county, starts_on=today - timedelta(days=90), ends_on=today - timedelta(days=1))
    officer_page = browser(places.officer()).get(reverse("correction:subject-detail", args=[subject.pk]))
    assert "release-form" not in officer_page.content.decode()  # only the head releases
    head = browser(places.head())
    assert (
        "release-form" in head.get(reverse("correction:subject-detail", args=[subject.pk])).content.decode()
    )
    done = head.post(reverse("correction:subject-release", args=[subject.pk]), {"reason": "expired"})
    assert done.status_code == 302
    archive = head.get(reverse("correction:subject-archive", args=[subject.pk])).content.decode()
    assert "解除社区矫正证明书" in archive
    pdf = head.get(reverse("correction:subject-archive-pdf", args=[subject.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_transfer_pages_on_both_sides(officer):
    subject = makers.subject(Place(places.TIANHE, places.agency()), name="迁居对象")
    sender = browser(officer)
    done = sender.post(
        reverse("correction:subject-transfer", args=[subject.pk]),
        {"to_agency": places.agency(places.YUEXIU).pk, "new_address": "越秀区北京路1号", "reason": "迁居"},
    )
    assert done.status_code == 302
    transfer = subject.transfers.get()
    assert "迁居对象" in sender.get(reverse("correction:transfer-list")).content.decode()
    receiver = browser(places.head(places.YUEXIU))
    incoming = receiver.get(reverse("correction:transfer-list"), {"direction": "in"}).content.decode()
    assert "迁居对象" in incoming
    detail = receiver.get(reverse("correction:transfer-detail", args=[transfer.pk])).content.decode()
    assert "越秀区北京街道司法所" in detail or "accept-station" in detail
    receiver.post(
        reverse("correction:transfer-act", args=[transfer.pk, "accept"]),
        {"station_id": str(places.station(places.BEIJING_STREET).pk)},
    )
    subject.refresh_from_db()
    assert subject.jurisdiction_id == places.BEIJING_STREET
    assert sender.get(reverse("correction:subject-detail", args=[subject.pk])).status_code == 404
    assert sender.get(reverse("correction:transfer-detail", args=[transfer.pk])).status_code == 200


def test_navigation_and_workbench_tile(officer, county):
    today = timezone.localdate()
    makers.subject(county, name="即将期满", ends_on=today + timedelta(days=10))
    from smartjustice.core.modules import modules

    tile = next(t for m in modules() for t in m.tiles if t.key == "correction.subjects")
    content = tile.content_for(officer)
    assert content.count == 1 and "即将期满" in content.items[0].title
    page = browser(officer).get(reverse("correction:subject-list")).content.decode()
    assert 'href="/correction/subjects/"' in page


def test_subjects_service_refusals_reach_the_page(officer, county):
    subject = makers.subject(county)
    text = browser(officer).post(
        reverse("correction:subject-release", args=[subject.pk]), {"reason": "expired"}
    )
    assert text.status_code == 200
    assert "解除社区矫正和终止须由社区矫正机构负责人办理" in text.content.decode()
    assert subjects  # the service module the page called


def test_information_is_edited_only_after_the_logged_reveal(officer, county):
    subject = makers.subject(county)
    client = browser(officer)
    masked = client.get(reverse("correction:subject-detail", args=[subject.pk])).content.decode()
    assert "update-form" not in masked  # the form would show the phone and address in full
    revealed = client.post(reverse("correction:subject-reveal", args=[subject.pk])).content.decode()
    assert "update-form" in revealed
    done = client.post(
        reverse("correction:subject-update", args=[subject.pk]),
        {
            "phone": "13700001111",
            "address": subject.address,
            "level": "strict",
            "employment": "unemployed",
            "family_situation": "stable",
        },
    )
    assert done.status_code == 302
    subject.refresh_from_db()
    assert subject.level == "strict" and subject.phone == "13700001111"
    refused = client.post(
        reverse("correction:subject-update", args=[subject.pk]),
        {
            "phone": "123",
            "address": "",
            "level": "strict",
            "employment": "employed",
            "family_situation": "stable",
        },
    )
    assert refused.status_code == 200 and "invalid-feedback" in refused.content.decode()
