"""Reads of registered client applications: only system administrators manage them."""

from __future__ import annotations

from oauth2_provider.models import get_application_model

from smartjustice.core.errors import NotAuthenticated, NotFound, PermissionDenied

CLIENT_ADMIN_ROLE = "system_admin"


def may_manage_clients(user) -> bool:
    """System administrators (role system_admin) and superusers register and remove client applications."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff_member and CLIENT_ADMIN_ROLE in user.role_codes()


def require_client_admin(user) -> None:
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    if not may_manage_clients(user):
        raise PermissionDenied("只有系统管理员可以管理接入应用")


def list_clients(user, *, search: str = ""):
    """Every registered client application, newest first."""
    require_client_admin(user)
    queryset = get_application_model().objects.select_related("user").order_by("-created", "-id")
    if search:
        queryset = queryset.filter(name__icontains=search.strip())
    return queryset


def get_client_for(user, pk):
    require_client_admin(user)
    try:
        return get_application_model().objects.get(pk=pk)
    except (get_application_model().DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
