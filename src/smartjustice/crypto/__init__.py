"""Hashes and signatures of the platform (SM3, SHA-256, SM2, Ed25519): pure functions, no database, no Django.

The ledger, credentials and every module that signs or fingerprints a document import this package (offline
verifiers too: it needs neither Django nor a database). Keys are kept and used through ``ledger.keys``.

Formats (the same everywhere: database, checkpoints, proof bundles, API):

* ``hash_bytes("sm3" | "sha256", data)`` — SM3 per GB/T 32905-2016, SHA-256 per FIPS 180-4; 32-byte digests.
* ``"sm2"`` — SM2 digital signature per GB/T 32918.2-2016 (GM/T 0003.2) on the recommended curve sm2p256v1
  (GB/T 32918.5), with SM3 and the Z value computed from the default user id ``1234567812345678``
  (GM/T 0009-2012 §10). Private key: 32 bytes big-endian d. Public key: 65 bytes uncompressed point
  ``04 || x || y``. Signature: 64 bytes ``r || s`` (each 32 bytes big-endian), not DER.
* ``"ed25519"`` — RFC 8032 Ed25519. Private key: 32-byte seed; public key: 32 bytes; signature: 64 bytes.

SM2 signing and public-key derivation (the operations that touch the private key) run on OpenSSL 3's libcrypto
(``openssl_sm2``: fixed-length ladder, no branch on secret bits) when it is there; gmssl's pure-Python
multiplication leaks the nonce's and key's Hamming weight through timing (ADR 0011). ``SM2_BACKEND`` says which is
in use; without libcrypto the package falls back to gmssl with a logged warning, unless
``SMARTJUSTICE_SM2_BACKEND=openssl`` demands OpenSSL (then importing fails). Verification handles public data only
and stays on gmssl (snowland-smx and OpenSSL cross-check it in the tests).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes as _hashes
from cryptography.hazmat.primitives.asymmetric import ed25519
from gmssl import sm2 as _gm_sm2
from gmssl import sm3 as _gm_sm3

from . import openssl_sm2

HASH_ALGORITHMS = ("sm3", "sha256")
SIGNATURE_ALGORITHMS = ("sm2", "ed25519")
SM2_USER_ID = b"1234567812345678"

_CURVE = _gm_sm2.default_ecc_table
_N = int(_CURVE["n"], 16)
_P = int(_CURVE["p"], 16)
_A = int(_CURVE["a"], 16)
_B = int(_CURVE["b"], 16)


def _sm3_openssl(data: bytes) -> bytes:
    return hashlib.new("sm3", data).digest()


def _sm3_cryptography(data: bytes) -> bytes:
    digest = _hashes.Hash(_hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _sm3_gmssl(data: bytes) -> bytes:  # pure Python, ~300x slower: only if OpenSSL lacks SM3
    return bytes.fromhex(_gm_sm3.sm3_hash(list(data)))


def _pick_sm3():
    for candidate in (_sm3_openssl, _sm3_cryptography):
        try:
            if candidate(b"abc") == _sm3_gmssl(b"abc"):
                return candidate
        except Exception:  # noqa: S112 - try the next implementation
            continue
    return _sm3_gmssl


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


_sm3 = _pick_sm3()
_HASHERS = {"sm3": _sm3, "sha256": _sha256}


def hasher(algorithm: str):
    """The one-argument hash function (bytes -> 32 bytes) for ``algorithm``."""
    try:
        return _HASHERS[algorithm]
    except KeyError:
        raise ValueError(f"unknown hash algorithm {algorithm!r}") from None


def hash_bytes(algorithm: str, data: bytes) -> bytes:
    """The 32-byte digest of ``data``."""
    return hasher(algorithm)(data)


def _sm2_on_curve(public_key: bytes) -> bool:
    if len(public_key) != 65 or public_key[0] != 4:
        return False
    x = int.from_bytes(public_key[1:33], "big")
    y = int.from_bytes(public_key[33:], "big")
    if not (0 <= x < _P and 0 <= y < _P):
        return False
    return (y * y - (x * x * x + _A * x + _B)) % _P == 0


def _sm2_crypt(private_key: bytes | None, public_key: bytes) -> _gm_sm2.CryptSM2:
    # gmssl wants hex x||y without the 04 prefix. Its constructor strips a leading "04" with str.lstrip, which
    # also eats an x coordinate that begins with 0x04 (1 key in 256), so the attribute is set after construction.
    crypt = _gm_sm2.CryptSM2(private_key=private_key.hex() if private_key else "", public_key="")
    crypt.public_key = public_key[1:].hex()
    return crypt


def _sm2_public_gmssl(private_key: bytes) -> bytes:  # timing follows the bits of d (ADR 0011)
    crypt = _gm_sm2.CryptSM2(private_key=private_key.hex(), public_key="")
    point = crypt._kg(int.from_bytes(private_key, "big"), _CURVE["g"])
    return b"\x04" + bytes.fromhex(point)


def _sm2_sign_gmssl(private_key: bytes, message: bytes, nonce: int | None = None) -> bytes:
    """gmssl's signature (timing follows the bits of k and d); ``nonce`` only for benchmarks and known answers."""
    crypt = _sm2_crypt(private_key, _sm2_public_gmssl(private_key))
    digest = bytes.fromhex(crypt._sm3_z(message))
    while True:
        k = nonce or secrets.randbelow(_N - 1) + 1
        signature = crypt.sign(digest, f"{k:064x}")
        if signature:
            return bytes.fromhex(signature)
        if nonce:
            raise ValueError("this nonce gives r = 0 or s = 0")


