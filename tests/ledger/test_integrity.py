"""Fault tests: a tampered ledger entry or a forged tree head is detected; concurrent appends never collide."""

import base64
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from smartjustice import crypto
from smartjustice.ledger import notes, services
from smartjustice.ledger.models import Checkpoint, LedgerEntry, Log, Node
from smartjustice.ledger.verify import verify_proof_bundle

pytestmark = pytest.mark.django_db


def _log_with_checkpoints(name="decisions", count=25):
    services.append_batch(name, [f"决定书 {i}".encode() for i in range(count - 5)], kind="decision")
    log = Log.objects.get(name=name)
    services.sign_checkpoint(log)
    services.append_batch(name, [f"决定书 {i}".encode() for i in range(count - 5, count)], kind="decision")
    services.sign_checkpoint(log)
    return log


def test_an_untouched_log_passes_the_integrity_check():
    log = _log_with_checkpoints()
    report = services.check_integrity(log)
    assert report.ok, report.problems
    assert (report.tree_size, report.checkpoints_checked) == (25, 2)
    call_command("ledger", "audit", log.name)


def test_a_tampered_entry_is_detected_by_the_audit_and_by_its_proof():
    log = _log_with_checkpoints()
    public = bytes(Checkpoint.objects.filter(log=log).first().key.public_key)
    # Someone with database access rewrites entry 7's content (bypassing every service).
    LedgerEntry.objects.filter(log=log, index=7).update(payload="决定书 7（已篡改）".encode())
    report = services.check_integrity(log)
    assert not report.ok
    assert any("第 7 条" in p and "篡改" in p for p in report.problems)
    with pytest.raises(CommandError, match="发现"):
        call_command("ledger", "audit", log.name)
    # The receipt the operator would now hand out no longer verifies against the signed checkpoint.
    bundle = services.proof_bundle(LedgerEntry.objects.get(log=log, index=7))
    result = verify_proof_bundle(bundle, public)
    assert not result.ok and "包含性证明验证失败" in result.message


def test_a_recomputed_leaf_hash_is_caught_by_the_signed_root():
    log = _log_with_checkpoints()
    forged = "决定书 3（伪造）".encode()
    sm3 = crypto.hasher("sm3")
    leaf = sm3(b"\x00" + forged)
    LedgerEntry.objects.filter(log=log, index=3).update(payload=forged, leaf_hash=leaf)
    Node.objects.filter(log=log, level=0, index=3).update(hash=leaf)
    report = services.check_integrity(log)
    assert any("根哈希与已签名检查点不符" in p for p in report.problems)


def test_deleted_entries_are_detected():
    log = _log_with_checkpoints()
    LedgerEntry.objects.filter(log=log, index__gte=22).delete()
    report = services.check_integrity(log)
    assert any("条目被删除" in p for p in report.problems)


def test_a_forged_tree_head_is_rejected():
    log = _log_with_checkpoints()
    checkpoint = Checkpoint.objects.filter(log=log).order_by("-tree_size").first()
    key = checkpoint.key
    entry = LedgerEntry.objects.get(log=log, index=4)
    genuine = services.proof_bundle(entry)
    assert verify_proof_bundle(genuine, bytes(key.public_key)).ok
    body, _, signature = checkpoint.text.partition("\n\n")
    # 1. Same signature, different root: the signature no longer matches the body.
    other_root = base64.b64encode(crypto.hash_bytes("sm3", b"another tree")).decode()
    lines = body.split("\n")
    forged_text = "\n".join([lines[0], lines[1], other_root]) + "\n\n" + signature
    with pytest.raises(notes.NoteError, match="签名验证失败"):
        notes.verify_checkpoint(
            forged_text, name=log.origin, algorithm="sm2", public_key=bytes(key.public_key)
        )
    assert not verify_proof_bundle(genuine.replace(checkpoint.text, forged_text), bytes(key.public_key)).ok
    # 2. A tree head signed with a key that is not the log's published key.
    rogue_private, rogue_public = crypto.generate_keypair("sm2")
    rogue = notes.checkpoint_body(log.origin, 25, crypto.hash_bytes("sm3", b"x"))
    rogue += "\n" + notes.sign_note(
        rogue, name=log.origin, algorithm="sm2", private_key=rogue_private, public_key=rogue_public
    )
    with pytest.raises(notes.NoteError, match="没有该日志公钥的签名"):
        notes.verify_checkpoint(rogue, name=log.origin, algorithm="sm2", public_key=bytes(key.public_key))
    # 3. The stored checkpoint text edited in the database is reported by the audit.
    Checkpoint.objects.filter(pk=checkpoint.pk).update(text=forged_text)
    assert any("签名验证失败" in p for p in services.check_integrity(log).problems)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL row locks)"
)
def test_concurrent_appends_are_serialised_per_log():
    services.append_entry("concurrent", b"seed", kind="t")
    errors = []
    barrier = threading.Barrier(4)

    def writer(n):
        try:
            barrier.wait()
            for round_ in range(10):
                services.append_batch(
                    "concurrent", [f"{n}-{round_}-{i}".encode() for i in range(5)], kind="t"
                )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    log = Log.objects.get(name="concurrent")
    indexes = sorted(LedgerEntry.objects.filter(log=log).values_list("index", flat=True))
    assert indexes == list(range(1 + 4 * 10 * 5)) == list(range(log.tree_size))
    assert services.check_integrity(log).ok
