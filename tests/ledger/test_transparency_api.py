"""The ledger API as monitors, witnesses, citizens and operators use it: proofs, cosigning, keys, witnesses."""

import base64

import pytest
from django.test import Client

from smartjustice import crypto
from smartjustice.core.testing import ApiClient, assert_api_error, assert_audited, has_chinese, items_of
from smartjustice.ledger import merkle, notes, services
from smartjustice.ledger.choices import LedgerAuditEvent
from smartjustice.ledger.models import Checkpoint, LedgerEntry, Log, Witness
from smartjustice.ledger.witness import WitnessSigner
from tests.core.factories import OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db


def b64decode(value):
    return base64.b64decode(value)


def _grown_log(name="receipts"):
    services.append_batch(name, [f"回执 {i}".encode() for i in range(13)], kind="receipt")
    log = Log.objects.get(name=name)
    first = services.sign_checkpoint(log)
    services.append_batch(name, [f"回执 {i}".encode() for i in range(13, 40)], kind="receipt")
    second = services.sign_checkpoint(log)
    return log, first, second


def test_consistency_proof_from_the_api_links_two_signed_checkpoints():
    log, first, second = _grown_log()
    response = ApiClient().get(f"ledger/logs/{log.name}/consistency", {"old_size": 13})
    assert response.status_code == 200
    data = response.json()
    assert (data["old_size"], data["new_size"]) == (13, 40)
    proof = [b64decode(h) for h in data["proof"]]
    sm3 = crypto.hasher("sm3")
    assert merkle.verify_consistency(sm3, 13, 40, bytes(first.root_hash), bytes(second.root_hash), proof)
    bad = assert_api_error(
        ApiClient().get(f"ledger/logs/{log.name}/consistency", {"old_size": 41}), 422, "validation_failed"
    )
    assert has_chinese(bad["fields"]["old_size"][0])


def test_anyone_holding_a_document_checks_its_inclusion_without_seeing_content():
    log, first, second = _grown_log()
    sm3 = crypto.hasher("sm3")
    leaf = merkle.leaf_hash(sm3, "回执 21".encode())
    response = ApiClient().get(f"ledger/logs/{log.name}/inclusion", {"index": 21})
    assert response.status_code == 200
    data = response.json()
    assert (data["index"], data["tree_size"], b64decode(data["leaf_hash"])) == (21, 40, leaf)
    assert "回执" not in response.content.decode()
    checkpoint = notes.verify_checkpoint(
        data["checkpoint"], name=log.origin, algorithm="sm2", public_key=bytes(second.key.public_key)
    )
    proof = [b64decode(h) for h in data["proof"]]
    assert merkle.verify_inclusion(sm3, leaf, 21, 40, proof, checkpoint.root)
    # Against the older checkpoint: a proof in the 13-leaf tree, or a field error for a later entry.
    old = ApiClient().get(f"ledger/logs/{log.name}/inclusion", {"index": 5, "tree_size": 13}).json()
    assert merkle.verify_inclusion(
        sm3, b64decode(old["leaf_hash"]), 5, 13, [b64decode(h) for h in old["proof"]], bytes(first.root_hash)
    )
    later = ApiClient().get(f"ledger/logs/{log.name}/inclusion", {"index": 30, "tree_size": 13})
    assert_api_error(later, 422, "validation_failed", fields=["index"])
    assert_api_error(
        ApiClient().get(f"ledger/logs/{log.name}/inclusion", {"index": 1, "tree_size": 14}), 404, "not_found"
    )


def test_checkpoints_are_listed_newest_first_with_pagination():
    log, first, second = _grown_log()
    response = ApiClient().get(f"ledger/logs/{log.name}/checkpoints", {"page_size": 1})
    assert response.json()["count"] == 2
    (row,) = items_of(response)
    assert row["tree_size"] == 40 and row["text"] == second.text and row["key_id"] == second.key.key_id
    rows = items_of(ApiClient().get(f"ledger/logs/{log.name}/checkpoints", {"max_size": 20}))
    assert [r["tree_size"] for r in rows] == [13]


