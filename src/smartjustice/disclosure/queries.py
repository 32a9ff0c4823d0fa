"""Every read of 执法公示: the public information (anyone, nothing personal), and the annual reports (restricted by
core.access). The province-wide aggregate for the benchmark is here too, with its naive per-row baseline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.db.models.functions import Substr
from django.utils import timezone

from smartjustice.core import access
from smartjustice.core.choices import JurisdictionLevel, OrganisationKind
from smartjustice.core.divisions import SIGNIFICANT_DIGITS
from smartjustice.core.errors import NotFound
from smartjustice.core.models import Jurisdiction, Organisation
from smartjustice.credentials.choices import CredentialStatus
from smartjustice.enforcement.choices import CaseStatus
from smartjustice.enforcement.models import EnforcementCase, EnforcementOfficer

from . import metrics, rules
from .choices import ReportStatus
from .models import AnnualReport, ReportFigure

# A decision exists from 决定 on; 不予立案 and 撤案 never had one.
DECIDED_STATES = (
    CaseStatus.DECIDED,
    CaseStatus.SERVED,
    CaseStatus.EXECUTED,
    CaseStatus.CLOSED,
    CaseStatus.ARCHIVED,
)
FILED_STATES = (
    ReportStatus.SUBMITTED,
    ReportStatus.ACCEPTED,
)  # what a superior sums in the consistency check


def _in_region(qs, region: str, path: str = "jurisdiction_id"):
    """Rows whose jurisdiction lies in `region` (a 12-digit code of any level; '' = everywhere)."""
    region = (region or "").strip()
    if not region:
        return qs
    place = Jurisdiction.objects.filter(code=region).first()
    if place is None:
        return qs.none()
    low, high = place.bounds()
    return qs.filter(**{f"{path}__gte": low, f"{path}__lte": high})


# --- public information (《行政处罚法》第三十九条): nothing here is personal ------------------------------------------


def public_agencies(*, q: str = "", region: str = "", domain: str = ""):
    """行政执法主体 with their domains and divisions."""
    qs = Organisation.objects.filter(kind=OrganisationKind.ENFORCEMENT_AGENCY, is_active=True).select_related(
        "jurisdiction"
    )
    if q:
        qs = qs.filter(Q(name__contains=q.strip()) | Q(jurisdiction__full_name__contains=q.strip()))
    if domain:
        qs = qs.filter(enforcement_domain=domain)
    return _in_region(qs, region).order_by("jurisdiction_id", "name", "id")


def public_officers(*, q: str = "", region: str = "", agency: int | None = None):
    """Active officers holding a valid 行政执法证: (name, certificate number, agency) rows, nothing else."""
    qs = EnforcementOfficer.objects.filter(
        is_active=True,
        credential__status=CredentialStatus.ACTIVE,
        credential__valid_from__lte=timezone.now(),
        credential__valid_until__gte=timezone.now(),
    )
    if agency:
        qs = qs.filter(agency_id=agency)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(user__real_name__contains=q) | Q(credential__number__contains=q) | Q(agency__name__contains=q)
        )
    qs = _in_region(qs, region, "agency__jurisdiction_id")
    return qs.order_by("agency__jurisdiction_id", "agency_id", "id").values_list(
        "user__real_name", "credential__number", "agency__name"
    )


def published_decisions(*, q: str = "", region: str = "", year: int | None = None, agency: int | None = None):
    """The decisions the public sees (rules.PUBLISHED_DECISIONS): decided under a published procedure, not revoked."""
    qs = EnforcementCase.objects.filter(
        status__in=DECIDED_STATES, procedure__in=rules.PUBLISHED_DECISIONS.value, revoked_on__isnull=True
    ).select_related("agency", "party", "jurisdiction")
    if q:
        q = q.strip()
        # Only what is shown may be searched: decision number, cause, agency, and an organisation party's name.
        qs = qs.filter(
            Q(decision_number__contains=q)
            | Q(cause__contains=q)
            | Q(agency__name__contains=q)
            | Q(party__kind="organisation", party__name__contains=q)
        )
    if year:
        qs = qs.filter(decided_on__gte=f"{year}-01-01", decided_on__lte=f"{year}-12-31")
    if agency:
        qs = qs.filter(agency_id=agency)
    return _in_region(qs, region).order_by("-decided_on", "-id")


def withdrawn_decisions():
    """Published decisions since revoked: shown only as withdrawal notices (rules.WITHDRAWAL)."""
    return (
        EnforcementCase.objects.filter(
            procedure__in=rules.PUBLISHED_DECISIONS.value,
            decided_on__isnull=False,
            revoked_on__isnull=False,
        )
        .select_related("agency")
        .order_by("-revoked_on", "-id")
    )


def get_public_decision(pk) -> EnforcementCase:
    """A published decision, or a withdrawn one (its page then shows only the withdrawal notice); else NotFound."""
    case = (
        EnforcementCase.objects.filter(
            procedure__in=rules.PUBLISHED_DECISIONS.value, decided_on__isnull=False
        )
        .filter(Q(status__in=DECIDED_STATES, revoked_on__isnull=True) | Q(revoked_on__isnull=False))
        .select_related("agency", "party", "jurisdiction", "item")
        .filter(pk=pk if str(pk).isdigit() else -1)
        .first()
    )
    if case is None:
        raise NotFound("该处罚决定未公开或不存在")
    return case


# --- annual reports (restricted) ---------------------------------------------------------------------------------


def list_reports(user, *, action: str = "view", year: int | None = None, status: str = "", q: str = ""):
    """The reports the user may see: their own jurisdiction's and those below."""
    qs = AnnualReport.objects.restrict(user, action).select_related("jurisdiction", "organisation")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(jurisdiction__name__contains=q.strip()) | Q(organisation__name__contains=q.strip()))
    return qs.order_by("-year", "jurisdiction_id", "id")


