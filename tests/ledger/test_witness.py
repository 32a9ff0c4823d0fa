"""Witness cosignatures (c2sp.org/tlog-cosignature): a witness cosigns growth and refuses rewritten history."""

import pytest

from smartjustice.core.errors import ValidationFailed
from smartjustice.ledger import notes, services
from smartjustice.ledger.models import Checkpoint, Cosignature, Log, Node
from smartjustice.ledger.verify import verify_proof_bundle
from smartjustice.ledger.witness import WitnessRefused, WitnessSigner

pytestmark = pytest.mark.django_db


def _setup(name="court"):
    services.append_batch(name, [f"record {i}".encode() for i in range(10)], kind="t")
    log = Log.objects.get(name=name)
    checkpoint = services.sign_checkpoint(log)
    signer = WitnessSigner.generate("witness.example/gd-lawyers")
    signer.trust(
        log.origin,
        hash_algorithm="sm3",
        signature_algorithm="sm2",
        public_key=bytes(checkpoint.key.public_key),
    )
    witness = services.register_witness(signer.name, signer.public_key)
    return log, checkpoint, signer, witness


def test_witness_cosigns_and_the_bundle_carries_its_cosignature():
    log, checkpoint, signer, witness = _setup()
    cosignature = services.collect_cosignature(checkpoint, witness, signer)
    assert cosignature.line.startswith("\u2014 witness.example/gd-lawyers ")
    assert signer.size_of(log.origin) == 10
    services.append_batch(log.name, [b"more", b"records"], kind="t")
    second = services.sign_checkpoint(log)
    services.collect_cosignature(second, witness, signer)  # consistent growth 10 -> 12
    assert signer.size_of(log.origin) == 12
    entry = log.entries.get(index=11)
    text = services.proof_bundle(entry)
    result = verify_proof_bundle(text, witnesses={witness.name: signer.public_key})
    assert result.ok and result.witnesses == [witness.name]
    parsed = notes.parse_checkpoint(services.checkpoint_with_cosignatures(second))
    assert notes.verify_cosignature(parsed, name=witness.name, public_key=signer.public_key)


def test_witness_refuses_when_the_operator_rewrites_history():
    log, checkpoint, signer, witness = _setup("rewritten")
    services.collect_cosignature(checkpoint, witness, signer)
    # The operator rewrites the log: deletes its tree and replays it with one record changed, plus new ones.
    Cosignature.objects.filter(checkpoint__log=log).delete()
    Checkpoint.objects.filter(log=log).delete()
    Node.objects.filter(log=log).delete()
    log.entries.all().delete()
    Log._base_manager.filter(pk=log.pk).update(tree_size=0, root_hash=b"")
    replay = [f"record {i}".encode() for i in range(10)]
    replay[3] = b"record 3 (altered)"
    services.append_batch(log.name, [*replay, b"record 10"], kind="t")
    forged = services.sign_checkpoint(Log.objects.get(pk=log.pk))
    with pytest.raises(WitnessRefused, match="一致性证明验证失败"):
        services.collect_cosignature(forged, witness, signer)
    assert signer.size_of(log.origin) == 10
    assert not forged.cosignatures.exists()


def test_witness_refuses_unknown_logs_bad_signatures_and_stale_state():
    log, checkpoint, signer, witness = _setup("stale")
    stranger = WitnessSigner.generate("witness.example/other")
    with pytest.raises(WitnessRefused, match="不认识"):
        stranger.add_checkpoint(checkpoint.text, old_size=0, proof=[])
    with pytest.raises(WitnessRefused):
        signer.add_checkpoint(checkpoint.text.replace("\n10\n", "\n11\n"), old_size=0, proof=[])
    signer.add_checkpoint(checkpoint.text, old_size=0, proof=[])
    with pytest.raises(WitnessRefused) as refused:
        signer.add_checkpoint(checkpoint.text, old_size=0, proof=[])
    assert refused.value.conflict_size == 10


def test_forged_cosignature_is_rejected():
    log, checkpoint, signer, witness = _setup("forged")
    impostor = WitnessSigner.generate(witness.name)
    impostor.trust(
        log.origin,
        hash_algorithm="sm3",
        signature_algorithm="sm2",
        public_key=bytes(checkpoint.key.public_key),
    )
    with pytest.raises(ValidationFailed):
        services.collect_cosignature(checkpoint, witness, impostor)
