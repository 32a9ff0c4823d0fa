"""Demo data of the command part (helper G): a risk score for every demo subject under correction (through the risk
service, so the high ones raise their risk alert), and one 脱管 search in each state — 查找中, 已提请公安协助,
已报告查找情况, 已办结 — opened by the executing county's officer. Idempotent: a second run finds the scores
unchanged and an incident in every state, and writes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from smartjustice.core.models import User

from . import command, risk
from .choices import SubjectStatus
from .models import AbscondingIncident, CorrectionSubject, IncidentOutcome, IncidentStatus

# The demo officers by county (core/data/demo/demo.json).
OFFICERS = {"440106": "th_correction", "440104": "yx_correction", "440281": "lc_correction"}
MARK = "【演示】"
STORIES = (
    (
        IncidentStatus.SEARCHING,
        5,
        "连续两次未按时报告，手机关机，家属称其三日前外出务工未告知去向",
        [],
    ),
    (
        IncidentStatus.ESCALATED,
        30,
        "定位信号中断超过二十四小时，电话无人接听",
        [("escalate", {"police_unit": "所在地公安派出所"})],
    ),
    (
        IncidentStatus.REPORTED,
        60,
        "越界预警核实时无法联系本人",
        [
            ("escalate", {"police_unit": "所在地公安派出所"}),
            (
                "report",
                {
                    "report": "经公安机关协助查询，对象在邻市务工，已电话联系本人，责令其两日内返回执行地报到。"
                },
            ),
        ],
    ),
    (
        IncidentStatus.CLOSED,
        120,
        "未按时报告且无法联系",
        [
            ("report", {"report": "当日傍晚在其亲属家中找到本人，称手机丢失。已当面谈话教育。"}),
            ("close", {"outcome": IncidentOutcome.FOUND, "note": "恢复正常监管，拟给予训诫"}),
        ],
    ),
)


def _demo_subjects():
    return CorrectionSubject.objects.filter(number__startswith="DEMO-").order_by("number")


def _officer(subject: CorrectionSubject) -> User | None:
    return User.objects.filter(username=OFFICERS.get(subject.jurisdiction_id[:6], "")).first()


def load_demo() -> int:
    """Create the demo's risk scores and incidents; the number of records created."""
    subjects = list(_demo_subjects())
    if not subjects:
        return 0
    created = risk.recompute_scores(subject_ids=[s.pk for s in subjects]).changed
    # A state some demo incident already has (from an earlier run, or an alert another part's demo escalated) is
    # not made again.
    present = set(AbscondingIncident.objects.filter(subject__in=subjects).values_list("status", flat=True))
    stories = [story for story in STORIES if story[0] not in present]
    candidates = [
        s
        for s in subjects
        if s.status == SubjectStatus.ACTIVE
        and _officer(s) is not None
        and not AbscondingIncident.objects.filter(subject=s).exists()
    ]
    now = timezone.now()
    for (_state, hours_ago, why, steps), subject in zip(stories, candidates, strict=False):
        officer = _officer(subject)
        incident = command.open_incident(
            subject, actor=officer, note=f"{MARK}{why}", opened_at=now - timedelta(hours=hours_ago)
        )
        created += 1
        for name, payload in steps:
            command.TRANSITION_SERVICES[name](incident, actor=officer, **payload)
    return created
