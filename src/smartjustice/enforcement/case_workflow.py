"""The stages of a 行政处罚案件 and the transitions between them, with the guards of enforcement/case_guards.py and
the statutory clocks of enforcement/rules.py. The simplified procedure (第五十一条、第五十二条) creates its case
already decided and served.

Clocks (one runs at a time; lists sort by it):
* 线索登记: 立案核查期限, fifteen working days from discovery (a sector rule: rules.FILING_PERIOD, exempt);
* 调查取证 … 集体讨论: 作出决定期限, ninety days from filing (第六十条). Hearing time is NOT excluded: 第六十条 provides
  no exclusion, and the sector rules that exclude 听证、检测、鉴定 time are not in the statute library; an agency under
  such a rule may pause the clock by hand (core.clocks.pause / resume), audited;
* 已决定: 送达期限, seven days from the decision (第六十一条第一款);
* 已送达: 缴款期限, the decision's term — fifteen days from service by default (第六十七条第三款), moved to the last
  approved instalment (第六十六条第二款) by the services.
"""

from __future__ import annotations

from smartjustice.core.clocks import Clock
from smartjustice.core.workflow import State, Transition, Workflow

from . import case_guards as g
from . import rules
from .choices import CaseStatus as S

CHANGE = "enforcement.change_enforcementcase"
REVIEW = "enforcement.review_enforcementcase"
DECIDE = "enforcement.decide_enforcementcase"

FILING_CLOCK = Clock("filing", "立案核查期限", rules.FILING_PERIOD, start=lambda case: case.discovered_on)
DECISION_CLOCK = Clock("decision", "作出决定期限", rules.DECISION_PERIOD, start=lambda case: case.filed_on)
SERVICE_CLOCK = Clock("service", "决定书送达期限", rules.SERVICE_PERIOD, start=lambda case: case.decided_on)
PAYMENT_CLOCK = Clock(
    "payment",
    "缴款期限",
    rules.PAYMENT_PERIOD,
    start=lambda case: case.served_on,
    when=lambda case: bool(case.fine_amount) or bool(case.confiscated_amount),
)

INVESTIGATION = (S.INVESTIGATING, S.LEGAL_REVIEW, S.NOTIFIED, S.HEARING, S.DISCUSSION)

WORKFLOW = Workflow(
    name="enforcement.case",
    initial=S.LEAD,
    states=[
        State(S.LEAD, S.LEAD.label, clock=FILING_CLOCK),
        State(S.INVESTIGATING, S.INVESTIGATING.label, clock=DECISION_CLOCK),
        State(S.LEGAL_REVIEW, S.LEGAL_REVIEW.label, clock=DECISION_CLOCK),
        State(S.NOTIFIED, S.NOTIFIED.label, clock=DECISION_CLOCK),
        State(S.HEARING, S.HEARING.label, clock=DECISION_CLOCK),
        State(S.DISCUSSION, S.DISCUSSION.label, clock=DECISION_CLOCK),
        State(S.DECIDED, S.DECIDED.label, clock=SERVICE_CLOCK),
        State(S.SERVED, S.SERVED.label, clock=PAYMENT_CLOCK),
        State(S.EXECUTED, S.EXECUTED.label),
        State(S.CLOSED, S.CLOSED.label),
        State(S.ARCHIVED, S.ARCHIVED.label, final=True),
        State(S.NOT_FILED, S.NOT_FILED.label, final=True),
        State(S.DROPPED, S.DROPPED.label),
    ],
    transitions=[
        Transition(
            "file",
            "立案",
            (S.LEAD,),
            S.INVESTIGATING,
            permission=DECIDE,
            guards=(g.same_agency, g.not_time_barred, g.certified_handlers),
        ),
        Transition(
            "not_file",
            "不予立案",
            (S.LEAD,),
            S.NOT_FILED,
            permission=DECIDE,
            style="secondary",
            guards=(g.same_agency, g.reason_given),
        ),
        Transition(
            "submit_review",
            "提交法制审核",
            (S.INVESTIGATING,),
            S.LEGAL_REVIEW,
            permission=CHANGE,
            guards=(g.same_agency, g.certified_handlers, g.penalty_proposed, g.fine_within_range),
        ),
        Transition(
            "pass_review",
            "法制审核通过",
            (S.LEGAL_REVIEW,),
            S.LEGAL_REVIEW,
            permission=REVIEW,
            guards=(g.same_agency, g.review_pending, g.reviewer_not_handler),
        ),
        Transition(
            "return_review",
            "法制审核退回补充调查",
            (S.LEGAL_REVIEW,),
            S.INVESTIGATING,
            permission=REVIEW,
            style="secondary",
            guards=(g.same_agency, g.review_pending, g.reviewer_not_handler),
        ),
        Transition(
            "notify",
            "送达事先告知书",
            (S.INVESTIGATING, S.LEGAL_REVIEW),
            S.NOTIFIED,
            permission=CHANGE,
            guards=(
                g.same_agency,
                g.certified_handlers,
                g.penalty_proposed,
                g.fine_within_range,
                g.reviewed_before_notice,
            ),
        ),
        Transition(
            "hearing",
            "组织听证",
            (S.NOTIFIED,),
            S.HEARING,
            permission=CHANGE,
            guards=(g.same_agency, g.hearing_requested_in_time),
        ),
        Transition(
            "discuss",
            "提交集体讨论",
            (S.NOTIFIED, S.HEARING),
            S.DISCUSSION,
            permission=CHANGE,
            guards=(g.same_agency, g.hearing_recorded),
        ),
        Transition(
            "decide",
            "作出处罚决定",
            (S.NOTIFIED, S.HEARING, S.DISCUSSION),
            S.DECIDED,
            permission=DECIDE,
            guards=(
                g.same_agency,
                g.hearing_recorded,
                g.statement_heard,
                g.legal_review_passed,
                g.discussed_if_grave,
                g.decider_not_reviewer,
                g.fine_within_range,
                g.not_fined_twice,
            ),
        ),
        Transition(
            "drop",
            "不予处罚（撤案）",
            INVESTIGATION,
            S.DROPPED,
            permission=DECIDE,
            style="secondary",
            guards=(g.same_agency, g.reason_given),
        ),
        Transition("serve", "送达决定书", (S.DECIDED,), S.SERVED, permission=CHANGE, guards=(g.same_agency,)),
        Transition(
            "execute",
            "执行完毕",
            (S.SERVED,),
            S.EXECUTED,
            permission=CHANGE,
            guards=(g.same_agency, g.paid_in_full),
        ),
        Transition(
            "close", "结案", (S.EXECUTED, S.DROPPED), S.CLOSED, permission=CHANGE, guards=(g.same_agency,)
        ),
        Transition("archive", "归档", (S.CLOSED,), S.ARCHIVED, permission=CHANGE, guards=(g.same_agency,)),
    ],
)
