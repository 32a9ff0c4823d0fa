"""Pages of 执法公示 (thin: parse → query/service → render). The public pages need no sign-in and show nothing
personal; the annual reports are staff pages read through core.access."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from smartjustice.core import access, maps, workflow, workflow_api
from smartjustice.core.choices import EnforcementDomain
from smartjustice.core.citations import Citation
from smartjustice.core.errors import DomainError, NotFound
from smartjustice.core.models import Jurisdiction
from smartjustice.core.pagination import page_of

from . import metrics, publication, queries, rules, services
from .choices import ReportStatus
from .models import AnnualReport
from .schemas import TRANSITION_INPUTS


def _law(article: int, paragraph: int | None = None) -> Citation:
    return Citation(rules.PENALTY_LAW, article, paragraph=paragraph)


# The procedures page (《行政处罚法》第三十九条: 实施程序和救济渠道 are public): (step, what happens, article).
ORDINARY_STEPS = (
    (
        "立案",
        "发现依法应当给予行政处罚的行为，符合立案标准的及时立案，全面、客观、公正地调查，收集证据",
        _law(54),
    ),
    ("调查取证", "执法人员不少于两人，主动出示执法证件；询问、检查应当制作笔录", _law(55)),
    (
        "法制审核",
        "涉及重大公共利益、直接关系当事人重大权益、经过听证程序等情形，决定前须经法制审核",
        _law(58),
    ),
    (
        "事先告知",
        "作出决定前告知拟作出的行政处罚内容及事实、理由、依据，以及陈述、申辩、要求听证等权利",
        _law(44),
    ),
    ("陈述申辩", "充分听取当事人意见并复核，不得因当事人陈述、申辩而给予更重的处罚", _law(45)),
    (
        "听证",
        "较大数额罚款、没收较大数额违法所得、降低资质等级、责令停产停业等，当事人可以要求听证",
        _law(63),
    ),
    (
        "审查决定",
        "调查终结，机关负责人审查后作出决定；情节复杂或者重大违法行为给予处罚的，集体讨论决定",
        _law(57),
    ),
    ("决定书", "制作行政处罚决定书，载明当事人、违法事实、依据、处罚内容、履行方式和救济途径", _law(59)),
    ("办案期限", "自立案之日起九十日内作出行政处罚决定，法律、法规、规章另有规定的除外", _law(60)),
    ("送达", "宣告后当场交付；当事人不在场的，七日内依照民事诉讼法的规定送达", _law(61)),
    (
        "执行",
        "当事人在决定书载明的期限内履行；逾期不履行的，可以每日按罚款数额的百分之三加处罚款等",
        _law(72),
    ),
)
SIMPLIFIED_STEPS = (
    (
        "适用条件",
        "违法事实确凿并有法定依据，对公民处二百元以下、对法人或者其他组织处三千元以下罚款或者警告的，可以当场决定",
        _law(51),
    ),
    (
        "当场决定",
        "出示执法证件，填写预定格式、编有号码的行政处罚决定书，当场交付当事人；当事人拒绝签收的，在决定书上注明",
        _law(52),
    ),
    ("履行", "当场作出的行政处罚决定，当事人依照本法第六十七条至第六十九条的规定履行", _law(53)),
)
RELIEF = (
    (
        "陈述申辩、行政复议和行政诉讼",
        "对行政处罚享有陈述权、申辩权；不服的，有权依法申请行政复议或者提起行政诉讼",
        _law(7),
    ),
)


def _int(value, default=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if 0 < number < 10**9 else default


def _article_url(citation) -> str:
    """The statute library's page of a cited article ('' when the library does not hold it)."""
    from smartjustice.statutes import citations

    try:
        check = citations.check_citation(citation)
    except Exception:  # the library may be empty on a fresh install; the citation text still shows
        return ""
    article = getattr(check, "article", None)
    return article.get_absolute_url() if article is not None else ""


# --- public ------------------------------------------------------------------------------------------------------


def index(request):
    return render(
        request,
        "disclosure/index.html",
        {
            "rules": rules,
            "decision_count": queries.published_decisions().count(),
            "years": queries.published_years(),
        },
    )