def get_report_for(user, pk, *, action: str = "view") -> AnnualReport:
    """One report the user may `action`, or NotFound (missing and forbidden alike)."""
    qs = AnnualReport.objects.select_related("jurisdiction", "organisation", "reviewed_by")
    return access.get_for(user, qs, pk, action)


def reports_to_review(user):
    """Submitted reports one level below the user, waiting for their review."""
    if not access.may(user, "disclosure.review_annualreport"):
        return AnnualReport.objects.none()
    qs = list_reports(user, action="review", status=ReportStatus.SUBMITTED)
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(
        Q(jurisdiction__parent_id=user.jurisdiction_id) | Q(jurisdiction_id=user.jurisdiction_id)
    )


def reports_to_file(user):
    """The user's own organisation's reports not yet submitted (draft or returned)."""
    return list_reports(user, action="change").filter(status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED))


def figures_of(report) -> list[dict]:
    """Every metric of the report with its figure (None when not computed or entered yet)."""
    figures = {f.metric: f for f in report.figures.all()}
    return [{"metric": m, "figure": figures.get(m.code)} for m in metrics.all_metrics()]


def cases_in(report):
    """All cases of the report's jurisdiction (unrestricted: for computing figures, never shown as rows)."""
    low, high = report.jurisdiction.bounds()
    return EnforcementCase.objects.filter(jurisdiction_id__gte=low, jurisdiction_id__lte=high)


def agency_breakdown(report) -> list[dict]:
    """The computed metrics per agency of the report's jurisdiction (one grouped query)."""
    grouped = metrics.evaluate(cases_in(report), report.year, group_by="agency_id")
    names = dict(Organisation.objects.filter(pk__in=list(grouped)).values_list("pk", "name"))
    return [
        {"agency": names.get(pk, pk), "values": [values[m.code] for m in metrics.computed_metrics()]}
        for pk, values in sorted(grouped.items(), key=lambda item: str(names.get(item[0], "")))
    ]


def figure_cases(user, report, metric_code: str):
    """The cases behind one computed figure, restricted to what the user may see of them (drill-down)."""
    metric = metrics.get(metric_code)
    if metric is None or metric.manual:
        raise NotFound("该数据项没有案件明细")
    visible = EnforcementCase.objects.restrict(user, "view")
    low, high = report.jurisdiction.bounds()
    return (
        visible.filter(jurisdiction_id__gte=low, jurisdiction_id__lte=high)
        .filter(metrics.q(metric, report.year))
        .select_related("agency")
        .order_by("-decided_on", "-filed_on", "-id")
    )


@dataclass
class Check:
    """One consistency check of a report against the level below it."""

    metric: metrics.Metric
    reported: Decimal | None
    children: Decimal
    own: Decimal
    missing: list[str]

    @property
    def expected(self) -> Decimal:
        return self.children + self.own

    @property
    def difference(self) -> Decimal | None:
        return None if self.reported is None else self.reported - self.expected

    @property
    def ok(self) -> bool:
        return self.difference == 0 and not self.missing


def child_jurisdictions(place: Jurisdiction):
    """The divisions whose reports a place reviews: a city's counties, the province's cities."""
    return Jurisdiction.objects.filter(parent_id=place.code, level=place.level + 1).order_by("code")


