from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "smartjustice.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"
