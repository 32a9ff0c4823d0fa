"""Selective disclosure in the manner of SD-JWT (RFC 9901 §4.2): one salted disclosure per claim.

A disclosure is base64url(JSON [salt, claim name, value]); the signed credential carries only the digests of the
disclosures (`credentialSubject._sd`), so the issuer's signature covers every claim without revealing any. A holder
reveals a claim by handing over its disclosure; a verifier recomputes its digest and looks for it in `_sd`.
Pure: the offline verifier uses it too.
"""

from __future__ import annotations

import base64
import json
import secrets

# Digest algorithm names as they appear in `_sd_alg` (IANA "Named Information Hash Algorithm" for sha-256).
SD_ALGORITHMS = {"sha-256": "sha256", "sm3": "sm3"}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_salt() -> str:
    return b64url(secrets.token_bytes(16))  # 128 bits, RFC 9901 §9.3


def make_disclosure(salt: str, name: str, value) -> str:
    return b64url(json.dumps([salt, name, value], ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def parse_disclosure(disclosure: str) -> tuple[str, str, object]:
    try:
        salt, name, value = json.loads(b64url_decode(disclosure).decode("utf-8"))
    except (ValueError, TypeError) as exc:
        raise ValueError("disclosure is not base64url JSON [salt, name, value]") from exc
    if not isinstance(salt, str) or not isinstance(name, str):
        raise ValueError("disclosure salt and claim name must be strings")
    return salt, name, value


def digest(disclosure: str, sd_alg: str) -> str:
    """base64url(hash(ASCII bytes of the disclosure)), as RFC 9901 §4.2.3."""
    from smartjustice.crypto import hash_bytes

    try:
        algorithm = SD_ALGORITHMS[sd_alg]
    except KeyError:
        raise ValueError(f"unsupported _sd_alg {sd_alg!r}") from None
    return b64url(hash_bytes(algorithm, disclosure.encode("ascii")))
