"""Keeps OAuth tokens, codes and client secrets out of the logs (a logging filter; settings LOGGING installs it).

Request lines carry query strings: runserver's `django.server` logger writes `"GET /oauth/logout/?id_token_hint=…
HTTP/1.1" 200`, and so do gunicorn's `gunicorn.access` and uvicorn's `uvicorn.access` when their access logs are on.
The filter rewrites the secret values in a record's message and arguments (strings, tuples and gunicorn's dict of
atoms) to ``[已隐去]``: `name=value` pairs of query strings and form bodies, JSON members and `Bearer`/`Basic`
credentials. Imports neither Django nor the toolkit, so LOGGING can name it before the apps load.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[已隐去]"
# Parameter names whose values grant access (RFC 6749, 6750, 7009, 7636; OIDC RP-Initiated Logout).
SECRET_PARAMETERS = (
    "access_token",
    "refresh_token",
    "id_token",
    "id_token_hint",
    "code",
    "code_verifier",
    "client_secret",
    "token",
    "password",
)
_NAMES = "|".join(SECRET_PARAMETERS)
_PATTERNS = (
    # ?code=…&access_token=… (query strings, form bodies); the name starts after ?, &, ;, space, quote or line start
    (re.compile(rf"(?i)(^|[?&;\s\"'])({_NAMES})=([^&;\s\"']*)"), rf"\1\2={REDACTED}"),
    # "access_token": "…" (a logged JSON body)
    (re.compile(rf"(?i)(\"({_NAMES})\"\s*:\s*\")[^\"]*(\")"), rf"\1{REDACTED}\3"),
    # Authorization: Bearer … / Basic …
    (re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*"), rf"\1 {REDACTED}"),
)
# Loggers that servers configure outside Django's LOGGING (gunicorn, uvicorn) or that write request lines.
REQUEST_LOGGERS = ("django.server", "django.request", "gunicorn.access", "gunicorn.error", "uvicorn.access")


def redact(text: str) -> str:
    """`text` with every secret value replaced by the placeholder."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _redact_value(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bytes):
        return redact(value.decode("utf-8", "replace"))
    return value


class RedactSecrets(logging.Filter):
    """Rewrites tokens, codes and secrets in a record; never drops the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redact_value(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact_value(value) for value in record.args)
        return True


def install(logger_names=REQUEST_LOGGERS) -> None:
    """Adds the filter to loggers a server set up itself (idempotent); LOGGING covers Django's own handlers."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactSecrets) for existing in logger.filters):
            logger.addFilter(RedactSecrets())
