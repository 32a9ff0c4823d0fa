"""Periodic jobs run by `smartjustice worker` beside the django-tasks queue.

A module registers a job in its tasks.py::

    from smartjustice.core.scheduler import periodic

    @periodic(every=60, name="enforcement.deadlines")
    def check_deadlines(*, worker_id: str) -> None: ...

The worker imports every installed app's ``tasks`` module, then calls each job when it is due. Jobs must be safe
to run in several workers at once and to be killed at any point (claim work with leases or row locks).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections, connection
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger("smartjustice.worker")


@dataclass
class Job:
    name: str
    every: float
    func: Callable[..., object]


JOBS: dict[str, Job] = {}


def periodic(*, every: float, name: str | None = None):
    """Register `func(*, worker_id)` to run every `every` seconds in the worker."""

    def register(func):
        job_name = name or f"{func.__module__}.{func.__qualname__}"
        JOBS[job_name] = Job(job_name, every, func)
        return func

    return register


def discover() -> dict[str, Job]:
    autodiscover_modules("tasks")
    return JOBS


class Scheduler:
    """Runs the registered jobs that are due; one `tick()` per loop of the worker."""

    def __init__(self, worker_id: str, jobs: dict[str, Job] | None = None):
        self.worker_id = worker_id
        self.jobs = jobs if jobs is not None else discover()
        self.next_run: dict[str, float] = {}

    def tick(self, *, clock: Callable[[], float] = time.monotonic) -> dict[str, object]:
        results: dict[str, object] = {}
        for name, job in list(self.jobs.items()):
            now = clock()
            if self.next_run.get(name, 0.0) > now:
                continue
            if not connection.in_atomic_block:  # (inside a test's transaction the connection must stay)
                close_old_connections()
            try:
                results[name] = job.func(worker_id=self.worker_id)
            except Exception:  # one failing job must not stop the others; it runs again next time
                logger.exception("periodic job %s failed", name)
                results[name] = None
            self.next_run[name] = clock() + job.every
        return results
