from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "smartjustice.supervision"
    label = "supervision"
    verbose_name = "执法监督"
