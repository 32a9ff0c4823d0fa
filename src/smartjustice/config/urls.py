"""URL map: pages of each module, the API at /api/v1/, media for attachments served through access checks."""

from django.urls import include, path

from smartjustice.config.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("govinfo/", include("smartjustice.govinfo.urls")),
    path("laws/", include("smartjustice.statutes.urls")),
    path("qa/", include("smartjustice.qa.urls")),
    path("ledger/", include("smartjustice.ledger.urls")),
    path("credentials/", include("smartjustice.credentials.urls")),
    path("hub/", include("smartjustice.hub.urls")),
    path("oauth/", include("smartjustice.oauth.urls")),
    path("", include("smartjustice.core.urls")),
]

handler400 = "smartjustice.core.views.errors.bad_request"
handler403 = "smartjustice.core.views.errors.permission_denied"
handler404 = "smartjustice.core.views.errors.not_found"
handler500 = "smartjustice.core.views.errors.server_error"
