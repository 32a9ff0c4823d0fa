"""Pinned trust anchors of the ledger: the log and witness keys a verifier accepts, held outside the database.

A key row in ``SigningKey`` or ``Witness`` proves nothing (whoever can write the database can insert one and sign
with it), so the audit, the proof pages and the credentials page check signatures against these pins only.

Where pins come from (their union):

* ``settings.LEDGER_PINNED_KEYS`` (env ``SMARTJUSTICE_LEDGER_PINNED_KEYS``): signed-note verifier keys
  (``<name>+<hex key id>+<base64(type || public key)>``) separated by whitespace or commas;
* the trust file ``settings.LEDGER_TRUST_FILE`` (env ``SMARTJUSTICE_LEDGER_TRUST_FILE``, default
  ``var/ledger-trust.txt``): one verifier key per line, ``#`` starts a comment.

A log's key is pinned under the log's origin (its signed-note key name), so a pin binds a key to one log; a
witness key (type 0x04, cosignature/v1) under the witness's name. The platform appends each key it creates (a log's
signing key, a registered witness) to the trust file unless ``settings.LEDGER_PIN_CREATED_KEYS`` is off; an auditor
uses a copy kept elsewhere, or the environment variable, so that a changed database cannot change what is trusted.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from . import notes

logger = logging.getLogger("smartjustice.ledger")

ALGORITHMS = {notes.TYPE_ED25519: "ed25519", notes.TYPE_SM2: "sm2", notes.TYPE_COSIGNATURE: "cosignature"}


class TrustError(ValueError):
    """A pin that cannot be read (malformed verifier key)."""


@dataclass(frozen=True)
class Pin:
    """One pinned key: its signed-note name (a log's origin, or a witness's name), type and public key."""

    name: str
    signature_type: bytes
    public_key: bytes

    @property
    def algorithm(self) -> str:
        return ALGORITHMS[self.signature_type]

    @property
    def is_witness(self) -> bool:
        return self.signature_type == notes.TYPE_COSIGNATURE

    @property
    def verifier_key(self) -> str:
        return notes.verifier_key(self.name, self.signature_type, self.public_key)


def trust_file() -> Path | None:
    value = getattr(settings, "LEDGER_TRUST_FILE", "")
    return Path(value) if value else None


def _parse(text: str, where: str) -> Pin:
    try:
        return Pin(*notes.parse_verifier_key(text))
    except notes.NoteError as exc:
        raise TrustError(f"{where}的固定公钥无效（{exc}）：{text[:80]}") from None


def pins(*, strict: bool = False) -> list[Pin]:
    """Every pinned key. A malformed entry raises ``TrustError`` when ``strict`` (the audit), else it is logged
    and skipped (a page must not fail because of one bad line)."""
    entries = [
        (item, "环境变量 SMARTJUSTICE_LEDGER_PINNED_KEYS ")
        for item in re.split(r"[\s,]+", getattr(settings, "LEDGER_PINNED_KEYS", "") or "")
        if item
    ]
    path = trust_file()
    if path is not None and path.exists():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if line:
                entries.append((line, f"信任文件 {path} 第 {number} 行"))
    result = []
    for text, where in entries:
        try:
            pin = _parse(text, where)
        except TrustError as exc:
            if strict:
                raise
            logger.warning("%s", exc)
            continue
        if pin not in result:
            result.append(pin)
    return result


def log_pins(origin: str, *, strict: bool = False) -> list[Pin]:
    """The pinned keys that may sign checkpoints of the log whose origin is ``origin``."""
    return [p for p in pins(strict=strict) if not p.is_witness and p.name == origin]


def witness_pins(name: str, *, strict: bool = False) -> list[Pin]:
    """The pinned cosignature keys of the witness ``name``."""
    return [p for p in pins(strict=strict) if p.is_witness and p.name == name]


def is_pinned(name: str, signature_type: bytes, public_key: bytes) -> bool:
    return Pin(name, signature_type, bytes(public_key)) in pins()


def verify_bundle(text: str):
    """Check a proof bundle against the keys pinned for its checkpoint's origin (what the public verify page does
    when the visitor gives no key): a receipt signed by a key that is not pinned for its log is refused."""
    from .bundles import BundleError, parse_bundle
    from .verify import VerifyResult, verify_proof_bundle

    try:
        bundle = parse_bundle(text)
        origin = notes.parse_checkpoint(bundle.checkpoint).origin
    except (BundleError, notes.NoteError):
        return verify_proof_bundle(text)  # the same message a malformed file gets everywhere
    keys = [p.public_key for p in log_pins(origin) if p.algorithm == bundle.signature_algorithm]
    if bundle.public_key not in keys:
        return VerifyResult(
            False,
            f"证明文件的日志公钥不是为 {origin} 固定的公钥：检查点可能由他人伪造，请与 /ledger/keys/ 公示的公钥核对",
            log=bundle.log,
            origin=origin,
        )
    return verify_proof_bundle(text, bundle.public_key)


def pin(name: str, signature_type: bytes, public_key: bytes) -> bool:
    """Append a key the platform created to the trust file (when enabled); True when it was written."""
    path = trust_file()
    if path is None or not getattr(settings, "LEDGER_PIN_CREATED_KEYS", True):
        return False
    if is_pinned(name, signature_type, public_key):
        return False
    line = notes.verifier_key(name, signature_type, bytes(public_key)) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        created = not path.exists()
        # O_APPEND: two processes pinning at once each add a whole line.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            if created:
                handle.write(HEADER)
            handle.write(line)
    except OSError as exc:
        # Not fatal here: the audit then reports the key as unpinned, which is the safe outcome.
        logger.warning("ledger key %s not pinned in %s: %s", line.strip(), path, exc)
        return False
    return True


HEADER = (
    "# 可信存证账本的固定公钥（signed-note 验证公钥串，每行一个）。核查（smartjustice ledger audit）与验证页面\n"
    "# 只接受这里（及环境变量 SMARTJUSTICE_LEDGER_PINNED_KEYS）列出的日志公钥和见证方公钥，数据库中的密钥记录不算数。\n"
    "# 由平台在创建日志密钥、登记见证方时写入；请另存一份到审计方，与 /ledger/keys/ 公示的公钥核对。\n"
)
