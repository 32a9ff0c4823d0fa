"""Appending, checkpoints, keys and offline proof bundles, as an operator and an outside verifier see them."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartjustice import crypto
from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import assert_audited
from smartjustice.ledger import bundles, keys, merkle, notes, services
from smartjustice.ledger.choices import LedgerAuditEvent
from smartjustice.ledger.models import Checkpoint, LedgerEntry, Log, Node, SigningKey
from smartjustice.ledger.verify import verify_proof_bundle
from tests.core.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _rewrite(text: str, **changes) -> str:
    """The bundle with some of its parts replaced (what a forger would hand a citizen)."""
    parsed = bundles.parse_bundle(text)
    fields = {**parsed.__dict__, **changes}
    extra = bundles.entry_description(
        log=fields["log"],
        hash_algorithm=fields["hash_algorithm"],
        signature_algorithm=fields["signature_algorithm"],
        public_key=fields["public_key"],
        kind=fields["kind"],
        data=fields["data"],
    )
    return bundles.format_proof(
        index=fields["index"],
        proof=fields["proof"],
        checkpoint_text=fields["checkpoint"],
        extra=extra.encode(),
    )


def test_append_creates_the_log_with_national_algorithms_and_keeps_a_valid_tree():
    first = services.append_entry("decisions", "处罚决定 1".encode(), kind="decision")
    log = Log.objects.get(name="decisions")
    assert (log.hash_algorithm, log.signature_algorithm) == ("sm3", "sm2")
    assert first.index == 0
    entries = services.append_batch(
        "decisions", [f"处罚决定 {i}".encode() for i in range(2, 40)], kind="decision"
    )
    assert [e.index for e in entries] == list(range(1, 39))
    log.refresh_from_db()
    assert log.tree_size == 39
    sm3 = crypto.hasher("sm3")
    data = [
        bytes(p)
        for p in LedgerEntry.objects.filter(log=log).order_by("index").values_list("payload", flat=True)
    ]
    store = merkle.MemoryStore()
    frontier = merkle.Frontier(sm3)
    for item in data:
        for level, index, value in frontier.append(merkle.leaf_hash(sm3, item)):
            store.nodes[(level, index)] = value
    assert bytes(log.root_hash) == frontier.root()
    assert Node.objects.filter(log=log).count() == len(store.nodes)


def test_proofs_read_a_logarithmic_number_of_rows():
    services.append_batch("big", [str(i).encode() for i in range(300)], kind="t")
    entry = LedgerEntry.objects.select_related("log").get(log__name="big", index=137)
    with CaptureQueriesContext(connection) as queries:
        proof = services.inclusion_proof(entry, 300)
        consistency = services.consistency_proof(entry.log, 100, 300)
    assert len(queries) == 2
    assert len(proof) <= 9 and len(consistency) <= 10


def test_checkpoint_is_a_signed_note_verifiable_with_the_published_key():
    services.append_batch("notary", [b"a", b"b", b"c"], kind="t")
    log = Log.objects.get(name="notary")
    checkpoint = services.sign_checkpoint(log)
    body, _, signature_line = checkpoint.text.partition("\n\n")
    assert body.split("\n") == [log.origin, "3", base64.b64encode(bytes(log.root_hash)).decode()]
    assert signature_line.startswith(f"\u2014 {log.origin} ")
    key = checkpoint.key
    parsed = notes.verify_checkpoint(
        checkpoint.text, name=log.origin, algorithm="sm2", public_key=bytes(key.public_key)
    )
    assert parsed.size == 3
    blob = base64.b64decode(signature_line.split(" ")[2])
    assert blob[:4] == notes.key_id(log.origin, b"\xffsm2-sm3/v1", bytes(key.public_key))
    forged = checkpoint.text.replace("\n3\n", "\n4\n")
    with pytest.raises(notes.NoteError):
        notes.verify_checkpoint(forged, name=log.origin, algorithm="sm2", public_key=bytes(key.public_key))
    assert services.sign_checkpoint(log) == checkpoint  # same size: same checkpoint


def test_ed25519_checkpoint_uses_the_standard_key_id():
    log = services.create_log("intl", hash_algorithm="sha256", signature_algorithm="ed25519")
    services.append_entry("intl", b"x", kind="t")
    checkpoint = services.sign_checkpoint(log)
    public = bytes(checkpoint.key.public_key)
    blob = base64.b64decode(checkpoint.text.rstrip("\n").split(" ")[-1])
    assert blob[:4] == notes.key_id(log.origin, b"\x01", public)
    assert crypto.verify("ed25519", public, checkpoint.text.partition("\n\n")[0].encode() + b"\n", blob[4:])


def test_private_keys_are_encrypted_at_rest_and_rotation_keeps_old_keys_verifiable():
    organisation = OrganisationFactory()
    key, signature = keys.sign_as(organisation, b"message")
    private = keys.decrypt_private_key(key)
    assert private not in bytes(key.private_key_encrypted)
    assert crypto.public_key_of("sm2", private) == bytes(key.public_key)
    assert crypto.verify("sm2", bytes(key.public_key), b"message", signature)
    assert keys.active_key(organisation) == key
    new = keys.rotate_key(organisation, actor=None)
    key.refresh_from_db()
    assert key.status == "retired" and key.retired_at is not None
    assert keys.active_key(organisation) == new != key
    assert keys.key_by_id(key.key_id) == key
    assert crypto.verify("sm2", bytes(keys.key_by_id(key.key_id).public_key), b"message", signature)
    rotated = assert_audited(LedgerAuditEvent.KEY_ROTATED, obj=new, count=1)
    assert assert_audited(AuditEvent.OBJECT_UPDATED, obj=key).parent_id == rotated.pk


def test_a_key_encrypted_under_another_secret_cannot_be_decrypted(settings):
    key = keys.active_key(None, algorithm="ed25519")
    settings.LEDGER_KEY_ENCRYPTION_KEY = base64.b64encode(os.urandom(32)).decode()
    with pytest.raises(Exception):  # noqa: B017 - AES-GCM InvalidTag
        keys.decrypt_private_key(SigningKey.objects.get(pk=key.pk))


def test_proof_bundle_verifies_offline_and_detects_tampering():
    services.append_batch("evidence", [f"证据 {i}".encode() for i in range(20)], kind="evidence")
    entry = LedgerEntry.objects.get(log__name="evidence", index=7)
    text = services.proof_bundle(entry)
    public = bytes(Checkpoint.objects.get(log__name="evidence").key.public_key)
    with CaptureQueriesContext(connection) as queries:
        result = verify_proof_bundle(text, public)
    assert not queries.captured_queries
    assert result.ok and result.key_pinned, result.message
    assert (result.index, result.tree_size, result.data) == (7, 20, "证据 7".encode())
    assert verify_proof_bundle(text, public, payload="证据 7".encode()).ok
    assert "不一致" in verify_proof_bundle(text, public, payload="证据 8".encode()).message
    tampered = _rewrite(text, data="证据 8".encode())
    assert "包含性证明验证失败" in verify_proof_bundle(tampered, public).message
    _, other = crypto.generate_keypair("sm2")
    assert "不一致" in verify_proof_bundle(text, other).message
    assert not verify_proof_bundle("garbage", None).ok


def test_bundle_after_the_log_grows_uses_a_new_checkpoint():
    entry = services.append_entry("grow", b"first", kind="t")
    services.proof_bundle(entry)
    services.append_batch("grow", [b"second", b"third"], kind="t")
    text = services.proof_bundle(entry)
    assert verify_proof_bundle(text).tree_size == 3


def test_cli_verifies_without_any_database(tmp_path):
    services.append_batch("cli", [b"one", b"two", b"three"], kind="t")
    entry = LedgerEntry.objects.get(log__name="cli", index=2)
    path = tmp_path / "proof.txt"
    path.write_text(services.proof_bundle(entry), encoding="utf-8")
    public = base64.b64encode(bytes(Checkpoint.objects.get(log__name="cli").key.public_key)).decode()
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/does_not_exist"}
    command = [sys.executable, "-m", "smartjustice", "ledger", "verify", str(path), "--key", public]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "验证通过" in done.stdout
    path.write_text(path.read_text(encoding="utf-8").replace("index 2", "index 1"), encoding="utf-8")
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode != 0
    assert "包含性证明验证失败" in done.stderr


def test_appended_entries_are_the_stored_rows():
    entries = services.append_batch("rows", [b"x", b"y"], kind="t")
    stored = {
        e.pk: (e.index, bytes(e.leaf_hash), bytes(e.payload))
        for e in LedgerEntry.objects.filter(log__name="rows")
    }
    assert {e.pk: (e.index, e.leaf_hash, e.payload) for e in entries} == stored
    assert entries[1].log.name == "rows"
    assert services.append_batch("rows", [], kind="t") == []
    assert Log.objects.get(name="rows").tree_size == 2
