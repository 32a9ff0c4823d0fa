"""Our SM2/SM3 (gmssl + OpenSSL underneath) against an independent implementation, snowland-smx (``pysmx``)."""

import secrets

import pysmx.SM2 as pysmx_sm2  # noqa: E402  (snowland-smx, a dev dependency: the cross-check must run, not skip)
import pysmx.SM3 as pysmx_sm3  # noqa: E402
import pytest

from smartjustice import crypto

from .test_crypto import SM2_D, SM2_PUBLIC, SM2_SIGNATURE

UID = "1234567812345678"
# GM/T 0003.5-2012 example: the random k that yields the published signature.
SM2_K = "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21"


def test_independent_sm2_reproduces_the_standard_example():
    signature = pysmx_sm2.Sign(b"message digest", SM2_D, SM2_K, 64, uid=UID)
    assert signature == SM2_SIGNATURE


def test_sm3_agrees_with_the_independent_implementation():
    for message in (b"", b"abc", "行政处罚决定书".encode() * 40, bytes(range(256)) * 9):
        assert crypto.hash_bytes("sm3", message).hex() == pysmx_sm3.digest(message).hex()


@pytest.mark.parametrize("message", [b"", b"message digest", "检查点正文\n".encode() * 50])
def test_our_signatures_verify_with_the_independent_implementation_and_back(message):
    private, public = crypto.generate_keypair("sm2")
    ours = crypto.sign("sm2", private, message)
    assert pysmx_sm2.Verify(ours, message, public[1:], 64, uid=UID)
    theirs = pysmx_sm2.Sign(message, private, secrets.token_hex(32), 64, uid=UID)
    assert crypto.verify("sm2", public, message, theirs)
    assert not pysmx_sm2.Verify(ours, message + b"!", public[1:], 64, uid=UID)
    assert crypto.verify("sm2", SM2_PUBLIC, b"message digest", SM2_SIGNATURE)
