from django.apps import AppConfig


class StatutesConfig(AppConfig):
    name = "smartjustice.statutes"
    label = "statutes"
    verbose_name = "法律法规库与法律问答"
