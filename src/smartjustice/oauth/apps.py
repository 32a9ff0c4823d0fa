from django.apps import AppConfig


class OauthConfig(AppConfig):
    name = "smartjustice.oauth"
    label = "oauth"
    verbose_name = "统一身份认证（OAuth2/OIDC）"

    def ready(self):
        from . import redaction

        # gunicorn and uvicorn set up their access loggers before Django; settings LOGGING covers Django's own.
        redaction.install()
