"""Background jobs of 社区矫正 (`smartjustice worker` imports this module): each part keeps its jobs in its own
module, imported here so the scheduler registers them."""

from . import (  # noqa: F401
    tasks_location,  # electronic monitoring end, GPS partitions, lost device signal
    tasks_reporting,  # missed reports (helper B)
    tasks_risk,  # risk scores and warnings (helper G)
)
