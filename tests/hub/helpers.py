from datetime import datetime, timedelta

import time_machine
from django.core.management import call_command
from django.db import transaction

from smartjustice.hub import services

from . import factories


def publish_cases(n: int, *, start: int = 1, code: str = "440106000000", **overrides) -> list:
    with transaction.atomic():
        return [
            services.publish(
                "enforcement.case",
                record_key=f"C{i}",
                data=factories.case(i, **overrides),
                jurisdiction_code=code,
            )
            for i in range(start, start + n)
        ]


def run_worker(at: datetime | None = None) -> None:
    """One round of the real worker (`smartjustice worker --once`), optionally at a later moment."""
    if at is None:
        call_command("worker", "--once", "--no-queue", verbosity=0)
        return
    with time_machine.travel(at, tick=False):
        call_command("worker", "--once", "--no-queue", verbosity=0)


def later(seconds: float) -> datetime:
    from django.utils import timezone

    return timezone.now() + timedelta(seconds=seconds)
