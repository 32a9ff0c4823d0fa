from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "smartjustice.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self):
        from . import authevents, roles

        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
        # Sign-in events come from Django's and axes's auth machinery, which only announce them by signal.
        authevents.connect()
