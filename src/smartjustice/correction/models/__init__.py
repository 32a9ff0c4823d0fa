"""Models of 社区矫正, one file per part: subjects (and their contacts, group, transfers, archive), geofences and
alerts, daily reporting, GPS points and electronic monitoring, conduct (assessments, sanctions, approvals),
education and identity checks, risk and 脱管 incidents."""

from .archives import ArchiveItem, ArchiveKind
from .command import AbscondingIncident, IncidentOutcome, IncidentStatus, RiskLevel, RiskScore
from .conduct import ApprovalRequest, Assessment, Sanction
from .education import (
    AssignmentStatus,
    IdentityCheck,
    IdentityMethod,
    IdentityPurpose,
    IdentityStatus,
    LearningAssignment,
    LearningKind,
    LearningSession,
    LearningTask,
    SessionStatus,
)
from .location import (
    ElectronicMonitoring,
    GpsPoint,
    GpsSource,
    MonitoringGround,
    MonitoringStatus,
    TrackerSnapshot,
)
from .monitoring import ALERT_WORKFLOW, CorrectionAlert, Geofence
from .reporting import CheckIn, CheckInChannel, SupervisionRecord, SupervisionRecordKind
from .subjects import CorrectionGroupMember, CorrectionSubject, SubjectContact
from .transfers import TRANSFER_WORKFLOW, SubjectTransfer, TransferStatus

__all__ = [
    "ALERT_WORKFLOW",
    "TRANSFER_WORKFLOW",
    "AbscondingIncident",
    "ApprovalRequest",
    "ArchiveItem",
    "ArchiveKind",
    "Assessment",
    "AssignmentStatus",
    "CheckIn",
    "CheckInChannel",
    "CorrectionAlert",
    "CorrectionGroupMember",
    "CorrectionSubject",
    "ElectronicMonitoring",
    "Geofence",
    "GpsPoint",
    "GpsSource",
    "IdentityCheck",
    "IdentityMethod",
    "IdentityPurpose",
    "IdentityStatus",
    "IncidentOutcome",
    "IncidentStatus",
    "LearningAssignment",
    "LearningKind",
    "LearningSession",
    "LearningTask",
    "MonitoringGround",
    "MonitoringStatus",
    "RiskLevel",
    "RiskScore",
    "Sanction",
    "SessionStatus",
    "SubjectContact",
    "SubjectTransfer",
    "SupervisionRecord",
    "SupervisionRecordKind",
    "TrackerSnapshot",
    "TransferStatus",
]
