"""Secrets the hub must be able to read back (a consumer's push-signing key), sealed with AES-256-GCM.

Sealed with core.secretbox under settings.HUB_SEALING_KEY (or SECRET_KEY when that is not set). Sealed text: ``v1.<base64(nonce || ciphertext+tag)>``.
"""

from __future__ import annotations

import base64
import hmac

from django.conf import settings

from smartjustice.core import secretbox

_PREFIX = "v1."
_PURPOSE = "hub secret-box"


def _configured() -> str:
    return getattr(settings, "HUB_SEALING_KEY", "") or ""


def seal(plaintext: str) -> str:
    """Encrypt `plaintext`; the result is safe to store."""
    sealed = secretbox.seal(plaintext.encode(), purpose=_PURPOSE, associated=b"hub", configured=_configured())
    return _PREFIX + base64.urlsafe_b64encode(sealed).decode()


def unseal(token: str) -> str:
    """The plaintext of a sealed value (raises ValueError when it was tampered with or the key changed)."""
    if not token.startswith(_PREFIX):
        raise ValueError("unknown sealed format")
    raw = base64.urlsafe_b64decode(token[len(_PREFIX) :].encode())
    return secretbox.unseal(raw, purpose=_PURPOSE, associated=b"hub", configured=_configured()).decode()


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
        _subject_key = secretbox.derive_key("hub subject-digest", configured=_configured())
    return hmac.digest(_subject_key, value.encode(), "sha256").hex()
