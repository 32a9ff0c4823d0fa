"""Proof by leaf hash (RFC 9162 get-proof-by-hash): whoever holds a document finds its entry without its index."""

import base64

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from smartjustice.core.testing import ApiClient, assert_api_error
from smartjustice.crypto import hasher
from smartjustice.ledger import merkle, notes, services
from smartjustice.ledger.models import Log

pytestmark = pytest.mark.django_db


def signed_log(name="decisions", count=30):
    services.append_batch(name, [f"决定书 {i}".encode() for i in range(count)], kind="decision")
    log = Log.objects.get(name=name)
    return log, services.sign_checkpoint(log)


def leaf_of(text: str, algorithm="sm3") -> bytes:
    return merkle.leaf_hash(hasher(algorithm), text.encode())


def test_a_leaf_hash_in_hex_or_base64_gives_the_index_and_a_proof_against_the_signed_checkpoint():
    log, checkpoint = signed_log()
    leaf = leaf_of("决定书 17")
    for given in (leaf.hex(), base64.b64encode(leaf).decode(), leaf.hex().upper()):
        response = ApiClient().get(f"ledger/logs/{log.name}/proof-by-hash", {"leaf_hash": given})
        assert response.status_code == 200, response.content
        data = response.json()
        assert (data["index"], data["tree_size"]) == (17, 30)
        assert base64.b64decode(data["leaf_hash"]) == leaf
        parsed = notes.verify_checkpoint(
            data["checkpoint"], name=log.origin, algorithm="sm2", public_key=bytes(checkpoint.key.public_key)
        )
        proof = [base64.b64decode(h) for h in data["proof"]]
        assert merkle.verify_inclusion(hasher("sm3"), leaf, 17, 30, proof, parsed.root)
    assert "决定书" not in response.content.decode()  # hashes only, never content


def test_an_older_checkpoint_proves_only_what_it_covers():
    log, first = signed_log(count=10)
    services.append_batch(log.name, ["决定书 10".encode(), "决定书 3".encode()], kind="decision")
    services.sign_checkpoint(log)
    url = f"ledger/logs/{log.name}/proof-by-hash"
    old = ApiClient().get(url, {"leaf_hash": leaf_of("决定书 4").hex(), "tree_size": 10}).json()
    assert (old["index"], old["tree_size"]) == (4, 10)
    assert merkle.verify_inclusion(
        hasher("sm3"),
        leaf_of("决定书 4"),
        4,
        10,
        [base64.b64decode(h) for h in old["proof"]],
        bytes(first.root_hash),
    )
    later = ApiClient().get(url, {"leaf_hash": leaf_of("决定书 10").hex(), "tree_size": 10})
    assert_api_error(later, 404, "not_found")
    # A document logged twice: the first occurrence is proven.
    assert ApiClient().get(url, {"leaf_hash": leaf_of("决定书 3").hex()}).json()["index"] == 3


def test_unknown_hashes_logs_and_bad_input_answer_in_chinese():
    log, _ = signed_log()
    url = f"ledger/logs/{log.name}/proof-by-hash"
    assert_api_error(ApiClient().get(url, {"leaf_hash": leaf_of("别的文件").hex()}), 404, "not_found")
    for bad in ("zz" * 32, "abc", base64.b64encode(b"short").decode()):
        assert_api_error(
            ApiClient().get(url, {"leaf_hash": bad}), 422, "validation_failed", fields=["leaf_hash"]
        )
    assert_api_error(
        ApiClient().get(url, {"leaf_hash": leaf_of("决定书 1").hex(), "tree_size": 7}), 404, "not_found"
    )
    assert_api_error(
        ApiClient().get("ledger/logs/nope/proof-by-hash", {"leaf_hash": "00" * 32}), 404, "not_found"
    )
    services.append_entry("unsigned", b"x", kind="t")
    assert_api_error(
        ApiClient().get("ledger/logs/unsigned/proof-by-hash", {"leaf_hash": leaf_of("x").hex()}),
        404,
        "not_found",
    )


def test_the_same_document_in_another_log_is_not_confused():
    signed_log("log-one", 5)
    log_two, _ = signed_log("log-two", 8)
    services.append_batch("log-two", [b"only in two"], kind="decision")
    services.sign_checkpoint(log_two)
    data = (
        ApiClient().get("ledger/logs/log-two/proof-by-hash", {"leaf_hash": leaf_of("决定书 2").hex()}).json()
    )
    assert data["index"] == 2 and data["log"] == "log-two"
    assert_api_error(
        ApiClient().get("ledger/logs/log-one/proof-by-hash", {"leaf_hash": leaf_of("only in two").hex()}),
        404,
        "not_found",
    )


def test_the_lookup_uses_the_leaf_hash_index():
    log, _ = signed_log(count=50)
    leaf = leaf_of("决定书 33")
    with CaptureQueriesContext(connection) as captured:
        response = ApiClient().get(f"ledger/logs/{log.name}/proof-by-hash", {"leaf_hash": leaf.hex()})
    assert response.status_code == 200 and response.json()["index"] == 33
    assert len(captured) <= 6  # log, checkpoint + cosignatures, the lookup, the proof nodes (two)
    # The SQL the API ran to find the entry, explained as run:
    (lookup,) = [q["sql"] for q in captured if "leaf_hash" in q["sql"] and "ledger_ledgerentry" in q["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SET LOCAL enable_seqscan = off"
            )  # a 50-row table: make the planner show the index
            cursor.execute("EXPLAIN " + lookup)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + lookup)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "ledger_entry_leaf_hash" in plan, plan


def test_the_public_verify_page_finds_an_entry_by_leaf_hash():
    log, _ = signed_log()
    client = Client()
    html = client.get(
        "/ledger/verify/", {"log": log.name, "leaf_hash": leaf_of("决定书 5").hex()}
    ).content.decode()
    assert "已存证" in html and "第 5 条 / 共 30 条" in html
    missing = client.get("/ledger/verify/", {"log": log.name, "leaf_hash": leaf_of("没有的").hex()})
    assert missing.status_code == 422 and "没有这个叶子哈希" in missing.content.decode()
    bad = client.get("/ledger/verify/", {"log": log.name, "leaf_hash": "xyz"})
    assert bad.status_code == 422 and "64 位十六进制或 base64" in bad.content.decode()
