"""One audit path: one entry per business operation, its sub-steps linked to it, and still an entry for any save."""

from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

import smartjustice
from smartjustice.core import audit, context
from smartjustice.core.choices import AuditEvent, audit_event_choices, audit_event_classes, audit_event_label
from smartjustice.core.models import AuditEntry, Organisation
from smartjustice.core.testing import ApiClient, items_of

from .factories import TIANHE, OrganisationFactory, jurisdiction, staff_in

pytestmark = pytest.mark.django_db


def entries_of(obj):
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


# --- the guarantee and the one entry ---------------------------------------------------------------------------------


def test_a_save_outside_any_operation_still_writes_its_own_entry():
    admin = staff_in(TIANHE, "system_admin")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE), address="旧址")
    with context.acting(actor=admin, request_id="req-plain-save-01"):
        org.address = "新址"
        org.save()
    entry = entries_of(org).get(event=AuditEvent.OBJECT_UPDATED)
    assert (entry.before, entry.after, entry.actor_id) == ({"address": "旧址"}, {"address": "新址"}, admin.pk)
    assert entry.parent_id is None


def test_an_operation_leaves_one_entry_with_its_typed_event_and_every_changed_field():
    admin = staff_in(TIANHE, "system_admin")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE), address="旧址", phone="020-1")
    before = entries_of(org).count()
    with audit.operation(AuditEvent.ORGANISATION_UPDATED, obj=org, actor=admin, detail="改地址和电话"):
        org.address = "新址"
        org.save()
        org.phone = "020-2"
        org.save(update_fields=["phone", "updated_at"])
    new = list(entries_of(org).order_by("id"))[before:]
    assert len(new) == 1, "two saves inside one operation are one entry, not three"
    entry = new[0]
    assert entry.event == AuditEvent.ORGANISATION_UPDATED and entry.event_label == "修改组织机构"
    assert entry.changed_fields == ["address", "phone"]
    assert entry.before == {"address": "旧址", "phone": "020-1"}
    assert entry.after == {"address": "新址", "phone": "020-2"}
    assert (entry.actor_id, entry.detail, entry.jurisdiction_code) == (admin.pk, "改地址和电话", TIANHE)


def test_the_actor_is_passed_not_taken_from_whoever_the_context_names():
    admin, other = staff_in(TIANHE, "system_admin"), staff_in(TIANHE, "auditor")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE))
    sibling = OrganisationFactory(jurisdiction=jurisdiction(TIANHE))
    with (
        context.acting(actor=other, request_id="req-actor-000001"),
        audit.operation(AuditEvent.ORGANISATION_UPDATED, obj=org, actor=admin) as op,
    ):
        org.address = "甲"
        org.save()
        sibling.address = "乙"
        sibling.save()  # another audited record: a sub-step
        audit.record(AuditEvent.DATA_EXPORTED, object_type="core.organisation", detail="顺带导出")
    assert op.entry.actor_id == admin.pk and op.entry.request_id == "req-actor-000001"
    steps = list(op.entry.steps.order_by("id"))
    assert [s.event for s in steps] == [AuditEvent.OBJECT_UPDATED, AuditEvent.DATA_EXPORTED]
    assert {s.actor_id for s in steps} == {admin.pk}, "sub-steps carry the operation's actor"
    assert steps[0].object_id == str(sibling.pk) and steps[0].after == {"address": "乙"}
    assert all(s.request_id == "req-actor-000001" for s in steps)


def test_an_operation_about_a_new_record_records_its_creation_once():
    admin = staff_in(TIANHE, "system_admin")
    with audit.operation(AuditEvent.ORGANISATION_CREATED, obj=audit.NEW, actor=admin) as op:
        org = Organisation.objects.create(jurisdiction_id=TIANHE, name="新设的单位", kind="law_firm")
    assert list(entries_of(org).values_list("event", flat=True)) == [AuditEvent.ORGANISATION_CREATED]
    assert op.entry.after["name"] == "新设的单位" and op.entry.before is None


def test_a_nested_operation_is_a_sub_step_of_the_outer_one():
    admin = staff_in(TIANHE, "system_admin")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE))
    with audit.operation(AuditEvent.ORGANISATION_UPDATED, obj=org, actor=admin) as outer:
        with audit.operation(AuditEvent.ORGANISATION_CREATED, obj=audit.NEW, actor=admin):
            child = Organisation.objects.create(
                jurisdiction_id=TIANHE, name="下属单位", kind="law_firm", parent=org
            )
        org.phone = "020-9"
        org.save()
    assert outer.entry.parent_id is None and outer.entry.changed_fields == ["phone"]
    step = entries_of(child).get()
    assert (step.event, step.parent_id) == (AuditEvent.ORGANISATION_CREATED, outer.entry.pk)


def test_an_operation_that_fails_records_nothing():
    admin = staff_in(TIANHE, "system_admin")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE), address="旧址")
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), audit.operation(AuditEvent.ORGANISATION_UPDATED, obj=org, actor=admin):
        org.address = "新址"
        org.save()
        raise RuntimeError("the service failed after saving")
    assert AuditEntry.objects.count() == before
    org.refresh_from_db()
    assert org.address == "旧址"


# --- typed events ----------------------------------------------------------------------------------------------------


