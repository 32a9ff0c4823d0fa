"""Models of 社区矫正, one file per part (see /work/correction-plan.md for who owns which)."""

# Each part re-exports its models here on its own line (helper blocks).
from .monitoring import ALERT_WORKFLOW, CorrectionAlert, Geofence  # noqa: F401
from .subjects import CorrectionGroupMember, CorrectionSubject, SubjectContact  # noqa: F401
# block A models
# block B models
# block D models
# block E models
# block F models
# block G models
