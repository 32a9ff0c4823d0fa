"""Core pages (the API lives at /api/v1/, see config/api.py)."""

from django.urls import path

from .views import (
    account,
    audit,
    auth,
    home,
    notifications,
    organisations,
    portal,
    public,
    security,
    staff,
    tokens,
    workbench,
)

urlpatterns = [
    # public
    path("", home.home, name="home"),
    path("about/", public.about, name="about"),
    path("directory/", public.directory, name="directory"),
    # sign-in and my account
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("account/", account.profile, name="account"),
    path("account/password/", account.password_change, name="password-change"),
    path("account/tokens/", tokens.token_list, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("notifications/", notifications.inbox, name="notifications"),
    path("notifications/<int:pk>/open/", notifications.open_notification, name="notification-open"),
    path("notifications/read-all/", notifications.mark_all_read, name="notifications-read-all"),
    # portal
    path("portal/", portal.portal_home, name="portal"),
    path("portal/register/", portal.register, name="register"),
    # staff
    path("workbench/", workbench.workbench, name="workbench"),
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/new/", organisations.organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation-edit"),
    path("staff/", staff.staff_list, name="staff-list"),
    path("staff/new/", staff.staff_create, name="staff-create"),
    path("staff/<int:pk>/", staff.staff_detail, name="staff-detail"),
    path("staff/<int:pk>/reveal/", staff.staff_reveal, name="staff-reveal"),
    path("staff/<int:pk>/roles/", staff.staff_roles, name="staff-roles"),
    path("staff/<int:pk>/unlock/", security.staff_unlock, name="staff-unlock"),
    path("identity/verify/", security.identity_verify, name="identity-verify"),
    path("audit/", audit.audit_list, name="audit-list"),
    path("audit/<int:pk>/", audit.audit_detail, name="audit-detail"),
]
