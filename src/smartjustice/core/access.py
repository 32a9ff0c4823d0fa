"""The one access policy: every page, API endpoint and export reads through restrict() and get_for().

A staff member acts on records inside their organisation's jurisdiction (its code range, so superiors see their
subordinates and peers see nothing of each other) and only as their roles allow. Portal users see the records
they own. Missing and forbidden records answer the same NotFound, so nothing leaks.
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Q

from .errors import NotAuthenticated, NotFound, PermissionDenied

ROLES_FILE = Path(__file__).parent / "data" / "roles.json"


@lru_cache(maxsize=1)
def role_definitions() -> dict[str, dict]:
    data = json.loads(ROLES_FILE.read_text(encoding="utf-8"))
    return {role["code"]: role for role in data["roles"]}


def permission_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def permissions_of(user) -> frozenset[str]:
    cached = getattr(user, "_sj_permissions", None)
    if cached is None:
        roles = role_definitions()
        patterns: set[str] = set()
        if getattr(user, "is_staff_member", False) and user.is_active:
            for code in user.role_codes():
                patterns.update(roles.get(code, {}).get("permissions", []))
        cached = frozenset(patterns)
        user._sj_permissions = cached
    return cached


def has_permission(user, perm: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(fnmatchcase(perm, pattern) for pattern in permissions_of(user))


def require_permission(user, perm: str) -> None:
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    if not has_permission(user, perm):
        raise PermissionDenied()


def jurisdiction_bounds(user) -> tuple[str, str] | None:
    """The code range a staff member may act in, or None when they have no jurisdiction."""
    if not getattr(user, "is_staff_member", False) or not user.jurisdiction_id:
        return None
    cached = getattr(user, "_sj_bounds", None)
    if cached is None:
        cached = user.jurisdiction.bounds()
        user._sj_bounds = cached
    return cached


def in_jurisdiction(user, code: str | None) -> bool:
    bounds = jurisdiction_bounds(user)
    return bool(bounds and code and bounds[0] <= code <= bounds[1])


def province_code() -> str:
    """The 12-digit code of the province the platform serves: the jurisdiction of what belongs to the platform."""
    return settings.PLATFORM_PROVINCE_CODE.ljust(12, "0")


def province_wide(user) -> bool:
    """Superusers and staff whose jurisdiction is the whole province: who may manage what belongs to the platform
    as a whole (client applications that sign in users of every jurisdiction, say)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or getattr(user, "jurisdiction_id", None) == province_code()


def restrict(queryset, user, action: str = "view"):
    """Filter a queryset to what `user` may `action`; the only place this decision is made."""
    model = queryset.model
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    grants: list[Q] = []
    owner_field = getattr(model, "owner_field", None)
    if owner_field and action in getattr(model, "owner_actions", ()):
        grants.append(Q(**{owner_field: user.pk}))
    if has_permission(user, permission_name(model, action)):
        path = getattr(model, "jurisdiction_field", None)
        if path is None:
            grants.append(Q())
        else:
            bounds = jurisdiction_bounds(user)
            if bounds:
                grants.append(Q(**{f"{path}__gte": bounds[0], f"{path}__lte": bounds[1]}))
    if not grants:
        return queryset.none()
    condition = grants[0]
    for grant in grants[1:]:
        condition |= grant
    return queryset.filter(condition)


def get_for(user, queryset_or_model, pk, action: str = "view"):
    """Load one record the user may act on, or NotFound (the same answer for missing and forbidden)."""
    queryset = getattr(queryset_or_model, "objects", queryset_or_model)
    queryset = queryset.all() if hasattr(queryset, "all") else queryset
    try:
        return restrict(queryset, user, action).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def can(user, action: str, obj) -> bool:
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


# Separation of duties: whoever administers or audits a jurisdiction is appointed from the level above it.
ROLES_GRANTED_FROM_ABOVE = frozenset({"system_admin", "auditor"})


def role_grant_refusal(actor, target, changed_roles: set[str]) -> str | None:
    """Why `actor` may not add/remove `changed_roles` on `target`, or None when allowed."""
    if actor.is_superuser:
        return None
    if target.pk is not None and target.pk == actor.pk:
        return "不能修改自己的角色"
    reserved = changed_roles & ROLES_GRANTED_FROM_ABOVE
    if reserved and not is_superior_of(actor, target.jurisdiction_id):
        return "系统管理员、审计员角色须由上级机关分配"
    return None


def is_superior_of(user, code: str | None) -> bool:
    """True when `code` lies strictly below the user's own jurisdiction."""
    bounds = jurisdiction_bounds(user)
    return bool(bounds and code and bounds[0] <= code <= bounds[1] and code != user.jurisdiction_id)


def is_own_record(user, obj) -> bool:
    """The user's own account, or a record whose owner_field points at the user."""
    owner_field = getattr(type(obj), "owner_field", None)
    if owner_field == "pk":
        return obj.pk == user.pk
    return bool(owner_field) and getattr(obj, f"{owner_field}_id", None) == user.pk


def may_view_pii(user, obj) -> bool:
    """Personal information unmasked: the owner, or staff with core.view_pii who may view the record."""
    if user is None or not user.is_authenticated:
        return False
    if is_own_record(user, obj):
        return True
    return has_permission(user, "core.view_pii") and can(user, "view", obj)
