"""督办 through its workflow, 案卷评查 sampling and scoring, and who sees which flags."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smartjustice.core import attachments
from smartjustice.core.errors import PermissionDenied, TransitionNotAllowed, ValidationFailed
from smartjustice.core.testing import (
    CITY,
    COUNTY_A,
    COUNTY_B,
    ApiClient,
    Place,
    assert_api_error,
    assert_audited,
    assert_jurisdiction_isolation,
    items_of,
    make_staff,
)
from smartjustice.enforcement.choices import CaseStatus
from smartjustice.supervision import checks, queries, rules, services
from smartjustice.supervision.choices import OrderStatus, ReviewGrade, SupervisionAuditEvent
from tests.supervision import makers

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def agency(db):
    return makers.agency(COUNTY_A)


@pytest.fixture
def supervisor(db):
    return makers.supervisor(COUNTY_A, real_name="天河监督员")


@pytest.fixture
def officer(agency):
    return make_staff(COUNTY_A, "enforcement_officer", organisation=agency, real_name="承办执法员")


@pytest.fixture
def flagged(agency):
    """A case with one handler, scanned: one 执法人员少于两人 flag."""
    case = makers.case(agency, handlers=(makers.officer(agency),))
    checks.scan(rules=["single_officer"])
    return case.supervision_flags.get()


# --- who sees what --------------------------------------------------------------------------------------------------


def test_a_tianhe_supervisor_sees_no_yuexiu_flags(db):
    assert_jurisdiction_isolation(
        make_record=lambda code: makers.flag(Place(code, makers.agency(code))),
        list_url="supervision/flags",
        detail_url=lambda flag: f"supervision/flags/{flag.pk}",
        roles=("enforcement_supervisor",),
    )


def test_an_agency_sees_only_its_own_cases_flags(flagged, officer):
    other = makers.agency(COUNTY_A, domain="urban_management")
    other.pk = None  # a second agency in 天河区
    other.name = "天河区城市管理和综合执法局"
    other.uscc = ""
    other.save()
    theirs = makers.flag(Place(COUNTY_A, other))
    seen = {row["id"] for row in items_of(ApiClient(officer).get("supervision/flags"))}
    assert seen == {flagged.pk}
    assert ApiClient(officer).get(f"supervision/flags/{theirs.pk}").status_code == 404


def test_an_agency_cannot_dismiss_a_flag(flagged, officer):
    response = ApiClient(officer).post(f"supervision/flags/{flagged.pk}/dismiss", {"reason": "不是问题"})
    assert response.status_code == 404


def test_the_flag_says_why_and_cites_the_article(flagged, supervisor):
    row = ApiClient(supervisor).get(f"supervision/flags/{flagged.pk}").json()
    assert row["why"] == "普通程序案件处于“调查取证”阶段，承办人 1 人，少于 2 人"
    assert row["citation"] == "《中华人民共和国行政处罚法》第四十二条第一款"
    assert row["case"]["id"] == flagged.case_id


def test_flags_filter_by_rule_region_agency_and_domain(flagged, supervisor, agency):
    client = ApiClient(supervisor)
    for params, expected in [
        ({"rule": "single_officer"}, {flagged.pk}),
        ({"rule": "fined_twice"}, set()),
        ({"region": COUNTY_A}, {flagged.pk}),
        ({"region": COUNTY_B}, set()),
        ({"agency": agency.pk}, {flagged.pk}),
        ({"domain": "transport"}, set()),
        ({"status": "resolved"}, set()),
    ]:
        assert {r["id"] for r in items_of(client.get("supervision/flags", params))} == expected, params


# --- 督办 ----------------------------------------------------------------------------------------------------------


def test_the_order_workflow_issue_reply_return_reply_accept_close(flagged, supervisor, officer):
    deadline = makers.today() + 10 * DAY
    order = services.issue_order(
        case=flagged.case,
        actor=supervisor,
        requirement="补充指派持证执法人员",
        deadline_on=deadline,
        flags=[flagged],
    )
    assert_audited(SupervisionAuditEvent.ORDER_ISSUED, obj=order, actor=supervisor)
    assert (order.status, order.clock_code, order.clock_due_on) == (
        OrderStatus.ISSUED,
        "rectification",
        deadline,
    )
    assert order.number.startswith("执法监督督办〔")
    assert officer.notifications.filter(title__contains=order.number).exists()
    assert order in queries.open_orders(officer)

    with pytest.raises(PermissionDenied):
        services.reply_order(order, actor=supervisor, reply_text="已整改")
    upload = SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4\n% report\n", content_type="application/pdf")
    services.reply_order(order, actor=officer, reply_text="已增派王执法为第二承办人", files=[upload])
    assert order.status == OrderStatus.REPLIED and order.clock_code == ""
    assert [a.original_name for a in attachments.attachments_of(order)] == ["整改报告.pdf"]
    assert_audited(SupervisionAuditEvent.ORDER_REPLIED, obj=order, actor=officer)

    with pytest.raises(TransitionNotAllowed):
        services.return_order(order, actor=supervisor, comment="")
    new_deadline = makers.today() + 5 * DAY
    services.return_order(order, actor=supervisor, comment="未附指派审批表", deadline_on=new_deadline)
    assert (order.status, order.deadline_on, order.clock_due_on) == (
        OrderStatus.RETURNED,
        new_deadline,
        new_deadline,
    )

    services.reply_order(order, actor=officer, reply_text="已补附指派审批表")
    with pytest.raises(PermissionDenied):
        services.accept_order(order, actor=officer)
    services.accept_order(order, actor=supervisor, comment="整改到位")
    services.close_order(order, actor=supervisor)
    assert order.status == OrderStatus.CLOSED and order.closed_on == makers.today()
    assert_audited(SupervisionAuditEvent.ORDER_CLOSED, obj=order, actor=supervisor)


def test_an_order_needs_a_future_deadline_and_a_requirement(flagged, supervisor):
    with pytest.raises(ValidationFailed) as error:
        services.issue_order(
            case=flagged.case, actor=supervisor, requirement="整改", deadline_on=makers.today()
        )
    assert "deadline_on" in error.value.fields
    with pytest.raises(ValidationFailed) as error:
        services.issue_order(
            case=flagged.case, actor=supervisor, requirement=" ", deadline_on=makers.today() + DAY
        )
    assert "requirement" in error.value.fields


def test_a_yuexiu_supervisor_cannot_order_a_tianhe_case(flagged):
    outsider = makers.supervisor(COUNTY_B)
    response = ApiClient(outsider).post(
        "supervision/orders",
        {"case_id": flagged.case_id, "requirement": "整改", "deadline_on": str(makers.today() + 5 * DAY)},
    )
    assert_api_error(response, 404, "not_found")


def test_the_city_supervisor_orders_and_the_agency_replies_through_the_api(flagged, officer):
    city = makers.supervisor(CITY, real_name="广州市监督员")
    deadline = str(makers.today() + 7 * DAY)
    response = ApiClient(city).post(
        "supervision/orders",
        {
            "case_id": flagged.case_id,
            "flag_ids": [flagged.pk],
            "requirement": "补派执法人员",
            "deadline_on": deadline,
        },
    )
    assert response.status_code == 201, response.content
    order_id = response.json()["id"]
    assert response.json()["flag_ids"] == [flagged.pk]
    steps = [t["name"] for t in ApiClient(officer).get(f"supervision/orders/{order_id}/transitions").json()]
    assert steps == ["reply"]
    answer = ApiClient(officer).post(
        f"supervision/orders/{order_id}/transitions/reply", {"reply_text": "已补派"}
    )
    assert answer.status_code == 200 and answer.json()["status"] == "replied"


def test_the_tile_lists_open_orders_with_their_deadline(flagged, supervisor, officer):
    from smartjustice.supervision.module import open_orders

    order = makers.order(Place(COUNTY_A, flagged.agency), actor=supervisor)
    tile = open_orders(officer)
    assert tile.count == 1 and tile.items[0].due_on == order.deadline_on


# --- 案卷评查 -------------------------------------------------------------------------------------------------------


def test_sampling_is_deterministic_and_stays_in_the_jurisdiction(agency, supervisor):
    closed = [
        makers.decided(agency, status=CaseStatus.CLOSED, closed_on=makers.today() - 3 * DAY) for _ in range(6)
    ]
    yuexiu = makers.decided(makers.agency(COUNTY_B), status=CaseStatus.CLOSED, closed_on=makers.today())
    makers.case(agency)  # still under investigation: not sampled
    picked = services.sample_reviews(actor=supervisor, batch="2026年第四季度", size=3, seed="seed-1")
    ids = [r.case_id for r in picked]
    assert ids == services.sample_order("seed-1", [c.pk for c in closed])[:3]
    assert yuexiu.pk not in ids
    again = services.sample_reviews(actor=supervisor, batch="2026年第四季度", size=10, seed="seed-1")
    assert set(r.case_id for r in again) == {c.pk for c in closed} - set(ids)
    assert_audited(SupervisionAuditEvent.REVIEW_SAMPLED, actor=supervisor, count=2)
    with pytest.raises(ValidationFailed):
        services.sample_reviews(actor=supervisor, batch="2026年第四季度", size=1)


def test_scoring_against_the_checklist(supervisor):
    review = makers.review(Place(COUNTY_A, makers.agency(COUNTY_A)))
    services.score_review(
        review,
        actor=supervisor,
        scores=makers.full_scores(facts_and_evidence=12, legal_review=0),
        notes={"legal_review": "未见法制审核意见书"},
    )
    assert review.total == Decimal("82.00") and review.grade == ReviewGrade.PASSED
    assert review.notes == {"legal_review": "未见法制审核意见书"}
    assert_audited(SupervisionAuditEvent.REVIEW_SCORED, obj=review, actor=supervisor)
    services.score_review(review, actor=supervisor, scores=makers.full_scores())
    assert (review.total, review.grade) == (Decimal("100.00"), ReviewGrade.EXCELLENT)


@pytest.mark.parametrize(
    "scores, field",
    [
        ({"officers": 11}, "officers"),  # more than the item's weight
        ({"officers": -1}, "officers"),
        ({"officers": "很好"}, "officers"),
        ({"no_such_item": 1}, "scores"),
    ],
)
def test_a_score_outside_the_item_is_refused_in_chinese(supervisor, scores, field):
    review = makers.review(Place(COUNTY_A, makers.agency(COUNTY_A)))
    with pytest.raises(ValidationFailed) as error:
        services.score_review(review, actor=supervisor, scores=makers.full_scores(**scores))
    assert field in error.value.fields
    review.refresh_from_db()
    assert review.total is None


def test_every_checklist_item_cites_an_article_and_the_weights_make_100():
    data = rules.load_checklist()
    assert sum(item["weight"] for item in data["items"]) == 100
    assert set(rules.CHECKLIST_RULES) == {item["code"] for item in data["items"]}
    assert (
        str(rules.CHECKLIST_RULES["legal_review"].citation) == "《中华人民共和国行政处罚法》第五十八条第一款"
    )


def test_the_scan_command_prints_progress_and_counts(flagged):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("supervision", "scan", "--rule", "single_officer", stdout=out)
    assert "执法人员少于两人（single_officer）：1" in out.getvalue()
    assert "新增预警 0，持续 1" in out.getvalue()


def test_the_periodic_job_is_registered():
    from smartjustice.core import scheduler

    jobs = scheduler.discover()
    assert jobs["supervision.scan"].every == 3600


def test_the_dashboard_api_counts_in_the_supervisors_jurisdiction(flagged, supervisor):
    makers.flag(Place(COUNTY_B, makers.agency(COUNTY_B)))  # 越秀区: not counted for 天河区
    body = ApiClient(supervisor).get("supervision/dashboard").json()
    assert body["total"] == 1
    assert body["by_rule"] == [{"code": "single_officer", "id": None, "name": "执法人员少于两人", "value": 1}]
    assert body["by_region"][0]["value"] == 1
    assert ApiClient(makers.supervisor(CITY)).get("supervision/dashboard").json()["total"] == 2
