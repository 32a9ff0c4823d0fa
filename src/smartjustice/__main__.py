"""The `smartjustice` console command: Django's management commands with our settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartjustice.config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    try:
        settings.INSTALLED_APPS  # noqa: B018 — load the settings now, so a refusal to start reads as one message
    except ImproperlyConfigured as exc:
        sys.exit(f"smartjustice：无法启动：{exc}")
    argv[0] = "smartjustice"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
