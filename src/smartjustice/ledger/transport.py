"""HTTP to witnesses: ``POST <submission prefix>/add-checkpoint`` (c2sp.org/tlog-witness), standard library only.

One connection per push: a log pushes each witness at most once per checkpoint interval, so a kept-alive
connection (which the spec recommends for busy logs) would sit idle and be closed by the witness long before reuse.
(``hub.transport.post`` does pooling, but answers only the status; a witness's answer is in the body.)
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlsplit

from .witness import ADD_CHECKPOINT

MAX_ANSWER_BYTES = 64 * 1024  # cosignature lines are ~100 bytes each; anything far longer is not a witness


@dataclass
class Answer:
    status: int | None  # None: no HTTP answer at all (``error`` says why)
    body: bytes = b""
    content_type: str = ""
    error: str = ""


def add_checkpoint_url(prefix: str) -> str:
    return prefix.rstrip("/") + "/" + ADD_CHECKPOINT


def valid_prefix(prefix: str) -> bool:
    parts = urlsplit(prefix)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not parts.query and not parts.fragment


def post_add_checkpoint(prefix: str, body: bytes, *, timeout: float) -> Answer:
    """POST an add-checkpoint body; never raises for network trouble (the answer says what happened)."""
    parts = urlsplit(add_checkpoint_url(prefix))
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.netloc, timeout=timeout)
    try:
        conn.request("POST", parts.path, body=body, headers={"Content-Type": "text/plain; charset=utf-8"})
        response = conn.getresponse()
        return Answer(
            status=response.status,
            body=response.read(MAX_ANSWER_BYTES),
            content_type=(response.getheader("Content-Type") or "").split(";")[0].strip(),
        )
    except (OSError, http.client.HTTPException) as exc:
        return Answer(status=None, error=f"无法连接见证方：{exc}")
    finally:
        conn.close()
