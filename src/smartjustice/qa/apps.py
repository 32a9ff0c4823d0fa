from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "smartjustice.qa"
    label = "qa"
    verbose_name = "法律问答机器人与常见问题"
