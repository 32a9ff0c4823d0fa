"""`smartjustice ledger verify`: every outcome but "verified against a pinned log key" exits non-zero, each with its
own documented code (ADR 0009): 0 valid, 1 invalid, 2 unusable input, 3 unverified (no pinned key), 9 witnesses."""

import base64
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from smartjustice import crypto
from smartjustice.ledger import bundles as proof_files
from smartjustice.ledger import merkle, notes, services
from smartjustice.ledger.models import LedgerEntry, Log
from smartjustice.ledger.schemas import checkpoint_verifier_key

pytestmark = pytest.mark.django_db
VALID, INVALID, USAGE, UNVERIFIED, WITNESSES = 0, 1, 2, 3, 9


def code(*args) -> int:
    try:
        call_command("ledger", "verify", *args, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as exc:
        return exc.returncode
    return 0


@pytest.fixture
def receipt(tmp_path):
    services.append_batch("exit-codes", [b"a", b"b", b"c"], kind="t")
    log = Log.objects.get(name="exit-codes")
    checkpoint = services.sign_checkpoint(log)
    path = tmp_path / "receipt.tlog-proof"
    path.write_text(services.proof_bundle(LedgerEntry.objects.get(log=log, index=1)), encoding="utf-8")
    return path, checkpoint


def test_a_proof_verified_against_the_pinned_key_exits_zero(receipt):
    path, checkpoint = receipt
    assert code(str(path), "--key", base64.b64encode(bytes(checkpoint.key.public_key)).decode()) == VALID
    assert code(str(path), "--vkey", checkpoint_verifier_key(checkpoint)) == VALID


def test_without_a_pinned_key_the_proof_is_unverified(receipt):
    path, _ = receipt
    with pytest.raises(CommandError, match="未核验") as raised:
        call_command("ledger", "verify", str(path), stdout=io.StringIO())
    assert raised.value.returncode == UNVERIFIED


def test_a_forged_one_leaf_log_is_unverified_without_a_key_and_invalid_with_one(receipt, tmp_path):
    """A checkpoint made from scratch with the attacker's own key: consistent in itself, and nothing more."""
    path, checkpoint = receipt
    private, public = crypto.generate_keypair("sm2")
    data = b"forged evidence"
    origin = checkpoint.log.origin
    body = notes.checkpoint_body(origin, 1, merkle.leaf_hash(crypto.hasher("sm3"), data))
    note = (
        body
        + "\n"
        + notes.sign_note(body, name=origin, algorithm="sm2", private_key=private, public_key=public)
    )
    extra = proof_files.entry_description(
        log="exit-codes",
        hash_algorithm="sm3",
        signature_algorithm="sm2",
        public_key=public,
        kind="t",
        data=data,
    )
    forged = tmp_path / "forged.tlog-proof"
    forged.write_text(proof_files.format_proof(index=0, proof=[], checkpoint_text=note, extra=extra.encode()))
    assert code(str(forged)) == UNVERIFIED
    assert code(str(forged), "--vkey", checkpoint_verifier_key(checkpoint)) == INVALID


def test_invalid_input_and_missing_witnesses_have_their_own_codes(receipt, tmp_path):
    path, checkpoint = receipt
    vkey = checkpoint_verifier_key(checkpoint)
    tampered = tmp_path / "tampered.tlog-proof"
    tampered.write_text(path.read_text(encoding="utf-8").replace("index 1", "index 2"), encoding="utf-8")
    assert code(str(tampered), "--vkey", vkey) == INVALID
    assert code(str(path), "--key", "not base64!") == USAGE
    assert code(str(tmp_path / "missing.tlog-proof"), "--vkey", vkey) == USAGE
    assert code(str(path), "--vkey", vkey, "--require-witnesses", "1") == WITNESSES


def test_the_codes_are_in_the_help(capsys):
    with pytest.raises(SystemExit):
        call_command("ledger", "verify", "--help")
    out = capsys.readouterr().out
    assert "3 未核验" in out and "9 见证方联署不足" in out
