"""HTTP to witnesses: ``POST <submission prefix>/add-checkpoint`` (c2sp.org/tlog-witness) through core.http.

One connection per push: a log pushes each witness at most once per checkpoint interval, so a kept-alive
connection (which the spec recommends for busy logs) would sit idle and be closed by the witness long before reuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from smartjustice.core import http

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
    response = http.post(
        add_checkpoint_url(prefix),
        body,
        headers={"Content-Type": "text/plain; charset=utf-8"},
        timeout=timeout,
        max_body=MAX_ANSWER_BYTES,
    )
    if response.status is None:
        return Answer(status=None, error=f"无法连接见证方：{response.reason or response.error}")
    return Answer(status=response.status, body=response.body, content_type=response.content_type)
