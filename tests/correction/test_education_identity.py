"""Identity checks and learning hours (《社区矫正法》第二十六条 信息化核查, 第三十六条 教育): a real face model matches
the live photo against the intake photo; where the model cannot be imported, a random-digit live photo waits for an
officer; hours are credited only when the checks passed or were approved."""

from __future__ import annotations

import base64
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.models import AuditEntry
from smartjustice.core.testing import (
    COUNTY_A,
    COUNTY_B,
    ApiClient,
    Place,
    assert_audited,
    make_staff,
    organisation_in,
)
from smartjustice.correction import education, identity, rules
from smartjustice.correction.choices import CorrectionAuditEvent
from smartjustice.correction.education_queries import identity_review_tile, monthly_hours
from smartjustice.correction.models import (
    AssignmentStatus,
    IdentityCheck,
    IdentityMethod,
    IdentityStatus,
    LearningAssignment,
    LearningSession,
    LearningTask,
    SessionStatus,
)
from tests.correction import education_makers as f
from tests.correction import makers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def own():
    return Place(COUNTY_A, organisation_in(COUNTY_A))


@pytest.fixture
def officer(own):
    return make_staff(own.code, "correction_officer", organisation=own.organisation, real_name="矫正工作人员")


@pytest.fixture
def subject(own):
    return f.intake_photo(makers.subject(own))


@pytest.fixture
def no_face_model(monkeypatch):
    """A machine without face_recognition: the importer fails as it would there (nothing fakes a match)."""

    def missing():
        raise ImportError("No module named 'face_recognition'")

    monkeypatch.setattr(identity, "_import_face_library", missing)


def _verify(subject, data, actor, **kwargs):
    return identity.verify_identity(subject, image_bytes=data, purpose="learning", actor=actor, **kwargs)


# --- face matching -------------------------------------------------------------------------------------------------


def test_the_same_face_passes_with_its_score_stored(subject, officer):
    check = _verify(subject, f.collins_live_bytes(), officer)
    check.refresh_from_db()
    assert check.method == IdentityMethod.FACE
    assert check.status == IdentityStatus.PASSED and check.passed is True
    assert check.threshold == rules.FACE_MATCH_THRESHOLD.value
    assert 0 <= check.score < check.threshold
    assert check.photo is not None and check.photo.owner_object() == check
    assert_audited(CorrectionAuditEvent.IDENTITY_VERIFIED, obj=check, actor=officer)


def test_a_wrong_face_is_refused_and_its_score_stored(subject, officer):
    check = _verify(subject, f.hopper_bytes(), officer)
    check.refresh_from_db()
    assert check.status == IdentityStatus.REFUSED and check.passed is False
    assert check.score > check.threshold
    assert "不是同一人" in check.reason
    assert check.photo_id is not None  # the refused photo is kept for a later look


def test_the_subject_checks_themselves_through_their_account(subject):
    account = makers.subject_account(subject)
    check = _verify(subject, f.collins_live_bytes(), account)
    assert check.passed is True and check.requested_by == account


def test_no_face_several_faces_and_unreadable_files_are_refused_with_a_reason(subject, officer):
    with pytest.raises(ValidationFailed, match="没有检测到人脸"):
        _verify(subject, f.no_face_bytes(), officer)
    with pytest.raises(ValidationFailed, match="检测到 2 张人脸"):
        _verify(subject, f.two_faces_bytes(), officer)
    with pytest.raises(ValidationFailed, match="JPG 或 PNG"):
        _verify(subject, b"GIF89a not a photo", officer)
    with pytest.raises(ValidationFailed, match="现场照片"):
        _verify(subject, b"", officer)
    with pytest.raises(ValidationFailed, match="无法读取照片"):
        _verify(subject, b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, officer)
    with pytest.raises(ValidationFailed, match="无法读取照片"):
        _verify(subject, f.collins_bytes()[:300], officer)  # a truncated upload
    assert not IdentityCheck.objects.filter(subject=subject).exists()


