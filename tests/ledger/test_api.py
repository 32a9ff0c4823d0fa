"""The public transparency pages and read-only API of the ledger."""

import base64

import pytest
from django.test import Client

from smartjustice.core.testing import ApiClient, assert_api_error, has_chinese, items_of
from smartjustice.ledger import keys, services
from smartjustice.ledger.models import LedgerEntry, Log
from smartjustice.ledger.verify import verify_proof_bundle
from tests.core.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_empty_transparency_pages():
    page = Client().get("/ledger/")
    assert page.status_code == 200
    assert "暂无存证日志" in page.content.decode()
    assert "暂无签名公钥" in Client().get("/ledger/keys/").content.decode()
    assert items_of(ApiClient().get("ledger/logs")) == []


def test_transparency_page_shows_logs_checkpoints_and_cosignatures():
    from smartjustice.ledger.witness import WitnessSigner

    services.append_batch("decisions", [b"a", b"b"], kind="t")
    log = Log.objects.get(name="decisions")
    checkpoint = services.sign_checkpoint(log)
    signer = WitnessSigner.generate("witness.example/one")
    signer.trust(
        log.origin,
        hash_algorithm="sm3",
        signature_algorithm="sm2",
        public_key=bytes(checkpoint.key.public_key),
    )
    services.collect_cosignature(
        checkpoint, services.register_witness(signer.name, signer.public_key), signer
    )
    html = Client().get("/ledger/").content.decode()
    assert log.origin in html and "witness.example/one" in html and "共 2 条" in html
    text = Client().get("/ledger/decisions/checkpoint")
    assert text["Content-Type"].startswith("text/plain")
    body = text.content.decode()
    assert body.startswith(f"{log.origin}\n2\n") and "\u2014 witness.example/one " in body


def test_checkpoint_of_unknown_log_is_not_found():
    assert Client().get("/ledger/nope/checkpoint").status_code == 404
    assert_api_error(ApiClient().get("ledger/logs/nope/checkpoint"), 404, "not_found")


def test_keys_page_lists_retired_keys():
    old = keys.active_key(None)
    new = keys.rotate_key(None, actor=None)
    html = Client().get("/ledger/keys/").content.decode()
    assert old.key_id in html and new.key_id in html and "已停用" in html
    rows = items_of(ApiClient().get("ledger/keys"))
    assert {r["key_id"]: r["status"] for r in rows} == {old.key_id: "retired", new.key_id: "active"}
    assert base64.b64decode(rows[0]["public_key"])[0] == 4


def test_api_lists_logs_paginated_and_serves_proofs():
    for i in range(3):
        services.append_entry(f"log-{i}", b"x", kind="t")
    response = ApiClient().get("ledger/logs", {"page_size": 2})
    assert response.status_code == 200
    assert response.json()["count"] == 3 and len(items_of(response)) == 2
    assert items_of(ApiClient().get("ledger/logs", {"q": "log-1"}))[0]["name"] == "log-1"
    entry = LedgerEntry.objects.get(log__name="log-1")
    # Entry contents are not public: anonymous callers are asked to sign in, staff without the permission refused.
    assert_api_error(ApiClient().get(f"ledger/entries/{entry.pk}/proof"), 401, "not_authenticated")
    assert_api_error(
        ApiClient(StaffFactory()).get(f"ledger/entries/{entry.pk}/proof"), 403, "permission_denied"
    )
    operator = ApiClient(StaffFactory(is_superuser=True))
    proof = operator.get(f"ledger/entries/{entry.pk}/proof")
    assert proof.status_code == 200 and proof["Content-Type"].startswith("text/plain")
    assert proof["Content-Disposition"].endswith('.tlog-proof"')
    assert verify_proof_bundle(proof.content.decode(), payload=b"x").ok
    missing = assert_api_error(operator.get("ledger/entries/999999/proof"), 404, "not_found")
    assert has_chinese(missing["message"])
