"""Subjects from intake to release (社区矫正法 第二十一条、第二十二条、第二十四条、第二十五条、第四十四条、第四十五条):
validation with Chinese messages, the late-report warning, the 矫正小组 rules, the release certificate and the
ledger, termination by category, and jurisdiction isolation (a 司法所 sees only its 街道)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.testing import Place, assert_audited
from smartjustice.correction import archives, subject_queries, subjects
from smartjustice.correction.choices import CorrectionAuditEvent, Gender, GroupRole, SubjectStatus
from smartjustice.correction.models import ArchiveItem, CorrectionSubject, Geofence
from smartjustice.ledger.models import LedgerEntry
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


@pytest.fixture
def head():
    return places.head()


def intake(actor, **fields):
    return subjects.intake_subject(actor=actor, **places.intake_payload(**fields))


def _error(excinfo) -> tuple[str, dict]:
    return excinfo.value.message, excinfo.value.fields or {}


# --- intake -------------------------------------------------------------------------------------------------------


def test_intake_derives_gender_birth_and_first_report_and_anchors_in_ledger(officer):
    id_number = makers.person_id(sex="女")
    subject = intake(officer, id_number=id_number, level="strict")
    assert subject.gender == Gender.FEMALE
    assert subject.birth_date is not None
    assert subject.agency == places.agency()
    assert subject.jurisdiction_id == places.TIANHE
    assert subject.number.startswith("440106-")
    assert subject.next_report_due_at is not None
    assert subject.next_report_due_at > timezone.now()
    assert subject.warnings == []
    assert_audited(CorrectionAuditEvent.SUBJECT_INTAKE, obj=subject, actor=officer)
    entry = LedgerEntry.objects.filter(kind="correction.intake").order_by("-pk").first()
    assert entry is not None
    assert subject.id_number.encode() not in bytes(entry.payload)  # only a hash of the ID number


def test_intake_refuses_bad_input_with_chinese_messages(officer):
    with pytest.raises(ValidationFailed) as bad_id:
        intake(officer, id_number="440106199001011234")
    assert "id_number" in _error(bad_id)[1]
    with pytest.raises(ValidationFailed) as bad_category:
        intake(officer, category="detention")
    assert "管制、缓刑、假释或暂予监外执行" in _error(bad_category)[0]
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as bad_term:
        intake(officer, starts_on=today, ends_on=today - timedelta(days=1), judgment_effective_on=today)
    assert _error(bad_term)[1].keys() == {"ends_on"}
    with pytest.raises(ValidationFailed) as future:
        intake(officer, judgment_effective_on=today + timedelta(days=3))
    assert "不能晚于今天" in _error(future)[0]
    assert not CorrectionSubject.objects.exists()


def test_a_report_after_ten_days_is_received_with_a_warning(officer):
    today = timezone.localdate()
    subject = intake(
        officer,
        judgment_effective_on=today - timedelta(days=20),
        starts_on=today - timedelta(days=20),
        intake_on=today,
    )
    assert subject.status == SubjectStatus.ACTIVE
    assert (
        len(subject.warnings) == 1 and "十日" in subject.warnings[0] and "第二十一条" in subject.warnings[0]
    )


def test_temporary_outside_execution_has_no_self_report_deadline(officer):
    today = timezone.localdate()
    subject = intake(
        officer,
        category="temporary_outside",
        judgment_effective_on=today - timedelta(days=30),
        starts_on=today - timedelta(days=30),
        intake_on=today,
    )
    assert subject.warnings == []


def test_one_open_term_per_person(officer):
    id_number = makers.person_id()
    first = intake(officer, id_number=id_number)
    with pytest.raises(ValidationFailed) as again:
        intake(officer, id_number=id_number)
    assert first.number in _error(again)[0]


def test_a_minor_is_recognised_from_the_id_number(officer):
    from datetime import date

    today = timezone.localdate()
    id_number = makers.person_id(born=date(today.year - 16, 3, 1))
    assert intake(officer, id_number=id_number).is_minor


def test_a_station_registers_its_own_entrusted_subject():
    ws = places.officer(places.WUSHAN)
    places.agency()
    subject = intake(ws)
    assert subject.station == places.station()
    assert subject.agency == places.agency()
    assert subject.jurisdiction_id == places.WUSHAN


def test_no_intake_outside_the_own_jurisdiction():
    yx = places.officer(places.YUEXIU)
    with pytest.raises(PermissionDenied):
        intake(yx, agency=places.agency(places.TIANHE).pk)


def test_intake_sets_the_county_as_allowed_area_when_the_boundary_is_available(officer, monkeypatch):
    from smartjustice.correction import subjects as module

    polygon = {
        "type": "Polygon",
        "coordinates": [[[113.3, 23.1], [113.4, 23.1], [113.4, 23.2], [113.3, 23.1]]],
    }
    monkeypatch.setattr(module, "_boundary_geometry", lambda subject: polygon)
    subject = intake(officer)
    fence = Geofence.objects.get(subject=subject, is_active=True)
    assert fence.kind == "allowed" and fence.source == "county_boundary" and "天河区" in fence.name


# --- isolation ----------------------------------------------------------------------------------------------------


def test_a_station_sees_only_its_street_and_the_county_sees_all(officer):
    county = Place(places.TIANHE, places.agency())
    in_wushan = makers.subject(county, jurisdiction_id=places.WUSHAN, station=places.station())
    elsewhere = makers.subject(county)
    yuexiu = makers.subject(Place(places.YUEXIU, places.agency(places.YUEXIU)))
    ws = places.officer(places.WUSHAN)
    assert set(subject_queries.list_subjects(ws)) == {in_wushan}
    assert set(subject_queries.list_subjects(officer)) == {in_wushan, elsewhere}
    assert yuexiu not in subject_queries.list_subjects(officer)
    own = makers.subject_account(elsewhere)
    assert list(subject_queries.list_subjects(own)) == [elsewhere]


# --- group and plan ---------------------------------------------------------------------------------------------


def test_plan_of_a_woman_needs_a_woman_in_the_group(officer):
    subject = intake(officer, id_number=makers.person_id(sex="女"))
    with pytest.raises(ValidationFailed) as empty:
        subjects.update_plan(subject, actor=officer, plan="每月走访一次")
    assert "矫正小组" in _error(empty)[0]
    subjects.save_group_member(
        subject, actor=officer, role=GroupRole.STATION, name="李所员", gender=Gender.MALE
    )
    with pytest.raises(ValidationFailed) as no_woman:
        subjects.update_plan(subject, actor=officer, plan="每月走访一次")
    assert "女性成员" in _error(no_woman)[0] and "第二十五条" in _error(no_woman)[0]
    subjects.save_group_member(
        subject, actor=officer, role=GroupRole.SOCIAL_WORKER, name="王社工", gender=Gender.FEMALE
    )
    subjects.update_plan(subject, actor=officer, plan="每月走访一次")
    subject.refresh_from_db()
    assert subject.correction_plan == "每月走访一次"
    assert_audited(CorrectionAuditEvent.PLAN_UPDATED, obj=subject, actor=officer)


def test_plan_of_a_minor_needs_someone_who_knows_minors(officer):
    from datetime import date

    today = timezone.localdate()
    subject = intake(officer, id_number=makers.person_id(born=date(today.year - 15, 1, 1)))
    subjects.save_group_member(
        subject, actor=officer, role=GroupRole.STATION, name="李所员", gender=Gender.MALE
    )
    with pytest.raises(ValidationFailed) as refused:
        subjects.update_plan(subject, actor=officer, plan="学校配合帮教")
    assert "未成年人" in _error(refused)[0]
    subjects.save_group_member(
        subject, actor=officer, role=GroupRole.EMPLOYER, name="陈老师", gender=Gender.MALE, knows_minors=True
    )
    assert subjects.update_plan(subject, actor=officer, plan="学校配合帮教").correction_plan == "学校配合帮教"


def test_contacts_are_registered_with_their_phone_checked(officer):
    subject = intake(officer)
    with pytest.raises(ValidationFailed) as bad:
        subjects.save_contact(subject, actor=officer, relation="parent", name="张父", phone="12")
    assert "phone" in _error(bad)[1]
    contact = subjects.save_contact(
        subject, actor=officer, relation="guardian", name="张母", phone="13800001111"
    )
    assert contact.is_guardian
    assert_audited(CorrectionAuditEvent.CONTACT_SAVED, obj=contact, actor=officer)


def test_the_account_must_be_the_subjects_own(officer):
    subject = intake(officer)
    other = makers.subject(Place(places.TIANHE, places.agency()))
    stranger = makers.subject_account(other)
    with pytest.raises(ValidationFailed):
        subjects.link_account(subject, actor=officer, user=stranger)


# --- release and termination ------------------------------------------------------------------------------------


def _expired(place_code=places.TIANHE):
    today = timezone.localdate()
    return makers.subject(
        Place(place_code, places.agency(place_code)),
        starts_on=today - timedelta(days=200),
        ends_on=today - timedelta(days=1),
        judgment_effective_on=today - timedelta(days=205),
        intake_on=today - timedelta(days=200),
    )


def test_release_before_the_end_of_term_is_refused(head):
    subject = makers.subject(Place(places.TIANHE, places.agency()))
    with pytest.raises(ValidationFailed) as early:
        subjects.release_subject(subject, actor=head)
    assert "尚未期满" in _error(early)[0]


def test_only_the_head_releases(officer):
    with pytest.raises(PermissionDenied):
        subjects.release_subject(_expired(), actor=officer)


def test_release_issues_the_certificate_files_it_and_anchors_it(head):
    subject = _expired()
    subject.geofences.create(
        kind="allowed", source="custom", name="家", geometry={"type": "Polygon", "coordinates": []}
    )
    subjects.release_subject(subject, actor=head)
    subject.refresh_from_db()
    assert subject.status == SubjectStatus.RELEASED
    assert subject.released_on == timezone.localdate()
    assert subject.release_certificate_number.startswith("天矫解")
    item = ArchiveItem.objects.get(subject=subject, title="解除社区矫正证明书")
    assert item.attachment.content_type == "application/pdf"
    assert item.attachment.document_number == subject.release_certificate_number
    assert item.retain_until.year == subject.released_on.year + 30
    assert not subject.geofences.filter(is_active=True).exists()
    assert LedgerEntry.objects.filter(kind="correction.release").exists()
    assert_audited(CorrectionAuditEvent.SUBJECT_RELEASED, obj=subject, actor=head)
    with pytest.raises(TransitionNotAllowed):
        subjects.release_subject(subject, actor=head)


def test_pardon_needs_its_basis(head):
    subject = makers.subject(Place(places.TIANHE, places.agency()))
    with pytest.raises(ValidationFailed):
        subjects.release_subject(subject, actor=head, reason="pardoned")
    subjects.release_subject(subject, actor=head, reason="pardoned", note="2026年特赦令")
    assert subject.status == SubjectStatus.RELEASED


def test_termination_must_fit_the_category(head):
    parolee = makers.subject(Place(places.TIANHE, places.agency()), category="parole")
    with pytest.raises(ValidationFailed) as wrong:
        subjects.terminate_subject(parolee, actor=head, reason="probation_revoked")
    assert "假释" in _error(wrong)[0] and "第四十五条" in _error(wrong)[0]
    subjects.terminate_subject(parolee, actor=head, reason="parole_revoked", note="（2026）粤0106刑更1号")
    parolee.refresh_from_db()
    assert parolee.status == SubjectStatus.TERMINATED and parolee.termination_reason == "parole_revoked"
    assert LedgerEntry.objects.filter(kind="correction.termination").exists()
    assert_audited(CorrectionAuditEvent.SUBJECT_TERMINATED, obj=parolee, actor=head)


# --- archives -----------------------------------------------------------------------------------------------------


def test_archive_folder_exports_as_zip_and_one_pdf(head):
    import io
    import zipfile

    subject = _expired()
    subjects.release_subject(subject, actor=head)
    archives.file_item(subject, actor=head, kind="judgment", title="刑事判决书", content="判决书正文……")
    found = archives.folder(subject)
    assert {e.title for e in found.entries} >= {"解除社区矫正证明书", "刑事判决书"}
    data = archives.export_zip(subject, actor=head)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        index = json.loads(archive.read("目录.json"))
    assert any(name.endswith(".pdf") for name in names)
    assert len(index["items"]) == 2
    pdf = archives.export_pdf(subject, actor=head)
    assert pdf.startswith(b"%PDF")
    import pypdfium2

    assert len(pypdfium2.PdfDocument(pdf)) >= 2  # the cover and the certificate's page
    assert_audited(CorrectionAuditEvent.ARCHIVE_EXPORTED, obj=subject, actor=head, count=2)


def test_a_minors_archive_leaves_only_with_a_lawful_purpose(officer):
    subject = makers.subject(Place(places.TIANHE, places.agency()), is_minor=True)
    with pytest.raises(ValidationFailed) as refused:
        archives.export_zip(subject, actor=officer)
    assert "第五十四条" in _error(refused)[0]
    assert archives.export_zip(subject, actor=officer, purpose="天河区人民法院办案需要（调阅函2026-12号）")


def test_items_past_retention_are_disposed(officer):
    subject = _expired()
    item = archives.file_item(subject, actor=officer, kind="record", title="走访记录", content="……")
    assert archives.dispose_expired_items(today=item.retain_until) == 0
    assert archives.dispose_expired_items(today=item.retain_until + timedelta(days=1)) == 1
    item.refresh_from_db()
    assert item.disposed_on is not None


def test_retention_counts_from_the_actual_end(head):
    subject = makers.subject(Place(places.TIANHE, places.agency()), category="parole")
    item = archives.file_item(subject, actor=head, kind="record", title="谈话记录", content="……")
    assert item.retain_until.year == subject.ends_on.year + 30
    subjects.terminate_subject(subject, actor=head, reason="deceased")
    item.refresh_from_db()
    assert item.retain_until == timezone.localdate().replace(year=timezone.localdate().year + 30)
