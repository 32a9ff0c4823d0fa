"""Secrets the hub must be able to read back (a consumer's push-signing key), sealed with AES-256-GCM.

The key is derived (HKDF-SHA256) from settings.HUB_SEALING_KEY, or from SECRET_KEY when that is not set, so a
database dump alone does not reveal the secrets. Sealed text: ``v1.<base64(nonce || ciphertext+tag)>``.
"""

from __future__ import annotations

import base64
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PREFIX = "v1."


def _derive(info: bytes) -> bytes:
    material = (getattr(settings, "HUB_SEALING_KEY", "") or settings.SECRET_KEY).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"smartjustice.hub", info=info).derive(material)


def seal(plaintext: str) -> str:
    """Encrypt `plaintext`; the result is safe to store."""
    nonce = os.urandom(12)
    sealed = AESGCM(_derive(b"secret-box")).encrypt(nonce, plaintext.encode(), b"hub")
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(token: str) -> str:
    """The plaintext of a sealed value (raises ValueError when it was tampered with or the key changed)."""
    if not token.startswith(_PREFIX):
        raise ValueError("unknown sealed format")
    raw = base64.urlsafe_b64decode(token[len(_PREFIX) :].encode())
    try:
        return AESGCM(_derive(b"secret-box")).decrypt(raw[:12], raw[12:], b"hub").decode()
    except Exception as exc:  # InvalidTag: wrong key or altered data
        raise ValueError("sealed value cannot be opened") from exc


_subject_key: bytes | None = None


def subject_digest(id_number: str | None) -> str:
    """A keyed digest of a person's ID number: links deliveries to the person without storing the number.

    Keyed (HMAC) because ID numbers are few enough to be found from a plain hash by trying them all.
    """
    global _subject_key
    value = "".join((id_number or "").split()).upper()
    if not value:
        return ""
    if _subject_key is None:
        _subject_key = _derive(b"subject-digest")
    return hmac.digest(_subject_key, value.encode(), "sha256").hex()
