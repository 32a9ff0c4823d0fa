"""Every read of core records, already restricted by core.access; pages, API and exports share these."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from . import access, audit
from .models import ApiToken, AuditEntry, Jurisdiction, Organisation, User
from .models.jurisdictions import code_bounds


def _within(queryset, field: str, code: str | None):
    """Narrow to one jurisdiction's subtree (the caller's own restriction still applies)."""
    if not code:
        return queryset
    level = Jurisdiction.objects.filter(code=code).values_list("level", flat=True).first()
    if level is None:
        return queryset.none()
    lo, hi = code_bounds(code, level)
    return queryset.filter(**{f"{field}__gte": lo, f"{field}__lte": hi})


# --- jurisdictions (public reference data) ------------------------------------------------------------------


def list_jurisdictions(
    *, parent: str | None = None, level: int | None = None, q: str = "", within: str | None = None
):
    qs = Jurisdiction.objects.all()
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    return _within(qs, "code", within)


def get_jurisdiction(code: str) -> Jurisdiction:
    from .errors import NotFound

    try:
        return Jurisdiction.objects.get(code=code)
    except Jurisdiction.DoesNotExist:
        raise NotFound("行政区划不存在") from None


# --- organisations ---------------------------------------------------------------------------------------------


def list_organisations(
    user,
    *,
    action: str = "view",
    q: str = "",
    kind: str = "",
    jurisdiction: str = "",
    is_active: bool | None = None,
):
    qs = Organisation.objects.restrict(user, action).select_related("jurisdiction", "parent")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(uscc=q.upper()))
    if kind:
        qs = qs.filter(kind=kind)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return _within(qs, "jurisdiction", jurisdiction).order_by("jurisdiction_id", "id")


def get_organisation_for(user, pk, *, action: str = "view") -> Organisation:
    return access.get_for(user, Organisation.objects.select_related("jurisdiction", "parent"), pk, action)


def public_organisations(*, q: str = "", kind: str = "", jurisdiction: str = ""):
    """The public directory: active organisations only, no restriction (nothing personal is in them)."""
    qs = Organisation.objects.filter(is_active=True).select_related("jurisdiction")
    if q:
        qs = qs.filter(name__contains=q)
    if kind:
        qs = qs.filter(kind=kind)
    return _within(qs, "jurisdiction", jurisdiction).order_by("jurisdiction_id", "id")


# --- accounts -------------------------------------------------------------------------------------------------


def list_users(
    user,
    *,
    action: str = "view",
    q: str = "",
    kind: str = "",
    role: str = "",
    organisation: int | None = None,
    jurisdiction: str = "",
):
    qs = (
        User.objects.restrict(user, action)
        .select_related("organisation", "jurisdiction")
        .prefetch_related("roles")
    )
    if q:
        qs = qs.filter(Q(real_name__contains=q) | Q(username__contains=q) | Q(enterprise_name__contains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if role:
        qs = qs.filter(roles__code=role)
    if organisation:
        qs = qs.filter(organisation_id=organisation)
    return _within(qs, "jurisdiction", jurisdiction).order_by("id").distinct()


def get_user_for(user, pk, *, action: str = "view") -> User:
    return access.get_for(user, User.objects.select_related("organisation", "jurisdiction"), pk, action)


# --- audit trail ------------------------------------------------------------------------------------------------


def list_audit_entries(
    user,
    *,
    event: int | None = None,
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    request_id: str = "",
    since=None,
    until=None,
    jurisdiction: str = "",
    include_steps: bool = False,
):
    """Operations (top-level entries) in `user`'s view, newest first, with their sub-steps prefetched.

    An operation matches an event/object filter when it or one of its sub-steps does (a filter on 附件 finds the
    applications that stored one). `include_steps` lists sub-steps as rows of their own instead.
    """
    visible = AuditEntry.objects.restrict(user, "view")
    qs = visible
    # Each criterion (the event; the record) may be met by the operation or by one of its steps.
    criteria = []
    if event:
        if not 0 < event <= 32767:  # no such event (and a huge number would overflow the database's integer)
            return AuditEntry.objects.none()
        criteria.append(Q(event=event))
    record = Q()
    if object_type:
        # A stored type (core.user) or its Chinese name (用户), as people read it on the page.
        record &= Q(object_type__in=audit.object_types_named(object_type))
    if object_id:
        record &= Q(object_id=object_id)
    if record:
        criteria.append(record)
    for matches in criteria:
        if include_steps:
            qs = qs.filter(matches)
        else:
            steps = AuditEntry.objects.filter(matches, parent__isnull=False).values("parent_id")
            qs = qs.filter(matches | Q(pk__in=steps))
    if not include_steps:
        qs = qs.filter(parent__isnull=True).prefetch_related(
            Prefetch("steps", queryset=visible.order_by("id"), to_attr="visible_steps")
        )
    if actor:
        qs = qs.filter(Q(actor_username=actor) | Q(actor_name__contains=actor))
    if request_id:
        qs = qs.filter(request_id=request_id)
    if since:
        qs = qs.filter(occurred_at__gte=since)
    if until:
        qs = qs.filter(occurred_at__lte=until)
    return _within(qs, "jurisdiction_code", jurisdiction)


def get_audit_entry_for(user, pk) -> AuditEntry:
    """One entry in `user`'s view, with its visible sub-steps (not found for missing and forbidden alike)."""
    visible = AuditEntry.objects.restrict(user, "view")
    qs = AuditEntry.objects.prefetch_related(
        Prefetch("steps", queryset=visible.order_by("id"), to_attr="visible_steps")
    )
    return access.get_for(user, qs, pk)


# --- API tokens -----------------------------------------------------------------------------------------------


def list_tokens(user):
    return ApiToken.objects.restrict(user, "view").filter(user=user)


def get_token_for(user, pk, *, action: str = "view") -> ApiToken:
    return access.get_for(user, ApiToken.objects.filter(user=user), pk, action)
