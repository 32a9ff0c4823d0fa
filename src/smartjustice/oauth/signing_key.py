"""The OpenID Connect signing key: read from a file the operator provides, or generated once and kept under var/.

Imported by settings (so it may use nothing of Django): the private key never enters the repository; a deployment
points SMARTJUSTICE_OIDC_RSA_KEY_FILE at its own key, and a development checkout generates one on first start and
reuses it, so ID tokens stay verifiable across restarts.
"""

from __future__ import annotations

import os
from pathlib import Path

KEY_FILE_NAME = "oidc-rsa-private.pem"


def load_or_create(key_file: str | None, var_dir: Path) -> str:
    """The PEM text of the RSA private key: `key_file` when given (it must exist), else var/oidc-rsa-private.pem."""
    if key_file:
        return Path(key_file).read_text(encoding="ascii")
    path = Path(var_dir) / KEY_FILE_NAME
    if path.exists():
        return path.read_text(encoding="ascii")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a private temporary file, then linked into place: link() refuses to replace an existing file, so
    # when two processes start at once the first key wins, and nobody ever reads a half-written one.
    temporary = path.with_name(f".{KEY_FILE_NAME}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pem = path.read_text(encoding="ascii")
    finally:
        temporary.unlink(missing_ok=True)
    return pem
