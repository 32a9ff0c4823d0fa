"""Makers of daily-supervision records (check-ins and officers' records), made directly unless a test needs the
service (ledger entry, receipt)."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone

from smartjustice.core.testing import Place
from smartjustice.correction.models import CheckIn, CheckInChannel, SupervisionRecord, SupervisionRecordKind
from tests.correction import makers


def hub_catalogue() -> None:
    """The shared-data catalogue: check-ins are published to `correction.daily_report`."""
    from smartjustice.hub import services as hub
    from smartjustice.hub.models import Dataset

    if not Dataset.objects.filter(code="correction.daily_report").exists():
        hub.load_catalogue()


def png() -> bytes:
    """A small valid PNG (a photo stand-in)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def check_in(place: Place, **fields) -> CheckIn:
    """A check-in of a new subject in `place` (made directly: no ledger entry, no receipt)."""
    subject = fields.pop("subject", None) or makers.subject(place)
    values = {
        "subject": subject,
        "channel": CheckInChannel.IN_PERSON,
        "checked_at": timezone.now() - datetime.timedelta(hours=2),
        "report": "本周在单位正常上班，无异常情况。",
    }
    values.update(fields)
    return CheckIn.objects.create(**values)


def supervision_record(place: Place, **fields) -> SupervisionRecord:
    from smartjustice.core.testing import make_staff

    subject = fields.pop("subject", None) or makers.subject(place)
    officer = fields.pop("officer", None) or make_staff(
        place.code, "correction_officer", organisation=place.organisation
    )
    values = {
        "subject": subject,
        "kind": SupervisionRecordKind.VISIT,
        "occurred_at": timezone.now() - datetime.timedelta(days=1),
        "place": "居住地",
        "summary": "走访居住地，家属反映其近期表现良好。",
        "officer": officer,
    }
    values.update(fields)
    return SupervisionRecord.objects.create(**values)


def check_in_payload(place: Place) -> dict:
    hub_catalogue()
    subject = makers.subject(place)
    return {"subject_id": subject.pk, "channel": "in_person", "report": "当面报告近期情况"}


def visit_payload(place: Place) -> dict:
    hub_catalogue()
    subject = makers.subject(place)
    return {
        "subject_id": subject.pk,
        "kind": "talk",
        "summary": "个别谈话，了解其就业和家庭情况。",
        "place": "司法所",
    }
