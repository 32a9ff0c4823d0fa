"""URL map: the API at /api/v1/, the pages of each module (from the module registry), core's pages at the root."""

from django.urls import include, path

from smartjustice.config.api import api
from smartjustice.core import modules

# Each module's pages under the prefix it declares in its module.py (core.modules); core's own last, at the root.
urlpatterns = [
    path("api/v1/", api.urls),
    *modules.url_patterns(),
    path("", include("smartjustice.core.urls")),
]

handler400 = "smartjustice.core.views.errors.bad_request"
handler403 = "smartjustice.core.views.errors.permission_denied"
handler404 = "smartjustice.core.views.errors.not_found"
handler500 = "smartjustice.core.views.errors.server_error"
