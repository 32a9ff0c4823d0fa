"""The one access policy: every page, API endpoint and export reads through restrict() and get_for().

A model declares, per action, its scopes (``access_scopes``; the kinds are tabled in restrict()): by default a
staff member acts on records inside their organisation's jurisdiction (its code range, so superiors see their
subordinates and peers see nothing of each other) and only as their roles allow; a model may instead scope an
action to the user's organisation, its domains, the owner, everyone, or the platform. Portal users see the records
they own. Missing and forbidden records answer the same NotFound, so nothing leaks.

Platform-owned records (a jurisdiction_field with no value: the platform's ledger logs, keys and witnesses, its
OAuth clients, self-registered portal accounts) belong to the province: ``may_act_in(user, None)`` is true only for
province-wide staff, and their audit entries carry the province's code (``jurisdiction_code_of``).

Edges ask only: restrict / get_for / can (records), require / may_do (may the user do this at all: 401/403),
may_act_in (a jurisdiction), may (a permission, for showing a button).
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils.functional import LazyObject, empty

from .errors import NotAuthenticated, NotFound, PermissionDenied

ROLES_FILE = Path(__file__).parent / "data" / "roles.json"


@lru_cache(maxsize=1)
def role_definitions() -> dict[str, dict]:
    """Every role and its permissions, as the installed modules declare them (core.modules; core's own roles in
    ROLES_FILE)."""
    from . import modules  # the registry imports apps' module.py files, so not at import time

    return modules.role_definitions()


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


def may_act_in(user, code: str | None) -> bool:
    """May `user` act in jurisdiction `code`? Superusers anywhere; staff inside their code range. A missing code
    means a platform-owned object, which belongs to the province: only province-wide staff act on it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    bounds = jurisdiction_bounds(user)
    if not bounds:
        return False
    if not code:
        return user.jurisdiction_id == province_code()
    return bounds[0] <= code <= bounds[1]


def province_code() -> str:
    """The 12-digit code of the province the platform serves: the jurisdiction of what belongs to the platform."""
    return settings.PLATFORM_PROVINCE_CODE.ljust(12, "0")


def is_staff(user) -> bool:
    """Active staff members and superusers: who may see what is internal to the administration."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or getattr(user, "is_staff_member", False))


def may(user, perm: str) -> bool:
    """Whether the user's roles grant `perm` at all (for showing a button); records still go through restrict()."""
    return has_permission(user, perm)


def roles_granting(perm: str) -> frozenset[str]:
    """The codes of the roles whose permissions include `perm` (so services name permissions, not role codes)."""
    return frozenset(
        code
        for code, role in role_definitions().items()
        if any(fnmatchcase(perm, pattern) for pattern in role.get("permissions", []))
    )


def holders_of(perm: str, users):
    """The active staff among `users` (a User queryset) whose roles grant `perm`: e.g. who handles a request."""
    return users.filter(is_active=True, roles__code__in=roles_granting(perm)).distinct()


# -- scopes ------------------------------------------------------------------------------------------------------

SCOPE_KINDS = ("jurisdiction", "organisation", "domain", "owner", "public", "everywhere", "platform")


def scopes_of(model, action: str) -> tuple[str, ...]:
    """The scope entries `model` declares for `action` (see restrict); owner_actions add "owner"."""
    declared = getattr(model, "access_scopes", None) or {}
    scopes = tuple(declared.get(action) or declared.get("*") or ("jurisdiction",))
    owner_action = getattr(model, "owner_field", None) and action in getattr(model, "owner_actions", ())
    if owner_action and "owner" not in scopes:
        scopes += ("owner",)
    return scopes


def _scope_permission(model, action: str, qualifier: str) -> str:
    if not qualifier:
        return permission_name(model, action)
    if "." in qualifier:
        return qualifier
    return permission_name(model, qualifier)


def _path_empty(model, path: str) -> Q:
    """Rows with no jurisdiction at `path` (NULL, or "" for a code stored as text)."""
    empty = Q(**{f"{path}__isnull": True})
    field = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        model = field.related_model or model
    target = getattr(field, "target_field", field)
    return empty | Q(**{path: ""}) if target.get_internal_type() in ("CharField", "SlugField") else empty


def _jurisdiction_grant(model, user) -> Q | None:
    path = getattr(model, "jurisdiction_field", None)
    if path is None:
        return Q()
    bounds = jurisdiction_bounds(user)
    if not bounds:
        return None
    grant = Q(**{f"{path}__gte": bounds[0], f"{path}__lte": bounds[1]})
    if may_act_in(user, None):
        # Platform-owned records (no jurisdiction) belong to the province; a model may narrow which rows without a
        # jurisdiction count as the platform's (``platform_owned_rows``, e.g. only self-registered portal accounts).
        platform = _path_empty(model, path)
        narrowed = getattr(model, "platform_owned_rows", None)
        grant |= platform & Q(**narrowed) if narrowed else platform
    return grant


def organisation_domains(user) -> tuple[str, ...]:
    """The domains (执法领域 / business lines) of the user's organisation."""
    organisation = getattr(user, "organisation", None) if getattr(user, "organisation_id", None) else None
    if organisation is None:
        return ()
    codes = list(getattr(organisation, "domains", None) or [])
    if getattr(organisation, "enforcement_domain", ""):
        codes.append(organisation.enforcement_domain)
    return tuple(dict.fromkeys(codes))


