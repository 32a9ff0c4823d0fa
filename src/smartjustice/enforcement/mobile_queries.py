"""Reads of mobile enforcement (移动执法): an officer's own cases, deadlines and inspections, party look-up, and the
colleagues who may go out with them. Every read starts from `restrict(user, …)`; nothing here writes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from smartjustice.core.assignments import HANDLER
from smartjustice.core.errors import ValidationFailed
from smartjustice.core.models.workflow import Assignment
from smartjustice.core.validators import contains_null_character, normalize_citizen_id, normalize_uscc

from . import case_queries
from .choices import CaseStatus, InspectionResult
from .eligibility import eligible_officers, officer_of
from .models import EnforcementCase, EnforcementOfficer, Inspection, Party

OPEN_STATES = [
    s
    for s in CaseStatus.values
    if s not in (CaseStatus.CLOSED, CaseStatus.ARCHIVED, CaseStatus.NOT_FILED, CaseStatus.EXECUTED)
]
LOOKUP_KINDS = {"name": "姓名或名称", "id_number": "身份证号码", "uscc": "统一社会信用代码"}
LOOKUP_LIMIT = 20


def my_case_ids(user) -> list[int]:
    """Ids of the cases the user is currently assigned to as 承办人."""
    if user is None or not user.is_authenticated:
        return []
    ids = (
        Assignment.objects.filter(
            object_type=EnforcementCase._meta.label_lower, user_id=user.pk, role=HANDLER
        )
        .active()
        .values_list("object_id", flat=True)
    )
    return [int(i) for i in ids if str(i).isdigit()]


def my_cases(user, *, open_only: bool = False):
    """The cases the user may view and is assigned to as 承办人, most urgent clock first."""
    qs = EnforcementCase.objects.restrict(user, "view").filter(pk__in=my_case_ids(user))
    if open_only:
        qs = qs.filter(status__in=OPEN_STATES)
    return qs.select_related("party", "agency").order_by("clock_due_on", "-id")


def get_my_case(user, pk, action: str = "view") -> EnforcementCase:
    """One case the user may act on (NotFound for missing and forbidden alike) — case_queries' one way in."""
    return case_queries.get_case_for(user, pk, action=action)


@dataclass(frozen=True)
class Deadline:
    """One date an officer must meet on a case: the stage's clock, or the party's payment date."""

    case: EnforcementCase
    label: str
    due_on: datetime.date
    days_left: int  # negative: overdue

    @property
    def tone(self) -> str:
        return "danger" if self.days_left < 0 else "warning" if self.days_left <= 3 else "success"

    @property
    def text(self) -> str:
        if self.days_left < 0:
            return f"已超期 {-self.days_left} 日"
        return "今日到期" if self.days_left == 0 else f"剩余 {self.days_left} 日"


def my_deadlines(user, *, today: datetime.date | None = None, limit: int = 50) -> list[Deadline]:
    """The running clocks and payment dates of the user's open cases, soonest first."""
    today = today or timezone.localdate()
    found = []
    for case in my_cases(user, open_only=True)[:200]:
        if case.clock_due_on:
            label = case.clock.label if case.clock else "办理期限"
            found.append(Deadline(case, label, case.clock_due_on, (case.clock_due_on - today).days))
        if case.payment_due_on and case.status == CaseStatus.SERVED and case.amount_due > 0:
            found.append(
                Deadline(case, "罚款缴纳期限", case.payment_due_on, (case.payment_due_on - today).days)
            )
    return sorted(found, key=lambda d: (d.due_on, d.case.pk))[:limit]


def my_inspections(user):
    """The inspections (双随机抽查) the user was drawn for and that still wait for a result."""
    return (
        Inspection.objects.restrict(user, "view")
        .filter(officers__user_id=user.pk, result=InspectionResult.PENDING)
        .select_related("entity", "plan")
        .order_by("id")
        .distinct()
    )


def clean_lookup(by: str, value: str) -> str:
    """The look-up value normalised for `by` (身份证号码 and 统一社会信用代码 checked by core.validators)."""
    if by not in LOOKUP_KINDS:
        raise ValidationFailed(
            "请选择查询方式", fields={"by": ["请选择查询方式：姓名或名称、身份证号码、统一社会信用代码"]}
        )
    text = str(value or "").strip()
    if not text:
        message = f"请输入{LOOKUP_KINDS[by]}"
        raise ValidationFailed(message, fields={"q": [message]})
    if contains_null_character(text) or len(text) > 100:
        raise ValidationFailed("查询内容无效", fields={"q": ["查询内容无效（不超过100个字）"]})
    try:
        if by == "id_number":
            return normalize_citizen_id(text)
        if by == "uscc":
            return normalize_uscc(text)
    except ValidationError as error:
        raise ValidationFailed(error.messages[0], fields={"q": error.messages}) from None
    return text


def find_parties(user, *, by: str, q: str):
    """Parties the user may view matching a name (contains) or an ID number / USCC (exact, after validation)."""
    value = clean_lookup(by, q)
    qs = case_queries.list_parties(user)
    qs = qs.filter(name__icontains=value) if by == "name" else qs.filter(id_number=value)
    return qs[:LOOKUP_LIMIT]


def get_party_for(user, pk) -> Party:
    return case_queries.get_party_for(user, pk)


def officer_qs(user):
    """The officers the user may see (for choosing colleagues by id)."""
    return EnforcementOfficer.objects.restrict(user, "view").select_related(
        "user", "agency", "jurisdiction", "credential"
    )


def my_officer(user) -> EnforcementOfficer | None:
    """The user's own officer record (with agency and certificate), or None."""
    return officer_of(user)


def colleagues(officer: EnforcementOfficer | None):
    """The officers of the same agency who may go out with `officer` now (valid certificate for its domain)."""
    if officer is None or not officer.agency.enforcement_domain:
        return EnforcementOfficer.objects.none()
    return (
        eligible_officers(officer.agency.enforcement_domain, officer.agency.jurisdiction_id)
        .filter(agency_id=officer.agency_id)
        .exclude(pk=officer.pk)
        .order_by("user__real_name", "id")
    )