def test_a_witness_cosigns_over_the_api_after_checking_consistency():
    log, first, second = _grown_log()
    signer = WitnessSigner.generate("witness.gdjcy.example")
    signer.trust(
        log.origin, hash_algorithm="sm3", signature_algorithm="sm2", public_key=bytes(first.key.public_key)
    )
    services.register_witness(signer.name, signer.public_key)
    for checkpoint in (first, second):
        old_size = signer.size_of(log.origin)
        request = ApiClient().get(
            f"ledger/logs/{log.name}/checkpoints/{checkpoint.tree_size}/cosign-request",
            {"old_size": old_size},
        )
        data = request.json()
        line = signer.add_checkpoint(
            data["checkpoint"], old_size=data["old_size"], proof=[b64decode(h) for h in data["proof"]]
        )
        response = ApiClient().post(
            f"ledger/logs/{log.name}/checkpoints/{checkpoint.tree_size}/cosignatures",
            {"witness": signer.name, "note": line},
        )
        assert response.status_code == 201, response.content
        assert response.json()["witness"] == signer.name
    published = Client().get(f"/ledger/{log.name}/checkpoint").content.decode()
    parsed = notes.parse_checkpoint(published)
    assert parsed.size == 40
    assert notes.verify_cosignature(parsed, name=signer.name, public_key=signer.public_key)
    # A line signed by someone else under the witness's name is refused.
    impostor = WitnessSigner.generate(signer.name)
    impostor.trust(
        log.origin, hash_algorithm="sm3", signature_algorithm="sm2", public_key=bytes(first.key.public_key)
    )
    forged = impostor.add_checkpoint(second.text, old_size=0, proof=[])
    refused = ApiClient().post(
        f"ledger/logs/{log.name}/checkpoints/40/cosignatures", {"witness": signer.name, "note": forged}
    )
    assert_api_error(refused, 422, "validation_failed")


def test_registering_witnesses_needs_the_permission_and_is_audited():
    public = base64.b64encode(crypto.generate_keypair("ed25519")[1]).decode()
    payload = {"name": "witness.shenzhen.example", "public_key": public}
    assert_api_error(ApiClient().post("ledger/witnesses", payload), 401, "not_authenticated")
    assert_api_error(ApiClient(StaffFactory()).post("ledger/witnesses", payload), 403, "permission_denied")
    admin = StaffFactory(is_superuser=True)
    response = ApiClient(admin).post("ledger/witnesses", payload)
    assert response.status_code == 201
    assert response.json()["verifier_key"].startswith("witness.shenzhen.example+")
    name, kind, key = notes.parse_verifier_key(response.json()["verifier_key"])
    assert (name, kind, base64.b64encode(key).decode()) == (payload["name"], notes.TYPE_COSIGNATURE, public)
    assert_audited(LedgerAuditEvent.WITNESS_ADDED, obj=Witness.objects.get(name=payload["name"]), actor=admin)
    assert_api_error(ApiClient(admin).post("ledger/witnesses", payload), 409, "conflict")
    bad = ApiClient(admin).post("ledger/witnesses", {"name": "has space", "public_key": "AAAA"})
    assert_api_error(bad, 422, "validation_failed", fields=["name"])
    assert [w["name"] for w in items_of(ApiClient().get("ledger/witnesses"))] == [payload["name"]]


