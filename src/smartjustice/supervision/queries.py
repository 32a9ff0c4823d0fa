"""Every read of 执法监督, already restricted by core.access (pages and API share these)."""

from __future__ import annotations

from django.db.models import Count, Q

from smartjustice.core import access
from smartjustice.core.models import Jurisdiction, Organisation

from .choices import FlagRule, FlagStatus, OrderStatus
from .models import CaseFileReview, SupervisionFlag, SupervisionOrder

OPEN_ORDER_STATES = (OrderStatus.ISSUED, OrderStatus.REPLIED, OrderStatus.RETURNED, OrderStatus.ACCEPTED)


def _region(qs, region: str):
    """Records in the division `region` and below (a 12-digit code; its significant prefix)."""
    if not region:
        return qs
    place = Jurisdiction.objects.filter(code=region).first()
    if place is None:
        return qs.none()
    low, high = place.bounds()
    return qs.filter(jurisdiction_id__gte=low, jurisdiction_id__lte=high)


def list_flags(
    user,
    *,
    action: str = "view",
    rule: str = "",
    status: str = FlagStatus.OPEN,
    region: str = "",
    agency: int | None = None,
    domain: str = "",
    case: int | None = None,
    q: str = "",
):
    """Supervisors: the flags of their jurisdiction; agencies: their own cases' flags. Newest finding first."""
    qs = SupervisionFlag.objects.restrict(user, action).select_related("case", "agency", "jurisdiction")
    if rule:
        qs = qs.filter(rule=rule)
    if status:
        qs = qs.filter(status=status)
    qs = _region(qs, region)
    if agency:
        qs = qs.filter(agency_id=agency)
    if domain:
        qs = qs.filter(domain=domain)
    if case:
        qs = qs.filter(case_id=case)
    if q:
        q = q.strip()
        qs = qs.filter(Q(case__number__contains=q) | Q(case__cause__contains=q) | Q(agency__name__contains=q))
    return qs.order_by("-last_seen_at", "-id")


def get_flag_for(user, pk, *, action: str = "view") -> SupervisionFlag:
    qs = SupervisionFlag.objects.select_related(
        "case", "case__party", "agency", "jurisdiction", "dismissed_by"
    )
    return access.get_for(user, qs, pk, action)


def list_orders(
    user,
    *,
    action: str = "view",
    status: str = "",
    region: str = "",
    agency: int | None = None,
    domain: str = "",
    overdue: bool | None = None,
    q: str = "",
):
    qs = SupervisionOrder.objects.restrict(user, action).select_related(
        "case", "agency", "jurisdiction", "issuing_organisation", "issued_by"
    )
    if status:
        qs = qs.filter(status=status)
    qs = _region(qs, region)
    if agency:
        qs = qs.filter(agency_id=agency)
    if domain:
        qs = qs.filter(domain=domain)
    if overdue is not None:
        from django.utils import timezone

        late = Q(clock_code__gt="", clock_due_on__lt=timezone.localdate())
        qs = qs.filter(late) if overdue else qs.exclude(late)
    if q:
        q = q.strip()
        qs = qs.filter(Q(number__contains=q) | Q(case__number__contains=q) | Q(case__cause__contains=q))
    return qs.order_by("-issued_on", "-id")


def open_orders(user):
    """督办 the user acts on next: the agency rectifies (待整改、已退回); the supervisor reviews (已回复、整改通过)."""
    qs = list_orders(user).filter(status__in=OPEN_ORDER_STATES)
    if access.may(user, "supervision.supervise_supervisionorder"):
        return qs
    return qs.filter(status__in=(OrderStatus.ISSUED, OrderStatus.RETURNED))


def get_order_for(user, pk, *, action: str = "view") -> SupervisionOrder:
    qs = SupervisionOrder.objects.select_related(
        "case", "agency", "jurisdiction", "issuing_organisation", "issued_by", "replied_by"
    )
    return access.get_for(user, qs, pk, action)


def list_reviews(
    user, *, action: str = "view", batch: str = "", status: str = "", region: str = "", agency=None
):
    qs = CaseFileReview.objects.restrict(user, action).select_related(
        "case", "agency", "jurisdiction", "reviewer"
    )
    if batch:
        qs = qs.filter(batch=batch)
    if status:
        qs = qs.filter(status=status)
    qs = _region(qs, region)
    if agency:
        qs = qs.filter(agency_id=agency)
    return qs.order_by("-created_at", "-id")


