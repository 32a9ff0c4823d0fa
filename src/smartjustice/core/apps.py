from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "smartjustice.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self):
        from django.core import validators as django_validators

        from . import authevents, roles, validators

        # Every form text field carries Django's NUL-character validator, whose zh-hans text is garbled.
        django_validators.ProhibitNullCharactersValidator.message = validators.NULL_CHARACTER_MESSAGE
        # … and so are the length limits' ("确保该变量包含不超过 100 字符"): plain Chinese for every form and model.
        django_validators.MaxLengthValidator.message = validators.MAX_LENGTH_MESSAGE
        django_validators.MinLengthValidator.message = validators.MIN_LENGTH_MESSAGE

        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
        # Sign-in events come from Django's and axes's auth machinery, which only announce them by signal.
        authevents.connect()
        # Every installed app's rules.py registers its statutory rules (core.rules), so the registry is whole.
        from . import rules

        rules.autodiscover()
