"""SM2 signing on OpenSSL 3 (constant-time ladder) instead of gmssl's branchy multiplication (ADR 0011).

Cross-library vectors: OpenSSL-made signatures verify under gmssl and snowland-smx (test_interop.py too), and
signatures from gmssl's path verify under the `openssl` command, so the formats and the user id agree everywhere.
"""

import base64
import os
import shutil
import subprocess
import sys

import pysmx.SM2 as pysmx_sm2
import pytest
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from smartjustice import crypto
from smartjustice.crypto import openssl_sm2

from .test_crypto import SM2_D, SM2_PUBLIC

# SubjectPublicKeyInfo header: id-ecPublicKey with the curve sm2p256v1 (1.2.156.10197.1.301), then the 65-byte point.
SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")
MESSAGE = "检查点 smartjustice/ledger\n42\n".encode()


def test_the_platform_signs_sm2_with_openssl():
    # libcrypto.so.3 is part of Debian's base system (libssl3): silently signing on gmssl would reopen the leak.
    assert os.environ.get("SMARTJUSTICE_SM2_BACKEND", "") == "gmssl" or crypto.SM2_BACKEND == "openssl", (
        openssl_sm2.UNAVAILABLE
    )


def test_openssl_derives_the_standard_example_public_key():
    backend = openssl_sm2.load()
    assert backend is not None, openssl_sm2.UNAVAILABLE
    assert backend.public_key(SM2_D) == SM2_PUBLIC
    assert crypto._sm2_public_gmssl(SM2_D) == SM2_PUBLIC


def test_openssl_signatures_verify_under_gmssl_and_snowland_smx():
    backend = openssl_sm2.load()
    for _ in range(5):
        private, public = crypto.generate_keypair("sm2")
        signature = backend.sign(private, public, MESSAGE, crypto.SM2_USER_ID)
        assert len(signature) == 64
        assert crypto.verify("sm2", public, MESSAGE, signature)  # gmssl
        assert pysmx_sm2.Verify(signature, MESSAGE, public[1:], 64, uid=crypto.SM2_USER_ID.decode())
        assert not crypto.verify("sm2", public, MESSAGE + b"!", signature)


def test_a_different_user_id_gives_a_signature_the_platform_refuses():
    backend = openssl_sm2.load()
    private, public = crypto.generate_keypair("sm2")
    signature = backend.sign(private, public, MESSAGE, b"ALICE123@YAHOO.COM")
    assert not crypto.verify("sm2", public, MESSAGE, signature)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl command is not installed")
@pytest.mark.parametrize("signer", ["platform", "gmssl"])
def test_signatures_verify_with_the_openssl_command(tmp_path, signer):
    private, public = crypto.generate_keypair("sm2")
    sign = crypto._sm2_sign_gmssl if signer == "gmssl" else lambda d, m: crypto.sign("sm2", d, m)
    raw = sign(private, MESSAGE)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    pem = base64.encodebytes(SPKI_PREFIX + public).decode()
    (tmp_path / "pub.pem").write_text(f"-----BEGIN PUBLIC KEY-----\n{pem}-----END PUBLIC KEY-----\n")
    (tmp_path / "sig").write_bytes(der)
    (tmp_path / "msg").write_bytes(MESSAGE)
    command = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-digest", "sm3"]
    command += ["-pkeyopt", "distid:1234567812345678", "-in", "msg", "-sigfile", "sig"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0 and "Verified Successfully" in result.stdout, result.stderr


def test_a_library_without_sm2_is_reported_not_used():
    assert openssl_sm2.load("/nonexistent/libcrypto.so.3") is None
    assert "libcrypto.so.3" in openssl_sm2.UNAVAILABLE
    assert openssl_sm2.load("libc.so.6") is None  # loads, but has none of the functions
    assert openssl_sm2.UNAVAILABLE
    assert openssl_sm2.load() is not None and openssl_sm2.UNAVAILABLE == ""


def test_failover_to_gmssl_is_logged_and_a_demanded_openssl_fails_loudly(monkeypatch, caplog):
    monkeypatch.setattr(openssl_sm2, "load", lambda path=None: None)
    monkeypatch.delenv("SMARTJUSTICE_SM2_BACKEND", raising=False)
    assert crypto._pick_sm2_backend() is None
    assert "falls back to gmssl" in caplog.text
    monkeypatch.setenv("SMARTJUSTICE_SM2_BACKEND", "openssl")
    with pytest.raises(ImportError, match="SMARTJUSTICE_SM2_BACKEND=openssl"):
        crypto._pick_sm2_backend()


def test_the_gmssl_fallback_still_signs_interoperably():
    code = (
        "import smartjustice.crypto as c; assert c.SM2_BACKEND == 'gmssl'; "
        "d, q = c.generate_keypair('sm2'); assert c.verify('sm2', q, b'm', c.sign('sm2', d, b'm'))"
    )
    env = {**os.environ, "SMARTJUSTICE_SM2_BACKEND": "gmssl"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