def agencies(request):
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "region": request.GET.get("region", "").strip()[:12],
        "domain": request.GET.get("domain", "")
        if request.GET.get("domain") in EnforcementDomain.values
        else "",
    }
    page = page_of(queries.public_agencies(**filters), request)
    return render(
        request,
        "disclosure/agencies.html",
        {
            "page": page,
            "filters": filters,
            "domains": EnforcementDomain.choices,
            "rule": rules.PUBLIC_INFORMATION,
        },
    )


def officers(request):
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "region": request.GET.get("region", "").strip()[:12],
    }
    page = page_of(queries.public_officers(**filters), request)
    return render(request, "disclosure/officers.html", {"page": page, "filters": filters})


def procedures(request):
    def linked(steps):
        return [(title, text, citation, _article_url(citation)) for title, text, citation in steps]

    return render(
        request,
        "disclosure/procedures.html",
        {
            "ordinary": linked(ORDINARY_STEPS),
            "simplified": linked(SIMPLIFIED_STEPS),
            "relief": linked(RELIEF),
            "rules": rules,
        },
    )


def decisions(request):
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "region": request.GET.get("region", "").strip()[:12],
        "year": _int(request.GET.get("year")),
    }
    page = page_of(publication.Presented(queries.published_decisions(**filters)), request)
    return render(
        request,
        "disclosure/decisions.html",
        {"page": page, "filters": filters, "rules": rules, "withdrawn": queries.withdrawn_decisions()[:10]},
    )


def decision_detail(request, pk: int):
    decision = publication.present(queries.get_public_decision(pk))
    return render(request, "disclosure/decision_detail.html", {"decision": decision, "rules": rules})


def _data_context(year: int, region: str, metric_code: str) -> dict:
    metric = metrics.get(metric_code) or metrics.all_metrics()[0]
    table = queries.published_table(year=year, region=region)
    values = {row["code"]: row["values"].get(metric.code) for row in table}
    place_level = Jurisdiction.objects.filter(code=region).values_list("level", flat=True).first()
    # The province's view maps the cities' reports; a city's view maps its counties' reports.
    level = maps.DISTRICT if place_level and place_level >= 2 else maps.CITY
    wanted = 3 if level == maps.DISTRICT else 2
    mapped = {
        code: float(v) for code, v in values.items() if v is not None and _level_of(table, code) == wanted
    }
    chart = [
        {"name": row["name"], "value": float(row["values"][metric.code] or 0)}
        for row in table
        if row["level"] == wanted and row["values"].get(metric.code) is not None
    ]
    return {
        "metric": metric,
        "table": table,
        "chart": sorted(chart, key=lambda r: -r["value"]),
        "region_map": maps.region_map(
            mapped,
            level=level,
            title=metric.name,
            unit=metric.unit,
            key="annual",
            link=f"?year={year}&region={{code}}",
        ),
    }


def _level_of(table, code):
    return next((row["level"] for row in table if row["code"] == code), None)


def data(request):
    years = queries.published_years()
    year = _int(request.GET.get("year")) or (years[0] if years else queries.default_year())
    region = request.GET.get("region", "").strip()[:12]
    context = _data_context(year, region, request.GET.get("metric", ""))
    context.update({"year": year, "years": years, "region": region, "metrics": metrics.all_metrics()})
    return render(request, "disclosure/data.html", context)


