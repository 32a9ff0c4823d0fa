from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "smartjustice.hub"
    label = "hub"
    verbose_name = "共享协同平台"
