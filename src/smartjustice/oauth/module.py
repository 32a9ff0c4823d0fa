"""OAuth2 / OIDC in the module registry: endpoints and client pages under /oauth/, the API, the menu entry."""

from smartjustice.core.modules import WORK, Module, NavItem


def may_manage_clients(user) -> bool:
    from .queries import may_manage_clients as allowed

    return allowed(user)


MODULE = Module(
    label="oauth",
    name="接入应用（OAuth）",
    url_prefix="oauth/",
    urls="smartjustice.oauth.urls",
    api_prefix="/oauth",
    api_router="smartjustice.oauth.api.router",
    roles="data/roles.json",  # grants the system administrator the management of client applications
    navigation=(
        NavItem(
            "接入应用（OAuth）", "plug", "oauth:clients", section=WORK, visible=may_manage_clients, order=60
        ),
    ),
)
