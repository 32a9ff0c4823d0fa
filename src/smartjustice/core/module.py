"""What core contributes through the module registry: its own pages in the navigation and its roles.

Core's URLs and API router stay explicit in config/urls.py and config/api.py (they are the platform itself).
"""

from .modules import PERSONAL, PORTAL, PUBLIC, SERVICES, STAFF, TOP, WORK, Card, Module, NavItem

MODULE = Module(
    label="core",
    name="平台基础",
    roles="data/roles.json",
    navigation=(
        NavItem("首页", "house", "home", section=TOP, audience=(PUBLIC,), match="/$", order=10),
        NavItem("机构名录", "building", "directory", section=TOP, audience=(PUBLIC,), order=20),
        NavItem("关于平台", "info-circle", "about", section=TOP, audience=(PUBLIC,), order=90),
        NavItem("门户首页", "house", "portal", section=SERVICES, audience=(PORTAL,), order=10),
        NavItem("工作台", "speedometer2", "workbench", section=WORK, order=10),
        NavItem("组织机构", "building", "organisation-list", section=WORK, order=20),
        NavItem("人员账号", "people", "staff-list", section=WORK, permission="core.view_user", order=30),
        NavItem(
            "审计日志",
            "journal-text",
            "audit-list",
            section=WORK,
            permission="core.view_auditentry",
            order=40,
        ),
        NavItem("通知", "bell", "notifications", section=PERSONAL, audience=(STAFF, PORTAL), order=10),
        NavItem(
            "个人设置",
            "person-gear",
            "account",
            section=PERSONAL,
            audience=(STAFF, PORTAL),
            match="/account/$",
            order=20,
        ),
        # Developer items: staff integrate systems; a citizen finds them under 个人设置 if they want them.
        NavItem("访问令牌", "key", "tokens", section=PERSONAL, order=30),
        NavItem("API 文档", "code-slash", "/api/v1/docs", section=PERSONAL, order=40),
    ),
    cards=(
        Card(
            "机构名录",
            "building",
            "directory",
            "查询全省司法行政及公共法律服务机构的地址和联系电话。",
            audience=(PUBLIC,),
            order=20,
        ),
        Card(
            "关于平台",
            "info-circle",
            "about",
            "平台功能、个人信息保护和数据安全说明。",
            audience=(PUBLIC,),
            order=90,
        ),
        Card(
            "我的通知",
            "bell",
            "notifications",
            "受理、延期、答复等办理结果通知。",
            audience=(PORTAL,),
            order=80,
        ),
        Card("个人资料", "person-gear", "account", "账号信息、修改密码。", audience=(PORTAL,), order=90),
    ),
)
