"""Rules a data subscription must meet before any record is shared, each citing its basis."""

from __future__ import annotations

from smartjustice.core.citations import Citation
from smartjustice.core.rules import Rule

PERSONAL_INFORMATION_LAW = "中华人民共和国个人信息保护法"
SHARING_MEASURES = "政务信息资源共享管理暂行办法"

PURPOSE_REQUIRED = Rule(
    "purpose_required",
    "须说明使用目的：处理个人信息应当具有明确、合理的目的",
    Citation(PERSONAL_INFORMATION_LAW, 6),
)
# The sharing classes (无条件/有条件/不予共享) come from 国发〔2016〕51号, the same basis the catalogue cites for them.
CONDITIONAL_SHARING_BASIS = Rule(
    "conditional_sharing_basis",
    "有条件共享的数据须写明法定依据或共享协议",
    Citation(SHARING_MEASURES, 5),
    exemption="《政务信息资源共享管理暂行办法》（国发〔2016〕51号）是国务院规范性文件，不在法律法规库中；"
    "原文未能核实，所引条号待核",
)
CLEAR_TEXT_BASIS = Rule(
    "clear_text_basis",
    "提供明文个人信息须写明法定依据：国家机关处理个人信息不得超出履行法定职责所必需的范围和限度",
    Citation(PERSONAL_INFORMATION_LAW, 34),
)


def message(rule: Rule) -> str:
    """The refusal a user reads when a subscription breaks `rule`: what is missing and where the law says so (an
    unverified article number is not shown)."""
    if not rule.verified:
        return rule.summary
    head, _, reason = rule.summary.partition("：")
    return f"{head}（{rule.citation}：{reason}）" if reason else f"{head}（{rule.citation}）"
