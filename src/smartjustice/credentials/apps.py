from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "smartjustice.credentials"
    label = "credentials"
    verbose_name = "可验证电子证照"
