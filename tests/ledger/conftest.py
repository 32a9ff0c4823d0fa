import contextlib

import pytest

from .witness_server import LocalWitness


@pytest.fixture
def local_witness():
    witness = LocalWitness()
    yield witness
    with contextlib.suppress(Exception):  # a test may have stopped it already
        witness.stop()
