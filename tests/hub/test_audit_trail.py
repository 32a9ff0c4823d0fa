"""The hub in the audit trail: each change to a consumer or subscription is one typed entry, never two rows."""

import pytest

from smartjustice.core.models import AuditEntry
from smartjustice.hub import services
from smartjustice.hub.choices import HubAuditEvent

from .conftest import register

pytestmark = pytest.mark.django_db


def entries_about(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")


def test_updating_a_consumer_leaves_exactly_one_entry(catalogue, hub_admin):
    consumer, _ = register("bigdata", actor=hub_admin)
    assert [e.event for e in entries_about(consumer)] == [HubAuditEvent.CONSUMER_REGISTERED]
    before = AuditEntry.objects.count()
    services.update_consumer(consumer, actor=hub_admin, name="广东省政务大数据中心", contact="020-12345678")
    new = list(AuditEntry.objects.order_by("id"))[before:]
    assert len(new) == 1, [(e.event, e.object_type) for e in new]
    entry = new[0]
    assert (entry.event, entry.event_label) == (HubAuditEvent.CONSUMER_UPDATED, "修改数据使用方")
    assert (entry.actor_id, entry.object_id) == (hub_admin.pk, str(consumer.pk))
    assert set(entry.changed_fields) == {"name", "contact"}
    assert entry.after["name"] == "广东省政务大数据中心"


def test_rotating_a_secret_is_one_entry_that_names_the_field_but_not_the_secret(catalogue, hub_admin):
    consumer, _ = register("bigdata", actor=hub_admin)
    before = AuditEntry.objects.count()
    _, secret = services.rotate_push_secret(consumer, actor=hub_admin)
    new = list(AuditEntry.objects.order_by("id"))[before:]
    assert [(e.event, e.changed_fields) for e in new] == [
        (HubAuditEvent.PUSH_SECRET_ROTATED, ["push_secret_sealed"])
    ]
    assert new[0].after == {"push_secret_sealed": "[已隐藏]"} and secret not in str(new[0].after)


def test_switching_a_consumer_off_and_on_are_two_typed_entries(catalogue, hub_admin):
    consumer, _ = register("bigdata", actor=hub_admin)
    services.deactivate_consumer(consumer, actor=hub_admin)
    services.reactivate_consumer(consumer, actor=hub_admin)
    assert [e.event for e in entries_about(consumer)][1:] == [
        HubAuditEvent.CONSUMER_DEACTIVATED,
        HubAuditEvent.CONSUMER_REACTIVATED,
    ]
