"""Reads of 双随机、一公开, already restricted: the entity registry, conflicts of interest, plans, inspections, and the
published results anyone may read."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from smartjustice.core import access
from smartjustice.core.errors import NotFound
from smartjustice.core.models import Jurisdiction
from smartjustice.core.models.jurisdictions import code_bounds

from .choices import InspectionPlanStatus, InspectionResult
from .eligibility import officer_of
from .models import ConflictOfInterest, EnforcementOfficer, Inspection, InspectionPlan, RegulatedEntity


def _inside(qs, code: str, field: str = "jurisdiction_id"):
    """Rows whose `field` lies in division `code` or below it (none for an unknown code)."""
    place = Jurisdiction.objects.filter(code=code).first()
    if place is None:
        return qs.none()
    low, high = code_bounds(place.code, place.level)
    return qs.filter(**{f"{field}__gte": low, f"{field}__lte": high})


def _domain_filter(qs, domain: str, field: str = "domains"):
    # A JSON list of codes: a quoted text match works on SQLite and PostgreSQL (see officers.list_agencies).
    return qs.filter(**{f"{field}__icontains": f'"{domain}"'})


# --- the registry (监管对象名录) --------------------------------------------------------------------------------


def list_entities(
    user, *, q: str = "", jurisdiction: str = "", domain: str = "", risk_level: str = "", active=None
):
    """The regulated entities the user may see, searched by name or USCC and filtered."""
    qs = RegulatedEntity.objects.restrict(user, "view").select_related("jurisdiction")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__icontains=q.upper()))
    if jurisdiction:
        qs = _inside(qs, jurisdiction)
    if domain:
        qs = _domain_filter(qs, domain)
    if risk_level:
        qs = qs.filter(risk_level=risk_level)
    if active is not None and active != "":
        qs = qs.filter(is_active=active in (True, "1", "true", "yes"))
    return qs.order_by("name", "id")


def get_entity_for(user, pk, action: str = "view") -> RegulatedEntity:
    return access.get_for(user, RegulatedEntity.objects.select_related("jurisdiction"), pk, action=action)


def candidate_rows(plan: InspectionPlan) -> list[tuple[str, str]]:
    """The plan's candidate list as (USCC, risk level): active entities of its domain in its division or below, in
    USCC order."""
    qs = _domain_filter(
        _inside(RegulatedEntity.objects.filter(is_active=True), plan.jurisdiction_id), plan.domain
    )
    rows = qs.order_by("uscc").values_list("uscc", "risk_level", "domains")
    # The text match could in theory hit a longer code; the exact membership test settles it.
    return [(uscc, risk) for uscc, risk, domains in rows if plan.domain in (domains or [])]


# --- conflicts of interest (回避关系) ------------------------------------------------------------------------------


def list_conflicts(user, *, officer_id=None, entity_id=None):
    qs = ConflictOfInterest.objects.restrict(user, "view").select_related("officer__user", "entity")
    if officer_id:
        qs = qs.filter(officer_id=officer_id)
    if entity_id:
        qs = qs.filter(entity_id=entity_id)
    return qs.order_by("officer_id", "entity_id", "id")


def get_conflict_for(user, pk, action: str = "view") -> ConflictOfInterest:
    return access.get_for(
        user, ConflictOfInterest.objects.select_related("officer__user", "entity"), pk, action
    )


# --- plans and inspections -----------------------------------------------------------------------------------------


def _plans(qs):
    return qs.select_related("agency", "jurisdiction").annotate(
        inspection_count=Count("inspections", distinct=True),
        done_count=Count(
            "inspections", filter=~Q(inspections__result=InspectionResult.PENDING), distinct=True
        ),
    )


def list_plans(user, *, q: str = "", status: str = "", domain: str = "", agency_id=None):
    """The plans the user may see (their agency's; a supervisor's whole jurisdiction)."""
    qs = InspectionPlan.objects.restrict(user, "view")
    if q:
        qs = qs.filter(name__icontains=q)
    if status:
        qs = qs.filter(status=status)
    if domain:
        qs = qs.filter(domain=domain)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return _plans(qs).order_by("-created_at", "-id")


def get_plan_for(user, pk, action: str = "view") -> InspectionPlan:
    return access.get_for(user, _plans(InspectionPlan.objects.all()), pk, action=action)


def _inspections(qs):
    officers = EnforcementOfficer.objects.select_related("user").order_by("id")
    return qs.select_related("plan", "plan__agency", "entity", "entity__jurisdiction").prefetch_related(
        Prefetch("officers", queryset=officers)
    )


def inspections_of(plan: InspectionPlan):
    """A plan's inspections (the caller has loaded the plan through get_plan_for)."""
    return _inspections(Inspection.objects.filter(plan=plan)).order_by("entity__uscc", "id")


def list_inspections(user, *, plan_id=None, result: str = "", mine: bool = False):
    qs = Inspection.objects.restrict(user, "view")
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    if result:
        qs = qs.filter(result=result)
    if mine:
        officer = officer_of(user)
        qs = qs.filter(officers=officer) if officer else qs.none()
    return _inspections(qs).order_by("-plan__drawn_at", "entity__uscc", "id")


def my_inspections(user):
    """The inspections the user was drawn for, pending ones first."""
    officer = officer_of(user)
    if officer is None:
        return Inspection.objects.none()
    qs = _inspections(Inspection.objects.restrict(user, "view").filter(officers=officer))
    return qs.order_by("-plan__drawn_at", "entity__uscc", "id")


def get_inspection_for(user, pk, action: str = "view") -> Inspection:
    return access.get_for(user, _inspections(Inspection.objects.all()), pk, action=action)


# --- 一公开: what anyone may read -------------------------------------------------------------------------------


def published_plans(*, q: str = "", domain: str = "", jurisdiction: str = ""):
    """Plans whose results are published (public)."""
    qs = InspectionPlan.objects.filter(status=InspectionPlanStatus.PUBLISHED)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(agency__name__icontains=q))
    if domain:
        qs = qs.filter(domain=domain)
    if jurisdiction:
        qs = _inside(qs, jurisdiction)
    return _plans(qs).order_by("-published_at", "-id")


def get_published_plan(pk) -> InspectionPlan:
    plan = published_plans().filter(pk=pk).first()
    if plan is None:
        raise NotFound("抽查计划不存在或尚未公示")
    return plan


def published_inspections(plan: InspectionPlan):
    """A published plan's inspections: entity and result only (officers are listed by name and certificate
    number, which 《行政处罚法》第五十五条 has them show anyway; no personal data of the entity's people)."""
    return inspections_of(plan)


def pending_inspections_tile(user):
    """The officer's to-do tile: inspections they were drawn for and have not recorded yet."""
    from django.urls import reverse

    from smartjustice.core.modules import TileContent, TodoItem

    pending = my_inspections(user).filter(
        result=InspectionResult.PENDING, plan__status=InspectionPlanStatus.DRAWN
    )
    items = tuple(
        TodoItem(
            title=i.entity.name,
            href=reverse("enforcement:inspection-result", args=[i.pk]),
            status="待检查",
            detail=i.plan.name,
        )
        for i in pending[:8]
    )
    return TileContent(
        count=pending.count(),
        items=items,
        href=reverse("enforcement:my-inspections"),
        empty="没有待检查的抽查任务",
    )
