"""Factories of the command part (risk scores, 脱管 incidents, alerts): records made directly, so page and API tests
do not depend on every service step."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from smartjustice.core.testing import Place, make_staff
from smartjustice.correction import risk
from smartjustice.correction.choices import AlertKind, AlertStatus
from smartjustice.correction.models import AbscondingIncident, CorrectionAlert, CorrectionSubject, RiskScore
from tests.correction import makers

_serial = itertools.count(1)


def officer(place: Place, *roles: str):
    return make_staff(place.code, *(roles or ("correction_officer",)), organisation=place.organisation)


def alert(
    subject: CorrectionSubject,
    *,
    kind: str = AlertKind.GEOFENCE_EXIT,
    status: str = AlertStatus.OPEN,
    started_at=None,
    why: str = "离开活动区域",
) -> CorrectionAlert:
    started_at = started_at or timezone.now() - timedelta(hours=1)
    return CorrectionAlert.objects.create(
        subject=subject,
        kind=kind,
        status=status,
        started_at=started_at,
        last_seen_at=started_at,
        why=why,
        handle_by=started_at + timedelta(hours=2),
        jurisdiction_id=subject.jurisdiction_id,
        agency_id=subject.agency_id,
    )


def risk_score(place: Place, *, subject: CorrectionSubject | None = None, **fields) -> RiskScore:
    subject = subject or makers.subject(place)
    assessment = risk.score_inputs(risk.RiskInputs(**fields))
    return RiskScore.objects.create(
        subject=subject,
        computed_at=timezone.now(),
        score=assessment.score,
        level=assessment.level,
        probability=assessment.probability,
        factors=assessment.factors_json(),
        model_version=risk.MODEL_VERSION,
    )


def incident(
    place: Place,
    *,
    subject: CorrectionSubject | None = None,
    status: str = "searching",
    number: str | None = None,
) -> AbscondingIncident:
    subject = subject or makers.subject(place)
    now = timezone.now()
    return AbscondingIncident.objects.create(
        number=number or f"TGTEST-{next(_serial):05d}",
        subject=subject,
        status=status,
        opened_at=now,
        escalate_by=now + timedelta(hours=24),
        report_by=now + timedelta(hours=72),
        notes=[{"at": now.isoformat(), "by": "测试", "kind": "opened", "text": "启动查找"}],
        jurisdiction_id=subject.jurisdiction_id,
        agency_id=subject.agency_id,
    )


def incident_payload(place: Place) -> dict:
    return {"subject_id": makers.subject(place).pk, "note": "连续两天电话无人接听"}
