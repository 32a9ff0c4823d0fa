"""Generated API tests (core.testing.ApiModelTests) for the models the location part serves: anonymous, no
permission, other jurisdiction, own, audited create and update, list query budget."""

from datetime import timedelta

from django.utils import timezone

from smartjustice.core.testing import ApiModelTests
from smartjustice.correction.choices import CorrectionAuditEvent
from smartjustice.correction.models import CorrectionAlert, ElectronicMonitoring, Geofence
from tests.correction import location_makers, makers


def _fence_payload(place):
    return {
        "subject_id": makers.subject(place).pk,
        "kind": "forbidden",
        "name": "禁止令：某娱乐场所",
        "geometry": location_makers.square(),
    }


def _monitoring_payload(place):
    today = timezone.localdate()
    return {
        "subject_id": makers.subject(place).pk,
        "ground": "2",
        "facts": "未经批准离开所居住的县",
        "starts_on": str(today),
        "ends_on": str(today + timedelta(days=30)),
    }


class TestGeofenceApi(ApiModelTests):
    model = Geofence
    list_url = "correction/fences"
    detail_url = "correction/fences/{pk}"
    roles = ("correction_officer",)
    factory = location_makers.fence_in
    create_payload = _fence_payload
    create_event = CorrectionAuditEvent.FENCE_CREATED
    update_payload = {"name": "居住小区及周边"}
    update_event = CorrectionAuditEvent.FENCE_UPDATED


class TestCorrectionAlertApi(ApiModelTests):
    model = CorrectionAlert
    list_url = "correction/alerts"
    detail_url = "correction/alerts/{pk}"
    roles = ("correction_officer",)
    factory = location_makers.alert


class TestElectronicMonitoringApi(ApiModelTests):
    model = ElectronicMonitoring
    list_url = "correction/monitoring"
    detail_url = "correction/monitoring/{pk}"
    roles = ("correction_officer",)
    factory = location_makers.monitoring
    create_payload = _monitoring_payload
    create_event = CorrectionAuditEvent.MONITORING_PROPOSED
