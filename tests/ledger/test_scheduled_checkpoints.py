"""Scheduled checkpoints and witness push (c2sp.org/tlog-witness), against a real local HTTP witness.

The worker's job signs a checkpoint for every log that grew and pushes it to each witness with a submission URL,
with the consistency proof from the size that witness last cosigned; the witness (tests/ledger/witness_server.py,
``ledger.witness.WitnessSigner`` behind http.server) verifies and answers with its cosignature line.
"""

import base64
import logging
import threading

import pytest
from django.db import connection
from django.db.models.signals import post_save

from smartjustice.core.scheduler import Scheduler, discover
from smartjustice.core.testing import assert_audited
from smartjustice.crypto import hasher
from smartjustice.ledger import keys, merkle, notes, services, tasks
from smartjustice.ledger.choices import LedgerAuditEvent
from smartjustice.ledger.models import Checkpoint, Cosignature, Log, Node, SigningKey

from .witness_server import LocalWitness

pytestmark = pytest.mark.django_db


def grow(name: str, start: int, stop: int) -> Log:
    services.append_batch(name, [f"回执 {i}".encode() for i in range(start, stop)], kind="receipt")
    return Log.objects.get(name=name)


def witnessed_log(local_witness, name="receipts", size=13):
    """A log of ``size`` entries and the local witness registered (with its URL) and trusting the log's key."""
    log = grow(name, 0, size)
    local_witness.trust(log, bytes(keys.log_key(log).public_key))
    witness = services.register_witness(
        local_witness.signer.name, local_witness.signer.public_key, url=local_witness.url
    )
    return log, witness


def request_lines(body: bytes) -> tuple[list[str], str]:
    head, _, checkpoint = body.decode().partition("\n\n")
    return head.split("\n"), checkpoint


def test_the_job_signs_grown_logs_and_the_witness_cosigns_over_http(local_witness):
    log, witness = witnessed_log(local_witness)
    assert services.run_checkpoint_cycle() == {"checkpoints": 1, "cosigned": 1, "failed": 0}
    first = Checkpoint.objects.get(log=log)
    assert first.tree_size == 13
    (body,) = local_witness.requests
    lines, checkpoint_text = request_lines(body)
    assert lines == ["old 0"] and checkpoint_text == first.text  # no proof from an empty state
    published = notes.parse_checkpoint(services.checkpoint_with_cosignatures(first))
    assert notes.verify_cosignature(published, name=witness.name, public_key=local_witness.signer.public_key)
    assert_audited(
        LedgerAuditEvent.CHECKPOINT_SIGNED, obj=first, actor=None
    )  # signed by the system, on schedule

    grow("receipts", 13, 40)
    assert services.run_checkpoint_cycle() == {"checkpoints": 1, "cosigned": 1, "failed": 0}
    second = Checkpoint.objects.get(log=log, tree_size=40)
    lines, _ = request_lines(local_witness.requests[1])
    proof = [base64.b64decode(line) for line in lines[1:]]
    assert lines[0] == "old 13" and proof  # the consistency proof from what the witness last cosigned
    assert merkle.verify_consistency(
        hasher("sm3"), 13, 40, bytes(first.root_hash), bytes(second.root_hash), proof
    )
    assert local_witness.signer.size_of(log.origin) == 40
    assert second.cosignatures.get().witness == witness
    assert local_witness.answers == [200, 200]


def test_running_again_changes_nothing(local_witness):
    log, _ = witnessed_log(local_witness)
    services.run_checkpoint_cycle()
    counts = (Checkpoint.objects.count(), Cosignature.objects.count(), len(local_witness.requests))
    assert services.run_checkpoint_cycle() == {"checkpoints": 0, "cosigned": 0, "failed": 0}
    assert counts == (Checkpoint.objects.count(), Cosignature.objects.count(), len(local_witness.requests))


def test_an_unreachable_witness_is_logged_and_asked_again_next_cycle(local_witness, caplog):
    log, witness = witnessed_log(local_witness)
    local_witness.stop()
    with caplog.at_level(logging.WARNING, logger="smartjustice.ledger"):
        counts = services.run_checkpoint_cycle()
    assert counts == {"checkpoints": 1, "cosigned": 0, "failed": 1}  # signed anyway; the job did not crash
    assert "无法连接见证方" in caplog.text and witness.name in caplog.text
    assert not Cosignature.objects.exists()
    local_witness.start()
    assert services.run_checkpoint_cycle() == {"checkpoints": 0, "cosigned": 1, "failed": 0}
    assert Checkpoint.objects.get(log=log).cosignatures.get().witness == witness


def test_a_witness_ahead_of_our_records_answers_409_and_the_push_resumes_from_its_size(local_witness):
    log, witness = witnessed_log(local_witness)
    # The witness cosigned 13 for someone else (another of our workers, whose answer we lost): it is at 13.
    checkpoint = services.sign_checkpoint(log)
    local_witness.signer.add_checkpoint(checkpoint.text, old_size=0, proof=[])
    grow("receipts", 13, 20)
    assert services.run_checkpoint_cycle() == {"checkpoints": 1, "cosigned": 1, "failed": 0}
    assert local_witness.answers == [409, 200]
    assert [request_lines(b)[0][0] for b in local_witness.requests] == ["old 0", "old 13"]
    assert Checkpoint.objects.get(log=log, tree_size=20).cosignatures.get().witness == witness


def test_a_witness_that_lost_its_state_is_pushed_from_zero(local_witness):
    log, witness = witnessed_log(local_witness)
    services.run_checkpoint_cycle()
    local_witness.forget()  # restored from an old backup
    grow("receipts", 13, 21)
    assert services.run_checkpoint_cycle() == {"checkpoints": 1, "cosigned": 1, "failed": 0}
    assert [request_lines(b)[0][0] for b in local_witness.requests[1:]] == ["old 13", "old 0"]
    assert local_witness.answers[1:] == [409, 200]


