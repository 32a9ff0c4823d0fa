"""Who handles a record: assignments (承办人, 审核人 …) and the workflow guards that read them.

A service assigns people to any record (`assign(obj, user=..., role="handler", actor=...)`); workflow transitions
declare who may take them with guard helpers from here, e.g.::

    Transition("decide", "作出决定", ("reviewed",), "decided", permission=...,
               guards=(at_least(2, "handler"), not_same_person("reviewer", "handler")))

Assignments are rows of core.Assignment (a generic link by object type and id, like the workflow history), ended
rather than deleted, and audited by their own save.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import access, audit
from .choices import AuditEvent
from .errors import PermissionDenied, ValidationFailed
from .models.workflow import Assignment

HANDLER = "handler"
REVIEWER = "reviewer"
APPROVER = "approver"
ROLE_LABELS = {HANDLER: "承办人", REVIEWER: "审核人", APPROVER: "审批人"}


def role_label(role: str) -> str:
    """The Chinese name of an assignment role (modules may add theirs to ROLE_LABELS)."""
    return ROLE_LABELS.get(role, role)


def assignments_of(obj, role: str | None = None):
    """The active assignments of one record (the caller has loaded it through access), oldest first."""
    qs = Assignment.objects.of(obj).active().select_related("user")
    return qs.filter(role=role) if role else qs


def assignee_ids(obj, role: str = HANDLER) -> set[int]:
    """Ids of the people currently assigned to `obj` as `role` (cached on the instance for one request)."""
    cache = obj.__dict__.setdefault("_sj_assignees", {})
    if role not in cache:
        cache[role] = set(assignments_of(obj, role).values_list("user_id", flat=True))
    return cache[role]


def _forget(obj) -> None:
    obj.__dict__.pop("_sj_assignees", None)


@transaction.atomic
def assign(obj, *, user, role: str = HANDLER, actor) -> Assignment:
    """Assign `user` to `obj` as `role`; only staff who may act in the record's jurisdiction are assigned."""
    code = access.jurisdiction_code_of(obj)
    if not getattr(user, "is_staff_member", False) or not user.is_active:
        raise ValidationFailed("只能指派在职的工作人员", fields={"user": ["只能指派在职的工作人员"]})
    if getattr(type(obj), "jurisdiction_field", None) and not access.may_act_in(user, code):
        raise ValidationFailed(
            f"{user.display_name}不在本事项所属区划办理范围内",
            fields={"user": ["该工作人员不能办理本辖区以外的事项"]},
        )
    if (
        actor is not None
        and getattr(type(obj), "jurisdiction_field", None)
        and not access.may_act_in(actor, code)
    ):
        raise PermissionDenied("您不能为本辖区以外的事项指派人员")
    existing = assignments_of(obj, role).filter(user=user).first()
    if existing is not None:
        return existing
    try:
        detail = f"{role_label(role)}：{user.display_name}"
        with audit.operation(AuditEvent.ASSIGNED, obj=audit.NEW, actor=actor, detail=detail):  # a savepoint
            assignment = Assignment.objects.create(
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                user=user,
                role=role,
                jurisdiction_code=code,
                assigned_by=actor,
            )
    except IntegrityError:  # assigned by someone else at the same moment
        assignment = assignments_of(obj, role).get(user=user)
    _forget(obj)
    return assignment


@transaction.atomic
def unassign(obj, *, user, role: str = HANDLER, actor) -> int:
    """End `user`'s assignment to `obj` as `role` (kept, with who ended it and when); returns how many ended."""
    ended = 0
    for assignment in assignments_of(obj, role).filter(user=user).select_for_update():
        assignment.ended_at = timezone.now()
        assignment.ended_by = actor
        with audit.operation(AuditEvent.UNASSIGNED, obj=assignment, actor=actor):
            assignment.save(update_fields=["ended_at", "ended_by"])
        ended += 1
    _forget(obj)
    return ended


# --- guards (core.workflow: guard(obj, actor, payload) -> message or None) ------------------------------------


def requires_assignee(role: str = HANDLER):
    """Guard: only a person assigned to the record as `role` may take the step."""

    def guard(obj, actor, payload=None):
        if getattr(actor, "pk", None) in assignee_ids(obj, role):
            return None
        return f"只有本事项的{role_label(role)}可以办理此操作"

    guard.__name__ = f"requires_assignee_{role}"
    return guard


def at_least(n: int, role: str = HANDLER):
    """Guard: at least `n` people are assigned as `role` (e.g. 执法人员不得少于两人)."""

    def guard(obj, actor, payload=None):
        if len(assignee_ids(obj, role)) >= n:
            return None
        return f"本事项须至少指派{n}名{role_label(role)}"

    guard.__name__ = f"at_least_{n}_{role}"
    return guard


def not_same_person(role: str, other: str):
    """Guard: whoever acts as `role` is not assigned as `other` (e.g. the reviewer is not the handler)."""

    def guard(obj, actor, payload=None):
        others = assignee_ids(obj, other)
        if getattr(actor, "pk", None) in others or assignee_ids(obj, role) & others:
            return f"{role_label(role)}不能由本事项的{role_label(other)}担任"
        return None

    guard.__name__ = f"not_same_person_{role}_{other}"
    return guard


def organisation_kind_in(*kinds):
    """Guard: the actor belongs to an organisation of one of `kinds` (OrganisationKind values)."""
    from .choices import OrganisationKind

    def guard(obj, actor, payload=None):
        organisation = getattr(actor, "organisation", None)
        if organisation is not None and organisation.kind in kinds:
            return None
        names = "、".join(
            str(OrganisationKind(k).label) if k in OrganisationKind.values else k for k in kinds
        )
        return f"只有{names}的工作人员可以办理此操作"

    guard.__name__ = "organisation_kind_in"
    return guard
