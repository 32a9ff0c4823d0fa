"""Who may operate the ledger: 存证账本管理员 (ledger_admin) within their jurisdiction, not only superusers.

Every operator action is checked four ways (core.testing): anonymous (401), staff without the role (403), a ledger
administrator outside the operator's jurisdiction (404, exactly like a missing record), one inside it (allowed and
audited). The platform's own logs and keys (no organisation) belong to the province that runs the platform.
"""

import base64

import pytest

from smartjustice import crypto
from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import (
    CITY,
    COUNTY_A,
    COUNTY_B,
    PROVINCE,
    ApiClient,
    assert_api_error,
    assert_audited,
    make_staff,
)
from smartjustice.ledger import keys, services
from smartjustice.ledger.choices import LedgerAuditEvent
from smartjustice.ledger.models import Checkpoint, LedgerEntry, SigningKey, Witness

pytestmark = pytest.mark.django_db
ROLE = "ledger_admin"


@pytest.fixture
def admins():
    """ledger_admin in 天河区 (county A), 越秀区 (county B), 广州市 and the province, and a staff member without it."""
    return {
        "county_a": make_staff(COUNTY_A, ROLE),
        "county_b": make_staff(COUNTY_B, ROLE),
        "city": make_staff(CITY, ROLE),
        "province": make_staff(PROVINCE, ROLE),
        "no_role": make_staff(COUNTY_A),
    }


def county_log(admins, name="tianhe-receipts"):
    """A log operated by 天河区司法局 (the county A administrator's organisation), with three entries."""
    log = services.create_log(name, organisation=admins["county_a"].organisation)
    services.append_batch(name, [b"a", b"b", b"c"], kind="t")
    return log


def platform_log(name="platform-receipts"):
    services.append_batch(name, [b"x", b"y"], kind="t")  # created with the defaults: the platform's log
    return services.get_log(name)


def test_the_role_file_gives_ledger_admins_every_ledger_permission(admins):
    from smartjustice.core import access

    for perm in ("ledger.add_checkpoint", "ledger.add_witness", "ledger.change_witness",
                 "ledger.change_signingkey", "ledger.view_ledgerentry"):  # fmt: skip
        assert access.has_permission(admins["county_a"], perm)
        assert not access.has_permission(admins["no_role"], perm)


def test_signing_a_checkpoint_is_for_ledger_admins_of_the_operators_jurisdiction(admins):
    log = county_log(admins)
    url = f"ledger/logs/{log.name}/checkpoints"
    assert_api_error(ApiClient().post(url), 401, "not_authenticated")
    assert_api_error(ApiClient(admins["no_role"]).post(url), 403, "permission_denied")
    outside = assert_api_error(ApiClient(admins["county_b"]).post(url), 404, "not_found")
    assert outside == assert_api_error(
        ApiClient(admins["county_b"]).post("ledger/logs/no-such-log/checkpoints"), 404, "not_found"
    )  # a log outside the jurisdiction answers exactly like one that does not exist
    assert not Checkpoint.objects.exists()
    response = ApiClient(admins["county_a"], bearer=True).post(url)
    assert response.status_code == 201 and response.json()["tree_size"] == 3
    checkpoint = Checkpoint.objects.get(log=log)
    entry = assert_audited(LedgerAuditEvent.CHECKPOINT_SIGNED, obj=checkpoint, actor=admins["county_a"])
    assert entry.jurisdiction_code == COUNTY_A and entry.after["tree_size"] == 3
    # The city above the county may sign too; the same size again answers the same checkpoint.
    assert ApiClient(admins["city"]).post(url).json()["tree_size"] == 3
    assert Checkpoint.objects.filter(log=log).count() == 1


def test_the_platforms_own_logs_are_signed_by_province_level_admins_only(admins):
    log = platform_log()
    url = f"ledger/logs/{log.name}/checkpoints"
    assert_api_error(ApiClient(admins["city"]).post(url), 404, "not_found")
    response = ApiClient(admins["province"]).post(url)
    assert response.status_code == 201
    entry = assert_audited(
        LedgerAuditEvent.CHECKPOINT_SIGNED, obj=Checkpoint.objects.get(log=log), actor=admins["province"]
    )
    assert entry.jurisdiction_code == PROVINCE


def test_entry_proofs_with_content_follow_the_operators_jurisdiction(admins):
    log = county_log(admins)
    entry = LedgerEntry.objects.get(log=log, index=1)
    for url in (f"ledger/logs/{log.name}/entries/1/bundle", f"ledger/entries/{entry.pk}/proof"):
        assert_api_error(ApiClient().get(url), 401, "not_authenticated")
        assert_api_error(ApiClient(admins["no_role"]).get(url), 403, "permission_denied")
        assert_api_error(ApiClient(admins["county_b"]).get(url), 404, "not_found")
        for who in ("county_a", "city", "province"):
            response = ApiClient(admins[who]).get(url)
            assert response.status_code == 200 and response["Content-Type"].startswith("text/plain"), who
    platform_entry = LedgerEntry.objects.get(log=platform_log(), index=0)
    assert_api_error(
        ApiClient(admins["city"]).get(f"ledger/entries/{platform_entry.pk}/proof"), 404, "not_found"
    )
    assert ApiClient(admins["province"]).get(f"ledger/entries/{platform_entry.pk}/proof").status_code == 200


