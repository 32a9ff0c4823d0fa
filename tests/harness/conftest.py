"""One world per test module: built inside a transaction that is rolled back when the module ends."""

import pytest
from django.db import transaction
from django.test import override_settings

from .registry import discover

discover()

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Places, people of every role and one record of every subject; each test runs in a savepoint inside it."""
    from .world import World

    # The session's fast hasher fixture is per test; the world's hundred accounts are made before any test runs.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        try:
            yield World()
        finally:
            transaction.set_rollback(True)
