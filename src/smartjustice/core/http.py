"""The platform's one outgoing HTTP POST (hub pushes to consumers, the ledger's witness submissions).

Standard library only, and it never raises for network trouble: the answer says what happened, so a failed push
becomes a retry or a log line, never a crashed worker. `keep_alive=True` reuses one connection per host and thread
(the hub pushes many records to the same consumer); otherwise each call opens and closes its own connection (a
witness is pushed at most once per checkpoint interval, long after a kept-alive connection would have been closed).
"""

from __future__ import annotations

import http.client
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_BODY_BYTES = 64 * 1024  # what callers read of an answer; the rest is discarded

_local = threading.local()


@dataclass(frozen=True)
class Response:
    """What came back: the HTTP status and (the start of) the body, or status None and why."""

    status: int | None
    body: bytes = b""
    content_type: str = ""
    error: str = ""  # Chinese, for logs and the delivery record: "无法连接：…" / "连接中断：…"
    reason: str = ""  # the network error itself, for callers that word their own message


def post(
    url: str,
    body: bytes,
    *,
    headers: dict | None = None,
    timeout: float,
    keep_alive: bool = False,
    max_body: int = MAX_BODY_BYTES,
) -> Response:
    """POST `body` to `url` and read the answer (at most `max_body` bytes of it); never raises for network trouble."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    send_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    # A kept-alive connection the server closed meanwhile gets one retry on a fresh connection.
    for attempt in (1, 2) if keep_alive else (2,):
        conn = _pooled(parts.scheme, parts.netloc, timeout) if keep_alive else _open(parts, timeout)
        try:
            conn.request("POST", path, body=body, headers=send_headers)
            response = conn.getresponse()
            # Reading it all keeps a pooled connection usable; a one-shot connection stops at max_body.
            data = response.read() if keep_alive else response.read(max_body)
            if not keep_alive or response.getheader("Connection", "").lower() == "close":
                _close(conn, parts, keep_alive)
            return Response(
                status=response.status,
                body=data[:max_body],
                content_type=(response.getheader("Content-Type") or "").split(";")[0].strip(),
            )
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
            _close(conn, parts, keep_alive)
            if attempt == 2:
                return Response(status=None, error=f"连接中断：{exc}", reason=str(exc))
        except (OSError, http.client.HTTPException) as exc:
            _close(conn, parts, keep_alive)
            return Response(status=None, error=f"无法连接：{exc}", reason=str(exc))
    return Response(status=None, error="无法连接", reason="")  # not reached: the loop returns


def _open(parts, timeout: float) -> http.client.HTTPConnection:
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    return cls(parts.netloc, timeout=timeout)


def _pooled(scheme: str, netloc: str, timeout: float) -> http.client.HTTPConnection:
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = {}
    conn = pool.get((scheme, netloc))
    if conn is None:
        cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        conn = pool[(scheme, netloc)] = cls(netloc, timeout=timeout)
    return conn


def _close(conn: http.client.HTTPConnection, parts, pooled: bool) -> None:
    if pooled:
        getattr(_local, "pool", {}).pop((parts.scheme, parts.netloc), None)
    conn.close()
