from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "smartjustice.disclosure"
    label = "disclosure"
    verbose_name = "执法公示"
