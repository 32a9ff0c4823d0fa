"""JSON Canonicalization Scheme (RFC 8785): the exact bytes a signature or digest covers.

Keys sorted by their UTF-16 code units (§3.2.3), no insignificant whitespace, strings escaped minimally (§3.2.2.2),
numbers in ECMAScript form (§3.2.2.3). The `rfc8785` package does it (pure Python, no Django: offline verifiers
use it too); tests/credentials/test_jcs_vectors.py holds it to the RFC's examples (ADR 0008).
"""

from __future__ import annotations

import rfc8785


def canonicalize(value) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value; ValueError for what JSON cannot say exactly (NaN,
    infinities, integers beyond ±(2^53−1), keys that are not strings, lone surrogates)."""
    return rfc8785.dumps(value)  # its errors (CanonicalizationError, UnicodeEncodeError) are ValueErrors
