"""政府信息公开申请 through the HTTP API, as the applicant and the handling office experience it."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from smartjustice.core.choices import AuditEvent
from smartjustice.core.models import Attachment, Notification, TransitionRecord
from smartjustice.core.testing import (
    ApiClient,
    assert_api_error,
    assert_audited,
    assert_jurisdiction_isolation,
    items_of,
)
from smartjustice.govinfo.models import GovInfoRequest
from tests.core.factories import TIANHE, YUEXIU

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_citizen_applies_tianhe_answers_and_the_applicant_downloads_the_reply(
    django_capture_on_commit_callbacks,
):
    applicant = factories.citizen(real_name="李明")
    citizen_api = ApiClient(applicant)
    tianhe = factories.bureau(TIANHE)

    # The citizen applies online and attaches a supporting document.
    response = citizen_api.post(
        "/govinfo/requests",
        {
            "organisation_id": tianhe.pk,
            "description": "2025年天河区行政执法统计年报",
            "delivery_method": "online",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "submitted" and created["status_label"] == "已提交"
    assert created["due_on"] is None  # the period starts when receipt is confirmed (第三十一条)
    assert [t["name"] for t in created["transitions"]] == ["withdraw"]
    request_id = created["id"]
    upload = SimpleUploadedFile("身份证明.pdf", b"%PDF-1.4\n% scan\n", content_type="application/pdf")
    response = citizen_api.client.post(
        f"/api/v1/govinfo/requests/{request_id}/materials", {"files": [upload]}
    )
    assert response.status_code == 201, response.content
    assert response.json()[0]["purpose"] == "申请材料"

    # An officer of another county cannot see it: the same 404 as for a request that does not exist.
    yuexiu_api = ApiClient(factories.officer(YUEXIU))
    missing = yuexiu_api.get("/govinfo/requests/999999")
    assert_api_error(missing, 404, "not_found")
    assert yuexiu_api.get(f"/govinfo/requests/{request_id}").json() == missing.json()
    assert_api_error(
        yuexiu_api.post(f"/govinfo/requests/{request_id}/transitions/accept", {}), 404, "not_found"
    )
    assert request_id not in {row["id"] for row in items_of(yuexiu_api.get("/govinfo/requests"))}

    # The Tianhe officer registers it: received today, answer due in 20 working days (across National Day).
    officer = factories.officer(TIANHE, real_name="王芳")
    officer_api = ApiClient(officer)
    detail = officer_api.get(f"/govinfo/requests/{request_id}").json()
    assert {t["name"] for t in detail["transitions"]} == {"accept", "request_correction"}
    assert detail["applicant_id_number"] == applicant.id_number  # 工作人员有查看个人信息权限，且留痕
    assert_audited(AuditEvent.PII_VIEWED, actor=officer, object_id=str(request_id))
    response = officer_api.post(f"/govinfo/requests/{request_id}/transitions/accept", {"comment": "材料齐全"})
    assert response.status_code == 200, response.content
    accepted = response.json()
    assert accepted["status"] == "accepted"
    assert accepted["received_on"] == "2026-09-28"
    assert accepted["due_on"] == "2026-10-30"
    assert accepted["remaining_working_days"] == 20

    # It answers; the reply letter is generated as PDF and Word and the applicant is told.
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_api.post(
            f"/govinfo/requests/{request_id}/transitions/answer",
            {
                "reply_type": "disclosed",
                "reply_text": "现向您提供该年报，请在平台下载。",
            },
        )
    assert response.status_code == 200, response.content
    answered = response.json()
    assert answered["status"] == "answered"
    assert answered["reply_number"] == "天司信复〔2026〕1号"
    assert answered["transitions"] == []
    letters = [a for a in answered["attachments"] if a["purpose"] == "政府信息公开申请答复书"]
    assert sorted(a["original_name"].rsplit(".", 1)[1] for a in letters) == ["docx", "pdf"]
    assert [h["transition"] for h in answered["history"]] == ["accept", "answer"]
    assert_audited(AuditEvent.DOCUMENT_GENERATED, actor=officer, object_id=str(request_id))
    assert_audited(AuditEvent.WORKFLOW_TRANSITION, actor=officer, object_id=str(request_id), count=2)

    # The applicant has notifications (registered, answered) and downloads the reply letter.
    inbox = items_of(citizen_api.get("/notifications"))
    assert [n["title"] for n in inbox][0].endswith("已答复")
    assert citizen_api.get("/notifications/unread-count").json() == {"count": 2}
    pdf = next(a for a in letters if a["original_name"].endswith(".pdf"))
    response = citizen_api.get(pdf["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert_audited(AuditEvent.ATTACHMENT_DOWNLOADED, actor=applicant, object_id=str(pdf["id"]))
    assert citizen_api.get(f"/attachments/{pdf['id']}/verify").json()["ok"] is True
    # …which the other county cannot.
    assert_api_error(yuexiu_api.get(pdf["download_url"]), 404, "not_found")


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_extension_needs_the_head_of_office_and_adds_at_most_twenty_working_days():
    request = factories.accepted(TIANHE)
    officer_api = ApiClient(factories.officer(TIANHE))
    response = officer_api.post(
        f"/govinfo/requests/{request.pk}/transitions/extend", {"reason": "需要征求第三方意见"}
    )
    assert_api_error(response, 403, "permission_denied")

    head_api = ApiClient(factories.head_of_office(TIANHE))
    assert_api_error(
        head_api.post(
            f"/govinfo/requests/{request.pk}/transitions/extend", {"reason": "需检索大量档案", "days": 21}
        ),
        422,
        "validation_failed",
        fields=["days"],
    )
    response = head_api.post(
        f"/govinfo/requests/{request.pk}/transitions/extend", {"reason": "需检索大量档案"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status_label"] == "已延期"
    assert body["due_on"] == "2026-10-30"
    assert body["extended_due_on"] == "2026-11-27"
    assert body["effective_due_on"] == "2026-11-27"
    assert Notification.objects.filter(recipient=request.applicant, title__contains="延长").exists()
    # Extended once; a second extension is not a step the workflow has.
    assert_api_error(
        head_api.post(f"/govinfo/requests/{request.pk}/transitions/extend", {"reason": "再延"}),
        409,
        "transition_not_allowed",
    )


def test_a_step_not_allowed_in_the_current_state_is_a_conflict_in_chinese():
    request = factories.submitted(TIANHE)
    response = ApiClient(factories.officer(TIANHE)).post(
        f"/govinfo/requests/{request.pk}/transitions/answer",
        {"reply_type": "disclosed", "reply_text": "答复"},
    )
    body = assert_api_error(response, 409, "transition_not_allowed")
    assert "已提交" in body["message"]
    assert GovInfoRequest.objects.get(pk=request.pk).status == "submitted"
    assert not TransitionRecord.objects.filter(object_id=str(request.pk)).exists()


@time_machine.travel("2026-11-02 10:00 +0800", tick=False)
def test_correction_restarts_the_period_from_the_corrected_application():
    applicant = factories.citizen()
    request = factories.submitted(TIANHE, applicant=applicant)
    officer_api = ApiClient(factories.officer(TIANHE))
    assert_api_error(
        officer_api.post(f"/govinfo/requests/{request.pk}/transitions/request_correction", {"notice": ""}),
        422,
        "validation_failed",
    )
    response = officer_api.post(
        f"/govinfo/requests/{request.pk}/transitions/request_correction",
        {"notice": "请写明所需年报的年份，5个工作日内补正"},
    )
    assert response.json()["status"] == "correction_requested"
    with time_machine.travel("2026-11-05 10:00 +0800", tick=False):
        citizen_api, officer_api = ApiClient(applicant), ApiClient(officer_api.user)  # fresh sessions
        response = citizen_api.post(
            f"/govinfo/requests/{request.pk}/transitions/resubmit", {"description": "2025年度执法统计年报"}
        )
        assert response.json()["status"] == "submitted"
        # 一次性告知: the office cannot send it back a second time, only register it.
        detail = officer_api.get(f"/govinfo/requests/{request.pk}").json()
        assert [t["name"] for t in detail["transitions"]] == ["accept"]
        assert_api_error(
            officer_api.post(
                f"/govinfo/requests/{request.pk}/transitions/request_correction", {"notice": "再补正"}
            ),
            409,
            "transition_not_allowed",
        )
        response = officer_api.post(f"/govinfo/requests/{request.pk}/transitions/accept", {})
        assert response.json()["received_on"] == "2026-11-05"  # 第三十条: the period runs from the correction
        assert response.json()["due_on"] == "2026-12-03"


def test_only_portal_users_apply_and_only_to_a_justice_bureau():
    officer_api = ApiClient(factories.officer(TIANHE))
    body = {
        "organisation_id": factories.bureau(TIANHE).pk,
        "description": "某信息",
        "delivery_method": "online",
    }
    assert_api_error(officer_api.post("/govinfo/requests", body), 403, "permission_denied")
    citizen_api = ApiClient(factories.citizen())
    assert_api_error(
        citizen_api.post("/govinfo/requests", {**body, "organisation_id": 999999}), 404, "not_found"
    )
    assert_api_error(
        citizen_api.post("/govinfo/requests", {**body, "delivery_method": "post"}),
        422,
        "validation_failed",
        fields=["address"],
    )
    assert_api_error(ApiClient(None).post("/govinfo/requests", body), 401, "not_authenticated")


def test_applicant_withdraws_and_an_other_citizen_cannot():
    request = factories.submitted(TIANHE)
    other_api = ApiClient(factories.citizen())
    assert_api_error(
        other_api.post(f"/govinfo/requests/{request.pk}/transitions/withdraw", {}), 404, "not_found"
    )
    response = ApiClient(request.applicant).post(
        f"/govinfo/requests/{request.pk}/transitions/withdraw", {"reason": "不再需要"}
    )
    assert response.json()["status_label"] == "已撤回"


def test_materials_must_be_an_allowed_type():
    request = factories.submitted(TIANHE)
    client = ApiClient(request.applicant).client
    upload = SimpleUploadedFile("病毒.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(f"/api/v1/govinfo/requests/{request.pk}/materials", {"files": [upload]})
    body = assert_api_error(response, 422, "validation_failed", fields=["file"])
    assert "不支持的文件类型" in body["message"]
    assert not Attachment.objects.filter(owner_id=str(request.pk)).exists()


def test_staff_see_only_their_jurisdiction():
    assert_jurisdiction_isolation(
        make_record=lambda code: factories.submitted(code),
        list_url="/govinfo/requests",
        detail_url=lambda obj: f"/govinfo/requests/{obj.pk}",
        roles=["disclosure_officer"],
    )


@time_machine.travel("2026-10-20 09:00 +0800", tick=False)
def test_overdue_filter_finds_requests_past_their_deadline():
    with time_machine.travel("2026-09-01 09:00 +0800", tick=False):
        late = factories.accepted(TIANHE)  # due 2026-09-29
    on_time = factories.accepted(TIANHE)
    api = ApiClient(factories.officer(TIANHE))
    overdue_ids = {row["id"] for row in items_of(api.get("/govinfo/requests", {"overdue": "true"}))}
    assert late.pk in overdue_ids and on_time.pk not in overdue_ids
    row = next(r for r in items_of(api.get("/govinfo/requests")) if r["id"] == late.pk)
    assert row["is_overdue"] is True and row["due_on"] == str(date(2026, 9, 29))


# --- the generic transition endpoint (core.workflow_api) -----------------------------------------------------------


def test_each_role_is_offered_the_steps_it_may_take_with_their_input():
    request = factories.accepted(TIANHE)
    url = f"/govinfo/requests/{request.pk}/transitions"

    def offered(user):
        response = ApiClient(user).get(url)
        assert response.status_code == 200, response.content
        return {t["name"]: t for t in response.json()}

    head = offered(factories.head_of_office(TIANHE))
    assert list(head) == ["extend", "consult", "answer"]
    assert head["extend"]["label"] == "延期答复"
    schema = head["extend"]["input_schema"]
    assert schema["required"] == ["reason"] and schema["properties"]["days"]["maximum"] == 20
    assert list(offered(factories.officer(TIANHE))) == ["consult", "answer"]  # extending needs the head
    assert list(offered(request.applicant)) == ["withdraw"]
    assert_api_error(ApiClient(factories.officer(YUEXIU)).get(url), 404, "not_found")
    assert_api_error(ApiClient(factories.citizen()).get(url), 404, "not_found")


def test_the_input_of_a_step_is_checked_against_its_schema_in_chinese():
    request = factories.accepted(TIANHE)
    api = ApiClient(factories.head_of_office(TIANHE))
    body = assert_api_error(
        api.post(f"/govinfo/requests/{request.pk}/transitions/extend", {"days": 30}),
        422,
        "validation_failed",
        fields=["reason", "days"],
    )
    assert body["message"] == "提交的内容有误，请检查标出的字段"
    assert body["fields"] == {"reason": ["此字段为必填项"], "days": ["数值过大"]}
    body = assert_api_error(
        api.post(
            f"/govinfo/requests/{request.pk}/transitions/answer",
            {"reply_type": "maybe", "reply_text": "答复内容"},
        ),
        422,
        "validation_failed",
        fields=["reply_type"],
    )
    assert body["fields"]["reply_type"][0].startswith("取值无效，应为：already_public")
    assert GovInfoRequest.objects.get(pk=request.pk).status == "accepted"
    assert not TransitionRecord.objects.filter(object_id=str(request.pk), transition="extend").exists()


def test_every_step_is_documented_with_its_own_input():
    paths = ApiClient(None).get("/openapi.json").json()["paths"]
    steps = {p.rsplit("/", 1)[1] for p in paths if "/govinfo/requests/{request_id}/transitions/" in p}
    assert steps == {
        "accept",
        "request_correction",
        "resubmit",
        "extend",
        "consult",
        "end_consultation",
        "end_consultation_extended",
        "answer",
        "withdraw",
    }
    assert "/api/v1/govinfo/requests/{request_id}/transitions" in paths
    govinfo = [p for p in paths if p.startswith("/api/v1/govinfo/")]
    assert not [p for p in govinfo if p.endswith(("/accept", "/correction")) and "/transitions/" not in p]


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_the_correction_notice_is_refused_after_the_seventh_working_day():
    # 《政府信息公开条例》第三十条: 7 working days from receipt; received Monday 9-28, National Day in between,
    # so the last day is 10-13.
    on_time, late = factories.submitted(TIANHE), factories.submitted(TIANHE)
    officer = factories.officer(TIANHE)
    detail = ApiClient(officer).get(f"/govinfo/requests/{late.pk}").json()
    assert detail["correction_notice_due_on"] == "2026-10-13"
    assert detail["clock"]["label"] == "补正告知期限" and detail["clock"]["remaining"] == 7
    notice = {"notice": "请写明所需信息的年份"}
    with time_machine.travel("2026-10-13 17:00 +0800", tick=False):
        response = ApiClient(officer).post(
            f"/govinfo/requests/{on_time.pk}/transitions/request_correction", notice
        )
        assert response.json()["status"] == "correction_requested"
    with time_machine.travel("2026-10-14 09:00 +0800", tick=False):
        api = ApiClient(officer)
        assert [t["name"] for t in api.get(f"/govinfo/requests/{late.pk}/transitions").json()] == ["accept"]
        body = assert_api_error(
            api.post(f"/govinfo/requests/{late.pk}/transitions/request_correction", notice),
            409,
            "transition_not_allowed",
        )
        assert "《中华人民共和国政府信息公开条例》第三十条" in body["message"]
        assert "7个工作日" in body["message"] and "2026年10月13日" in body["message"]
        assert api.get(f"/govinfo/requests/{late.pk}").json()["clock"]["overdue"] == 1
        # The office registers it instead; the answer clock starts from receipt.
        accepted = api.post(f"/govinfo/requests/{late.pk}/transitions/accept", {}).json()
        assert accepted["clock"]["label"] == "答复期限" and accepted["clock"]["due_on"] == accepted["due_on"]
        assert accepted["correction_notice_due_on"] is None


def test_requests_can_be_listed_by_days_left():
    with time_machine.travel("2026-09-10 09:00 +0800", tick=False):
        later = factories.accepted(TIANHE)
    with time_machine.travel("2026-09-01 09:00 +0800", tick=False):
        sooner = factories.accepted(TIANHE)
    answered = factories.accepted(TIANHE)
    ApiClient(factories.officer(TIANHE)).post(
        f"/govinfo/requests/{answered.pk}/transitions/answer",
        {"reply_type": "not_exist", "reply_text": "不存在"},
    )
    api = ApiClient(factories.officer(TIANHE))
    rows = items_of(api.get("/govinfo/requests", {"ordering": "remaining_days"}))
    assert [r["id"] for r in rows] == [sooner.pk, later.pk, answered.pk]
    newest_first = items_of(api.get("/govinfo/requests"))
    assert [r["id"] for r in newest_first] == [answered.pk, later.pk, sooner.pk]
    assert_api_error(
        api.get("/govinfo/requests", {"ordering": "due"}), 422, "validation_failed", fields=["ordering"]
    )


def test_a_step_the_workflow_does_not_have_is_not_found_in_chinese():
    request = factories.submitted(TIANHE)
    body = assert_api_error(
        ApiClient(factories.officer(TIANHE)).post(f"/govinfo/requests/{request.pk}/transitions/approve", {}),
        404,
        "not_found",
    )
    assert body["message"] == "未知的操作：approve"


@time_machine.travel("2026-09-28 09:30 +0800", tick=False)
def test_time_spent_consulting_third_parties_is_not_counted():
    # 《政府信息公开条例》第三十三条第三款: 征求第三方和其他机关意见所需时间不计算在答复期限内.
    request = factories.accepted(TIANHE)  # received 9-28, due 10-30
    officer = factories.officer(TIANHE)
    url = f"/govinfo/requests/{request.pk}"
    with time_machine.travel("2026-09-30 09:00 +0800", tick=False):
        officer_api = ApiClient(officer)  # a session per day: sign-in sessions time out in between
        body = officer_api.post(
            f"{url}/transitions/consult", {"parties": "涉及第三方商业秘密，征求某公司意见"}
        ).json()
        assert body["status_label"] == "征求意见中"
        assert body["clock"]["paused"] is True and body["clock"]["remaining"] == 18
        assert body["is_overdue"] is False and body["remaining_working_days"] == 18
        assert [t["name"] for t in officer_api.get(f"{url}/transitions").json()] == ["end_consultation"]
    with time_machine.travel("2026-11-03 09:00 +0800", tick=False):  # past the original day, but paused
        officer_api = ApiClient(officer)
        overdue = {r["id"] for r in items_of(officer_api.get("/govinfo/requests", {"overdue": "true"}))}
        assert request.pk not in overdue
    with time_machine.travel("2026-10-12 09:00 +0800", tick=False):
        officer_api = ApiClient(officer)
        body = officer_api.post(f"{url}/transitions/end_consultation", {"opinion": "第三方同意公开"}).json()
    # Excluded: 10-08, 10-09, 10-10 (a worked Saturday) and 10-12; the 18 working days left run from 10-12.
    assert body["status"] == "accepted" and body["clock"]["paused_days"] == 4
    assert body["due_on"] == "2026-10-30" and body["effective_due_on"] == "2026-11-05"
    assert Notification.objects.filter(recipient=request.applicant, title__endswith="征求意见完毕").exists()
    # An extension counts from the deadline in force; consulting again returns to 已延期, not 已登记.
    with time_machine.travel("2026-10-13 09:00 +0800", tick=False):
        head_api = ApiClient(factories.head_of_office(TIANHE))
        body = head_api.post(f"{url}/transitions/extend", {"reason": "需检索档案"}).json()
    assert body["extended_due_on"] == "2026-12-03" and body["clock"]["due_on"] == "2026-12-03"
    with time_machine.travel("2026-11-10 09:00 +0800", tick=False):
        officer_api = ApiClient(officer)
        officer_api.post(f"{url}/transitions/consult", {"parties": "征求市公安局意见"})
        assert [t["name"] for t in officer_api.get(f"{url}/transitions").json()] == [
            "end_consultation_extended"
        ]
    with time_machine.travel("2026-11-17 09:00 +0800", tick=False):
        officer_api = ApiClient(officer)
        body = officer_api.post(f"{url}/transitions/end_consultation_extended", {}).json()
    assert body["status_label"] == "已延期" and body["effective_due_on"] == "2026-12-10"
    assert [h["transition"] for h in body["history"]] == [
        "accept",
        "consult",
        "end_consultation",
        "extend",
        "consult",
        "end_consultation_extended",
    ]
