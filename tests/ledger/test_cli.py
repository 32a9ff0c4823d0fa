"""`smartjustice ledger …` commands: verify with a signed-note verifier key and witnesses, checkpoint, witness-add."""

import base64
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from smartjustice import crypto
from smartjustice.ledger import notes, services
from smartjustice.ledger.models import Checkpoint, LedgerEntry, Log, Witness
from smartjustice.ledger.schemas import checkpoint_verifier_key
from smartjustice.ledger.witness import WitnessSigner

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("ledger", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_checkpoint_command_signs_grown_logs_and_prints_the_note():
    services.append_batch("a-log", [b"1", b"2"], kind="t")
    services.append_entry("b-log", b"1", kind="t")
    output = run("checkpoint")
    assert "a-log: 2 条" in output and "b-log: 1 条" in output
    assert Checkpoint.objects.count() == 2
    run("checkpoint", "a-log")
    assert Checkpoint.objects.count() == 2  # nothing grew: no new checkpoint
    with pytest.raises(Exception, match="存证日志不存在"):
        run("checkpoint", "missing")


def test_verify_with_verifier_key_and_required_witnesses(tmp_path):
    services.append_batch("cosigned", [b"x", b"y", b"z"], kind="t")
    log = Log.objects.get(name="cosigned")
    checkpoint = services.sign_checkpoint(log)
    signer = WitnessSigner.generate("witness.gzjcy.example")
    signer.trust(
        log.origin,
        hash_algorithm="sm3",
        signature_algorithm="sm2",
        public_key=bytes(checkpoint.key.public_key),
    )
    witness = services.register_witness(signer.name, signer.public_key)
    services.collect_cosignature(checkpoint, witness, signer)
    path = tmp_path / "receipt.tlog-proof"
    path.write_text(services.proof_bundle(LedgerEntry.objects.get(log=log, index=0)), encoding="utf-8")
    vkey = checkpoint_verifier_key(checkpoint)
    assert notes.parse_verifier_key(vkey)[0] == log.origin
    witness_arg = f"{signer.name}={base64.b64encode(signer.public_key).decode()}"
    output = run("verify", str(path), "--vkey", vkey, "--witness", witness_arg, "--require-witnesses", "1")
    assert "验证通过" in output and "见证方联署有效：witness.gzjcy.example" in output
    with pytest.raises(CommandError, match="见证方联署不足"):
        run("verify", str(path), "--vkey", vkey, "--require-witnesses", "1")
    other_private, other_public = crypto.generate_keypair("sm2")
    foreign = notes.verifier_key("other.example/log", notes.TYPE_SM2, other_public)
    with pytest.raises(CommandError, match="不一致"):
        run("verify", str(path), "--vkey", foreign)


def test_witness_add_and_audit_commands():
    public = crypto.generate_keypair("ed25519")[1]
    assert "已登记" in run("witness-add", "witness.sz.example", base64.b64encode(public).decode())
    assert Witness.objects.get(name="witness.sz.example").public_key == public
    with pytest.raises(CommandError, match="base64"):
        run("witness-add", "witness.x", "not base64!")
    key = base64.b64encode(crypto.generate_keypair("ed25519")[1]).decode()
    run("witness-add", "witness.gz.example", key, "--url", "https://witness.gz.example/tlog/")
    assert Witness.objects.get(name="witness.gz.example").url == "https://witness.gz.example/tlog/"
    with pytest.raises(CommandError, match="提交地址须为 http:// 或 https://"):
        run("witness-add", "witness.bad.example", key, "--url", "witness.bad.example")
    with pytest.raises(CommandError, match="已登记"):
        run("witness-add", "witness.gz.example", key)
    services.append_batch("audited", [b"1", b"2", b"3"], kind="t")
    services.sign_checkpoint(Log.objects.get(name="audited"))
    assert "全部一致" in run("audit", "audited")


def test_demo_data_loads_once_with_cosigned_checkpoint():
    from smartjustice.ledger import demo

    first = demo.load()
    assert first.detail == {"存证条目": 5, "见证签名": 2}
    again = demo.load()
    assert (again.created, again.existing) == (0, 5)
    services.append_entry("decisions", "粤司罚决〔2026〕3号".encode(), kind="decision")
    after = demo.load()  # a new checkpoint at 6 leaves, which both witnesses check (5 -> 6) and cosign
    assert after.detail == {"存证条目": 0, "见证签名": 2}
    assert Log.objects.get(name="decisions").checkpoints.first().tree_size == 6
