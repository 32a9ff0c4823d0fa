"""Client kinds and grant types offered when registering a client application (values are DOT's own)."""

from django.db import models

from smartjustice.core.choices import AuditEventChoices


class ClientType(models.TextChoices):
    CONFIDENTIAL = "confidential", "机密客户端（服务器端系统，可保管密钥）"
    PUBLIC = "public", "公开客户端（移动应用、单页应用，须使用 PKCE）"


class GrantType(models.TextChoices):
    AUTHORIZATION_CODE = "authorization-code", "授权码（用户通过平台统一登录）"
    CLIENT_CREDENTIALS = "client-credentials", "客户端凭证（系统对接，无用户参与）"


class OAuthAuditEvent(AuditEventChoices):
    """Audit events of client applications and single sign-on (numbers 1500–1599; never renumbered)."""

    CLIENT_REGISTERED = 1500, "登记接入应用"
    CLIENT_UPDATED = 1501, "修改接入应用"
    CLIENT_REMOVED = 1502, "删除接入应用"
