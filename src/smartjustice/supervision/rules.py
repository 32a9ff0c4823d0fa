"""Law as code for 执法监督: what each supervision check enforces, each citing its article (a test resolves them).

The checks themselves are in supervision/checks.py; a flag names the rule that fired (FlagRule) and RULES maps it
to the Rule below, so every page shows the article next to the evidence.
"""

from __future__ import annotations

import json
from pathlib import Path

from smartjustice.core.citations import Citation
from smartjustice.core.rules import CalendarDayPeriod, Rule, WorkingDayPeriod
from smartjustice.enforcement import rules as enforcement_rules

from .choices import FlagRule

PENALTY_LAW = "中华人民共和国行政处罚法"
COMPULSION_LAW = "中华人民共和国行政强制法"

STAGE_OVERDUE = Rule(
    FlagRule.STAGE_OVERDUE.value,
    "行政机关应当建立健全对行政处罚的监督制度，加强监督检查：案件所处阶段的法定期限已届满仍未办结（期限依据见该阶段的计时）",
    Citation(PENALTY_LAW, 75, paragraph=1),
)
FINE_OUT_OF_RANGE = Rule(
    FlagRule.FINE_OUT_OF_RANGE.value,
    "擅自改变行政处罚种类、幅度的，由上级行政机关或者有关机关责令改正：罚款金额不在执法事项依据规定的幅度内",
    Citation(PENALTY_LAW, 76, paragraph=1),
)
FINE_OUTSIDE_BENCHMARK = Rule(
    FlagRule.FINE_OUTSIDE_BENCHMARK.value,
    "行政机关依法制定行政处罚裁量基准，规范行使行政处罚裁量权：罚款金额不在所适用裁量基准的幅度内",
    Citation(PENALTY_LAW, 34),
)
UNCERTIFIED_HANDLER = Rule(
    FlagRule.UNCERTIFIED_HANDLER.value,
    "行政处罚应当由具有行政执法资格的执法人员实施：承办人未持有本执法领域、本区域有效的行政执法证",
    Citation(PENALTY_LAW, 42, paragraph=1),
)
SINGLE_OFFICER = Rule(
    FlagRule.SINGLE_OFFICER.value,
    "执法人员不得少于两人，法律另有规定的除外：普通程序案件立案后承办人少于两人",
    Citation(PENALTY_LAW, 42, paragraph=1),
    value=2,
)
LEGAL_REVIEW_MISSING = Rule(
    FlagRule.LEGAL_REVIEW_MISSING.value,
    "应当法制审核的案件，未经法制审核或者审核未通过的，不得作出决定",
    Citation(PENALTY_LAW, 58, paragraph=1),
)
HEARING_NOTICE_MISSING = Rule(
    FlagRule.HEARING_NOTICE_MISSING.value,
    "拟作出较大数额罚款、没收较大数额违法所得、降低资质等级、吊销许可证件、责令停产停业、责令关闭、限制从业等决定的，"
    "应当告知当事人有要求听证的权利",
    Citation(PENALTY_LAW, 63, paragraph=1),
)
# 较大数额 (fixed by each province under 第六十三条第一款) and the heavy sanctions of 第六十三条 are enforcement's rules:
# one place for each statutory rule, so the case workflow and this check can never disagree.
LARGE_AMOUNT = enforcement_rules.HEARING_THRESHOLD_GUANGDONG
HEARING_SANCTIONS = enforcement_rules.HEARING_RIGHT
# The same statutory rules the case workflow enforces (one place each): 第二十九条 and 第六十条.
FINED_TWICE = enforcement_rules.NO_DOUBLE_FINE
EXECUTION_GRACE = CalendarDayPeriod(
    FlagRule.UNEXECUTED.value,
    "加处罚款超过三十日，经催告当事人仍不履行的，行政机关可以强制执行或者申请人民法院强制执行："
    "缴款期限届满三十日后仍未缴清的，应当依法催告并强制执行",
    Citation(COMPULSION_LAW, 46, paragraph=1),
    days=30,
)
DECISION_PERIOD = enforcement_rules.DECISION_PERIOD

# 督办 and 案卷评查: the supervising body orders rectification and evaluates case files.
RECTIFICATION = Rule(
    "rectification_order",
    "行政机关违法实施行政处罚的，由上级行政机关或者有关机关责令改正（执法监督督办）",
    Citation(PENALTY_LAW, 76, paragraph=1),
)
RECTIFICATION_PERIOD = WorkingDayPeriod(
    "rectification_period",
    "督办整改的默认期限（十五个工作日，督办机关可另行确定；责令改正的依据见本条）",
    Citation(PENALTY_LAW, 76, paragraph=1),
    days=15,
)
CASE_FILE_REVIEW = Rule(
    "case_file_review",
    "县级以上人民政府应当定期组织开展行政执法评议、考核，加强对行政处罚的监督检查（案卷评查）",
    Citation(PENALTY_LAW, 75, paragraph=1),
)

# Flag code → the rule it enforces (two of them are enforcement's own rules, whose codes differ).
RULES: dict[str, Rule] = {
    FlagRule.STAGE_OVERDUE.value: STAGE_OVERDUE,
    FlagRule.FINE_OUT_OF_RANGE.value: FINE_OUT_OF_RANGE,
    FlagRule.FINE_OUTSIDE_BENCHMARK.value: FINE_OUTSIDE_BENCHMARK,
    FlagRule.UNCERTIFIED_HANDLER.value: UNCERTIFIED_HANDLER,
    FlagRule.SINGLE_OFFICER.value: SINGLE_OFFICER,
    FlagRule.LEGAL_REVIEW_MISSING.value: LEGAL_REVIEW_MISSING,
    FlagRule.HEARING_NOTICE_MISSING.value: HEARING_NOTICE_MISSING,
    FlagRule.FINED_TWICE.value: FINED_TWICE,
    FlagRule.UNEXECUTED.value: EXECUTION_GRACE,
    FlagRule.OPEN_TOO_LONG.value: DECISION_PERIOD,
}


def rule_for(code: str) -> Rule | None:
    """The rule a flag's code names."""
    return RULES.get(code)


# --- 案卷评查标准: every checklist item (supervision/data/checklist.json) cites its article, checked like any rule ---

CHECKLIST_FILE = Path(__file__).parent / "data" / "checklist.json"


def load_checklist() -> dict:
    """The case-file review checklist: {"version", "law", "items": [{code, title, weight, article, …}], "grades"}."""
    return json.loads(CHECKLIST_FILE.read_text(encoding="utf-8"))


def _checklist_rules() -> dict[str, Rule]:
    data = load_checklist()
    return {
        item["code"]: Rule(
            f"checklist_{item['code']}",
            f"案卷评查：{item['title']}（{item['weight']}分）",
            Citation(data["law"], item["article"], paragraph=item.get("paragraph")),
        )
        for item in data["items"]
    }


CHECKLIST_RULES = _checklist_rules()