def consistency_checks(report) -> list[Check]:
    """For a city (province) report: each computed figure must equal the sum of its counties' (cities') filed
    reports plus what its own-level agencies did — the difference is shown per metric, with who has not filed."""
    if report.level >= JurisdictionLevel.COUNTY:
        return []
    children = list(child_jurisdictions(report.jurisdiction))
    filed = AnnualReport.objects.filter(
        year=report.year, jurisdiction__in=children, status__in=FILED_STATES
    ).values_list("jurisdiction_id", flat=True)
    filed = set(filed)
    missing = [c.name for c in children if c.code not in filed]
    sums = defaultdict(Decimal)
    for metric, value in ReportFigure.objects.filter(
        report__year=report.year, report__jurisdiction_id__in=filed
    ).values_list("metric", "value"):
        sums[metric] += value or 0
    # Own level: cases of the report's range that lie in none of the children (its own agencies, and the towns
    # directly below a city without counties).
    digits = SIGNIFICANT_DIGITS[report.level + 1]
    child_prefixes = {c.code[:digits] for c in children}
    grouped = metrics.evaluate(
        cases_in(report).annotate(part=Substr("jurisdiction_id", 1, digits)), report.year, group_by="part"
    )
    own = defaultdict(Decimal)
    for part, values in grouped.items():
        if part not in child_prefixes:
            for code, value in values.items():
                own[code] += value
    reported = {f.metric: f.value for f in report.figures.all()}
    return [
        Check(
            m, reported.get(m.code), metrics.normalise(sums[m.code]), metrics.normalise(own[m.code]), missing
        )
        for m in metrics.computed_metrics()
    ]


@dataclass
class ProgressRow:
    jurisdiction: Jurisdiction
    report: AnnualReport | None

    @property
    def filed(self) -> bool:
        return self.report is not None and self.report.status in FILED_STATES


def filing_progress(user, *, year: int, region: str = "", missing_only: bool = False) -> list[ProgressRow]:
    """Every division in the user's range that files (province, cities, counties) with its report for `year`."""
    bounds = access.jurisdiction_bounds(user)
    places = Jurisdiction.objects.filter(level__lte=JurisdictionLevel.COUNTY)
    if not getattr(user, "is_superuser", False):
        if not bounds:
            return []
        places = places.filter(code__gte=bounds[0], code__lte=bounds[1])
    places = _in_region(places, region, "code")
    reports = {r.jurisdiction_id: r for r in list_reports(user, year=year)}
    rows = [ProgressRow(place, reports.get(place.code)) for place in places.order_by("code")]
    return [r for r in rows if not r.filed] if missing_only else rows


# --- published data (accepted reports only) -----------------------------------------------------------------------


def published_reports(*, year: int, region: str = ""):
    """Accepted reports of `year` (public), optionally inside a region."""
    qs = AnnualReport.objects.filter(year=year, status=ReportStatus.ACCEPTED).select_related("jurisdiction")
    return _in_region(qs, region).prefetch_related("figures").order_by("jurisdiction_id")


def published_years() -> list[int]:
    return sorted(
        set(AnnualReport.objects.filter(status=ReportStatus.ACCEPTED).values_list("year", flat=True)),
        reverse=True,
    )


def published_table(*, year: int, region: str = "") -> list[dict]:
    """One row per accepted report: code, name, level and every metric's value (public pages, CSV, JSON)."""
    rows = []
    for report in published_reports(year=year, region=region):
        values = {f.metric: f.value for f in report.figures.all()}
        rows.append(
            {
                "code": report.jurisdiction_id,
                "name": report.jurisdiction.name,
                "level": report.level,
                "year": report.year,
                "values": {m.code: values.get(m.code) for m in metrics.all_metrics()},
            }
        )
    return rows


def default_year() -> int:
    """The year reports are being filed for now: last calendar year."""
    return timezone.localdate().year - 1


# --- province-wide aggregate (benchmarked by H7: must run < 10 s at 1M cases on PostgreSQL) -------------------------


def province_aggregate(year: int) -> dict:
    """Every computed metric for `year`, per city (12-digit code; the province's own agencies under the province's
    code) and in total — ONE grouped query with conditional aggregates over all cases (set-based)."""
    cases = EnforcementCase.objects.annotate(city=Substr("jurisdiction_id", 1, 4))
    grouped = metrics.evaluate(cases, year, group_by="city")
    cities = {prefix.ljust(12, "0"): values for prefix, values in grouped.items()}
    return {"year": year, "cities": cities, "total": _total(cities)}


def province_aggregate_naive(year: int) -> dict:
    """The same result as province_aggregate, computed row by row in Python (the benchmark's baseline)."""
    computed = metrics.computed_metrics()
    dated = sorted({name for m in computed for name in m.date_fields})
    start, end = metrics.year_bounds(year)
    cities: dict[str, dict[str, Decimal]] = {}
    for row in EnforcementCase.objects.order_by().values(*metrics.row_fields()).iterator(chunk_size=5000):
        if not any(row[name] is not None and start <= row[name] <= end for name in dated):
            continue
        values = cities.setdefault(
            row["jurisdiction_id"][:4].ljust(12, "0"), {m.code: Decimal(0) for m in computed}
        )
        for metric in computed:
            if metrics.matches(metric, row, year):
                values[metric.code] += metrics.contribution(metric, row)
    cities = {code: {k: metrics.normalise(v) for k, v in values.items()} for code, values in cities.items()}
    return {"year": year, "cities": cities, "total": _total(cities)}


def _total(cities: dict) -> dict:
    total = {m.code: Decimal(0) for m in metrics.computed_metrics()}
    for values in cities.values():
        for code, value in values.items():
            total[code] += value
    return {code: metrics.normalise(value) for code, value in total.items()}
