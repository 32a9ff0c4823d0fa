"""Sign-in and sign-out through Django's auth views (axes locks repeated failures; signals write the audit trail)."""

from django.contrib.auth import views as auth_views

from ..forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default), so a link or an image cannot sign anyone out."""

    template_name = "accounts/logged_out.html"
