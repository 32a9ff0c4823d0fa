"""The conditions the 行政处罚法 puts on each step of a case, as core.workflow guards
(`guard(case, actor, payload) -> message | None`; `payload` is None while buttons are drawn, then the step's input).

Each message names the article it applies. Guards read the case as it stands; the services (enforcement/cases.py)
set the fields a guard looks at before taking the step (e.g. filed_on, the handlers, the decision date).
"""

from __future__ import annotations

from django.utils import timezone

from smartjustice.core.assignments import APPROVER, HANDLER, REVIEWER, not_same_person
from smartjustice.core.errors import ValidationFailed

from . import penalties, rules


def _day(payload, name: str):
    value = (payload or {}).get(name)
    return value or timezone.localdate()


def same_agency(case, actor, payload=None) -> str | None:
    """Only the case's own 执法主体 acts on it (its officers, reviewers and head)."""
    if getattr(actor, "organisation_id", None) == case.agency_id:
        return None
    return f"只有本案执法主体（{case.agency.name}）的工作人员可以办理此操作"


def certified_handlers(case, actor, payload=None) -> str | None:
    """At least two handlers, each holding a valid 行政执法证 for the case's domain and area (第四十二条第一款)."""
    from .eligibility import investigation_guard  # eligibility imports the models, which import this module

    return investigation_guard(HANDLER)(case, actor, payload)


def not_time_barred(case, actor, payload=None) -> str | None:
    """第三十六条: not discovered within two years (five for life, health or financial safety) → no penalty."""
    extended = bool((payload or {}).get("extended_limitation"))
    if not penalties.time_barred(case.occurred_on, case.discovered_on, extended=extended):
        return None
    rule = rules.LIMITATION_PERIOD_EXTENDED if extended else rules.LIMITATION_PERIOD
    return f"违法行为发生于{case.occurred_on:%Y年%m月%d日}，{rule.value}年内未被发现，不再给予行政处罚（{rule.citation}）"


def reason_given(case, actor, payload=None) -> str | None:
    if payload is not None and not str(payload.get("reason") or "").strip():
        return "请填写理由"
    return None


def penalty_proposed(case, actor, payload=None) -> str | None:
    """The proposed penalty (kind, amount, basis) is settled before review or notice (第四十四条)."""
    if case.fine_amount is None and case.confiscated_amount is None and not case.other_sanctions:
        return "请先拟定行政处罚的种类和幅度"
    if not (case.legal_basis or "").strip():
        return "请先填写处罚依据"
    return None


def reviewed_before_notice(case, actor, payload=None) -> str | None:
    """A case that needs 法制审核 goes through it (and passes) before the prior notice (第五十八条第一款)."""
    if case.status == "legal_review" and case.legal_review_passed is not True:
        return f"法制审核尚未通过，不得送达事先告知书（{rules.LEGAL_REVIEW_REQUIRED.citation}）"
    if case.legal_review_required and case.legal_review_passed is not True:
        return f"本案须经法制审核，请先提交法制审核（{rules.LEGAL_REVIEW_REQUIRED.citation}）"
    return None


def review_pending(case, actor, payload=None) -> str | None:
    if case.legal_review_passed is not None:
        return "本案已出具法制审核意见"
    return None


def hearing_requested_in_time(case, actor, payload=None) -> str | None:
    """第六十三条: only where the right was given; 第六十四条第一项: within five days of the notice."""
    if not case.hearing_offered:
        return f"拟作出的处罚不属于应当告知听证权利的情形（{rules.HEARING_RIGHT.citation}）"
    if case.notified_on is None:
        return "尚未送达事先告知书"
    requested_on = _day(payload, "requested_on")
    last = rules.HEARING_REQUEST_PERIOD.ends(case.notified_on)
    if requested_on > last:
        return f"当事人应当在告知后五日内（{last:%Y年%m月%d日}前）要求听证（{rules.HEARING_REQUEST_PERIOD.citation}）"
    if case.statement_waived:
        return "当事人已明确放弃陈述、申辩和听证权利"
    return None


