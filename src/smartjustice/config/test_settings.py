"""Settings of the test suite: the product settings in debug mode with fixed test-only keys, never for serving.

Set before the product settings are read, through the environment, so the commands tests start in subprocesses
(`smartjustice worker`, `smartjustice ledger …`) inherit them. Django's test runner still runs requests with
DEBUG off, so error pages are the product's.
"""

import os

os.environ.setdefault("SMARTJUSTICE_DEBUG", "1")
# Fixed test-only keys, so a run does not depend on whether this checkout's var/secrets.env exists.
os.environ.setdefault(
    "SMARTJUSTICE_SECRET_KEY", "test-only-secret-key-never-used-for-serving-0123456789abcdef"
)
os.environ.setdefault("SMARTJUSTICE_KEY_ENCRYPTION_KEY", "74657374" * 8)  # 32 bytes, hex

from .settings import *  # noqa: E402,F403
