"""The audit trail: every write leaves an entry with actor, request id and before/after; nobody can rewrite it."""

import json
import random
from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction

from smartjustice.core import audit, context, identity, services
from smartjustice.core.choices import AuditEvent
from smartjustice.core.models import AuditEntry, Organisation
from smartjustice.core.models.audit import AuditTrailIsAppendOnly
from smartjustice.core.testing import (
    ApiClient,
    assert_api_error,
    assert_audited,
    assert_jurisdiction_isolation,
    items_of,
)

from .factories import GUANGZHOU, TIANHE, YUEXIU, OrganisationFactory, jurisdiction, staff_in

pytestmark = pytest.mark.django_db


# --- every write is recorded ------------------------------------------------------------------------------------------


def test_an_api_write_is_recorded_with_actor_and_the_request_id_returned_to_the_client():
    admin = staff_in(TIANHE, "system_admin")
    response = ApiClient(admin).post(
        "organisations", {"name": "天河区公证处", "kind": "notary_office", "jurisdiction": TIANHE}
    )
    assert response.status_code == 201
    request_id = response["X-Request-ID"]
    assert len(request_id) >= 8
    entry = assert_audited(
        AuditEvent.ORGANISATION_CREATED, object_type="core.organisation", request_id=request_id, count=1
    )
    assert entry.event_label == "新增组织机构" and entry.parent_id is None
    assert (entry.actor_id, entry.actor_username) == (admin.pk, admin.username)
    assert entry.actor_name == admin.display_name
    assert entry.channel == "api"
    assert entry.ip == "127.0.0.1"
    assert entry.object_repr == "天河区公证处"
    assert entry.before is None
    assert entry.after["kind"] == "notary_office"
    assert entry.after["jurisdiction_id"] == TIANHE


def test_a_request_id_sent_by_the_client_is_kept_end_to_end():
    admin = staff_in(TIANHE, "system_admin")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE))
    response = ApiClient(admin).patch(
        f"organisations/{org.pk}", {"address": "珠江新城"}, headers={"X-Request-ID": "gateway-0001-abcd"}
    )
    assert response["X-Request-ID"] == "gateway-0001-abcd"
    assert_audited(
        AuditEvent.ORGANISATION_UPDATED, obj=org, actor=admin, request_id="gateway-0001-abcd", count=1
    )
    # Anything that does not look like an id is replaced, never stored.
    response = ApiClient(admin).get("me", headers={"X-Request-ID": "<script>"})
    assert response["X-Request-ID"] != "<script>"


def test_every_response_carries_a_fresh_request_id():
    client = ApiClient(None)
    first, second = client.get("me"), client.get("me")
    assert first["X-Request-ID"] and first["X-Request-ID"] != second["X-Request-ID"]


def test_update_records_only_the_changed_fields_before_and_after():
    admin = staff_in(TIANHE, "system_admin")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE), address="旧址")
    with context.acting(actor=admin, request_id="req-update-0001"):
        org.address = "新址"
        org.save()
        org.save()  # nothing changed: no second entry
    entry = assert_audited(
        AuditEvent.OBJECT_UPDATED, obj=org, actor=admin, count=1, request_id="req-update-0001"
    )
    assert entry.changed_fields == ["address"]
    assert (entry.before, entry.after) == ({"address": "旧址"}, {"address": "新址"})


def test_delete_records_the_last_state():
    admin = staff_in(TIANHE, "system_admin")
    org = OrganisationFactory(jurisdiction=jurisdiction(TIANHE), name="将撤销的单位")
    pk = org.pk
    with context.acting(actor=admin, request_id="req-delete-0001"):
        org.delete()
    entry = assert_audited(AuditEvent.OBJECT_DELETED, object_type="core.organisation", object_id=str(pk))
    assert entry.actor_id == admin.pk
    assert entry.before["name"] == "将撤销的单位"
    assert entry.after is None
    assert entry.jurisdiction_code == TIANHE


def test_bulk_writes_are_recorded_row_by_row():
    admin = staff_in(TIANHE, "system_admin")
    with context.acting(actor=admin, request_id="req-bulk-0001"):
        created = Organisation.objects.bulk_create(
            [Organisation(jurisdiction_id=TIANHE, name=f"批量单位{i}", kind="law_firm") for i in range(3)]
        )
        assert len(created) == 3
        updated = Organisation.objects.filter(name__startswith="批量单位").update(is_active=False)
        deleted, _ = Organisation.objects.filter(name__startswith="批量单位").delete()
    assert (updated, deleted) == (3, 3)
    for event in (AuditEvent.OBJECT_CREATED, AuditEvent.OBJECT_UPDATED, AuditEvent.OBJECT_DELETED):
        assert (
            AuditEntry.objects.filter(event=event, request_id="req-bulk-0001", actor_id=admin.pk).count() == 3
        )


def test_a_write_that_is_rolled_back_leaves_no_entry():
    admin = staff_in(TIANHE, "system_admin")
    with (
        pytest.raises(RuntimeError),
        context.acting(actor=admin, request_id="req-rollback-01"),
        transaction.atomic(),
    ):
        OrganisationFactory(jurisdiction=jurisdiction(TIANHE))
        raise RuntimeError("the service failed after saving")
    assert not AuditEntry.objects.filter(request_id="req-rollback-01").exists()


