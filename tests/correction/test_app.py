"""粤矫通 (the subject app at /correction/app/ and /api/v1/correction/app/) and the 司法所 kiosk (/correction/kiosk/):
a subject sees and acts on only their own records; staff accounts and other subjects are kept out; a check-in and a
leave request go through the app to the reporting and approval services; the kiosk refuses an ID number of nobody
under correction in its area and a face that is not the subject's, and checks in with channel kiosk otherwise."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from smartjustice.core.testing import COUNTY_A, COUNTY_B, Place, api_client, make_staff, organisation_in
from smartjustice.correction.models import ApprovalRequest, CheckIn, CorrectionSubject
from tests.correction import makers, reporting_makers

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
HOME = "/correction/app/"
KIOSK = "/correction/kiosk/"
TIANHE_CENTRE = {"latitude": "23.124800", "longitude": "113.361200", "accuracy_m": "12"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def place(db):
    reporting_makers.hub_catalogue()  # check-ins are published to the hub's correction.daily_report
    return Place(COUNTY_A, organisation_in(COUNTY_A))


@pytest.fixture
def subject(place) -> CorrectionSubject:
    obj = makers.subject(place, name="王小明", next_report_due_at=timezone.now() + timedelta(days=3))
    makers.subject_account(obj)
    return obj


@pytest.fixture
def other_subject(place) -> CorrectionSubject:
    obj = makers.subject(place, name="李另一")
    makers.subject_account(obj)
    return obj


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def png(colour=(200, 120, 80)) -> io.BytesIO:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "live.png"
    return buffer


def check_in_through_app(client, **fields):
    data = {"report": "本周在单位正常上班，周末在家。", "photo": png(), **TIANHE_CENTRE, **fields}
    return client.post(f"{HOME}check-in/", data)


# --- own records only ----------------------------------------------------------------------------------------------


def test_the_subject_sees_their_own_term_and_next_report(subject, other_subject):
    page = signed_in(subject.account).get(HOME)
    assert page.status_code == 200
    text = page.content.decode()
    assert "王小明" in text and subject.get_category_display() in text
    assert "下次报告" in text and timezone.localtime(subject.next_report_due_at).strftime("%Y-%m-%d") in text
    assert "李另一" not in text
    assert subject.id_number not in text  # the app never prints the ID number


def test_staff_and_accounts_without_a_term_are_kept_out(subject, place):
    officer = make_staff(COUNTY_A, "correction_officer", organisation=place.organisation)
    assert signed_in(officer).get(HOME).status_code == 403
    citizen = makers.subject_account(makers.subject(place))
    CorrectionSubject.objects.filter(account=citizen).update(account=None)
    assert signed_in(citizen).get(HOME).status_code == 404
    assert Client().get(HOME).status_code in (302, 401)


def test_another_subjects_check_in_and_request_answer_not_found(subject, other_subject):
    client = signed_in(other_subject.account)
    assert check_in_through_app(client).status_code == 302
    theirs = CheckIn.objects.get(subject=other_subject)
    mine = signed_in(subject.account)
    assert mine.get(f"{HOME}check-ins/{theirs.pk}/").status_code == 404
    assert mine.get(f"{HOME}check-ins/{theirs.pk}/receipt/").status_code == 404
    assert api_client(subject.account).get(f"correction/app/check-ins/{theirs.pk}/receipt").status_code == 404
    listed = api_client(subject.account).get("correction/app/check-ins").json()
    assert listed["items"] == []


# --- check-in through the app ----------------------------------------------------------------------------------------


def test_a_check_in_through_the_app_is_recorded_with_position_photo_and_a_receipt(subject):
    client = signed_in(subject.account)
    response = check_in_through_app(client)
    assert response.status_code == 302, response.content[:500]
    item = CheckIn.objects.get(subject=subject)
    assert response["Location"] == f"{HOME}check-ins/{item.pk}/"
    assert item.channel == "app" and item.photo_id is not None
    assert item.latitude == pytest.approx(23.1248) and item.accuracy_m == pytest.approx(12)
    subject.refresh_from_db()
    assert subject.next_report_due_at > timezone.now() + timedelta(days=5)  # the next period began

    done = client.get(response["Location"]).content.decode()
    assert "已签到" in done and "下载签到回执" in done
    receipt = client.get(f"{HOME}check-ins/{item.pk}/receipt/")
    assert receipt.status_code == 200 and "attachment" in receipt["Content-Disposition"]
    assert json.loads(b"".join(receipt.streaming_content) if receipt.streaming else receipt.content)


def test_a_check_in_without_the_phones_position_is_refused_with_a_visible_reason(subject):
    response = check_in_through_app(signed_in(subject.account), latitude="", longitude="", accuracy_m="")
    assert response.status_code == 200
    assert "请允许定位" in response.content.decode()
    assert not CheckIn.objects.filter(subject=subject).exists()


def test_a_check_in_through_the_api(subject):
    client = api_client(subject.account)
    response = client.client.post(  # multipart: the photo travels with the form fields
        "/api/v1/correction/app/check-ins",
        {"report": "在家", "photo": png(), "latitude": "23.12", "longitude": "113.36"},
    )
    assert response.status_code == 201, response.content[:300]
    assert response.json()["channel"] == "app"
    me = client.get("correction/app/me").json()
    assert me["name"] == "王小明" and "id_number" not in me


# --- leave request through the app --------------------------------------------------------------------------------


def test_a_leave_request_through_the_app_reaches_approvals_and_shows_its_progress(subject):
    client = signed_in(subject.account)
    today = timezone.localdate()
    response = client.post(
        f"{HOME}requests/new/",
        {
            "kind": "leave",
            "destination": "广州市白云区 姐姐家",
            "reason": "探望生病的姐姐",
            "starts_on": (today + timedelta(days=2)).isoformat(),
            "ends_on": (today + timedelta(days=4)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content[:800]
    request = ApprovalRequest.objects.get(subject=subject)
    assert request.kind == "leave" and request.submitted_by == subject.account
    detail = client.get(response["Location"]).content.decode()
    assert "探望生病的姐姐" in detail and request.get_status_display() in detail
    assert "广州市白云区 姐姐家" in client.get(f"{HOME}requests/").content.decode()
    home = client.get(HOME).content.decode()
    assert "办理进度" in home  # the open request is on the to-do list
    assert f"requests/{request.pk}/withdraw/" in detail
    client.post(f"{HOME}requests/{request.pk}/withdraw/")
    request.refresh_from_db()
    assert request.status == "withdrawn"
    after = client.get(f"{HOME}requests/{request.pk}/").content.decode()
    assert f"requests/{request.pk}/withdraw/" not in after and "已撤回" in after


def test_a_leave_request_ending_before_it_starts_is_refused(subject):
    today = timezone.localdate()
    response = signed_in(subject.account).post(
        f"{HOME}requests/new/",
        {
            "kind": "leave",
            "destination": "佛山",
            "reason": "办事",
            "starts_on": (today + timedelta(days=4)).isoformat(),
            "ends_on": (today + timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 200 and "结束日期不能早于开始日期" in response.content.decode()
    assert not ApprovalRequest.objects.exists()


# --- the kiosk ------------------------------------------------------------------------------------------------------


@pytest.fixture
def station_officer(place):
    return make_staff(COUNTY_A, "correction_officer", organisation=place.organisation)


def test_the_kiosk_refuses_a_wrong_id_number(subject, station_officer):
    kiosk = signed_in(station_officer)
    assert kiosk.get(KIOSK).status_code == 200
    malformed = kiosk.post(KIOSK, {"id_number": "44010619850501123"})
    assert malformed.status_code == 200 and "kiosk-verify" not in malformed.get("Location", "")
    assert "correction_kiosk" not in kiosk.session
    nobody = makers.person_id()  # a valid number of nobody under correction
    refused = kiosk.post(KIOSK, {"id_number": nobody})
    assert refused.status_code == 200
    assert "未找到该身份证号码对应的本所在矫人员" in refused.content.decode()
    elsewhere = makers.subject(Place(COUNTY_B, organisation_in(COUNTY_B)))
    refused = kiosk.post(KIOSK, {"id_number": elsewhere.id_number})
    assert "未找到该身份证号码对应的本所在矫人员" in refused.content.decode()
    assert kiosk.get(f"{KIOSK}verify/").status_code == 302  # nobody identified: back to the start


def test_the_kiosk_refuses_a_face_that_is_not_the_subjects(subject, station_officer):
    from smartjustice.core.attachments import store_attachment

    photo = store_attachment((DATA / "face_collins.jpg").read_bytes(), actor=None, filename="intake.jpg")
    CorrectionSubject.objects.filter(pk=subject.pk).update(photo=photo)
    kiosk = signed_in(station_officer)
    assert kiosk.post(KIOSK, {"id_number": subject.id_number})["Location"] == f"{KIOSK}verify/"
    wrong = io.BytesIO((DATA / "face_hopper.jpg").read_bytes())
    wrong.name = "live.jpg"
    response = kiosk.post(f"{KIOSK}verify/", {"photo": wrong})
    assert response.status_code == 302 and response["Location"] == KIOSK
    assert kiosk.get(f"{KIOSK}check-in/").status_code == 302  # no check-in without a passed check
    assert not CheckIn.objects.filter(subject=subject).exists()


def test_the_kiosk_identifies_by_id_number_and_challenge_then_checks_in(subject, station_officer, settings):
    settings.CORRECTION_FACE_MATCHING = False  # no face model: random digits and an officer's review
    kiosk = signed_in(station_officer)
    assert kiosk.post(KIOSK, {"id_number": subject.id_number.lower()})["Location"] == f"{KIOSK}verify/"
    page = kiosk.get(f"{KIOSK}verify/").content.decode()
    assert "王*" in page and "王小明" not in page  # masked on a screen others may see
    assert kiosk.post(f"{KIOSK}challenge/").status_code == 302
    digits = subject.identity_checks.get(status="issued").challenge_digits
    assert digits in kiosk.get(f"{KIOSK}verify/").content.decode()
    response = kiosk.post(f"{KIOSK}verify/", {"photo": png(), "challenge_answer": digits})
    assert response["Location"] == f"{KIOSK}check-in/"
    done = kiosk.post(f"{KIOSK}check-in/", {"report": "在司法所自助报到"})
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    item = CheckIn.objects.get(subject=subject)
    assert item.channel == "kiosk" and item.recorded_by == station_officer
    assert item.identity_check.status == "pending"  # kept for an officer's review
    assert "correction_kiosk" not in kiosk.session  # the terminal forgot the subject


def test_the_kiosk_forgets_the_subject_after_the_idle_time(subject, station_officer, settings):
    settings.CORRECTION_FACE_MATCHING = False
    kiosk = signed_in(station_officer)
    kiosk.post(KIOSK, {"id_number": subject.id_number})
    session = kiosk.session
    state = session["correction_kiosk"]
    state["at"] -= 10_000
    session["correction_kiosk"] = state
    session.save()
    assert kiosk.get(f"{KIOSK}verify/").status_code == 302


def test_a_subject_account_cannot_use_the_kiosk(subject):
    assert signed_in(subject.account).get(KIOSK).status_code == 403


# --- the PWA shell and the portal card --------------------------------------------------------------------------------


def test_the_app_is_installable(subject):
    client = signed_in(subject.account)
    home = client.get(HOME).content.decode()
    assert '<link rel="manifest" href="/correction/app/manifest.webmanifest">' in home
    manifest = json.loads(Client().get(f"{HOME}manifest.webmanifest").content)
    assert manifest["scope"] == HOME and manifest["start_url"] == HOME and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert Client().get(icon["src"]).status_code == 200
    worker = Client().get(f"{HOME}sw.js")
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert "/correction/app/offline/" in worker.content.decode()
    offline = Client().get(f"{HOME}offline/")
    assert offline.status_code == 200 and "网络未连接" in offline.content.decode()


def test_the_app_card_is_shown_to_subjects_only(subject, place):
    assert "粤矫通" in signed_in(subject.account).get("/portal/").content.decode()
    citizen = makers.subject_account(makers.subject(place))
    CorrectionSubject.objects.filter(account=citizen).update(account=None)
    assert "粤矫通" not in signed_in(citizen).get("/portal/").content.decode()


# --- learning with the identity check ---------------------------------------------------------------------------------


def test_learning_through_the_app_needs_an_identity_check_before_it_starts(subject, place, settings):
    from tests.correction import education_makers

    settings.CORRECTION_FACE_MATCHING = False  # random digits and an officer's review
    assignment = education_makers.assignment(place, subject=subject)
    client = signed_in(subject.account)
    url = f"{HOME}learning/{assignment.pk}/"
    assert assignment.task.title in client.get(f"{HOME}learning/").content.decode()
    page = client.get(url).content.decode()
    assert "获取随机核验数字" in page and f"learning/{assignment.pk}/start/" not in page
    client.post(f"{url}start/")  # refused: no identity check yet
    assert not assignment.sessions.exists()

    client.post(f"{url}challenge/")
    digits = subject.identity_checks.get(status="issued").challenge_digits
    assert digits in client.get(url).content.decode()
    client.post(
        f"{url}verify/", {"photo": png(), "challenge_answer": "000000" if digits != "000000" else "111111"}
    )
    assert subject.identity_checks.filter(status="refused").exists()  # wrong digits: refused at once
    client.post(f"{url}challenge/")
    digits = subject.identity_checks.get(status="issued").challenge_digits
    client.post(f"{url}verify/", {"photo": png(), "challenge_answer": digits})
    assert f"learning/{assignment.pk}/start/" in client.get(url).content.decode()
    client.post(f"{url}start/")
    session = assignment.sessions.get()
    assert session.status == "open" and session.identity_check.status == "pending"
    assert "结束前核验本人身份" in client.get(url).content.decode()  # a second check before finishing
    assert signed_in(makers.subject_account(makers.subject(place))).get(url).status_code == 404
