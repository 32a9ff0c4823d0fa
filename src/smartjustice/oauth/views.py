"""Client application management for system administrators (the protocol endpoints are django-oauth-toolkit's)."""

import json

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from oauth2_provider.views import ConnectDiscoveryInfoView

from smartjustice.core.forms import submit
from smartjustice.core.pagination import page_of
from smartjustice.core.views.guards import staff_required

from . import queries, services
from .forms import ClientForm


@staff_required
def client_list(request):
    """Registered clients and the registration form; a new client's secret is shown in this one response only."""
    queries.require_client_admin(request.user)
    form = ClientForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = submit(
            form,
            services.register_client,
            actor=request.user,
            name=data["name"],
            client_type=data["client_type"],
            grant_type=data["grant_type"],
            redirect_uris=data["redirect_uris"],
            skip_authorization=data["skip_authorization"],
        )
        if result is not None:
            created, secret = result
            form = ClientForm()
    search = request.GET.get("q", "").strip()
    response = render(
        request,
        "oauth/clients.html",
        {
            "form": form,
            "page": page_of(queries.list_clients(request.user, search=search), request),
            "search": search,
            "created": created,
            "secret": secret,
            "issuer": request.build_absolute_uri("/oauth"),
        },
    )
    response["Cache-Control"] = "no-store"  # the secret must not linger in a cache
    return response


@staff_required
def client_remove(request, pk: int):
    """GET asks for confirmation (when the page's modal is unavailable); POST removes."""
    application = queries.get_client_for(request.user, pk)
    if request.method == "POST":
        services.remove_client(application, actor=request.user)
        messages.success(request, f"已删除接入应用“{application.name}”，其访问令牌同时失效。")
        return redirect("oauth:clients")
    return render(request, "oauth/client_remove.html", {"application": application})


class DiscoveryView(ConnectDiscoveryInfoView):
    """The toolkit's OpenID Provider metadata plus the revocation and introspection endpoints (RFC 8414 names)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["revocation_endpoint"] = self._get_endpoint_url(request, "revoke-token", required=True)
        data["introspection_endpoint"] = self._get_endpoint_url(request, "introspect", required=True)
        data["ui_locales_supported"] = ["zh-CN"]
        enriched = JsonResponse(data)
        enriched["Access-Control-Allow-Origin"] = "*"
        return enriched