def test_face_matching_needs_an_intake_photo(own, officer):
    bare = makers.subject(own)
    assert identity.identity_method(bare) == IdentityMethod.CHALLENGE
    with pytest.raises(ValidationFailed, match="尚未采集入矫照片"):
        _verify(bare, f.collins_live_bytes(), officer)


def test_an_intake_photo_without_a_face_is_reported(own, officer):
    blank = f.intake_photo(makers.subject(own), f.no_face_bytes())
    with pytest.raises(ValidationFailed, match="入矫照片中没有检测到人脸"):
        _verify(blank, f.collins_live_bytes(), officer)


def test_staff_of_another_county_cannot_check_the_subject(subject):
    peer = make_staff(COUNTY_B, "correction_officer", organisation=organisation_in(COUNTY_B))
    with pytest.raises(PermissionDenied):
        _verify(subject, f.collins_live_bytes(), peer)
    with pytest.raises(PermissionDenied):
        identity.issue_challenge(subject, purpose="learning", actor=peer)


# --- the live challenge where the model is missing ---------------------------------------------------------------


def test_without_the_model_the_check_offers_the_challenge(subject, officer, no_face_model):
    assert identity.face_library() is None
    assert identity.identity_method(subject) == IdentityMethod.CHALLENGE
    with pytest.raises(ValidationFailed, match="请先获取随机核验数字"):
        _verify(subject, f.collins_live_bytes(), officer)


def test_the_setting_turns_face_matching_off(subject, settings):
    settings.CORRECTION_FACE_MATCHING = False
    assert identity.identity_method(subject) == IdentityMethod.CHALLENGE


def test_a_challenge_photo_waits_for_an_officer_and_never_passes_by_itself(subject, officer, no_face_model):
    account = makers.subject_account(subject)
    issued = identity.issue_challenge(subject, purpose="learning", actor=account)
    assert issued.status == IdentityStatus.ISSUED and len(issued.challenge_digits) == 6
    check = _verify(subject, f.collins_live_bytes(), account, challenge_answer=issued.challenge_digits)
    assert check.pk == issued.pk
    assert check.status == IdentityStatus.PENDING and check.passed is None
    assert check.photo_id is not None
    with pytest.raises(PermissionDenied):  # the subject cannot approve their own check
        identity.review_identity_check(check, actor=account, approve=True, reason="是我")
    with pytest.raises(ValidationFailed, match="复核意见"):
        identity.review_identity_check(check, actor=officer, approve=True, reason=" ")
    reviewed = identity.review_identity_check(check, actor=officer, approve=True, reason="本人，数字一致")
    assert (
        reviewed.status == IdentityStatus.PASSED
        and reviewed.passed is True
        and reviewed.reviewed_by == officer
    )
    assert_audited(CorrectionAuditEvent.IDENTITY_REVIEWED, obj=reviewed, actor=officer)
    with pytest.raises(TransitionNotAllowed):
        identity.review_identity_check(reviewed, actor=officer, approve=False, reason="再复核一次")


def test_wrong_digits_are_refused_at_once(subject, officer, no_face_model):
    issued = identity.issue_challenge(subject, purpose="learning", actor=officer)
    wrong = "0" * 6 if issued.challenge_digits != "0" * 6 else "1" * 6
    check = _verify(subject, f.collins_live_bytes(), officer, challenge_answer=wrong)
    assert check.status == IdentityStatus.REFUSED and check.passed is False
    assert "不一致" in check.reason


def test_an_expired_challenge_must_be_fetched_again(subject, officer, no_face_model):
    issued = identity.issue_challenge(subject, purpose="learning", actor=officer)
    later = timezone.now() + timedelta(minutes=rules.CHALLENGE_VALID_MINUTES.value + 1)
    with time_machine.travel(later), pytest.raises(ValidationFailed, match="已过期"):
        _verify(subject, f.collins_live_bytes(), officer, challenge_answer=issued.challenge_digits)


