"""HTTP push to consumers: signed JSON over keep-alive connections (standard library only).

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
import http.client
import threading
from urllib.parse import urlsplit

_local = threading.local()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(secret: str, timestamp: str, body: bytes, received: str) -> bool:
    """What a receiver runs (also used by the tests' consumer)."""
    return hmac.compare_digest(signature(secret, timestamp, body), received or "")


def _connection(scheme: str, netloc: str, timeout: float) -> http.client.HTTPConnection:
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = {}
    key = (scheme, netloc)
    conn = pool.get(key)
    if conn is None:
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = pool[key] = cls(netloc, timeout=timeout)
    return conn


def _drop(scheme: str, netloc: str) -> None:
    conn = getattr(_local, "pool", {}).pop((scheme, netloc), None)
    if conn is not None:
        conn.close()


def post(url: str, body: bytes, headers: dict, *, timeout: float) -> tuple[int | None, str]:
    """POST `body`; (HTTP status, "") or (None, error text). Never raises for network trouble."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    send_headers = {"Content-Type": "application/json; charset=utf-8", **headers}
    for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile gets one fresh retry
        conn = _connection(parts.scheme, parts.netloc, timeout)
        try:
            conn.request("POST", path, body=body, headers=send_headers)
            response = conn.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                _drop(parts.scheme, parts.netloc)
            return response.status, ""
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
            _drop(parts.scheme, parts.netloc)
            if attempt == 2:
                return None, f"连接中断：{exc}"
        except (OSError, http.client.HTTPException) as exc:
            _drop(parts.scheme, parts.netloc)
            return None, f"无法连接：{exc}"
    return None, "无法连接"
