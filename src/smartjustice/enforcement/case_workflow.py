"""The stages of a 行政处罚案件 and the transitions between them (guards and clocks: enforcement/case_guards.py and
enforcement/rules.py). The simplified procedure (第五十一条、第五十二条) creates its case already decided and served."""

from __future__ import annotations

from smartjustice.core.workflow import State, Transition, Workflow

from .choices import CaseStatus as S

CHANGE = "enforcement.change_enforcementcase"
REVIEW = "enforcement.review_enforcementcase"
DECIDE = "enforcement.decide_enforcementcase"

WORKFLOW = Workflow(
    name="enforcement.case",
    initial=S.LEAD,
    states=[
        State(S.LEAD, S.LEAD.label),
        State(S.INVESTIGATING, S.INVESTIGATING.label),
        State(S.LEGAL_REVIEW, S.LEGAL_REVIEW.label),
        State(S.NOTIFIED, S.NOTIFIED.label),
        State(S.HEARING, S.HEARING.label),
        State(S.DISCUSSION, S.DISCUSSION.label),
        State(S.DECIDED, S.DECIDED.label),
        State(S.SERVED, S.SERVED.label),
        State(S.EXECUTED, S.EXECUTED.label),
        State(S.CLOSED, S.CLOSED.label),
        State(S.ARCHIVED, S.ARCHIVED.label, final=True),
        State(S.NOT_FILED, S.NOT_FILED.label, final=True),
        State(S.DROPPED, S.DROPPED.label),
    ],
    transitions=[
        Transition("file", "立案", (S.LEAD,), S.INVESTIGATING, permission=DECIDE),
        Transition("not_file", "不予立案", (S.LEAD,), S.NOT_FILED, permission=DECIDE, style="secondary"),
        Transition("submit_review", "提交法制审核", (S.INVESTIGATING,), S.LEGAL_REVIEW, permission=CHANGE),
        Transition("notify", "送达事先告知书", (S.INVESTIGATING, S.LEGAL_REVIEW), S.NOTIFIED, permission=CHANGE),
        Transition("hearing", "组织听证", (S.NOTIFIED,), S.HEARING, permission=CHANGE),
        Transition("discuss", "提交集体讨论", (S.NOTIFIED, S.HEARING), S.DISCUSSION, permission=CHANGE),
        Transition("decide", "作出处罚决定", (S.NOTIFIED, S.HEARING, S.DISCUSSION), S.DECIDED, permission=DECIDE),
        Transition(
            "drop",
            "不予处罚（撤案）",
            (S.INVESTIGATING, S.LEGAL_REVIEW, S.NOTIFIED, S.HEARING, S.DISCUSSION),
            S.DROPPED,
            permission=DECIDE,
            style="secondary",
        ),
        Transition("serve", "送达决定书", (S.DECIDED,), S.SERVED, permission=CHANGE),
        Transition("execute", "执行完毕", (S.SERVED,), S.EXECUTED, permission=CHANGE),
        Transition("close", "结案", (S.EXECUTED, S.DROPPED), S.CLOSED, permission=CHANGE),
        Transition("archive", "归档", (S.CLOSED,), S.ARCHIVED, permission=CHANGE),
    ],
)
