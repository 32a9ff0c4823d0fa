"""Access-matrix subjects of 社区矫正 — part: command (helper G): a risk score, a 脱管 incident and a subject to open
one for, all in the world's own place (天河区). Only correction staff of 天河区 (and above) read them; a town
account of another 街道, the peer county and everyone else get nothing."""

import itertools

from smartjustice.core import access
from smartjustice.correction.models import AbscondingIncident
from tests.correction import command_makers, makers
from tests.harness.registry import subject

_serial = itertools.count(1)  # the query-budget test makes more of each


def _risk_score(world):
    person = makers.subject(world.own, name=f"MXRISK 风险评估对象{next(_serial):03d}")
    return command_makers.risk_score(world.own, subject=person, missed_reports=2, warnings=1)


subject(
    "correction.risk_score",
    make=_risk_score,
    routes=("/api/v1*correction/risk-scores/{score_id}*", "/correction/risk/<int:pk>/*"),
    params=lambda s: {"score_id": s.pk, "pk": s.subject_id},
    marker=lambda s: s.subject.name,
    # The risk page names the subject, whom every reader of the subject may see; scores themselves are read
    # only with view_riskscore (checked by the pages and the API). 重新评估 changes nothing of the subject's own.
    visible=lambda user, s: access.can(user, "view", s.subject),
    writable=lambda user, s: access.can(user, "change", s.subject),
    order=150,
)
subject(
    "correction.incident",
    make=lambda w: command_makers.incident(w.own, number=f"MXINCIDENT-{next(_serial):04d}"),
    routes=("/api/v1*correction/incidents/{incident_id}*", "/correction/incidents/<int:pk>/*"),
    params=lambda i: {"incident_id": i.pk, "pk": i.pk, "name": "escalate"},
    marker=lambda i: i.number,
    order=150,
)
subject(
    "correction.incident_subject",
    make=lambda w: makers.subject(w.own, name=f"MXOPEN 失联对象{next(_serial):03d}"),
    routes=("/correction/incidents/open/<int:subject_id>/",),
    params=lambda s: {"subject_id": s.pk},
    marker=lambda s: s.name,
    visible=lambda user, s: access.can(user, "view", s),
    writable=lambda user, s: access.can(user, "change", s) and access.may_do(user, "add", AbscondingIncident),
    order=150,
)
