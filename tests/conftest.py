"""Test-session setup shared by every module: real Guangdong divisions loaded once per test database."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Province, cities, counties and towns (about 1,900 real rows); villages only where a test loads them.
    with django_db_blocker.unblock():
        call_command("load_jurisdictions", max_level=4, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashes with PBKDF2 (about a second per password); tests create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reset_axes_cache(settings):
    # Lockout counters live in the database; each test starts from a clean slate anyway (rolled back).
    yield
