"""An applicant's e-mail and postal address are personal information: masked in lists and to readers who may not
see them, shown in full only through the audited reveal (core.schemas.PiiSchema, core.services)."""

import pytest
from django.test import Client

from smartjustice.core.choices import AuditEvent
from smartjustice.core.models import AuditEntry
from smartjustice.core.testing import ApiClient, assert_audited, items_of
from smartjustice.govinfo import services
from smartjustice.govinfo.choices import DeliveryMethod, GovInfoAuditEvent
from tests.core.factories import TIANHE

from . import factories

pytestmark = pytest.mark.django_db
EMAIL = "li.ming@example.com"
ADDRESS = "广东省广州市天河区天河路100号201房"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []


@pytest.fixture
def request_by_email():
    return services.submit_request(
        actor=factories.citizen(),
        organisation=factories.bureau(TIANHE),
        description="2025年本局行政执法统计年报",
        delivery_method=DeliveryMethod.EMAIL,
        email=EMAIL,
        address=ADDRESS,
    )


def assert_masked(row: dict) -> None:
    assert row["pii_masked"] is True
    assert row["applicant_email"] == "l***@example.com"
    assert (
        row["applicant_address"].startswith("广东省广州市天河区") and "天河路" not in row["applicant_address"]
    )


def test_a_list_row_masks_the_email_and_address_even_for_the_handling_officer(request_by_email):
    officer = factories.officer(TIANHE)
    rows = items_of(ApiClient(officer).get("govinfo/requests"))
    assert [r["id"] for r in rows] == [request_by_email.pk]
    assert_masked(rows[0])
    assert not AuditEntry.objects.filter(event=AuditEvent.PII_VIEWED).exists()


def test_the_handling_officer_sees_them_through_the_audited_reveal(request_by_email):
    officer = factories.officer(TIANHE)
    detail = ApiClient(officer).get(f"govinfo/requests/{request_by_email.pk}").json()
    assert detail["pii_masked"] is False
    assert (detail["applicant_email"], detail["applicant_address"]) == (EMAIL, ADDRESS)
    assert AuditEntry.objects.filter(event=AuditEvent.PII_VIEWED, actor_id=officer.pk).count() == 1
    client = Client()
    client.force_login(officer)
    page = client.get(f"/govinfo/{request_by_email.pk}/").content.decode()
    assert EMAIL in page and ADDRESS in page and 'data-pii="revealed"' in page


def test_the_audit_trail_keeps_them_masked(request_by_email):
    entry = assert_audited(GovInfoAuditEvent.SUBMITTED, obj=request_by_email)
    assert entry.after["applicant_email"] == "l***@example.com"
    assert "天河路100号" not in entry.after["applicant_address"]