def test_a_new_challenge_withdraws_the_unanswered_one(subject, officer):
    first = identity.issue_challenge(subject, purpose="learning", actor=officer)
    identity.issue_challenge(subject, purpose="learning", actor=officer)
    first.refresh_from_db()
    assert first.status == IdentityStatus.REFUSED


# --- learning hours ------------------------------------------------------------------------------------------------


def _challenge(subject, actor):
    issued = identity.issue_challenge(subject, purpose="learning", actor=actor)
    return _verify(subject, f.collins_live_bytes(), actor, challenge_answer=issued.challenge_digits)


def test_hours_from_a_challenge_are_credited_only_after_the_officer_approves(
    own, subject, officer, no_face_model
):
    account = makers.subject_account(subject)
    assignment = f.assignment(own, subject=subject)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        opening = _challenge(subject, account)
        session = education.start_session(assignment, actor=account, identity_check=opening)
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        closing = _challenge(subject, account)
        session = education.finish_session(session, actor=account, identity_check=closing)
    assert session.status == SessionStatus.PENDING and session.hours_credited == 0
    assert session.hours_attended == Decimal("2.0")

    identity.review_identity_check(opening, actor=officer, approve=True, reason="本人，数字一致")
    session.refresh_from_db()
    assert session.status == SessionStatus.PENDING  # the closing check still waits
    identity.review_identity_check(closing, actor=officer, approve=True, reason="本人，数字一致")
    session.refresh_from_db()
    assignment.refresh_from_db()
    assert session.status == SessionStatus.CREDITED and session.hours_credited == Decimal("2.0")
    assert assignment.completed_hours == Decimal("2.0") and assignment.status == AssignmentStatus.IN_PROGRESS
    assert monthly_hours(subject, today=timezone.localdate(session.started_at))[0].credited == Decimal("2.0")


def test_a_refused_challenge_credits_nothing(own, subject, officer, no_face_model):
    assignment = f.assignment(own, subject=subject)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        session = education.start_session(
            assignment, actor=officer, identity_check=_challenge(subject, officer)
        )
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        session = education.finish_session(
            session, actor=officer, identity_check=_challenge(subject, officer)
        )
    other = make_staff(own.code, "correction_officer", organisation=own.organisation)
    identity.review_identity_check(
        session.identity_check, actor=other, approve=False, reason="照片中不是本人"
    )
    session.refresh_from_db()
    assignment.refresh_from_db()
    assert session.status == SessionStatus.NOT_CREDITED and session.hours_credited == 0
    assert assignment.completed_hours == 0


def test_a_wrong_face_neither_opens_nor_closes_a_session(own, subject, officer):
    assignment = f.assignment(own, subject=subject)
    refused = _verify(subject, f.hopper_bytes(), officer)
    with pytest.raises(ValidationFailed, match="身份核验未通过"):
        education.start_session(assignment, actor=officer, identity_check=refused)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        session = education.start_session(
            assignment, actor=officer, identity_check=_verify(subject, f.collins_live_bytes(), officer)
        )
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        wrong = _verify(subject, f.hopper_bytes(), officer)
        with pytest.raises(ValidationFailed, match="身份核验未通过"):
            education.finish_session(session, actor=officer, identity_check=wrong)
    session.refresh_from_db()
    assignment.refresh_from_db()
    assert session.status == SessionStatus.OPEN and session.hours_credited == 0
    assert assignment.completed_hours == 0


