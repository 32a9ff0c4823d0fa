"""Test-session setup shared by every module: real Guangdong divisions loaded once per test database."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Province, cities, counties and towns (about 1,900 real rows); villages only where a test loads them.
    with django_db_blocker.unblock():
        call_command("load_jurisdictions", max_level=4, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _ledger_trust_file(tmp_path_factory):
    # Ledger keys that tests create are pinned (ledger/trust.py) in a file of this session, never in the checkout's
    # var/ledger-trust.txt; a test that needs an empty or hand-made trust file sets its own through `settings`.
    from django.conf import settings

    settings.LEDGER_TRUST_FILE = str(tmp_path_factory.mktemp("ledger") / "ledger-trust.txt")
    settings.LEDGER_PINNED_KEYS = ""


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashes with PBKDF2 (about a second per password); tests create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reset_axes_cache(settings):
    # Lockout counters live in the database; each test starts from a clean slate anyway (rolled back).
    yield