def test_key_rotation_keeps_old_checkpoints_verifiable():
    organisation = OrganisationFactory()
    log = services.create_log("notary-receipts", organisation=organisation)
    services.append_entry(log.name, b"one", kind="t")
    old = services.sign_checkpoint(log)
    assert_api_error(
        ApiClient(StaffFactory()).post("ledger/key-rotations", {"organisation_id": organisation.pk}),
        403,
        "permission_denied",
    )
    admin = StaffFactory(is_superuser=True)
    # The log signs with a key of its own (ADR 0010): that key is the one rotated, not the organisation's.
    response = ApiClient(admin).post("ledger/key-rotations", {"log": log.name})
    assert response.status_code == 201
    new_key_id = response.json()["key_id"]
    assert response.json()["log"] == log.name and response.json()["verifier_key"].startswith(log.origin + "+")
    services.append_entry(log.name, b"two", kind="t")
    new = services.sign_checkpoint(log)
    assert new.key.key_id == new_key_id != old.key.key_id
    retired = ApiClient().get(f"ledger/keys/{old.key.key_id}").json()
    assert retired["status"] == "retired" and retired["retired_at"]
    notes.verify_checkpoint(
        old.text, name=log.origin, algorithm="sm2", public_key=b64decode(retired["public_key"])
    )
    entry = LedgerEntry.objects.get(log=log, index=1)
    assert (
        "验证通过"
        in Client().post("/ledger/verify/", {"text": services.proof_bundle(entry)}).content.decode()
    )


def test_signing_a_checkpoint_on_demand_needs_the_permission():
    services.append_entry("on-demand", b"x", kind="t")
    assert_api_error(ApiClient().post("ledger/logs/on-demand/checkpoints"), 401, "not_authenticated")
    response = ApiClient(StaffFactory(is_superuser=True)).post("ledger/logs/on-demand/checkpoints")
    assert response.status_code == 201 and response.json()["tree_size"] == 1
    assert Checkpoint.objects.filter(log__name="on-demand").count() == 1


def test_verify_page_checks_an_uploaded_bundle():
    services.append_batch("page", [b"a", b"b", b"c"], kind="t")
    text = services.proof_bundle(LedgerEntry.objects.get(log__name="page", index=1))
    key = base64.b64encode(bytes(Checkpoint.objects.get(log__name="page").key.public_key)).decode()
    client = Client()
    assert "尚未验证" in client.get("/ledger/verify/").content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("page-1.tlog-proof", text.encode(), content_type="text/plain")
    html = client.post("/ledger/verify/", {"bundle": upload, "key": key}).content.decode()
    assert "验证通过" in html and "第 1 条 / 共 3 条" in html
    html = client.post("/ledger/verify/", {"text": text.replace("index 1", "index 2")}).content.decode()
    assert "包含性证明验证失败" in html
    response = client.post("/ledger/verify/", {"text": ""})
    assert response.status_code == 422 and "请上传或粘贴证明文件" in response.content.decode()


def test_public_lists_have_constant_query_budgets():
    from smartjustice.core.testing import assert_list_queries_constant
    from smartjustice.ledger import keys

    client = ApiClient()
    signer_count = iter(range(1000))

    def add_checkpoints(n):
        for _ in range(n):
            services.append_entry("budget", b"x", kind="t")
            checkpoint = services.sign_checkpoint(Log.objects.get(name="budget"))
            signer = WitnessSigner.generate(f"witness{next(signer_count)}.example")
            witness = services.register_witness(signer.name, signer.public_key)
            signer.trust(
                checkpoint.log.origin,
                hash_algorithm="sm3",
                signature_algorithm="sm2",
                public_key=bytes(checkpoint.key.public_key),
            )
            services.collect_cosignature(checkpoint, witness, signer)

    assert_list_queries_constant(
        client, "ledger/logs/budget/checkpoints", make_rows=add_checkpoints, budget=5
    )
    assert_list_queries_constant(
        client,
        "ledger/keys",
        make_rows=lambda n: [keys.active_key(OrganisationFactory()) for _ in range(n)],
        budget=3,
    )
    assert_list_queries_constant(
        client,
        "ledger/logs",
        make_rows=lambda n: [services.create_log(f"budget-{Log.objects.count()}") for _ in range(n)],
        budget=3,
    )
