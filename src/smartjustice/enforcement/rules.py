"""Statutory rules of 行政执法, each citing the provision it implements (tests resolve every citation)."""

from __future__ import annotations

from smartjustice.core.citations import Citation
from smartjustice.core.rules import Rule

PENALTY_LAW = "中华人民共和国行政处罚法"

# --- power list (权责清单) and discretion benchmarks (裁量基准) ----------------------------------------------------

PUBLISHED_BASIS = Rule(
    "published_basis",
    "对违法行为给予行政处罚的规定必须公布；未经公布的，不得作为行政处罚的依据（执法事项依据须在法规库中有效）",
    Citation(PENALTY_LAW, 5, paragraph=3),
)
STATUTORY_RANGE = Rule(
    "statutory_range",
    "行政处罚由法律、法规、规章规定：裁量基准的罚款幅度不得超出事项依据规定的幅度",
    Citation(PENALTY_LAW, 4),
)
MINOR_NO_PENALTY = Rule(
    "minor_no_penalty",
    "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚（不予处罚清单）",
    Citation(PENALTY_LAW, 33, paragraph=1),
)
FIRST_VIOLATION = Rule(
    "first_violation_no_penalty",
    "初次违法且危害后果轻微并及时改正的，可以不予行政处罚（首违不罚清单）",
    Citation(PENALTY_LAW, 33, paragraph=1),
)
DISCRETION_BENCHMARK = Rule(
    "discretion_benchmark",
    "行政机关可以依法制定行政处罚裁量基准，规范行使行政处罚裁量权；裁量基准应当向社会公布",
    Citation(PENALTY_LAW, 34),
)


# --- officers (行政执法人员): eligibility.py reads these ---------------------------------------------------------

CERTIFIED_OFFICERS = Rule(
    "certified_officers",
    "行政处罚应当由具有行政执法资格的执法人员实施（持有效行政执法证，且执法类别和执法区域相符）",
    Citation(PENALTY_LAW, 42, paragraph=1),
)
MINIMUM_OFFICERS = Rule(
    "minimum_officers",
    "执法人员不得少于两人，法律另有规定的除外",
    Citation(PENALTY_LAW, 42, paragraph=1),
    value=2,
)
SHOW_CERTIFICATE = Rule(
    "show_certificate",
    "执法人员在调查或者进行检查时，应当主动向当事人或者有关人员出示执法证件",
    Citation(PENALTY_LAW, 55, paragraph=1),
)
