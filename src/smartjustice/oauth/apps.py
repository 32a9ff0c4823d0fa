from django.apps import AppConfig


class OauthConfig(AppConfig):
    name = "smartjustice.oauth"
    label = "oauth"
    verbose_name = "统一身份认证（OAuth2/OIDC）"