def test_rotating_a_key_needs_the_organisation_inside_the_jurisdiction(admins):
    organisation = admins["county_a"].organisation
    old = keys.active_key(organisation)
    payload = {"organisation_id": organisation.pk}
    assert_api_error(ApiClient().post("ledger/key-rotations", payload), 401, "not_authenticated")
    assert_api_error(
        ApiClient(admins["no_role"]).post("ledger/key-rotations", payload), 403, "permission_denied"
    )
    assert_api_error(ApiClient(admins["county_b"]).post("ledger/key-rotations", payload), 404, "not_found")
    assert_api_error(
        ApiClient(admins["county_b"]).post("ledger/key-rotations", {"organisation_id": 2_000_000_000}),
        404,
        "not_found",
    )
    response = ApiClient(admins["county_a"]).post("ledger/key-rotations", payload)
    assert response.status_code == 201
    new = SigningKey.objects.get(key_id=response.json()["key_id"])
    old.refresh_from_db()
    assert old.status == "retired" and new.status == "active" and new.organisation == organisation
    rotated = assert_audited(LedgerAuditEvent.KEY_ROTATED, obj=new, actor=admins["county_a"], count=1)
    retired = assert_audited(AuditEvent.OBJECT_UPDATED, obj=old, actor=admins["county_a"])
    assert retired.parent_id == rotated.pk, "the retired key is a step of the rotation"


def test_the_platform_key_is_rotated_by_province_level_admins(admins):
    platform = keys.active_key(None)
    assert_api_error(ApiClient(admins["city"]).post("ledger/key-rotations", {}), 404, "not_found")
    response = ApiClient(admins["province"]).post("ledger/key-rotations", {})
    assert response.status_code == 201 and response.json()["organisation"] is None
    platform.refresh_from_db()
    assert platform.status == "retired"


def test_registering_and_changing_witnesses_follow_the_registering_organisation(admins):
    public = base64.b64encode(crypto.generate_keypair("ed25519")[1]).decode()
    county_b_org = admins["county_b"].organisation.pk
    payload = {
        "name": "witness.tianhe.example",
        "public_key": public,
        "url": "https://witness.tianhe.example/tlog",
        "organisation_id": admins["county_a"].organisation.pk,
    }
    assert_api_error(ApiClient().post("ledger/witnesses", payload), 401, "not_authenticated")
    assert_api_error(ApiClient(admins["no_role"]).post("ledger/witnesses", payload), 403, "permission_denied")
    assert_api_error(
        ApiClient(admins["county_a"]).post("ledger/witnesses", {**payload, "organisation_id": county_b_org}),
        404,
        "not_found",
    )
    platform_witness = {**payload, "name": "witness.platform.example", "organisation_id": None}
    assert_api_error(ApiClient(admins["city"]).post("ledger/witnesses", platform_witness), 404, "not_found")
    response = ApiClient(admins["county_a"]).post("ledger/witnesses", payload)
    assert response.status_code == 201 and response.json()["url"] == payload["url"]
    witness = Witness.objects.get(name=payload["name"])
    assert_audited(LedgerAuditEvent.WITNESS_ADDED, obj=witness, actor=admins["county_a"], count=1)
    assert ApiClient(admins["province"]).post("ledger/witnesses", platform_witness).status_code == 201
    bad = ApiClient(admins["county_a"]).post("ledger/witnesses", {**payload, "name": "w2", "url": "ftp://x"})
    assert_api_error(bad, 422, "validation_failed", fields=["url"])

    url = f"ledger/witnesses/{witness.name}"
    change = {"url": "https://witness.tianhe.example/v2/"}
    assert_api_error(ApiClient().patch(url, change), 401, "not_authenticated")
    assert_api_error(ApiClient(admins["no_role"]).patch(url, change), 403, "permission_denied")
    assert_api_error(ApiClient(admins["county_b"]).patch(url, change), 404, "not_found")
    response = ApiClient(admins["city"]).patch(url, change)
    assert response.status_code == 200 and response.json()["url"] == change["url"]
    assert ApiClient(admins["county_a"]).patch(url, {"is_active": False}).json()["is_active"] is False
    witness.refresh_from_db()
    assert (witness.url, witness.is_active) == (change["url"], False)
    entry = assert_audited(LedgerAuditEvent.WITNESS_CHANGED, obj=witness, actor=admins["city"])
    assert entry.changed_fields == ["url"]