def test_every_app_declares_its_typed_events_with_chinese_labels_and_no_number_twice():
    names = {cls.__name__ for cls in audit_event_classes()}
    assert {"AuditEvent", "GovInfoAuditEvent", "HubAuditEvent", "LedgerAuditEvent"} <= names
    assert {"CredentialAuditEvent", "QaAuditEvent", "OAuthAuditEvent"} <= names
    values = [value for value, _ in audit_event_choices()]
    assert len(values) == len(set(values))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for _, label in audit_event_choices())
    assert audit_event_label(1006) == "作出答复"
    assert audit_event_label(1100) == "登记数据使用方"
    assert audit_event_label(99999) == "99999"


# --- append-only, after the migration that added the link ------------------------------------------------------------


def test_the_database_still_refuses_to_rewrite_or_remove_operations_and_their_steps():
    admin = staff_in(TIANHE, "system_admin")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE))
    with audit.operation(AuditEvent.ORGANISATION_UPDATED, obj=org, actor=admin) as op:
        audit.record(AuditEvent.DATA_EXPORTED, object_type="core.organisation", detail="步骤")
    step = op.entry.steps.get()
    for sql, pk in (
        ("UPDATE core_auditentry SET parent_id = NULL WHERE id = %s", step.pk),
        ("UPDATE core_auditentry SET event = 1 WHERE id = %s", op.entry.pk),
        ("DELETE FROM core_auditentry WHERE id = %s", step.pk),
        ("DELETE FROM core_auditentry WHERE id = %s", op.entry.pk),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])
    step = AuditEntry.objects.get(pk=step.pk)
    assert step.parent_id == op.entry.pk and step.detail == "步骤"


# --- the audit page ----------------------------------------------------------------------------------------------------


@pytest.fixture
def auditor_client(client):
    client.force_login(staff_in(TIANHE, "auditor"))
    return client


def test_the_audit_page_names_record_types_in_chinese_and_filters_by_them(auditor_client):
    admin = staff_in(TIANHE, "system_admin")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE), name="天河区某律师事务所")
    with audit.operation(AuditEvent.ORGANISATION_UPDATED, obj=org, actor=admin):
        org.address = "天河路 9 号"
        org.save()
        admin.title = "科长"
        admin.save()
    page = auditor_client.get(reverse("audit-list")).content.decode()
    assert f"组织机构 #{org.pk}" in page
    assert "core.organisation" not in page.replace('value="core.organisation"', "")
    assert "修改组织机构" in page and "1 个步骤" in page and f"用户 #{admin.pk}" in page
    # The type filter is a choice of Chinese names.
    assert '<option value="core.organisation">组织机构</option>' in page
    assert '<option value="core.user">用户</option>' in page
    filtered = auditor_client.get(reverse("audit-list"), {"object_type": "core.user"})
    rows = list(filtered.context["page"].object_list)
    # The operation is listed under the type of its sub-step too (it changed an account).
    assert [r.object_id for r in rows if r.event == AuditEvent.ORGANISATION_UPDATED] == [str(org.pk)]
    events = auditor_client.get(reverse("audit-list"), {"event": AuditEvent.ORGANISATION_UPDATED})
    assert [r.object_id for r in events.context["page"].object_list] == [str(org.pk)]
    assert "作出答复" in page, "the event filter lists every app's typed events"


def test_a_long_unbroken_string_wraps_and_the_table_scrolls_on_a_phone(auditor_client):
    admin = staff_in(TIANHE, "system_admin")
    long = "无" * 5 + "x" * 300
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE), name="短名")
    with audit.operation(AuditEvent.ORGANISATION_UPDATED, obj=org, actor=admin, detail=long):
        org.address = "y" * 250
        org.save()
    page = auditor_client.get(reverse("audit-list")).content.decode()
    assert 'class="card sj-audit"' in page and 'class="table-responsive"' in page
    entry = entries_of(org).get(event=AuditEvent.ORGANISATION_UPDATED)
    detail = auditor_client.get(reverse("audit-detail", args=[entry.pk])).content.decode()
    assert "sj-audit" in detail and "y" * 250 in detail
    css = (Path(smartjustice.__file__).parent / "static" / "css" / "app.css").read_text(encoding="utf-8")
    rule = next(line for line in css.splitlines() if line.startswith(".sj-audit td"))
    assert "overflow-wrap: anywhere" in rule


def test_the_api_lists_operations_with_their_steps_and_takes_chinese_type_names():
    admin = staff_in(TIANHE, "system_admin")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE))
    with audit.operation(AuditEvent.ORGANISATION_UPDATED, obj=org, actor=admin):
        org.address = "天河路 10 号"
        org.save()
        admin.title = "副科长"
        admin.save()
    client = ApiClient(staff_in(TIANHE, "auditor"))
    by_code = items_of(
        client.get("audit", {"object_type": "core.user", "event": AuditEvent.ORGANISATION_UPDATED})
    )
    by_name = items_of(client.get("audit", {"object_type": "用户", "event": AuditEvent.ORGANISATION_UPDATED}))
    assert [row["id"] for row in by_code] == [row["id"] for row in by_name] != []
    row = by_name[0]
    assert (row["event_label"], row["object_type_label"], row["parent_id"]) == (
        "修改组织机构",
        "组织机构",
        None,
    )
    assert [(s["event_label"], s["object_type_label"]) for s in row["steps"]] == [("修改记录", "用户")]
