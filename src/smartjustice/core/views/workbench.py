"""The staff workbench: my organisation and jurisdiction, what is in it, recent trail entries, my inbox."""

from django.apps import apps
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse

from .. import access, notifications, queries
from ..choices import AccountKind, OrganisationKind
from .guards import staff_required

RECENT = 8


@staff_required
def workbench(request):
    user = request.user
    organisations = queries.list_organisations(user)
    by_kind = dict(organisations.order_by().values_list("kind").annotate(n=Count("id")))
    counts = [
        {
            "label": "组织机构",
            "value": organisations.count(),
            "href": reverse("organisation-list"),
            "icon": "building",
        },
        {
            "label": "工作人员",
            "value": queries.list_users(user, kind=AccountKind.STAFF).count(),
            "href": reverse("staff-list"),
            "icon": "people",
        }
        if access.has_permission(user, "core.view_user")
        else None,
        _govinfo_count(user),
    ]
    may_audit = access.has_permission(user, "core.view_auditentry")
    return render(
        request,
        "core/workbench.html",
        {
            "counts": [c for c in counts if c],
            "chart": [
                {"name": OrganisationKind(kind).label, "value": n} for kind, n in sorted(by_kind.items())
            ],
            "recent_audit": queries.list_audit_entries(user)[:RECENT] if may_audit else None,
            "inbox": notifications.list_for(user)[:5],
        },
    )


def _govinfo_count(user) -> dict | None:
    """Open 政府信息公开 applications in my jurisdiction, when that module is installed and I may see them."""
    if not apps.is_installed("smartjustice.govinfo") or not access.has_permission(
        user, "govinfo.view_govinforequest"
    ):
        return None
    from smartjustice.govinfo import queries as govinfo_queries

    open_requests = govinfo_queries.list_requests(user).filter(status__in=govinfo_queries.OPEN_STATES)
    return {
        "label": "在办信息公开申请",
        "value": open_requests.count(),
        "href": "/govinfo/staff/",
        "icon": "file-earmark-text",
    }
