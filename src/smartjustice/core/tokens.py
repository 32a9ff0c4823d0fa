"""Personal API token format and checking: `sj_<key id>_<secret>`; only SHA-256(secret) is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.utils import timezone

PREFIX = "sj"
LAST_USED_RESOLUTION = timedelta(minutes=1)  # don't write on every request


def new_key() -> tuple[str, str, str]:
    """Return (plaintext token, key id, digest)."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{PREFIX}_{key_id}_{secret}", key_id, digest(secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse(raw: str) -> tuple[str, str] | None:
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def user_for_token(raw: str):
    """The active user behind a valid, unexpired, unrevoked token; None otherwise."""
    from .models import ApiToken

    parsed = parse(raw)
    if parsed is None:
        return None
    key_id, secret = parsed
    token = ApiToken.objects.select_related("user", "user__jurisdiction").filter(key_id=key_id).first()
    if token is None or not hmac.compare_digest(token.key_digest, digest(secret)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])
    return token.user
