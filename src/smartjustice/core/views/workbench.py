"""The staff workbench: my to-do list and deadlines from the modules I work in, my inbox, and — for administrators —
the overview of my jurisdiction's organisations."""

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse

from .. import access, modules, notifications, queries
from ..choices import AccountKind, OrganisationKind
from .guards import staff_required

RECENT = 8
# Who sees the organisation overview: those who administer organisations (the system administrator's role).
OVERVIEW_PERMISSION = "core.change_organisation"


@staff_required
def workbench(request):
    user = request.user
    tiles = [
        {
            "key": tile.key,
            "title": tile.title,
            "icon": tile.icon,
            "count": content.count,
            "items": content.items,
            "href": content.href,
            "empty": content.empty,
        }
        for tile, content in modules.tiles_for(user)
    ]
    may_audit = access.may(user, "core.view_auditentry")
    return render(
        request,
        "core/workbench.html",
        {
            "tiles": tiles,
            "todo_count": sum(t["count"] for t in tiles),
            "overview": _overview(user) if access.may(user, OVERVIEW_PERMISSION) else None,
            "recent_audit": queries.list_audit_entries(user)[:RECENT] if may_audit else None,
            "inbox": notifications.list_for(user)[:5],
        },
    )


def _overview(user) -> dict:
    """Organisations and staff of the administrator's jurisdiction, with organisations counted by kind."""
    organisations = queries.list_organisations(user)
    by_kind = dict(organisations.order_by().values_list("kind").annotate(n=Count("id")))
    counts = [
        {
            "label": "组织机构",
            "value": organisations.count(),
            "href": reverse("organisation-list"),
            "icon": "building",
        }
    ]
    if access.may(user, "core.view_user"):
        counts.append(
            {
                "label": "工作人员",
                "value": queries.list_users(user, kind=AccountKind.STAFF).count(),
                "href": reverse("staff-list"),
                "icon": "people",
            }
        )
    return {
        "counts": counts,
        "chart": [{"name": OrganisationKind(kind).label, "value": n} for kind, n in sorted(by_kind.items())],
    }
