"""Client kinds and grant types offered when registering a client application (values are DOT's own)."""

from django.db import models


class ClientType(models.TextChoices):
    CONFIDENTIAL = "confidential", "机密客户端（服务器端系统，可保管密钥）"
    PUBLIC = "public", "公开客户端（移动应用、单页应用，须使用 PKCE）"


class GrantType(models.TextChoices):
    AUTHORIZATION_CODE = "authorization-code", "授权码（用户通过平台统一登录）"
    CLIENT_CREDENTIALS = "client-credentials", "客户端凭证（系统对接，无用户参与）"
