"""The 执法公示 demo (`smartjustice load_demo`): last year's annual reports along the county → city chain, made
through the services as the demo accounts — one accepted and public, one returned with its reason, the city's in
draft with its consistency check and the districts that have not filed."""

import pytest
from django.db import transaction
from django.test import Client, override_settings

from smartjustice.core import demo
from smartjustice.core.models import AuditEntry, User
from smartjustice.disclosure import demo as disclosure_demo
from smartjustice.disclosure import metrics, queries
from smartjustice.disclosure.choices import DisclosureAuditEvent, FigureSource, ReportStatus
from smartjustice.disclosure.models import AnnualReport
from smartjustice.enforcement.models import EnforcementCase

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The full demo, loaded once for this module inside a transaction that is rolled back afterwards."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        demo.load()
        steps = {step.label: step for step in demo.load_domains()}
        yield steps
        transaction.set_rollback(True)


def _report(username: str) -> AnnualReport:
    user = User.objects.select_related("organisation").get(username=username)
    return AnnualReport.objects.get(
        jurisdiction_id=user.organisation.jurisdiction_id, year=queries.default_year()
    )


def test_tianhe_report_is_computed_from_the_cases_filled_in_and_accepted_by_the_city(loaded):
    report = _report("th_stats")
    assert report.organisation.name == "广州市天河区司法局"
    assert report.status == ReportStatus.ACCEPTED
    assert report.reviewed_by.username == "gz_data_reviewer" and report.submitted_at
    figures = {f.metric: f for f in report.figures.all()}
    expected = metrics.evaluate(queries.cases_in(report), report.year)
    for metric in metrics.computed_metrics():
        assert figures[metric.code].source == FigureSource.COMPUTED
        assert figures[metric.code].value == expected[metric.code], metric.code
    # a hand count of the enforcement demo's 天河区 decisions of that year (the archived case, when still in it)
    low, high = report.jurisdiction.bounds()
    decided = EnforcementCase.objects.filter(
        jurisdiction_id__gte=low, jurisdiction_id__lte=high, decided_on__year=report.year
    ).count()
    assert figures["penalty_decisions"].value == decided
    for metric in metrics.manual_metrics():
        assert figures[metric.code].source == FigureSource.MANUAL and figures[metric.code].value is not None
    accepted = AuditEntry.objects.filter(event=DisclosureAuditEvent.REPORT_ACCEPTED, object_id=str(report.pk))
    assert list(accepted.values_list("actor_username", flat=True)) == ["gz_data_reviewer"]


def test_yuexiu_report_was_returned_with_the_reason(loaded):
    report = _report("yx_stats")
    entry = next(e for e in disclosure_demo.spec()["reports"] if e["reporter"] == "yx_stats")
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == entry["reason"] and report.reviewed_by.username == "gz_data_reviewer"
    assert report in queries.reports_to_file(User.objects.get(username="yx_stats"))


def test_city_report_in_draft_shows_the_consistency_check_and_who_has_not_filed(loaded):
    report = _report("gz_stats")
    assert report.status == ReportStatus.DRAFT
    assert report.missing_manual_figures() == [metrics.get("compulsion_measures").name]
    checks = queries.consistency_checks(report)
    assert checks and all("越秀区" in c.missing and "天河区" not in c.missing for c in checks)
    tianhe = {f.metric: f.value for f in _report("th_stats").figures.all()}
    for check in checks:
        assert check.children == tianhe[check.metric.code]
    gz_reviewer = User.objects.get(username="gz_data_reviewer")
    progress = queries.filing_progress(gz_reviewer, year=report.year)
    filed = {row.jurisdiction.name for row in progress if row.filed}
    assert filed == {"天河区"} and len(progress) > len(filed)
    page = Client()
    page.force_login(User.objects.get(username="gz_stats"))
    assert page.get(f"/disclosure/reports/{report.pk}/").status_code == 200


def test_public_data_page_shows_the_accepted_figures_only(loaded):
    report = _report("th_stats")
    body = Client().get(f"/disclosure/data/?year={report.year}").content.decode()
    assert "天河区" in body and "越秀区" not in body
    licensing = report.figures.get(metric="licensing_decisions").value
    assert f"{licensing:,.0f}" in body or str(int(licensing)) in body
    rows = queries.published_table(year=report.year)
    assert [row["name"] for row in rows] == ["天河区"]
    figures = {f.metric: f.value for f in report.figures.all()}
    assert rows[0]["values"] == {m.code: figures[m.code] for m in metrics.all_metrics()}


def test_loading_again_creates_nothing(loaded):
    assert loaded["执法公示"].created == 3
    count = AnnualReport.objects.count()
    step = disclosure_demo.load()
    assert step.created == 0 and step.existing == 3
    assert AnnualReport.objects.count() == count