def test_face_checked_hours_are_credited_up_to_the_session_cap_and_the_task(own, subject, officer):
    assignment = f.assignment(own, subject=subject)  # 8 hours
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        session = education.start_session(
            assignment, actor=officer, identity_check=_verify(subject, f.collins_live_bytes(), officer)
        )
    with time_machine.travel(start + timedelta(hours=6), tick=False):
        session = education.finish_session(
            session, actor=officer, identity_check=_verify(subject, f.collins_live_bytes(), officer)
        )
    assert session.status == SessionStatus.CREDITED
    assert session.hours_credited == Decimal(rules.SESSION_HOURS_CAP.value)
    assert_audited(CorrectionAuditEvent.LEARNING_SESSION_FINISHED, obj=session, actor=officer)


def test_a_check_opens_one_session_only_and_only_while_fresh(own, subject, officer):
    assignment = f.assignment(own, subject=subject)
    check = f.passed_check(subject)
    education.start_session(assignment, actor=officer, identity_check=check)
    other = f.assignment(own, subject=subject)
    LearningSession.objects.filter(subject=subject).update(status=SessionStatus.NOT_CREDITED)
    with pytest.raises(ValidationFailed, match="已用于其他学习记录"):
        education.start_session(other, actor=officer, identity_check=check)
    stale = f.passed_check(subject, submitted_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(ValidationFailed, match="请重新核验"):
        education.start_session(other, actor=officer, identity_check=stale)


def test_assigning_respects_the_term_and_assigns_a_task_once(own, officer):
    person = makers.subject(own)
    task = f.task(own)
    with pytest.raises(ValidationFailed, match="矫正期满"):
        education.assign_task(person, actor=officer, task=task, due_on=person.ends_on + timedelta(days=1))
    made = education.assign_task(
        person, actor=officer, task=task, due_on=timezone.localdate() + timedelta(days=7)
    )
    assert made.required_hours == task.hours
    assert_audited(CorrectionAuditEvent.LEARNING_ASSIGNED, obj=made, actor=officer)
    with pytest.raises(ValidationFailed, match="已布置"):
        education.assign_task(
            person, actor=officer, task=task, due_on=timezone.localdate() + timedelta(days=7)
        )


def test_the_monthly_record_shows_the_shortfall(own, subject):
    rows = monthly_hours(subject)
    assert rows and rows[0].required == Decimal(rules.MONTHLY_LEARNING_HOURS.value)
    assert rows[0].shortfall == rows[0].required - rows[0].credited


# --- through the API -----------------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_api_face_check_then_session(own, subject, officer):
    client = ApiClient(officer)
    assignment = f.assignment(own, subject=subject)
    answer = client.post(
        "correction/identity-checks",
        {"subject_id": subject.pk, "purpose": "learning", "image_base64": _b64(f.collins_live_bytes())},
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["passed"] is True and body["score"] < body["threshold"]
    started = client.post(
        "correction/education/sessions", {"assignment_id": assignment.pk, "identity_check_id": body["id"]}
    )
    assert started.status_code == 201, started.content
    wrong = client.post(
        "correction/identity-checks",
        {"subject_id": subject.pk, "purpose": "learning", "image_base64": _b64(f.hopper_bytes())},
    ).json()
    assert wrong["passed"] is False and wrong["score"] > wrong["threshold"]
    refused = client.post(
        f"correction/education/sessions/{started.json()['id']}/finish", {"identity_check_id": wrong["id"]}
    )
    assert refused.status_code == 422
    no_face = client.post(
        "correction/identity-checks",
        {"subject_id": subject.pk, "purpose": "learning", "image_base64": _b64(f.no_face_bytes())},
    )
    assert no_face.status_code == 422 and "没有检测到人脸" in no_face.json()["message"]


def test_api_subject_sees_only_their_own_checks(own, subject, officer):
    mine = f.passed_check(subject)
    theirs = f.passed_check(makers.subject(own))
    account = makers.subject_account(subject)
    listed = {row["id"] for row in ApiClient(account).get("correction/identity-checks").json()["items"]}
    assert mine.pk in listed and theirs.pk not in listed
    assert ApiClient(account).get(f"correction/identity-checks/{theirs.pk}").status_code == 404
    # nor can they check someone else
    other = makers.subject(own)
    answer = ApiClient(account).post(
        "correction/identity-checks",
        {"subject_id": other.pk, "purpose": "learning", "image_base64": _b64(f.collins_live_bytes())},
    )
    assert answer.status_code == 404


def test_api_review_by_peer_county_is_not_found(own, officer):
    check = f.identity_check(own)
    peer = make_staff(COUNTY_B, "correction_officer", organisation=organisation_in(COUNTY_B))
    answer = ApiClient(peer).post(
        f"correction/identity-checks/{check.pk}/review", {"approve": True, "reason": "好"}
    )
    assert answer.status_code == 404
    check.refresh_from_db()
    assert check.status == IdentityStatus.PENDING
    assert not AuditEntry.objects.filter(event=CorrectionAuditEvent.IDENTITY_REVIEWED).exists()


# --- pages ---------------------------------------------------------------------------------------------------------


def test_the_workbench_tile_counts_pending_reviews(own, officer):
    f.identity_check(own)
    tile = identity_review_tile(officer)
    assert tile.count == 1 and tile.items[0].href.startswith("/correction/identity-checks/")
    peer = make_staff(COUNTY_B, "correction_officer", organisation=organisation_in(COUNTY_B))
    assert identity_review_tile(peer).count == 0


def test_review_queue_page_shows_the_photo_and_the_digits(client, own, officer):
    check = f.identity_check(own)
    check.photo = f.intake_photo(check.subject).photo
    check.save()
    client.force_login(officer)
    queue = client.get("/correction/identity-checks/")
    assert queue.status_code == 200 and check.subject.name in queue.content.decode()
    page = client.get(f"/correction/identity-checks/{check.pk}/")
    html = page.content.decode()
    assert "402816" in html and f"/correction/identity-checks/{check.pk}/photo/" in html
    assert client.get(f"/correction/identity-checks/{check.pk}/photo/").status_code == 200
    done = client.post(
        f"/correction/identity-checks/{check.pk}/review/",
        {"decision": "refuse", "reason": "照片模糊，无法辨认"},
    )
    assert done.status_code == 302
    check.refresh_from_db()
    assert check.status == IdentityStatus.REFUSED and check.reviewed_by == officer


def test_subject_record_page_lists_hours_and_sessions(client, own, subject, officer):
    f.assignment(own, subject=subject)
    client.force_login(officer)
    page = client.get(f"/correction/education/subjects/{subject.pk}/")
    assert page.status_code == 200
    assert "每月学习时长" in page.content.decode() and "宪法和社区矫正法学习" in page.content.decode()
    peer = make_staff(COUNTY_B, "correction_officer", organisation=organisation_in(COUNTY_B))
    client.force_login(peer)
    assert client.get(f"/correction/education/subjects/{subject.pk}/").status_code == 404


def test_pages_publish_a_task_and_assign_it(client, own, officer):
    person = makers.subject(own)
    client.force_login(officer)
    made = client.post(
        "/correction/education/tasks/new/",
        {"title": "禁毒法治讲座", "kind": "law", "hours": "2", "content": "", "is_active": "on"},
    )
    assert made.status_code == 302, made.content.decode()[:500]
    task = LearningTask.objects.get(title="禁毒法治讲座")
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    assigned = client.post(
        "/correction/education/assignments/new/", {"subject_id": person.pk, "task_id": task.pk, "due_on": due}
    )
    assert assigned.status_code == 302, assigned.content.decode()[:500]
    assert LearningAssignment.objects.filter(subject=person, task=task).exists()
    again = client.post(
        "/correction/education/assignments/new/", {"subject_id": person.pk, "task_id": task.pk, "due_on": due}
    )
    assert again.status_code == 422 and "已布置" in again.content.decode()
    listed = client.get("/correction/education/assignments/")
    assert person.name in listed.content.decode()