def data_csv(request, year: int):
    """Accepted reports of `year` as CSV (UTF-8 with BOM for Excel): one row per region, one column per metric."""
    region = request.GET.get("region", "").strip()[:12]
    rows = queries.published_table(year=year, region=region)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    definitions = metrics.all_metrics()
    writer.writerow(["区划代码", "区划", "年度", *[f"{m.name}（{m.unit}）" for m in definitions]])
    for row in rows:
        writer.writerow(
            [row["code"], row["name"], row["year"], *[_plain(row["values"].get(m.code)) for m in definitions]]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="enforcement-data-{year}.csv"'
    return response


def data_json(request, year: int):
    """Accepted reports of `year` as JSON, with the metric definitions they follow."""
    region = request.GET.get("region", "").strip()[:12]
    body = {
        "year": year,
        "metrics": [m.as_dict() for m in metrics.all_metrics()],
        "reports": [
            {**row, "values": {k: _plain(v) for k, v in row["values"].items()}}
            for row in queries.published_table(year=year, region=region)
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="enforcement-data-{year}.json"'
    return response


def _plain(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


# --- annual reports (staff) --------------------------------------------------------------------------------------


def _get(user, pk):
    return queries.get_report_for(user, pk)


@login_required
def reports(request):
    filters = {
        "year": _int(request.GET.get("year")),
        "status": request.GET.get("status", "") if request.GET.get("status") in ReportStatus.values else "",
        "q": request.GET.get("q", "").strip()[:100],
    }
    access.require(request.user, "view", AnnualReport)
    page = page_of(queries.list_reports(request.user, **filters), request)
    return render(
        request,
        "disclosure/reports.html",
        {
            "page": page,
            "filters": filters,
            "statuses": ReportStatus.choices,
            "may_open": access.may_do(request.user, "add", AnnualReport),
            "default_year": queries.default_year(),
        },
    )


@login_required
@require_POST
def report_open(request):
    year = _int(request.POST.get("year"))
    try:
        report = services.open_report(
            organisation=getattr(request.user, "organisation", None), year=year or 0, actor=request.user
        )
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("disclosure:reports")
    messages.success(request, f"已新建并统计 {report}")
    return redirect("disclosure:report-detail", pk=report.pk)


@login_required
def report_detail(request, pk: int):
    report = _get(request.user, pk)
    return render(
        request,
        "disclosure/report_detail.html",
        {
            "report": report,
            "figures": queries.figures_of(report),
            "checks": queries.consistency_checks(report),
            "breakdown": queries.agency_breakdown(report),
            "computed_metrics": metrics.computed_metrics(),
            "may_change": access.can(request.user, "change", report) and report.status in services.EDITABLE,
            "transition_forms": workflow_api.transition_forms(
                report, request.user, services=services.TRANSITION_SERVICES, inputs=TRANSITION_INPUTS
            ),
            "history": workflow.history(report),
        },
    )


@login_required
@require_POST
def report_compute(request, pk: int):
    report = queries.get_report_for(request.user, pk, action="change")
    try:
        services.compute_report(report, actor=request.user)
        messages.success(request, "已按最新案件数据重新统计")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure:report-detail", pk=report.pk)


@login_required
@require_POST
def report_figure(request, pk: int, metric: str):
    report = queries.get_report_for(request.user, pk, action="change")
    try:
        services.enter_figure(
            report,
            metric=metric,
            value=request.POST.get("value", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
        messages.success(request, "已保存")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure:report-detail", pk=report.pk)


@login_required
def figure_cases(request, pk: int, metric: str):
    report = _get(request.user, pk)
    cases = queries.figure_cases(request.user, report, metric)
    return render(
        request,
        "disclosure/figure_cases.html",
        {
            "report": report,
            "metric": metrics.get(metric),
            "page": page_of(cases, request),
            "may_view_cases": access.may_do(request.user, "view", cases.model),
        },
    )


act = workflow_api.transition_view(
    get=_get,
    services=services.TRANSITION_SERVICES,
    inputs=TRANSITION_INPUTS,
    redirect_to=lambda obj: reverse("disclosure:report-detail", args=[obj.pk]),
)


@login_required
def progress(request):
    access.require(request.user, "view", AnnualReport)
    year = _int(request.GET.get("year")) or queries.default_year()
    missing_only = request.GET.get("missing") == "1"
    region = request.GET.get("region", "").strip()[:12]
    rows = queries.filing_progress(request.user, year=year, region=region, missing_only=missing_only)
    filed = sum(1 for r in rows if r.filed)
    return render(
        request,
        "disclosure/progress.html",
        {
            "rows": rows,
            "year": year,
            "region": region,
            "missing_only": missing_only,
            "filed": filed,
            "total": len(rows),
        },
    )
