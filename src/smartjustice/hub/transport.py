"""HTTP push to consumers: signed JSON over keep-alive connections (core.http does the POST).

Headers of every push (documented for consumers in the README):

* ``X-Hub-Timestamp``: Unix seconds when the request was signed;
* ``X-Hub-Signature``: ``sha256=`` + hex HMAC-SHA256(secret, timestamp + "." + body);
* ``Idempotency-Key``: one UUID per (record version, subscription), the same on every retry — the receiver keeps
  the keys it has applied and ignores a repeat;
* ``X-Hub-Dataset``, ``X-Hub-Attempt``.
"""

from __future__ import annotations

import hashlib
import hmac

from smartjustice.core import http


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(secret: str, timestamp: str, body: bytes, received: str) -> bool:
    """What a receiver runs (also used by the tests' consumer)."""
    return hmac.compare_digest(signature(secret, timestamp, body), received or "")


def post(url: str, body: bytes, headers: dict, *, timeout: float) -> tuple[int | None, str]:
    """POST `body` over a kept-alive connection (core.http); (HTTP status, "") or (None, error text). Never raises
    for network trouble."""
    response = http.post(url, body, headers=headers, timeout=timeout, keep_alive=True)
    return response.status, response.error
