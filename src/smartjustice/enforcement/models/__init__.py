"""行政执法 models: the power list (power_list.py) and the officers (officers.py)."""

from .officers import EnforcementOfficer
from .power_list import DiscretionBenchmark, EnforcementItem, ItemBasis, ItemSanction

__all__ = [
    "DiscretionBenchmark",
    "EnforcementItem",
    "EnforcementOfficer",
    "ItemBasis",
    "ItemSanction",
]
