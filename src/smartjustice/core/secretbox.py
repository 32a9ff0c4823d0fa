"""One way to keep secrets the platform must read back (signing keys, consumers' push secrets): AES-256-GCM.

Each use names its purpose; its key is derived (HKDF-SHA256, info = purpose) from a master secret: the configured
one (32 bytes, base64 or hex, e.g. env SMARTJUSTICE_KEY_ENCRYPTION_KEY) or, in development, SECRET_KEY. A database
dump alone therefore opens nothing. A sealed value is ``12-byte nonce || ciphertext+tag``; `associated` data (e.g.
a key id) bind it to its row, so a sealed value copied onto another row does not open.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _master(configured: str) -> bytes:
    if not configured:
        return settings.SECRET_KEY.encode()
    for decode in (bytes.fromhex, lambda v: base64.b64decode(v, validate=True)):
        try:
            key = decode(configured)
        except (ValueError, binascii.Error):
            continue
        if len(key) == 32:
            return key
    raise ImproperlyConfigured("加密主密钥必须是 32 字节（base64 或十六进制）")


def derive_key(purpose: str, *, configured: str = "") -> bytes:
    """The 32-byte key of one purpose (also usable as an HMAC key)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"smartjustice", info=purpose.encode()).derive(
        _master(configured)
    )


def seal(data: bytes, *, purpose: str, associated: bytes = b"", configured: str = "") -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(derive_key(purpose, configured=configured)).encrypt(nonce, data, associated)


def unseal(blob: bytes, *, purpose: str, associated: bytes = b"", configured: str = "") -> bytes:
    """The data of a sealed value; ValueError when it was altered or the master secret changed."""
    blob = bytes(blob)
    try:
        return AESGCM(derive_key(purpose, configured=configured)).decrypt(blob[:12], blob[12:], associated)
    except InvalidTag as exc:
        raise ValueError("sealed value cannot be opened") from exc
