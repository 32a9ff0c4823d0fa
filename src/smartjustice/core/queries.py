"""Every read of core records, already restricted by core.access; pages, API and exports share these."""

from __future__ import annotations

from django.db.models import Q

from . import access
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
):
    qs = AuditEntry.objects.restrict(user, "view")
    if event:
        qs = qs.filter(event=event)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
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
    return access.get_for(user, AuditEntry.objects.all(), pk)


# --- API tokens -----------------------------------------------------------------------------------------------


def list_tokens(user):
    return ApiToken.objects.restrict(user, "view").filter(user=user)


def get_token_for(user, pk, *, action: str = "view") -> ApiToken:
    return access.get_for(user, ApiToken.objects.filter(user=user), pk, action)
