"""An FAQ reaches the whole province, so a county or city author's entry waits for a province reviewer."""

import pytest

from smartjustice.core import workflow
from smartjustice.core.errors import Conflict, TransitionNotAllowed, ValidationFailed
from smartjustice.core.models.workflow import TransitionRecord
from smartjustice.core.testing import ApiClient, assert_api_error, assert_audited, items_of, make_staff
from smartjustice.qa import queries, services
from smartjustice.qa.choices import FaqStatus, QaAuditEvent

pytestmark = pytest.mark.django_db
PROVINCE = "440000000000"
GUANGZHOU = "440100000000"
TIANHE = "440106000000"

WAGES = {
    "scenario": "labour",
    "question": "工资被拖了两个月，可以找谁？",
    "answer": "用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬。拖欠的，可以向劳动行政部门投诉。",
    "citations": [{"law": "劳动合同法", "article": 30}],
}


@pytest.fixture
def county_author(statute_library):
    return make_staff(TIANHE, "legal_aid_officer")


@pytest.fixture
def reviewer(statute_library):
    return make_staff(PROVINCE, "legal_aid_officer")


def public_questions() -> list[str]:
    return [e.question for e in queries.published_entries()]


def test_a_county_author_cannot_publish_to_the_whole_province(county_author):
    entry = services.create_entry(actor=county_author, **WAGES)
    with pytest.raises(TransitionNotAllowed, match="省级审核人员"):
        services.publish_entry(entry, actor=county_author)
    assert_api_error(
        ApiClient(county_author).post(f"/qa/faq/{entry.pk}/transitions/publish", {}),
        409,
        "transition_not_allowed",
    )
    entry.refresh_from_db()
    assert entry.status == FaqStatus.DRAFT and WAGES["question"] not in public_questions()


@pytest.mark.parametrize("place", [TIANHE, GUANGZHOU])
def test_a_submitted_entry_is_published_by_a_province_reviewer(reviewer, place):
    author = make_staff(place, "legal_aid_officer")
    entry = services.create_entry(actor=author, **WAGES)
    services.submit_entry(entry, actor=author)
    assert entry.status == FaqStatus.SUBMITTED and WAGES["question"] not in public_questions()
    assert_audited(QaAuditEvent.FAQ_SUBMITTED, obj=entry, actor=author)

    services.publish_entry(queries.get_entry_for(reviewer, entry.pk, action="change"), actor=reviewer)
    entry.refresh_from_db()
    assert entry.status == FaqStatus.PUBLISHED and entry.published_at is not None
    assert WAGES["question"] in public_questions()
    assert_audited(QaAuditEvent.FAQ_PUBLISHED, obj=entry, actor=reviewer)
    steps = TransitionRecord.objects.filter(object_type="qa.faqentry", object_id=str(entry.pk))
    assert [(s.transition, s.actor_id) for s in steps] == [("submit", author.pk), ("publish", reviewer.pk)]


def test_submitting_needs_a_citation_the_reviewer_can_check(county_author):
    entry = services.create_entry(actor=county_author, **{**WAGES, "citations": []})
    with pytest.raises(ValidationFailed) as caught:
        services.submit_entry(entry, actor=county_author)
    assert "citations" in caught.value.fields


def test_the_reviewer_returns_with_a_reason_and_the_author_resubmits(county_author, reviewer):
    entry = services.create_entry(actor=county_author, **WAGES)
    services.submit_entry(entry, actor=county_author)
    with pytest.raises(TransitionNotAllowed, match="退回理由"):
        services.return_entry(entry, actor=reviewer, comment="  ")
    services.return_entry(entry, actor=reviewer, comment="请补充投诉渠道")
    assert entry.status == FaqStatus.RETURNED
    assert_audited(QaAuditEvent.FAQ_RETURNED, obj=entry, actor=reviewer)
    # A county colleague cannot return (or publish) what goes to the whole province.
    services.update_entry(entry, actor=county_author, answer=WAGES["answer"] + "也可以拨打12333。")
    services.submit_entry(entry, actor=county_author)
    with pytest.raises(TransitionNotAllowed):
        services.return_entry(entry, actor=make_staff(TIANHE, "legal_aid_officer"), comment="不行")
    services.publish_entry(entry, actor=reviewer)
    assert entry.status == FaqStatus.PUBLISHED


