"""Moved to smartjustice.core.scheduler (periodic jobs are a platform service, not the hub's); this name stays
while modules move their imports."""

from smartjustice.core.scheduler import JOBS, Job, Scheduler, discover, periodic

__all__ = ["JOBS", "Job", "Scheduler", "discover", "periodic"]