def get_review_for(user, pk, *, action: str = "view") -> CaseFileReview:
    qs = CaseFileReview.objects.select_related("case", "agency", "jurisdiction", "reviewer", "sampled_by")
    return access.get_for(user, qs, pk, action)


def review_batches(user) -> list[str]:
    return list(
        CaseFileReview.objects.restrict(user, "view")
        .order_by("batch")
        .values_list("batch", flat=True)
        .distinct()
    )


def flag_agencies(user):
    """The agencies whose cases the user's flags concern (the agency filter)."""
    ids = SupervisionFlag.objects.restrict(user, "view").order_by().values("agency_id").distinct()
    return Organisation.objects.filter(pk__in=ids).order_by("jurisdiction_id", "name")


def dashboard(user, *, status: str = FlagStatus.OPEN) -> dict:
    """Counts of the user's flags by rule, region (the division one level below the user's), domain and agency,
    and of 督办 by state: all aggregates in SQL."""
    flags = SupervisionFlag.objects.restrict(user, "view")
    if status:
        flags = flags.filter(status=status)
    by_rule = dict(flags.order_by().values_list("rule").annotate(n=Count("pk")))
    by_domain = dict(flags.order_by().values_list("domain").annotate(n=Count("pk")))
    by_agency = list(
        flags.order_by()
        .values("agency_id", "agency__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "agency_id")[:15]
    )
    by_code = dict(flags.order_by().values_list("jurisdiction_id").annotate(n=Count("pk")))
    regions = _roll_up(user, by_code)
    orders = SupervisionOrder.objects.restrict(user, "view")
    by_order_status = dict(orders.order_by().values_list("status").annotate(n=Count("pk")))
    from smartjustice.core.choices import EnforcementDomain

    return {
        "total": sum(by_rule.values()),
        "by_rule": [
            {"code": c, "name": FlagRule(c).label, "value": by_rule[c]}
            for c in FlagRule.values
            if by_rule.get(c)
        ],
        "by_domain": [
            {
                "code": c,
                "name": EnforcementDomain(c).label if c in EnforcementDomain.values else c,
                "value": n,
            }
            for c, n in sorted(by_domain.items(), key=lambda kv: -kv[1])
        ],
        "by_agency": [{"id": r["agency_id"], "name": r["agency__name"], "value": r["n"]} for r in by_agency],
        "by_region": regions,
        "by_code": by_code,
        "orders_total": sum(by_order_status.values()),
        "orders": [
            {"code": c, "name": OrderStatus(c).label, "value": by_order_status.get(c, 0)}
            for c in OrderStatus.values
        ],
    }


def _roll_up(user, by_code: dict[str, int]) -> list[dict]:
    """Counts per division one level below the user's own (the province's cities, a city's counties …)."""
    own = Jurisdiction.objects.filter(code=getattr(user, "jurisdiction_id", None)).first()
    from smartjustice.core.divisions import SIGNIFICANT_DIGITS

    level = (own.level + 1) if own is not None else 2
    digits = SIGNIFICANT_DIGITS.get(level, 12)
    totals: dict[str, int] = {}
    for code, n in by_code.items():
        key = code[:digits].ljust(12, "0")
        totals[key] = totals.get(key, 0) + n
    names = dict(Jurisdiction.objects.filter(code__in=totals).values_list("code", "name"))
    return [
        {"code": code, "name": names.get(code, code), "value": n}
        for code, n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def get_case_to_supervise(user, case_id, *, flags=()):
    """The case a supervisor may 督办: the case of one of their flags, or any case inside their jurisdiction
    (NotFound otherwise, the same for missing and outside)."""
    from smartjustice.core.errors import NotFound
    from smartjustice.enforcement.models import EnforcementCase

    for flag in flags:
        if flag.case_id == case_id:
            return flag.case
    case = EnforcementCase.objects.select_related("agency").filter(pk=case_id).first()
    if case is None or not access.may_act_in(user, case.jurisdiction_id):
        raise NotFound("案件不存在或不在您的辖区")
    return case
