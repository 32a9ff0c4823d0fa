"""Who is acting, and under which request: the request id, channel and address the audit trail stamps on every entry.

The actor here is the fallback for writes outside any audit.operation (a save in a command, a sign-in signal);
services pass their actor explicitly to audit.operation instead.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class ActingContext:
    actor: object | None = None  # a User, or None for the system
    request_id: str = ""
    ip: str = ""
    channel: str = "system"  # web / api / command / system


_current: contextvars.ContextVar[ActingContext] = contextvars.ContextVar(
    "smartjustice_acting",
    default=ActingContext(),  # noqa: B039 — frozen dataclass, never mutated
)


def current() -> ActingContext:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting(**changes):
    """Run a block with a different actor/request id/channel (commands, services called outside a request)."""
    token = _current.set(replace(_current.get(), **changes))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def acting_as(actor, *, channel: str | None = None):
    """Run a block as `actor` (kept for commands and tests). Services do not need it: they pass `actor` to
    core.audit.operation, which names it on every entry the operation writes."""
    ctx = current()
    return acting(actor=actor, channel=channel or ctx.channel, request_id=ctx.request_id or new_request_id())


def bind_actor(actor) -> None:
    """Called by API token auth, which resolves the user after middleware has run."""
    _current.set(replace(_current.get(), actor=actor))


def set_context(ctx: ActingContext):
    return _current.set(ctx)


def reset_context(token) -> None:
    _current.reset(token)
