"""Signing keys per organisation (organisation ``None``: the platform), encrypted at rest, rotatable.

Private keys are stored AES-256-GCM encrypted (12-byte nonce || ciphertext+tag, associated data = key id) under
``settings.LEDGER_KEY_ENCRYPTION_KEY`` (env ``SMARTJUSTICE_KEY_ENCRYPTION_KEY``, 32 bytes base64 or hex); without
it, from ``SECRET_KEY`` (both through ``core.secretbox``). Retired keys keep their public key, stay
listed on /ledger/keys/ and keep verifying what they signed; only the active key signs.

Each log signs its checkpoints with a key of its own (``log_key``; signed-note name = the log's origin), created with
the log and pinned in the trust file (``trust``, ADR 0010); organisation keys (no log) sign credentials.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from smartjustice import crypto
from smartjustice.core import audit, secretbox
from smartjustice.core.errors import NotFound

from . import notes, trust
from .choices import KeyStatus, LedgerAuditEvent
from .models import Log, SigningKey

__all__ = [
    "SigningKey",
    "active_key",
    "decrypt_private_key",
    "key_by_id",
    "log_key",
    "rotate_key",
    "sign_as",
    "verifier_key",
]


_PURPOSE = "ledger signing-key encryption"


def _configured() -> str:
    return getattr(settings, "LEDGER_KEY_ENCRYPTION_KEY", "") or ""


def _encrypt(key_id: str, private_key: bytes) -> bytes:
    return secretbox.seal(private_key, purpose=_PURPOSE, associated=key_id.encode(), configured=_configured())


def decrypt_private_key(key: SigningKey) -> bytes:
    return secretbox.unseal(
        key.private_key_encrypted, purpose=_PURPOSE, associated=key.key_id.encode(), configured=_configured()
    )


def fingerprint(algorithm: str, public_key: bytes) -> str:
    """``SigningKey.key_id``: 16 hex digits of SHA-256(algorithm || 0x0A || public key)."""
    return hashlib.sha256(algorithm.encode() + b"\n" + bytes(public_key)).hexdigest()[:16]


def verifier_key(key: SigningKey) -> str:
    """The signed-note verifier key (``<origin>+<hex key id>+<base64>``) of a log's key; "" for other keys.

    Not to be confused with ``key_id`` (the platform's fingerprint, ``fingerprint()``): the note key id is 4 bytes
    of SHA-256 over the name, type and key, as Go's golang.org/x/mod/sumdb/note computes it."""
    if key.log_id is None:
        return ""
    return notes.verifier_key(key.log.origin, notes.SIGNATURE_TYPES[key.algorithm], bytes(key.public_key))


def _create(organisation, algorithm: str, *, log: Log | None = None) -> SigningKey:
    private, public = crypto.generate_keypair(algorithm)
    key_id = fingerprint(algorithm, public)
    key = SigningKey.objects.create(
        organisation=organisation,
        log=log,
        algorithm=algorithm,
        key_id=key_id,
        public_key=public,
        private_key_encrypted=_encrypt(key_id, private),
        status=KeyStatus.ACTIVE,
    )
    if log is not None:
        trust.pin(log.origin, notes.SIGNATURE_TYPES[algorithm], public)
    return key


def _keys(organisation, algorithm, log: Log | None = None):
    if log is not None:
        return SigningKey.objects.filter(log=log, algorithm=algorithm)
    return SigningKey.objects.filter(organisation=organisation, algorithm=algorithm, log__isnull=True)


@transaction.atomic
def active_key(organisation, *, algorithm: str = "sm2") -> SigningKey:
    """The organisation's active key for ``algorithm``; created on first use."""
    key = (
        _keys(organisation, algorithm).filter(status=KeyStatus.ACTIVE).order_by("-created_at", "-id").first()
    )
    return key or _create(organisation, algorithm)


@transaction.atomic
def log_key(log: Log) -> SigningKey:
    """The log's own active checkpoint key (its signature algorithm); created, and pinned, on first use."""
    key = (
        _keys(None, log.signature_algorithm, log)
        .filter(status=KeyStatus.ACTIVE)
        .order_by("-created_at", "-id")
        .first()
    )
    return key or _create(log.organisation, log.signature_algorithm, log=log)


def sign_as(organisation, message: bytes, *, algorithm: str = "sm2") -> tuple[SigningKey, bytes]:
    key = active_key(organisation, algorithm=algorithm)
    return key, crypto.sign(algorithm, decrypt_private_key(key), message)


@transaction.atomic
def rotate_key(organisation, *, actor, algorithm: str = "sm2", log: Log | None = None) -> SigningKey:
    """Retire the active key(s) of an organisation, or of ``log`` (they stay listed and verifiable), and create a
    new active one (a log's new key is pinned)."""
    # One entry for the new key; the retired ones are its sub-steps.
    with audit.operation(LedgerAuditEvent.KEY_ROTATED, obj=audit.NEW, actor=actor):
        for key in _keys(organisation, algorithm, log).filter(status=KeyStatus.ACTIVE):
            key.status = KeyStatus.RETIRED
            key.retired_at = timezone.now()
            key.save(update_fields=["status", "retired_at", "updated_at"])
        return _create(log.organisation if log else organisation, algorithm, log=log)


def key_by_id(key_id: str) -> SigningKey:
    try:
        return SigningKey.objects.get(key_id=key_id)
    except SigningKey.DoesNotExist:
        raise NotFound("签名密钥不存在") from None
