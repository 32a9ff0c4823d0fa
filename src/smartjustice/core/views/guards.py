"""Who may open a page at all (login and account kind); what they then see is decided by core.access."""

from functools import wraps

from ..errors import NotAuthenticated, PermissionDenied


def _guard(check, message: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                raise NotAuthenticated()
            if not check(user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def is_staff(user) -> bool:
    return user.is_authenticated and (user.is_staff_member or user.is_superuser)


login_required = _guard(lambda user: True, "")
staff_required = _guard(is_staff, "此页面仅供工作人员使用")
portal_required = _guard(lambda user: user.is_portal_user, "此页面仅供个人和企业用户使用")
