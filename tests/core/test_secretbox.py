"""Secrets sealed for reading back: opened only with the same purpose, row and master secret; tampering shows."""

import pytest

from smartjustice.core import secretbox

MASTER = "11" * 32
OTHER = "22" * 32


def test_a_sealed_secret_opens_only_for_its_purpose_row_and_master_secret():
    blob = secretbox.seal(b"push-secret", purpose="hub", associated=b"row-1", configured=MASTER)
    assert b"push-secret" not in blob
    assert secretbox.unseal(blob, purpose="hub", associated=b"row-1", configured=MASTER) == b"push-secret"
    for purpose, row, master in [
        ("ledger", b"row-1", MASTER),
        ("hub", b"row-2", MASTER),
        ("hub", b"row-1", OTHER),
    ]:
        with pytest.raises(ValueError):
            secretbox.unseal(blob, purpose=purpose, associated=row, configured=master)


def test_a_tampered_sealed_secret_does_not_open():
    blob = bytearray(secretbox.seal(b"private key", purpose="ledger", configured=MASTER))
    blob[-1] ^= 1
    with pytest.raises(ValueError):
        secretbox.unseal(bytes(blob), purpose="ledger", configured=MASTER)


def test_a_master_secret_of_the_wrong_length_is_refused_with_a_chinese_message():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="32 字节"):
        secretbox.derive_key("hub", configured="abcd")