def test_a_published_entry_is_not_changed_behind_the_reviewers_back(county_author, reviewer):
    entry = services.create_entry(actor=county_author, **WAGES)
    services.submit_entry(entry, actor=county_author)
    with pytest.raises(Conflict):
        services.update_entry(entry, actor=county_author, answer="改成别的")
    services.publish_entry(entry, actor=reviewer)
    with pytest.raises(Conflict):
        services.update_entry(entry, actor=county_author, answer="改成别的")
    # The author may take it down at once, edit it, and send it to review again.
    services.withdraw_entry(entry, actor=county_author)
    assert_audited(QaAuditEvent.FAQ_WITHDRAWN, obj=entry, actor=county_author)
    assert WAGES["question"] not in public_questions()
    services.update_entry(entry, actor=county_author, answer="改成别的")
    services.submit_entry(entry, actor=county_author)
    assert entry.status == FaqStatus.SUBMITTED


def test_the_review_through_the_api(county_author, reviewer):
    pk = ApiClient(county_author).post("/qa/faq", WAGES).json()["id"]
    author_api, reviewer_api = ApiClient(county_author), ApiClient(reviewer)
    assert_api_error(author_api.post(f"/qa/faq/{pk}/transitions/publish", {}), 409, "transition_not_allowed")
    assert author_api.post(f"/qa/faq/{pk}/transitions/submit", {}).json()["status"] == "submitted"
    # Returning needs the reason: the step's schema asks for it, as the page's field does.
    steps = {s["name"]: s for s in reviewer_api.get(f"/qa/faq/{pk}/transitions").json()}
    assert set(steps) == {"publish", "return"} and steps["return"]["input_schema"]["required"] == ["comment"]
    assert_api_error(
        reviewer_api.post(f"/qa/faq/{pk}/transitions/return", {}),
        422,
        "validation_failed",
        fields=["comment"],
    )
    assert_api_error(
        reviewer_api.post(f"/qa/faq/{pk}/transitions/return", {"comment": "  "}),
        409,
        "transition_not_allowed",
    )
    assert reviewer_api.post(f"/qa/faq/{pk}/transitions/publish", {}).json()["status"] == "published"
    assert [r["id"] for r in items_of(ApiClient().get("/qa/faq"))] == [pk]
    assert_api_error(reviewer_api.post(f"/qa/faq/{pk}/transitions/approve", {}), 404, "not_found")
    assert reviewer_api.post(f"/qa/faq/{pk}/publish", {}).status_code == 404  # one endpoint per step is gone


def test_the_edit_page_offers_each_person_their_step(county_author, reviewer, client):
    entry = services.create_entry(actor=county_author, **WAGES)
    client.force_login(county_author)
    page = client.get(f"/qa/faq/manage/{entry.pk}/").content.decode()
    assert (
        ">提交审核</button>" in page and ">审核发布</button>" not in page and "省级审核人员审核发布" in page
    )
    client.post(f"/qa/faq/manage/{entry.pk}/act/submit/", {"comment": ""})
    entry.refresh_from_db()
    assert entry.status == FaqStatus.SUBMITTED
    client.force_login(reviewer)
    page = client.get(f"/qa/faq/manage/{entry.pk}/").content.decode()
    assert ">审核发布</button>" in page and ">退回修改</button>" in page and "审核记录" in page
    assert 'name="comment" value="" maxlength="500" required' in page  # the reason field of 退回修改
    refused = client.post(f"/qa/faq/manage/{entry.pk}/act/return/", {"comment": ""}, follow=True)
    assert "退回理由：此字段为必填项" in refused.content.decode()
    client.post(f"/qa/faq/manage/{entry.pk}/act/publish/", {"comment": "同意发布"})
    entry.refresh_from_db()
    assert entry.status == FaqStatus.PUBLISHED
    assert list(workflow.history(entry))[-1].comment == "同意发布"
