"""Generated API access and audit tests of the command part (core.testing.ApiModelTests)."""

from smartjustice.core.testing import ApiModelTests
from smartjustice.correction.choices import CorrectionAuditEvent
from smartjustice.correction.models import AbscondingIncident, RiskScore
from tests.correction import command_makers


class TestRiskScoreApi(ApiModelTests):
    model = RiskScore
    list_url = "correction/risk-scores"
    detail_url = "correction/risk-scores/{pk}"
    roles = ("correction_officer",)
    factory = staticmethod(lambda place: command_makers.risk_score(place, missed_reports=2))
    # Scores are written by the risk service (tests/correction/test_command_risk.py): POST creates a new
    # assessment of a subject, checked there; not a create of a row from a payload.


class TestAbscondingIncidentApi(ApiModelTests):
    model = AbscondingIncident
    list_url = "correction/incidents"
    detail_url = "correction/incidents/{pk}"
    roles = ("correction_officer",)
    factory = staticmethod(command_makers.incident)
    create_payload = staticmethod(command_makers.incident_payload)
    create_event = CorrectionAuditEvent.INCIDENT_OPENED
    update_url = "correction/incidents/{pk}/notes"
    update_method = "post"
    update_payload = {"text": "走访其父母，称三天前离家未归"}
    update_event = CorrectionAuditEvent.INCIDENT_NOTE_ADDED
