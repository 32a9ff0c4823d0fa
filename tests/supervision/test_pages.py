"""The 执法监督 pages: dashboard, flag list and detail (why it fired), 督办 from a flag, the order page, 案卷评查."""

import datetime

import pytest
from django.urls import reverse

from smartjustice.core.testing import COUNTY_A, COUNTY_B, Place, make_staff
from smartjustice.supervision import checks
from smartjustice.supervision.choices import OrderStatus
from smartjustice.supervision.models import SupervisionOrder
from tests.supervision import makers

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(db):
    return makers.agency(COUNTY_A)


@pytest.fixture
def flagged(agency):
    case = makers.case(agency, handlers=(makers.officer(agency),), cause="销售商品未明码标价")
    checks.scan(rules=["single_officer"])
    return case.supervision_flags.get()


def login(client, user):
    client.force_login(user)
    return client


def test_the_dashboard_counts_flags_by_rule_domain_agency_and_region(client, flagged):
    page = login(client, makers.supervisor(COUNTY_A)).get(reverse("supervision:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "执法人员少于两人" in html and "rule-chart-data" in html and "data-region-map" in html
    assert "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    assert page.context["data"]["total"] == 1


def test_the_flag_list_shows_why_and_links_the_flag(client, flagged):
    page = login(client, makers.supervisor(COUNTY_A)).get(reverse("supervision:flags"))
    html = page.content.decode()
    assert "承办人 1 人，少于 2 人" in html
    assert reverse("supervision:flag-detail", args=[flagged.pk]) in html
    assert "第四十二条" in html


def test_the_flag_list_filters_and_says_when_nothing_matches(client, flagged):
    page = login(client, makers.supervisor(COUNTY_A)).get(
        reverse("supervision:flags"), {"rule": "fined_twice"}
    )
    assert "没有符合条件的预警" in page.content.decode()


def test_a_yuexiu_supervisor_gets_404_for_a_tianhe_flag(client, flagged):
    page = login(client, makers.supervisor(COUNTY_B)).get(
        reverse("supervision:flag-detail", args=[flagged.pk])
    )
    assert page.status_code == 404


def test_a_supervisor_issues_an_order_from_the_flag_page(client, flagged):
    login(client, makers.supervisor(COUNTY_A))
    detail = client.get(reverse("supervision:flag-detail", args=[flagged.pk]))
    assert "发出督办" in detail.content.decode() and "承办人数" not in detail.content.decode()
    deadline = makers.today() + datetime.timedelta(days=10)
    response = client.post(
        reverse("supervision:flag-order", args=[flagged.pk]),
        {"requirement": "补派一名持证执法人员并报送整改情况", "deadline_on": deadline.isoformat()},
    )
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision:order-detail", args=[order.pk]
    )
    assert list(order.flags.all()) == [flagged] and order.deadline_on == deadline
    listing = client.get(reverse("supervision:orders")).content.decode()
    assert order.number in listing and "待整改" in listing


def test_an_order_without_a_deadline_is_refused_in_chinese(client, flagged):
    login(client, makers.supervisor(COUNTY_A))
    response = client.post(reverse("supervision:flag-order", args=[flagged.pk]), {"requirement": "整改"})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    assert not SupervisionOrder.objects.exists()


def test_the_agency_replies_on_the_order_page(client, flagged, agency):
    order = makers.order(Place(COUNTY_A, agency))
    officer = make_staff(COUNTY_A, "enforcement_officer", organisation=agency)
    login(client, officer)
    page = client.get(reverse("supervision:order-detail", args=[order.pk]))
    assert "回复整改情况" in page.content.decode() and "整改通过" not in page.content.decode()
    client.post(reverse("supervision:order-act", args=[order.pk, "reply"]), {"reply_text": "已补派执法人员"})
    order.refresh_from_db()
    assert order.status == OrderStatus.REPLIED and order.reply_text == "已补派执法人员"


def test_a_review_is_scored_on_its_page(client, agency):
    review = makers.review(Place(COUNTY_A, agency))
    login(client, makers.supervisor(COUNTY_A))
    page = client.get(reverse("supervision:review-detail", args=[review.pk]))
    assert "第五十八条第一款" in page.content.decode()
    data = {f"score_{code}": value for code, value in makers.full_scores(hearing=0).items()}
    response = client.post(reverse("supervision:review-detail", args=[review.pk]), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert str(review.total) == "95.00" and review.get_grade_display() == "优秀"


def test_the_review_list_samples_closed_cases(client, agency):
    from smartjustice.enforcement.choices import CaseStatus

    makers.decided(agency, status=CaseStatus.CLOSED, closed_on=makers.today())
    login(client, makers.supervisor(COUNTY_A))
    response = client.post(reverse("supervision:reviews"), {"batch": "2026年第四季度", "size": 5, "seed": ""})
    assert response.status_code == 302
    assert "2026年第四季度" in client.get(response["Location"]).content.decode()
