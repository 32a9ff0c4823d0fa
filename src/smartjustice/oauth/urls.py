"""OAuth2 / OpenID Connect endpoints (django-oauth-toolkit) and the client management pages, under /oauth/.

Endpoints: /oauth/.well-known/openid-configuration, /oauth/.well-known/jwks.json, /oauth/authorize/,
/oauth/token/, /oauth/userinfo/, /oauth/revoke_token/, /oauth/introspect/, /oauth/logout/ (the end-session
endpoint of RP-initiated logout). The toolkit reverses its own names in the `oauth2_provider` namespace, so this
module has no app_name of its own and mounts the toolkit's patterns and the pages (`oauth:` namespace) side by
side. Discovery, userinfo, introspection and logout are the platform's subclasses of the toolkit's views
(views.py), kept under the toolkit's names and paths.
"""

from django.urls import include, path, re_path
from oauth2_provider import urls as toolkit

from . import views

ENDPOINTS = {"authorize", "token", "revoke-token"}  # not the device flow

pages = [
    path("", views.client_list, name="clients"),
    path("<int:pk>/edit/", views.client_edit, name="client-edit"),
    path("<int:pk>/remove/", views.client_remove, name="client-remove"),
]

DISCOVERY = "oidc-connect-discovery-info"
REPLACED = {DISCOVERY, "rp-initiated-logout", "user-info"}

urlpatterns = [
    path(
        "",
        include(
            (
                toolkit.metadata_urlpatterns
                + [p for p in toolkit.base_urlpatterns if p.name in ENDPOINTS]
                + [p for p in toolkit.oidc_urlpatterns if p.name not in REPLACED]
                + [
                    re_path(
                        r"^\.well-known/openid-configuration/?$",
                        views.DiscoveryView.as_view(),
                        name=DISCOVERY,
                    ),
                    path("introspect/", views.IntrospectView.as_view(), name="introspect"),
                    path("userinfo/", views.UserInfoView.as_view(), name="user-info"),
                    path("logout/", views.EndSessionView.as_view(), name="rp-initiated-logout"),
                ],
                "oauth2_provider",
            )
        ),
    ),
    path("clients/", include((pages, "oauth"))),
]
