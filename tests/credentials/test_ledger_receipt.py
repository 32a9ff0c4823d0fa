"""The ledger receipt of an e-certificate, checked offline and on the public page: the credential itself must be a
leaf of the `credentials` log, proven against a checkpoint signed with the log's public key."""

import base64
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from smartjustice import crypto
from smartjustice.credentials import bundles, offline, queries
from smartjustice.credentials.verification import EXIT_CODES
from smartjustice.ledger import bundles as proof_files
from smartjustice.ledger import keys, notes
from smartjustice.ledger.models import Log

from .conftest import issue

pytestmark = pytest.mark.django_db


def ledger_check(result) -> dict:
    (check,) = [c for c in result.checks if c.name == "ledger"]
    return check


def log_key() -> bytes:
    return bytes(keys.log_key(Log.objects.get(name="credentials")).public_key)  # the log's own key (ADR 0010)


def issuer_key(credential) -> bytes:
    return bytes(keys.key_by_id(credential.key_id).public_key)


def run_cli(tmp_path, bundle, *ledger_keys: bytes) -> dict:
    """`credentials verify FILE --issuer-key … --ledger-key …`: the issuer's key pinned, the log's keys as given."""
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    signer = keys.key_by_id(bundle["credential"]["proof"]["verificationMethod"].rpartition("#")[2])
    args = [
        "credentials",
        "verify",
        str(path),
        "--json",
        "--issuer-key",
        base64.b64encode(signer.public_key).decode(),
    ]
    for key in ledger_keys:
        args += ["--ledger-key", base64.b64encode(key).decode()]
    out = StringIO()
    code = 0
    try:
        call_command(*args, stdout=out)
    except CommandError as exc:
        code = exc.returncode
    result = json.loads(out.getvalue())
    assert code == EXIT_CODES[result["state"]], "each state exits with its own code, 0 only when valid"
    return result


def forged(text: str, **changes) -> str:
    """The tlog-proof with some of its parts replaced, as a forger would hand it over."""
    parsed = proof_files.parse_bundle(text)
    fields = {**parsed.__dict__, **changes}
    extra = proof_files.entry_description(
        log=fields["log"],
        hash_algorithm=fields["hash_algorithm"],
        signature_algorithm=fields["signature_algorithm"],
        public_key=fields["public_key"],
        kind=fields["kind"],
        data=fields["data"],
    )
    return proof_files.format_proof(
        index=fields["index"],
        proof=fields["proof"],
        checkpoint_text=fields["checkpoint"],
        extra=extra.encode(),
    )


def resigned(checkpoint_text: str, private_key: bytes, public_key: bytes) -> str:
    """The checkpoint body signed again under the log's name by another key (its own signature dropped)."""
    body = checkpoint_text.partition("\n\n")[0] + "\n"
    origin = body.split("\n")[0]
    return (
        body
        + "\n"
        + notes.sign_note(body, name=origin, algorithm="sm2", private_key=private_key, public_key=public_key)
    )


def test_a_genuine_receipt_verifies_against_the_pinned_log_key(credential, tmp_path):
    bundle = bundles.build_bundle(credential, keys=["name"])
    pinned = offline.verify_bundle(bundle, issuer_keys=[issuer_key(credential)], ledger_keys=[log_key()])
    assert pinned.state == "valid" and ledger_check(pinned).ok is True
    assert "检查点由日志公钥签名" in ledger_check(pinned).message
    # The log's key taken from the file itself proves nothing: unverified, never valid (ADR 0009).
    unpinned = offline.verify_bundle(bundle, issuer_keys=[issuer_key(credential)])
    assert unpinned.state == "unverified" and ledger_check(unpinned).ok is None
    assert "未与 /ledger/keys/ 公示的公钥核对" in ledger_check(unpinned).message
    assert run_cli(tmp_path, bundle, log_key())["state"] == "valid"
    # Any of the log's keys may be given (after a rotation, the old key still signed the old checkpoints).
    assert run_cli(tmp_path, bundle, crypto.generate_keypair("sm2")[1], log_key())["state"] == "valid"


