"""Data Integrity proofs over JCS-canonical JSON (the shape of W3C `eddsa-jcs-2022`), for SM2 and Ed25519.

Signing input (VC Data Integrity, "jcs" cryptosuites §3.3): hash(JCS(proof options)) ‖ hash(JCS(document without
proof)), with SM3 for SM2 (GB/T 32918, signed with the default user id) and SHA-256 for Ed25519. `proofValue` is
multibase base64url ("u…"). Pure: `verify_proof` runs offline with the key embedded in a credential bundle.
"""

from __future__ import annotations

from .canonical import canonicalize
from .disclosure import b64url, b64url_decode

CRYPTOSUITES = {"sm2": "sm2-jcs-2025", "ed25519": "eddsa-jcs-2022"}
SUITE_ALGORITHM = {suite: algorithm for algorithm, suite in CRYPTOSUITES.items()}
HASH_OF = {"sm2": "sm3", "ed25519": "sha256"}


def proof_options(*, algorithm: str, verification_method: str, created: str) -> dict:
    return {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITES[algorithm],
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }


def signing_input(document: dict, options: dict) -> bytes:
    from smartjustice.crypto import hash_bytes

    algorithm = SUITE_ALGORITHM[options["cryptosuite"]]
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in options.items() if k != "proofValue"}
    digest = HASH_OF[algorithm]
    return hash_bytes(digest, canonicalize(options)) + hash_bytes(digest, canonicalize(unsecured))


def attach_proof(document: dict, options: dict, signature: bytes) -> dict:
    return {**document, "proof": {**options, "proofValue": "u" + b64url(signature)}}


def verify_proof(document: dict, public_key: bytes) -> bool:
    """True when `document.proof` is a valid signature by `public_key` over the document as it stands."""
    from smartjustice.crypto import verify

    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("type") != "DataIntegrityProof":
        return False
    algorithm = SUITE_ALGORITHM.get(proof.get("cryptosuite", ""))
    value = proof.get("proofValue", "")
    if algorithm is None or not isinstance(value, str) or not value.startswith("u"):
        return False
    try:
        signature = b64url_decode(value[1:])
        return bool(verify(algorithm, public_key, signing_input(document, proof), signature))
    except (ValueError, TypeError, KeyError):
        return False