def hearing_recorded(case, actor, payload=None) -> str | None:
    """第六十五条: after a hearing the decision rests on its record."""
    if case.status == "hearing" and not (case.hearing_record or "").strip():
        return f"请先记录听证笔录（{rules.DECISION_AFTER_HEARING.citation}）"
    return None


def statement_heard(case, actor, payload=None) -> str | None:
    """第四十四条、第四十五条、第六十二条: notice served, and the period for statements (and for asking a hearing, where
    offered) over — unless the party expressly waived them."""
    if case.notified_on is None:
        return (
            f"未告知当事人拟作出的处罚及其权利，不得作出决定（{rules.NO_DECISION_WITHOUT_NOTICE.citation}）"
        )
    if case.statement_waived:
        return None
    day = _day(payload, "decided_on")
    statement_due = rules.STATEMENT_PERIOD.ends(case.notified_on)
    if day <= statement_due:
        return (
            f"陈述、申辩期限至{statement_due:%Y年%m月%d日}届满，期满前（当事人明确放弃的除外）不得作出决定"
            f"（{rules.NO_DECISION_WITHOUT_NOTICE.citation}）"
        )
    if case.hearing_offered and case.hearing_requested_on is None:
        hearing_due = rules.HEARING_REQUEST_PERIOD.ends(case.notified_on)
        if day <= hearing_due:
            return f"要求听证的期限至{hearing_due:%Y年%m月%d日}届满，期满前不得作出决定（{rules.HEARING_REQUEST_PERIOD.citation}）"
    if case.hearing_requested_on is not None and not (case.hearing_record or "").strip():
        return f"当事人已要求听证，请先组织听证并记录笔录（{rules.DECISION_AFTER_HEARING.citation}）"
    return None


def legal_review_passed(case, actor, payload=None) -> str | None:
    """第五十八条第一款: 未经法制审核或者审核未通过的，不得作出决定."""
    if case.legal_review_required and case.legal_review_passed is not True:
        return f"本案须经法制审核且审核通过后方可作出决定（{rules.LEGAL_REVIEW_REQUIRED.citation}）"
    return None


def discussed_if_grave(case, actor, payload=None) -> str | None:
    """第五十七条第二款: a grave or complex case is decided by the heads collectively."""
    if case.grave and not (case.discussion_record or "").strip():
        return f"情节复杂或者重大违法案件须经负责人集体讨论决定（{rules.COLLECTIVE_DISCUSSION.citation}）"
    return None


def not_fined_twice(case, actor, payload=None) -> str | None:
    """第二十九条: one conduct of one party is fined once (another decided, unrevoked case with a fine)."""
    if not case.fine_amount or not case.conduct_key:
        return None
    other = (
        type(case)
        .objects.filter(
            conduct_key=case.conduct_key, decided_on__isnull=False, revoked_on__isnull=True, fine_amount__gt=0
        )
        .exclude(pk=case.pk)
        .values_list("number", flat=True)
        .first()
    )
    if other is None:
        return None
    return f"当事人的同一违法行为已在案件{other}中被处以罚款，不得再次罚款（{rules.NO_DOUBLE_FINE.citation}）"


def fine_within_range(case, actor, payload=None) -> str | None:
    """The fine still lies within the item's range and benchmark (第四条、第三十四条)."""
    try:
        penalties.check_fine(case)
    except ValidationFailed as error:
        return error.message
    return None


def paid_in_full(case, actor, payload=None) -> str | None:
    """执行完毕: the fine (with any surcharge levied) and the confiscation are paid."""
    if case.amount_due > 0:
        return f"罚款尚未缴清（未缴{penalties.yuan(case.amount_due)}）"
    return None


# The decider is not the case's 法制审核人员 (第五十八条: review is a check on the decision, not made by the decider).
decider_not_reviewer = not_same_person(APPROVER, REVIEWER)
reviewer_not_handler = not_same_person(REVIEWER, HANDLER)
