from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "smartjustice.ledger"
    label = "ledger"
    verbose_name = "可信存证账本"
