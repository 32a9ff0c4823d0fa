"""Template helpers for the page layout: navigation by what the user may open, masking, permissions, badges.

Pagination links keep the filters with Django's built-in {% querystring page=n %}.
"""

from __future__ import annotations

from django import template
from django.urls import reverse

from .. import access, notifications, privacy

register = template.Library()


@register.filter
def mask(value, field: str = ""):
    """`{{ user.phone|mask:"phone" }}` — the core.privacy rule for that field."""
    return privacy.mask_field(field, value) or ""


@register.filter
def has_perm(user, perm: str) -> bool:
    """`{% if user|has_perm:"core.add_organisation" %}` — the role check of core.access."""
    return access.has_permission(user, perm)


@register.filter
def minutes(delta) -> int:
    """A timedelta in whole minutes (rounded up), for "try again in N minutes"."""
    seconds = delta.total_seconds() if delta else 0
    return int(-(-seconds // 60))


@register.simple_tag
def unread_notifications(user) -> int:
    return notifications.unread_count(user)


def _item(label: str, icon: str, href: str, *, match: str | None = None) -> dict:
    return {"label": label, "icon": icon, "href": href, "match": match or href}


def may_manage_clients(user) -> bool:
    from smartjustice.oauth.queries import (
        may_manage_clients as allowed,
    )  # oauth depends on core, not vice versa

    return allowed(user)


def may_manage_ledger(user) -> bool:
    from smartjustice.ledger.queries import may_manage  # the ledger depends on core, not vice versa

    return may_manage(user)


def _legal_information_section(user) -> dict:
    """The statute library, 法宝宝 and the FAQ: public, with the authoring pages for staff who may use them."""
    items = [
        _item("法律法规库", "book", reverse("statutes:list"), match="/laws/"),
        _item("法宝宝问答", "chat-dots", reverse("qa:ask"), match="/qa/$"),
        _item("常见问题", "question-circle", reverse("qa:faq"), match="/qa/faq/"),
    ]
    if user.is_authenticated and (user.is_staff_member or user.is_superuser):
        items.append(_item("引用核验", "check2-square", reverse("statutes:citation-check")))
        if access.has_permission(user, "qa.change_faqentry"):
            items.append(_item("常见问题维护", "pencil-square", reverse("qa:manage")))
    return {"title": "法律知识", "items": items}


def navigation(user) -> list[dict]:
    """Sections of the side navigation: only modules that exist and that this user may open."""
    if not user.is_authenticated:
        return [
            {
                "title": "",
                "items": [
                    _item("首页", "house", reverse("home"), match="/$"),
                    _item("机构名录", "building", reverse("directory")),
                    _item("政府信息公开", "file-earmark-text", "/govinfo/"),
                    _item("存证透明公示", "shield-check", reverse("ledger:transparency"), match="/ledger/$"),
                    _item("验证存证证明", "patch-question", reverse("ledger:verify")),
                    _item("关于平台", "info-circle", reverse("about")),
                ],
            },
            _legal_information_section(user),
        ]
    sections = []
    if user.is_staff_member or user.is_superuser:
        work = [_item("工作台", "speedometer2", reverse("workbench"))]
        work.append(_item("组织机构", "building", reverse("organisation-list")))
        if access.has_permission(user, "core.view_user"):
            work.append(_item("人员账号", "people", reverse("staff-list")))
        if access.has_permission(user, "core.view_auditentry"):
            work.append(_item("审计日志", "journal-text", reverse("audit-list")))
        if access.has_permission(user, "credentials.view_credential"):
            work.append(_item("电子证照", "patch-check", reverse("credentials:list")))
        if may_manage_clients(user):
            work.append(_item("接入应用（OAuth）", "plug", reverse("oauth:clients")))
        if may_manage_ledger(user):
            work.append(_item("存证账本管理", "shield-lock", reverse("ledger:manage")))
        work.append(_item("存证透明公示", "shield-check", reverse("ledger:transparency"), match="/ledger/$"))
        sections.append({"title": "业务工作", "items": work})
        if access.has_permission(user, "hub.view_dataset"):
            sections.append(
                {
                    "title": "数据共享",
                    "items": [
                        _item("共享数据目录", "diagram-3", reverse("hub:catalogue"), match="/hub/$"),
                        _item("数据使用方", "plug", reverse("hub:consumers")),
                        _item(
                            "投递与死信",
                            "envelope-exclamation",
                            reverse("hub:deliveries") + "?status=dead",
                            match=reverse("hub:deliveries"),
                        ),
                        _item("共享统计", "bar-chart", reverse("hub:statistics")),
                    ],
                }
            )
        sections.append(
            {
                "title": "业务办理",
                "items": [
                    _item("政府信息公开", "file-earmark-text", "/govinfo/staff/", match="/govinfo/"),
                ],
            }
        )
    else:
        sections.append(
            {
                "title": "我的服务",
                "items": [
                    _item("门户首页", "house", reverse("portal")),
                    _item("政府信息公开", "file-earmark-text", "/govinfo/my/", match="/govinfo/"),
                    _item("我的数据共享记录", "share", reverse("hub:my_disclosures")),
                    _item("我的电子证照", "patch-check", reverse("credentials:mine")),
                ],
            }
        )
    sections.append(_legal_information_section(user))
    sections.append(
        {
            "title": "个人",
            "items": [
                _item("通知", "bell", reverse("notifications")),
                _item("个人设置", "person-gear", reverse("account"), match=reverse("account") + "$"),
                _item("访问令牌", "key", reverse("tokens")),
                _item("API 文档", "code-slash", "/api/v1/docs"),
            ],
        }
    )
    return sections


@register.inclusion_tag("partials/nav.html", takes_context=True)
def side_navigation(context):
    request = context["request"]
    sections = navigation(request.user)
    path = request.path
    for section in sections:
        for item in section["items"]:
            match = item["match"]
            item["active"] = path == match[:-1] if match.endswith("$") else path.startswith(match)
    return {"sections": sections, "user": request.user}