def _grant(model, user, action: str, entry: str) -> Q | None:
    """The rows one scope entry grants `user`, or None when it grants nothing."""
    kind, _, qualifier = entry.partition(":")
    if kind == "public":
        return Q()
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if kind == "owner":
        owner_field = getattr(model, "owner_field", None)
        if not owner_field:
            return None
        return Q(pk=user.pk) if owner_field == "pk" else Q(**{owner_field: user.pk})
    if kind not in SCOPE_KINDS:
        raise ValueError(f"unknown access scope {entry!r} on {model._meta.label}")
    if not has_permission(user, _scope_permission(model, action, qualifier)):
        return None
    if kind == "everywhere":
        return Q()
    if kind == "platform":
        return Q() if may_act_in(user, None) else None
    if kind == "jurisdiction":
        return _jurisdiction_grant(model, user)
    if kind == "organisation":
        path = getattr(model, "organisation_field", None)
        if not path or not getattr(user, "organisation_id", None):
            return None
        return Q(**{path: user.organisation_id})
    # domain: the record's domain is one of the organisation's, inside the user's jurisdiction range
    path = getattr(model, "domain_field", None)
    domains = organisation_domains(user)
    within = _jurisdiction_grant(model, user)
    if not path or not domains or within is None:
        return None
    return within & Q(**{f"{path}__in": domains})


def restrict(queryset, user, action: str = "view"):
    """Filter a queryset to what `user` may `action`; the only place this decision is made.

    The model declares, per action, a tuple of scope entries (``access_scopes``); a row is allowed when any entry
    grants it. An entry is a kind, optionally ``kind:codename`` to ask for another permission than
    ``<app>.<action>_<model>`` (``"jurisdiction:supervise"`` → ``<app>.supervise_<model>``, or a full name).

    ============  ==================================================================  ======================
    kind          rows granted                                                        needs role permission
    ============  ==================================================================  ======================
    jurisdiction  ``jurisdiction_field`` inside the user's code range (platform-owned   yes
                  rows, with no jurisdiction, for province-wide staff)
    organisation  ``organisation_field`` is the user's organisation                   yes
    domain        ``domain_field`` among the user's organisation's domains, inside     yes
                  the user's code range
    owner         ``owner_field`` is the user (portal users' own records)               no
    public        every row, to anyone, anonymous included (for ``view``)              no
    everywhere    every row, whatever the user's jurisdiction ("read everywhere")      yes
    platform      every row, to province-wide staff (what the platform itself owns)    yes
    ============  ==================================================================  ======================

    Superusers get everything. The default for every action is ``("jurisdiction",)``; ``owner_actions`` add
    ``owner``.
    """
    model = queryset.model
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return queryset
    grants = [g for g in (_grant(model, user, action, e) for e in scopes_of(model, action)) if g is not None]
    if not grants:
        return queryset.none()
    if any(not grant for grant in grants):  # an empty Q grants every row (and would vanish from an OR)
        return queryset
    condition = grants[0]
    for grant in grants[1:]:
        condition |= grant
    return queryset.filter(condition)


def may_do(user, action: str, model) -> bool:
    """Whether some scope of `model` for `action` is open to `user` at all (public, owner, or a role grants it);
    which records then follows from restrict()."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return True
    for entry in scopes_of(model, action):
        kind, _, qualifier = entry.partition(":")
        if kind == "public":
            return True
        if user is None or not user.is_authenticated or not user.is_active:
            continue
        if kind == "owner" or has_permission(user, _scope_permission(model, action, qualifier)):
            return True
    return False


def require(user, action: str, model) -> None:
    """401 for the anonymous and 403 for users no scope of `model` lets `action` at all (before any record is read;
    a record outside their scope is then the same NotFound as a missing one)."""
    if may_do(user, action, model):
        return
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    raise PermissionDenied()


def get_for(user, queryset_or_model, pk, action: str = "view"):
    """Load one record the user may act on, or NotFound (the same answer for missing and forbidden)."""
    queryset = getattr(queryset_or_model, "objects", queryset_or_model)
    queryset = queryset.all() if hasattr(queryset, "all") else queryset
    try:
        return restrict(queryset, user, action).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def concrete(obj):
    """The record itself when `obj` is a lazy proxy (`request.user` is a SimpleLazyObject): the policy reads the
    record's class (`type(obj)`), which a proxy hides."""
    if isinstance(obj, LazyObject):
        if obj._wrapped is empty:
            obj._setup()
        return obj._wrapped
    return obj


def can(user, action: str, obj) -> bool:
    """May `user` `action` this record (or, given a model class, some record of it)?"""
    obj = concrete(obj)
    if isinstance(obj, type):
        return restrict(obj._default_manager.all(), user, action).exists()
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def jurisdiction_code_of(obj) -> str:
    """The 12-digit code of the jurisdiction a record belongs to: the province for platform-owned records (a
    jurisdiction_field with no value); "" for models without a jurisdiction."""
    obj = concrete(obj)
    path = getattr(type(obj), "jurisdiction_field", None)
    if not path:
        return ""
    *parents, last = path.split("__")
    value = obj
    for part in parents:
        value = getattr(value, part, None)
        if value is None:
            return province_code()
    if hasattr(value, f"{last}_id"):
        code = getattr(value, f"{last}_id")
    else:
        value = getattr(value, last, None)
        code = value if isinstance(value, str) else getattr(value, "code", "")
    return code or province_code()


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
    obj = concrete(obj)
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
