"""Reads of registered client applications, gated by the oauth2_provider.*_application permissions (roles.json).

Client applications belong to the whole platform (a client signs users of every jurisdiction in), so they are
managed by province-level staff holding the permission (oauth2_provider.view_application to see them, add / change /
delete to register, edit and remove); a city's or county's system administrator holds the permission for nothing
here. The clients of 共享协同平台 consumers are not listed: they are managed with their consumer at /hub/consumers/,
where a city manages only its own.
"""

from __future__ import annotations

from django.apps import apps
from oauth2_provider.models import get_application_model

from smartjustice.core import access
from smartjustice.core.errors import NotAuthenticated, NotFound, PermissionDenied

ACTION_NAMES = {"view": "查看", "add": "登记", "change": "修改", "delete": "删除"}


def client_permission(action: str) -> str:
    """The permission string of `action` on client applications, e.g. oauth2_provider.add_application."""
    return access.permission_name(get_application_model(), action)


def may_manage_clients(user, action: str = "view") -> bool:
    """Whether `user` may `action` (view / add / change / delete) client applications: the permission, held at
    province level; superusers always may."""
    return access.may(user, client_permission(action)) and access.may_act_in(user, None)


def _platform_clients():
    """Client applications other than hub consumers' (those are managed, per jurisdiction, with the consumer)."""
    queryset = get_application_model().objects.all()
    if apps.is_installed("smartjustice.hub"):
        queryset = queryset.filter(hub_consumer__isnull=True)
    return queryset


def require_client_permission(user, action: str = "view") -> None:
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    if not may_manage_clients(user, action):
        raise PermissionDenied(f"您没有{ACTION_NAMES[action]}接入应用的权限（由省级系统管理员管理）")


def list_clients(user, *, search: str = ""):
    """Every registered client application, newest first."""
    require_client_permission(user, "view")
    queryset = _platform_clients().select_related("user").order_by("-created", "-id")
    if search:
        queryset = queryset.filter(name__icontains=search.strip())
    return queryset


def get_client_for(user, pk, *, action: str = "view"):
    """One client application for `action`; missing answers NotFound, a missing permission PermissionDenied."""
    require_client_permission(user, action)
    try:
        return _platform_clients().get(pk=pk)
    except (get_application_model().DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
