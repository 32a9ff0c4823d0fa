"""API of 执法公示 at /api/v1/disclosure/: public information (no sign-in) and the annual reports (staff)."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from smartjustice.core import workflow, workflow_api
from smartjustice.core.auth import API_AUTH
from smartjustice.core.pagination import PageNumberPagination

from . import metrics, publication, queries, services
from .models import AnnualReport
from .schemas import (
    TRANSITION_INPUTS,
    CheckOut,
    DecisionDetailOut,
    DecisionFilter,
    DecisionOut,
    DrilldownCaseOut,
    FigureIn,
    FigureOut,
    MetricOut,
    PublishedRowOut,
    ReportDetailOut,
    ReportFilter,
    ReportIn,
    ReportOut,
)

router = Router(tags=["执法公示"])


def _detail(request, report):
    report._transitions = workflow.available_transitions(report, request.auth)
    report._history = list(workflow.history(report))
    return report


# --- public --------------------------------------------------------------------------------------------------------


@router.get("/metrics", response=list[MetricOut], auth=None, summary="年度行政执法数据指标定义")
def list_metrics(request):
    return [
        {"count": "", "sum": "", "where": {}, "manual": False, **m.as_dict()} for m in metrics.all_metrics()
    ]


@router.get(
    "/decisions", response=list[DecisionOut], auth=None, summary="公开的行政处罚决定（个人信息已遮蔽）"
)
@paginate(PageNumberPagination)
def list_decisions(request, filters: Query[DecisionFilter]):
    return publication.Presented(queries.published_decisions(**filters.dict()))


@router.get(
    "/decisions/{decision_id}",
    response=DecisionDetailOut,
    auth=None,
    summary="公开的行政处罚决定（已撤销的只含撤回说明）",
)
def get_decision(request, decision_id: int):
    return publication.present(queries.get_public_decision(decision_id))


@router.get("/data/{year}", response=list[PublishedRowOut], auth=None, summary="已审核公开的年度行政执法数据")
def published_data(request, year: int, region: str = ""):
    return queries.published_table(year=year, region=region)


# --- annual reports (staff) ---------------------------------------------------------------------------------------


@router.get(
    "/reports", response=list[ReportOut], auth=API_AUTH, summary="年度行政执法数据报告（本辖区及下级）"
)
@paginate(PageNumberPagination)
def list_reports(request, filters: Query[ReportFilter]):
    return queries.list_reports(request.auth, **filters.dict())


@router.post("/reports", response={201: ReportDetailOut}, auth=API_AUTH, summary="新建本单位的年度报告并统计")
def open_report(request, payload: ReportIn):
    report = services.open_report(
        organisation=getattr(request.auth, "organisation", None), year=payload.year, actor=request.auth
    )
    return Status(201, _detail(request, queries.get_report_for(request.auth, report.pk)))


@router.get("/reports/{report_id}", response=ReportDetailOut, auth=API_AUTH, summary="年度报告详情")
def get_report(request, report_id: int):
    return _detail(request, queries.get_report_for(request.auth, report_id))


@router.post("/reports/{report_id}/compute", response=ReportDetailOut, auth=API_AUTH, summary="重新统计")
def compute_report(request, report_id: int):
    report = queries.get_report_for(request.auth, report_id, action="change")
    services.compute_report(report, actor=request.auth)
    return _detail(request, queries.get_report_for(request.auth, report_id))


@router.put(
    "/reports/{report_id}/figures/{metric}", response=FigureOut, auth=API_AUTH, summary="填报人工数据项"
)
def enter_figure(request, report_id: int, metric: str, payload: FigureIn):
    report = queries.get_report_for(request.auth, report_id, action="change")
    return services.enter_figure(
        report, metric=metric, value=payload.value, note=payload.note, actor=request.auth
    )


@router.get(
    "/reports/{report_id}/figures/{metric}/cases",
    response=list[DrilldownCaseOut],
    auth=API_AUTH,
    summary="数据项对应的案件明细（仅含有权查看的案件）",
)
@paginate(PageNumberPagination)
def figure_cases(request, report_id: int, metric: str):
    report = queries.get_report_for(request.auth, report_id)
    return queries.figure_cases(request.auth, report, metric)


@router.get(
    "/reports/{report_id}/checks", response=list[CheckOut], auth=API_AUTH, summary="与下级报告的一致性校验"
)
def report_checks(request, report_id: int):
    report = queries.get_report_for(request.auth, report_id)
    return [
        {
            "metric": c.metric.code,
            "name": c.metric.name,
            "reported": c.reported,
            "children": c.children,
            "own": c.own,
            "expected": c.expected,
            "difference": c.difference,
            "ok": c.ok,
            "missing": c.missing,
        }
        for c in queries.consistency_checks(report)
    ]


workflow_api.transition_routes(
    router,
    path="/reports",
    model=AnnualReport,
    get_for=queries.get_report_for,
    detail=_detail,
    response=ReportDetailOut,
    services=services.TRANSITION_SERVICES,
    inputs=TRANSITION_INPUTS,
    id_param="report_id",
)