def test_personal_information_is_masked_inside_the_trail():
    id_number = identity.generate_citizen_id(
        random.Random(7), region_code="440106", birth_date=date(1990, 1, 2), sex="女"
    )
    citizen = services.register_portal_account(
        username="wang.wu",
        password="Qiang-Mima-2025",
        kind="citizen",
        real_name="王五",
        id_number=id_number,
        phone="13700137000",
        jurisdiction=jurisdiction(TIANHE),
    )
    entry = assert_audited(AuditEvent.USER_REGISTERED, obj=citizen, count=1)
    assert not AuditEntry.objects.filter(object_type="core.user", object_id=str(citizen.pk)).exclude(
        pk=entry.pk
    )
    assert entry.actor_id == citizen.pk, "a citizen who signs up is their own actor"
    assert entry.after["id_number"] and entry.after["id_number"] != id_number
    assert entry.after["phone"] and entry.after["phone"] != "13700137000"
    assert entry.after["password"] == "[已隐藏]"
    everything = json.dumps(list(AuditEntry.objects.values()), ensure_ascii=False, default=str)
    assert id_number not in everything
    assert "13700137000" not in everything
    assert citizen.password not in everything


# --- the trail is append-only -----------------------------------------------------------------------------------------


@pytest.fixture
def entry():
    return audit.record(
        AuditEvent.DATA_IMPORTED, object_type="core.jurisdiction", detail="原始记录", jurisdiction_code=TIANHE
    )


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(entry):
    entry.detail = "篡改"
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="篡改")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).detail == "原始记录"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditentry SET detail = 'tampered' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_sql_that_rewrites_the_trail(entry, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).detail == "原始记录"


def test_the_database_still_accepts_new_entries(entry):
    audit.record(AuditEvent.DATA_IMPORTED, object_type="core.jurisdiction", detail="又一条")
    assert AuditEntry.objects.filter(detail__in=["原始记录", "又一条"]).count() == 2


# --- auditors browse their own jurisdiction ---------------------------------------------------------------------------


def trail_entry(code: str) -> AuditEntry:
    return audit.record(
        AuditEvent.DATA_EXPORTED,
        object_type="core.organisation",
        jurisdiction_code=code,
        detail=f"导出 {code}",
    )


def test_auditors_browse_only_their_jurisdictions_trail():
    assert_jurisdiction_isolation(
        make_record=trail_entry, list_url="audit", detail_url=lambda e: f"audit/{e.pk}", roles=["auditor"]
    )


def test_administrators_without_the_auditor_role_cannot_browse_the_trail():
    trail_entry(TIANHE)
    admin = staff_in(TIANHE, "system_admin")
    response = ApiClient(admin).get("audit")
    if response.status_code == 403:
        assert_api_error(response, 403, "permission_denied")
    else:
        assert items_of(response) == []


def test_auditors_find_everything_one_request_did():
    admin = staff_in(GUANGZHOU, "system_admin")
    auditor = staff_in(GUANGZHOU, "auditor")
    response = ApiClient(admin).post(
        "users",
        {
            "username": "li.si",
            "real_name": "李四",
            "organisation_id": admin.organisation_id,
            "password": "Qiang-Mima-2025",
            "roles": ["mediator"],
        },
    )
    assert response.status_code == 201, response.content
    rows = items_of(ApiClient(auditor).get("audit", {"request_id": response["X-Request-ID"]}))
    # One operation (the new account), its role grant a sub-step of it.
    assert [row["event_label"] for row in rows] == ["新增账号"]
    assert [step["event_label"] for step in rows[0]["steps"]] == ["变更角色"]
    assert rows[0]["object_type_label"] == "用户" and rows[0]["steps"][0]["object_type_label"] == "用户"
    flat = items_of(
        ApiClient(auditor).get("audit", {"request_id": response["X-Request-ID"], "include_steps": True})
    )
    assert {row["event_label"] for row in flat} == {"新增账号", "变更角色"}
    assert {row["actor_username"] for row in flat} == {admin.username}
    assert all(row["jurisdiction_code"] == GUANGZHOU for row in flat)
    # Filters narrow within what the auditor may see, never beyond it.
    trail_entry(YUEXIU)
    trail_entry("440304000000")
    codes = {
        row["jurisdiction_code"]
        for row in items_of(ApiClient(auditor).get("audit", {"jurisdiction": YUEXIU}))
    }
    assert codes == {YUEXIU}
    outside = items_of(ApiClient(staff_in(YUEXIU, "auditor")).get("audit", {"jurisdiction": GUANGZHOU}))
    assert {row["jurisdiction_code"] for row in outside} <= {YUEXIU}


def test_auditors_see_the_token_events_of_staff_in_their_jurisdiction():
    officer = staff_in(TIANHE, "enforcement_officer")
    client = ApiClient(officer)
    token_id = client.post("tokens", {"name": "执法终端"}).json()["id"]
    assert client.delete(f"tokens/{token_id}").status_code == 200
    here, elsewhere = staff_in(TIANHE, "auditor"), staff_in(YUEXIU, "auditor")
    events = {
        row["event"] for row in items_of(ApiClient(here).get("audit", {"object_type": "core.apitoken"}))
    }
    assert {AuditEvent.TOKEN_CREATED, AuditEvent.TOKEN_REVOKED} <= events
    assert items_of(ApiClient(elsewhere).get("audit", {"object_type": "core.apitoken"})) == []