def _pick_sm2_backend():
    wanted = os.environ.get("SMARTJUSTICE_SM2_BACKEND", "").strip().lower()
    if wanted == "gmssl":
        return None
    backend = openssl_sm2.load()
    if backend is None and wanted == "openssl":
        raise ImportError(
            f"SMARTJUSTICE_SM2_BACKEND=openssl but OpenSSL 3 SM2 is unavailable: {openssl_sm2.UNAVAILABLE}"
        )
    if backend is None:
        logging.getLogger("smartjustice.crypto").warning(
            "OpenSSL 3 SM2 unavailable (%s): SM2 signing falls back to gmssl, whose timing depends on secret bits",
            openssl_sm2.UNAVAILABLE,
        )
    return backend


_OPENSSL_SM2 = _pick_sm2_backend()
SM2_BACKEND = "openssl" if _OPENSSL_SM2 is not None else "gmssl"


def _sm2_public(private_key: bytes) -> bytes:
    if _OPENSSL_SM2 is not None:
        return _OPENSSL_SM2.public_key(private_key)
    return _sm2_public_gmssl(private_key)


def sm2_digest(public_key: bytes, message: bytes) -> bytes:
    """e = SM3(Z_A || M) with Z_A over the default user id (GB/T 32918.2 §6.1)."""
    return bytes.fromhex(_sm2_crypt(None, public_key)._sm3_z(message))


def generate_keypair(algorithm: str) -> tuple[bytes, bytes]:
    """A fresh (private, public) key pair in the raw formats above."""
    if algorithm == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
        return key.private_bytes_raw(), key.public_key().public_bytes_raw()
    if algorithm == "sm2":
        d = secrets.randbelow(_N - 2) + 1  # d in [1, n-2]
        private = d.to_bytes(32, "big")
        return private, _sm2_public(private)
    raise ValueError(f"unknown signature algorithm {algorithm!r}")


def public_key_of(algorithm: str, private_key: bytes) -> bytes:
    if algorithm == "ed25519":
        return ed25519.Ed25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes_raw()
    if algorithm == "sm2":
        return _sm2_public(private_key)
    raise ValueError(f"unknown signature algorithm {algorithm!r}")


def sign(algorithm: str, private_key: bytes, message: bytes) -> bytes:
    """Sign ``message`` (the message itself, not a digest)."""
    if algorithm == "ed25519":
        return ed25519.Ed25519PrivateKey.from_private_bytes(private_key).sign(message)
    if algorithm == "sm2":
        if _OPENSSL_SM2 is not None:
            return _OPENSSL_SM2.sign(private_key, _OPENSSL_SM2.public_key(private_key), message, SM2_USER_ID)
        return _sm2_sign_gmssl(private_key, message)
    raise ValueError(f"unknown signature algorithm {algorithm!r}")


def verify(algorithm: str, public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` is valid for ``message`` under ``public_key``; never raises on bad input."""
    public_key, signature = bytes(public_key), bytes(signature)
    if algorithm == "ed25519":
        if len(public_key) != 32 or len(signature) != 64:
            return False
        try:
            ed25519.Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True
    if algorithm == "sm2":
        if len(signature) != 64 or not _sm2_on_curve(public_key):
            return False
        r = int.from_bytes(signature[:32], "big")
        s = int.from_bytes(signature[32:], "big")
        if not (1 <= r < _N and 1 <= s < _N):  # GB/T 32918.2 §7.1 B1, B2
            return False
        crypt = _sm2_crypt(None, public_key)
        try:
            return bool(crypt.verify(signature.hex(), bytes.fromhex(crypt._sm3_z(message))))
        except Exception:  # malformed points inside gmssl
            return False
    raise ValueError(f"unknown signature algorithm {algorithm!r}")
