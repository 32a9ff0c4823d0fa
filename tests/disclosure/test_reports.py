"""Annual reports: the county → city → province chain, consistency checks between levels, the filing progress,
restricted drill-down to cases, and the workbench tile."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from smartjustice.core.testing import (
    CITY,
    COUNTY_A,
    COUNTY_B,
    PROVINCE,
    ApiClient,
    assert_api_error,
    assert_audited,
    make_staff,
    organisation_in,
)
from smartjustice.disclosure import queries, services
from smartjustice.disclosure.choices import DisclosureAuditEvent, ReportStatus
from smartjustice.disclosure.models import AnnualReport
from tests.disclosure import makers

pytestmark = pytest.mark.django_db
YEAR = makers.YEAR


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(YEAR + 1, 1, 10), tick=False):
        yield


def _open_and_fill(code: str) -> tuple[AnnualReport, ApiClient]:
    user = makers.reporter(code)
    client = ApiClient(user)
    response = client.post("disclosure/reports", {"year": YEAR})
    assert response.status_code == 201, response.content
    report_id = response.json()["id"]
    for metric in ("licensing_decisions", "compulsion_measures"):
        response = client.put(f"disclosure/reports/{report_id}/figures/{metric}", {"value": 4, "note": ""})
        assert response.status_code == 200, response.content
    return AnnualReport.objects.get(pk=report_id), client


def test_county_submits_city_returns_with_reason_county_resubmits_city_accepts():
    makers.case(COUNTY_A)
    report, county = _open_and_fill(COUNTY_A)
    assert report.due_on == date(YEAR + 1, 1, 15)
    assert report.figures.get(metric="cases_filed").value == 1
    assert county.post(f"disclosure/reports/{report.pk}/transitions/submit", {}).status_code == 200
    city_user = makers.reviewer(CITY)
    city = ApiClient(city_user)
    assert_api_error(
        city.post(f"disclosure/reports/{report.pk}/transitions/return_report", {"reason": ""}),
        422,
        "validation_failed",
    )
    response = city.post(
        f"disclosure/reports/{report.pk}/transitions/return_report",
        {"reason": "行政许可数与政务服务系统不符"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ReportStatus.RETURNED
    assert response.json()["return_reason"] == "行政许可数与政务服务系统不符"
    assert_audited(DisclosureAuditEvent.REPORT_RETURNED, obj=report, actor=city_user)
    # the county corrects and resubmits
    assert (
        county.put(f"disclosure/reports/{report.pk}/figures/licensing_decisions", {"value": 6}).status_code
        == 200
    )
    assert county.post(f"disclosure/reports/{report.pk}/transitions/submit", {}).status_code == 200
    response = city.post(f"disclosure/reports/{report.pk}/transitions/accept", {})
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == city_user
    # frozen once accepted
    assert county.put(
        f"disclosure/reports/{report.pk}/figures/licensing_decisions", {"value": 9}
    ).status_code in (
        404,
        409,
        422,
        400,
    )
    assert queries.published_table(year=YEAR)[0]["values"]["licensing_decisions"] == Decimal("6.00")


def test_only_the_level_above_reviews():
    report, county = _open_and_fill(COUNTY_A)
    county.post(f"disclosure/reports/{report.pk}/transitions/submit", {})
    same_county = ApiClient(makers.reviewer(COUNTY_A))
    province = ApiClient(makers.reviewer(PROVINCE))
    for client in (same_county, province):
        response = client.post(f"disclosure/reports/{report.pk}/transitions/accept", {})
        assert response.status_code in (403, 409), response.content
    peer = ApiClient(makers.reviewer(COUNTY_B))
    assert peer.post(f"disclosure/reports/{report.pk}/transitions/accept", {}).status_code == 404


def test_manual_figures_must_be_filled_before_submitting():
    user = makers.reporter(COUNTY_A)
    report = services.open_report(organisation=user.organisation, year=YEAR, actor=user)
    response = ApiClient(user).post(f"disclosure/reports/{report.pk}/transitions/submit", {})
    assert response.status_code == 409
    assert "行政许可决定数" in response.json()["message"]


def test_report_for_an_unfinished_year_or_twice_is_refused():
    client = ApiClient(makers.reporter(COUNTY_A))
    assert_api_error(client.post("disclosure/reports", {"year": YEAR + 1}), 422, "validation_failed")
    assert client.post("disclosure/reports", {"year": YEAR}).status_code == 201
    assert_api_error(client.post("disclosure/reports", {"year": YEAR}), 422, "validation_failed")
    assert_api_error(
        client.put(f"disclosure/reports/{AnnualReport.objects.get().pk}/figures/cases_filed", {"value": 3}),
        422,
        "validation_failed",
    )


def test_consistency_check_detects_a_mismatch():
    makers.case(COUNTY_A)
    makers.case(COUNTY_A)
    makers.case(COUNTY_B)
    makers.case(CITY, fine=Decimal(800))  # the city's own agency
    county_a, client_a = _open_and_fill(COUNTY_A)
    client_a.post(f"disclosure/reports/{county_a.pk}/transitions/submit", {})
    county_b, client_b = _open_and_fill(COUNTY_B)
    client_b.post(f"disclosure/reports/{county_b.pk}/transitions/submit", {})
    city_user = makers.reporter(CITY)
    city_report = services.open_report(organisation=city_user.organisation, year=YEAR, actor=city_user)
    checks = {c.metric.code: c for c in queries.consistency_checks(city_report)}
    assert checks["cases_filed"].reported == 4
    assert checks["cases_filed"].children == 3 and checks["cases_filed"].own == 1
    assert checks["cases_filed"].difference == 0
    assert "越秀区" not in checks["cases_filed"].missing  # filed
    assert "荔湾区" in checks["cases_filed"].missing  # the other counties of 广州 have not
    # a case added after the counties filed: the city's figure no longer equals its parts
    makers.case(COUNTY_A)
    services.compute_report(city_report, actor=city_user)
    checks = {c.metric.code: c for c in queries.consistency_checks(city_report)}
    assert checks["cases_filed"].difference == 1 and not checks["cases_filed"].ok
    response = ApiClient(city_user).get(f"disclosure/reports/{city_report.pk}/checks")
    row = next(r for r in response.json() if r["metric"] == "cases_filed")
    assert row["difference"] == 1 and row["ok"] is False
    page = ApiClient(city_user).client.get(f"/disclosure/reports/{city_report.pk}/").content.decode()
    assert "不一致" in page and "一致性校验" in page


def test_filing_progress_lists_who_has_not_filed():
    report, client = _open_and_fill(COUNTY_A)
    client.post(f"disclosure/reports/{report.pk}/transitions/submit", {})
    rows = queries.filing_progress(makers.reviewer(CITY), year=YEAR)
    by_name = {r.jurisdiction.name: r for r in rows}
    assert by_name["天河区"].filed and not by_name["越秀区"].filed and not by_name["广州市"].filed
    assert all(r.jurisdiction.code.startswith("4401") for r in rows)
    missing = queries.filing_progress(makers.reviewer(CITY), year=YEAR, missing_only=True)
    assert "天河区" not in {r.jurisdiction.name for r in missing}
    page = ApiClient(makers.reviewer(CITY)).client.get(f"/disclosure/reports/progress/?year={YEAR}")
    assert page.status_code == 200 and "未报送" in page.content.decode()


def test_drill_down_lists_only_cases_the_reader_may_see():
    case = makers.case(COUNTY_A)
    report, reporter = _open_and_fill(COUNTY_A)
    url = f"disclosure/reports/{report.pk}/figures/cases_filed/cases"
    assert ApiClient().get(url).status_code == 401
    assert reporter.get(url).json()["count"] == 0  # a statistics reporter does not read cases
    officer = make_staff(COUNTY_A, "enforcement_officer", organisation=case.agency)
    officer_roles_view_cases = ApiClient(officer).get(url)
    assert officer_roles_view_cases.status_code == 404  # cannot see the report at all
    supervisor = make_staff(
        COUNTY_A, "enforcement_supervisor", "statistics_reporter", organisation=organisation_in(COUNTY_A)
    )
    rows = ApiClient(supervisor).get(url).json()  # enforcement.supervise_enforcementcase: the county's cases
    assert rows["count"] == 1 and rows["items"][0]["id"] == case.pk
    assert ApiClient(makers.reviewer(COUNTY_B)).get(url).status_code == 404
    page = reporter.client.get(f"/disclosure/reports/{report.pk}/figures/cases_filed/cases/")
    assert page.status_code == 200 and "无权查看案件明细" in page.content.decode()


def test_opening_is_audited_and_the_tile_lists_reports_to_file_and_review():
    from smartjustice.disclosure.module import reports_due

    user = makers.reporter(COUNTY_A)
    report = services.open_report(organisation=user.organisation, year=YEAR, actor=user)
    assert_audited(DisclosureAuditEvent.REPORT_OPENED, obj=report, actor=user)
    tile = reports_due(user)
    assert tile.count == 1 and "填报" in tile.items[0].title and tile.items[0].due_on == date(YEAR + 1, 1, 15)
    for metric in ("licensing_decisions", "compulsion_measures"):
        services.enter_figure(report, metric=metric, value=1, actor=user)
    services.submit_report(report, actor=user)
    tile = reports_due(makers.reviewer(CITY))
    assert tile.count == 1 and "审核" in tile.items[0].title


def test_staff_pages_render():
    report, client = _open_and_fill(COUNTY_A)
    for url in ("/disclosure/reports/", f"/disclosure/reports/{report.pk}/", "/disclosure/reports/progress/"):
        assert client.client.get(url).status_code == 200, url
    assert ApiClient().client.get("/disclosure/reports/").status_code in (302, 401)
