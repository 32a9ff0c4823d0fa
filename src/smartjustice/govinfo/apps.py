from django.apps import AppConfig


class GovinfoConfig(AppConfig):
    name = "smartjustice.govinfo"
    label = "govinfo"
    verbose_name = "政府信息公开申请"
