"""OAuth2 / OpenID Connect endpoints (django-oauth-toolkit) and the client management pages, under /oauth/.

Endpoints: /oauth/.well-known/openid-configuration, /oauth/.well-known/jwks.json, /oauth/authorize/,
/oauth/token/, /oauth/userinfo/, /oauth/revoke_token/, /oauth/introspect/, /oauth/logout/. The toolkit reverses
its own names in the `oauth2_provider` namespace, so this module has no app_name of its own and mounts the
toolkit's patterns and the pages (`oauth:` namespace) side by side.
"""

from django.urls import include, path, re_path
from oauth2_provider import urls as toolkit

from . import views

ENDPOINTS = {"authorize", "token", "revoke-token", "introspect"}  # not the device flow

pages = [
    path("", views.client_list, name="clients"),
    path("<int:pk>/remove/", views.client_remove, name="client-remove"),
]

DISCOVERY = "oidc-connect-discovery-info"

urlpatterns = [
    path(
        "",
        include(
            (
                toolkit.metadata_urlpatterns
                + [p for p in toolkit.base_urlpatterns if p.name in ENDPOINTS]
                + [p for p in toolkit.oidc_urlpatterns if p.name != DISCOVERY]
                + [
                    re_path(
                        r"^\.well-known/openid-configuration/?$",
                        views.DiscoveryView.as_view(),
                        name=DISCOVERY,
                    )
                ],
                "oauth2_provider",
            )
        ),
    ),
    path("clients/", include((pages, "oauth"))),
]