def test_the_witness_refuses_a_rewritten_history_and_nothing_is_stored(local_witness, caplog):
    log, witness = witnessed_log(local_witness, name="rewritten", size=10)
    services.run_checkpoint_cycle()
    # The operator rewrites the log (one record changed), keeping our record of the old cosignature.
    Node.objects.filter(log=log).delete()
    log.entries.all().delete()
    Log._base_manager.filter(pk=log.pk).update(tree_size=0, root_hash=b"")
    replay = [f"回执 {i}".encode() for i in range(10)]
    replay[3] = "回执 3（已篡改）".encode()
    services.append_batch("rewritten", [*replay, b"more"], kind="receipt")
    with caplog.at_level(logging.WARNING, logger="smartjustice.ledger"):
        assert services.run_checkpoint_cycle() == {"checkpoints": 1, "cosigned": 0, "failed": 1}
    assert local_witness.answers[-1] == 422 and "HTTP 422" in caplog.text
    assert not Checkpoint.objects.get(log=log, tree_size=11).cosignatures.exists()
    assert local_witness.signer.size_of(log.origin) == 10


def test_a_witness_that_does_not_know_the_log_or_answers_with_a_bad_signature_is_not_stored(local_witness):
    grow("unknown-to-witness", 0, 3)
    services.register_witness(
        local_witness.signer.name, local_witness.signer.public_key, url=local_witness.url
    )
    assert services.run_checkpoint_cycle() == {"checkpoints": 1, "cosigned": 0, "failed": 1}
    assert local_witness.answers == [404]
    # A witness registered under a key that is not the one it signs with: its answer does not verify.
    impostor = LocalWitness("witness.test.example/impostor")
    try:
        log = Log.objects.get(name="unknown-to-witness")
        impostor.trust(log, bytes(keys.log_key(log).public_key))
        other = services.register_witness(impostor.signer.name, bytes(32), url=impostor.url)
        checkpoint = Checkpoint.objects.get(log=log)
        outcome = services.push_checkpoint(checkpoint, other)
        assert not outcome.ok and "见证方的答复无效" in outcome.message
        assert impostor.answers == [200] and not checkpoint.cosignatures.filter(witness=other).exists()
    finally:
        impostor.stop()


def test_inactive_witnesses_and_witnesses_without_url_are_not_pushed(local_witness):
    log, witness = witnessed_log(local_witness)
    services.change_witness(witness, actor=None, is_active=False)
    services.register_witness("witness.pull-only.example", bytes(range(32)))
    assert services.run_checkpoint_cycle() == {"checkpoints": 1, "cosigned": 0, "failed": 0}
    assert local_witness.requests == []


def test_losing_the_signing_race_returns_the_other_workers_checkpoint():
    log = grow("raced", 0, 5)
    # Signing then creates the log's key, which is where the race below is staged.
    SigningKey.objects.filter(log=log).delete()
    theirs = {}

    def other_worker_signs_meanwhile(sender, instance, created, **kwargs):
        # After our read ("no checkpoint at 5 yet"), while our first signing key is being created, another
        # worker stores its checkpoint for the same size.
        post_save.disconnect(other_worker_signs_meanwhile, sender=SigningKey)
        theirs["checkpoint"] = Checkpoint.objects.create(
            log=log, tree_size=5, root_hash=bytes(log.root_hash), text="其他进程签发的检查点", key=instance
        )

    post_save.connect(other_worker_signs_meanwhile, sender=SigningKey, weak=False)
    try:
        checkpoint = services.sign_checkpoint(log)
    finally:
        post_save.disconnect(other_worker_signs_meanwhile, sender=SigningKey)
    assert checkpoint == theirs["checkpoint"]
    assert Checkpoint.objects.filter(log=log).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
def test_two_workers_at_once_sign_each_size_once_and_store_one_cosignature():
    witness_server = LocalWitness()
    try:
        log = grow("two-workers", 0, 25)
        witness_server.trust(log, bytes(keys.log_key(log).public_key))
        services.register_witness(
            witness_server.signer.name, witness_server.signer.public_key, url=witness_server.url
        )
        errors, results = [], []
        barrier = threading.Barrier(2)

        def worker():
            try:
                barrier.wait()
                results.append(services.run_checkpoint_cycle())
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert Checkpoint.objects.filter(log=log).count() == 1
        assert Cosignature.objects.filter(checkpoint__log=log).count() == 1
        assert sum(r["failed"] for r in results) == 0
        assert witness_server.signer.size_of(log.origin) == 25
        assert set(witness_server.answers) <= {200, 409}
    finally:
        witness_server.stop()


def test_the_worker_runs_the_job_at_the_interval_of_the_data_file(settings):
    jobs = discover()
    job = jobs["ledger.checkpoints"]
    assert job.func is tasks.checkpoint_cycle
    assert job.every == services.checkpoint_policy()["interval_seconds"] == 60
    grow("scheduled", 0, 2)
    results = Scheduler("test-worker", {"ledger.checkpoints": job}).tick()
    assert results["ledger.checkpoints"] == {"checkpoints": 1, "cosigned": 0, "failed": 0}
    settings.LEDGER_CHECKPOINTS = {
        "witness_timeout_seconds": 2
    }  # a setting overrides single keys of the file
    policy = services.checkpoint_policy()
    assert (policy["interval_seconds"], policy["witness_timeout_seconds"]) == (60, 2)