def test_a_tampered_inclusion_proof_fails(credential, officer, holder, tmp_path):
    second = issue(
        officer, holder, claims={"enforcementArea": "广州市天河区"}
    )  # entry 1: a proof of one hash
    bundle = bundles.build_bundle(second, keys=["name"])
    parsed = proof_files.parse_bundle(bundle["ledger"]["proof"])
    assert parsed.proof
    bundle["ledger"]["proof"] = forged(bundle["ledger"]["proof"], proof=[bytes(32), *parsed.proof[1:]])
    result = run_cli(tmp_path, bundle, log_key())
    assert result["state"] == "invalid"
    (check,) = [c for c in result["checks"] if c["name"] == "ledger"]
    assert check["ok"] is False and "存证证明无效：包含性证明验证失败" in check["message"]


def test_a_checkpoint_signed_by_another_key_fails(credential, tmp_path):
    bundle = bundles.build_bundle(credential, keys=["name"])
    proof = bundle["ledger"]["proof"]
    rogue_private, rogue_public = crypto.generate_keypair("sm2")
    checkpoint = proof_files.parse_bundle(proof).checkpoint
    # 1. The signature replaced, the log's key left in place: the checkpoint has no signature by that key.
    bundle["ledger"]["proof"] = forged(proof, checkpoint=resigned(checkpoint, rogue_private, rogue_public))
    result = offline.verify_bundle(bundle)
    assert result.state == "invalid" and ledger_check(result).ok is False
    assert ledger_check(result).message == "存证证明无效：检查点没有该日志公钥的签名"
    # 2. Key and signature both replaced: consistent in itself, refused against the log's published key.
    bundle["ledger"]["proof"] = forged(
        proof, public_key=rogue_public, checkpoint=resigned(checkpoint, rogue_private, rogue_public)
    )
    result = offline.verify_bundle(bundle, ledger_keys=[log_key()])
    assert result.state == "invalid"
    assert ledger_check(result).message == "存证证明无效：检查点不是由存证日志的公钥签名的"
    assert run_cli(tmp_path, bundle, log_key())["state"] == "invalid"
    # Without the published key to compare with, the file's own key is all there is, and the result says so.
    assert "未与 /ledger/keys/ 公示的公钥核对" in ledger_check(offline.verify_bundle(bundle)).message


def test_a_credential_not_in_the_ledger_fails(credential, officer, holder, tmp_path):
    bundle = bundles.build_bundle(credential, keys=["name"])
    # 1. No receipt at all.
    stripped = {**bundle, "ledger": {"log": "credentials", "entry": None, "proof": ""}}
    result = run_cli(tmp_path, stripped, log_key())
    assert result["state"] == "invalid"
    (check,) = [c for c in result["checks"] if c["name"] == "ledger"]
    assert check == {"name": "ledger", "ok": False, "message": "未在可信存证账本中登记：没有存证证明"}
    # 2. A genuine receipt of another credential attached to this one.
    other = issue(officer, holder, claims={"enforcementArea": "广州市天河区"})
    borrowed = {**bundle, "ledger": bundles.ledger_receipt(other)}
    result = offline.verify_bundle(borrowed, ledger_keys=[log_key()])
    assert result.state == "invalid"
    assert (
        ledger_check(result).message == "未在可信存证账本中登记：所附存证证明记载的是另一份内容，而非本证照"
    )


def test_the_public_page_checks_the_receipt_against_the_published_log_keys(credential):
    link = queries.default_link(credential)
    html = Client().get(f"/credentials/v/{link.token}/").content.decode()
    assert "已在可信存证账本中登记" in html and "检查点由日志公钥签名" in html
    # The stored receipt swapped for one whose checkpoint another key signed: the page says verification failed.
    rogue_private, rogue_public = crypto.generate_keypair("sm2")
    proof = credential.ledger_proof
    checkpoint = proof_files.parse_bundle(proof).checkpoint
    credential.ledger_proof = forged(
        proof, public_key=rogue_public, checkpoint=resigned(checkpoint, rogue_private, rogue_public)
    )
    credential.save(update_fields=["ledger_proof"])
    html = Client().get(f"/credentials/v/{link.token}/").content.decode()
    assert re.search(r'data-testid="verification-state">([^<]+)<', html).group(1) == "验证失败"
    assert "检查点不是由存证日志的公钥签名的" in html
