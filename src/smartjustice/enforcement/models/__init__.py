"""行政执法 models: the power list (power_list.py), officers (officers.py), cases (cases.py) and 双随机 inspections
(inspections.py)."""

from .cases import CaseEvidence, CasePayment, EnforcementCase, Party
from .inspections import ConflictOfInterest, Inspection, InspectionPlan, RegulatedEntity
from .officers import EnforcementOfficer
from .power_list import DiscretionBenchmark, EnforcementItem, ItemBasis, ItemSanction

__all__ = [
    "CaseEvidence",
    "CasePayment",
    "ConflictOfInterest",
    "DiscretionBenchmark",
    "EnforcementCase",
    "EnforcementItem",
    "EnforcementOfficer",
    "Inspection",
    "InspectionPlan",
    "ItemBasis",
    "ItemSanction",
    "Party",
    "RegulatedEntity",
]
