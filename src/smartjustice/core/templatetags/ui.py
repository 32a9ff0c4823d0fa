"""Template helpers for the page layout: navigation (from the module registry) by what the user may open, masking,
permissions, badges.

Pagination links keep the filters with Django's built-in {% querystring page=n %}.
"""

from __future__ import annotations

from django import template

from .. import access, modules, notifications, privacy

register = template.Library()


@register.filter
def mask(value, field: str = ""):
    """`{{ user.phone|mask:"phone" }}` — the core.privacy rule for that field."""
    return privacy.mask_field(field, value) or ""


@register.filter
def has_perm(user, perm: str) -> bool:
    """`{% if user|has_perm:"core.add_organisation" %}` — the role check of core.access."""
    return access.may(user, perm)


@register.filter
def minutes(delta) -> int:
    """A timedelta in whole minutes (rounded up), for "try again in N minutes"."""
    seconds = delta.total_seconds() if delta else 0
    return int(-(-seconds // 60))


@register.simple_tag
def unread_notifications(user) -> int:
    return notifications.unread_count(user)


def navigation(user) -> list[dict]:
    """Sections of the side navigation: the items the installed modules declare that this user may open."""
    return modules.navigation_for(user)


@register.inclusion_tag("partials/nav.html", takes_context=True)
def side_navigation(context):
    request = context["request"]
    sections = navigation(request.user)
    path = request.path
    items = [item for section in sections for item in section["items"]]

    def matches(match: str) -> bool:
        return path == match[:-1] if match.endswith("$") else path.startswith(match)

    # One item is current: the most specific match (法条变更提醒 at /laws/rules/alerts/, not 法律法规库 as well).
    best = max(
        (item for item in items if matches(item["match"])), key=lambda i: len(i["match"]), default=None
    )
    for item in items:
        item["active"] = item is best
    return {"sections": sections, "user": request.user}
