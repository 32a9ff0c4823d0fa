"""Known-answer and round-trip tests of the platform's hash and signature primitives (smartjustice.crypto)."""

import pytest

from smartjustice import crypto

# GB/T 32905-2016 Appendix A.
SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
SM3_ABCD16 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"

# GM/T 0003.5-2012 example on the recommended curve: user id 1234567812345678, message "message digest".
SM2_D = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
SM2_PUBLIC = bytes.fromhex(
    "04"
    "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
    "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
)
SM2_SIGNATURE = bytes.fromhex(
    "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
    "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
)


def test_sm3_standard_vectors():
    assert crypto.hash_bytes("sm3", b"abc").hex() == SM3_ABC
    assert crypto.hash_bytes("sm3", b"abcd" * 16).hex() == SM3_ABCD16
    assert crypto.hasher("sm3")(b"abc").hex() == SM3_ABC


def test_sha256_vector():
    assert crypto.hash_bytes("sha256", b"abc").hex().startswith("ba7816bf8f01cfea")


def test_unknown_algorithms_are_refused():
    with pytest.raises(ValueError):
        crypto.hash_bytes("md5", b"")
    with pytest.raises(ValueError):
        crypto.generate_keypair("rsa")


def test_sm2_public_key_of_published_private_key():
    assert crypto.public_key_of("sm2", SM2_D) == SM2_PUBLIC


def test_sm2_verifies_published_signature():
    assert crypto.verify("sm2", SM2_PUBLIC, b"message digest", SM2_SIGNATURE)
    assert not crypto.verify("sm2", SM2_PUBLIC, b"message digesT", SM2_SIGNATURE)


@pytest.mark.parametrize("algorithm", ["sm2", "ed25519"])
def test_round_trip_and_flipped_bits_fail(algorithm):
    private, public = crypto.generate_keypair(algorithm)
    assert crypto.public_key_of(algorithm, private) == public
    message = "行政处罚决定书 第1号".encode()
    signature = crypto.sign(algorithm, private, message)
    assert len(signature) == 64
    assert crypto.verify(algorithm, public, message, signature)
    for position in (0, 31, 63):
        flipped = bytearray(signature)
        flipped[position] ^= 0x01
        assert not crypto.verify(algorithm, public, message, bytes(flipped))
    tampered = bytearray(message)
    tampered[0] ^= 0x80
    assert not crypto.verify(algorithm, public, bytes(tampered), signature)
    _, other = crypto.generate_keypair(algorithm)
    assert not crypto.verify(algorithm, other, message, signature)


def test_sm2_rejects_malformed_input():
    assert not crypto.verify("sm2", SM2_PUBLIC[:64], b"message digest", SM2_SIGNATURE)
    assert not crypto.verify("sm2", SM2_PUBLIC, b"message digest", SM2_SIGNATURE[:63])
    assert not crypto.verify("sm2", SM2_PUBLIC, b"message digest", bytes(64))
    off_curve = SM2_PUBLIC[:-1] + bytes([SM2_PUBLIC[-1] ^ 1])
    assert not crypto.verify("sm2", off_curve, b"message digest", SM2_SIGNATURE)


def test_every_sm3_implementation_agrees():
    for implementation in (crypto._sm3_openssl, crypto._sm3_cryptography, crypto._sm3_gmssl):
        assert implementation(b"abcd" * 16).hex() == SM3_ABCD16


def test_sm2_key_whose_x_coordinate_starts_with_04():
    # gmssl's constructor strips a leading "04" with str.lstrip; this key (found by a stress run) used to fail.
    private = bytes.fromhex("e2fc5770166ead90aa755cb18a9a8801adece2e6b2ea6c2b65e78e91c6f2afc6")
    public = crypto.public_key_of("sm2", private)
    assert public[1] == 0x04
    signature = crypto.sign("sm2", private, b"checkpoint")
    assert crypto.verify("sm2", public, b"checkpoint", signature)


def test_the_package_needs_neither_django_nor_the_ledger():
    # Offline verifiers and every module that signs import it; it must not drag in Django or a domain app.
    import subprocess
    import sys

    code = (
        "import sys, smartjustice.crypto as c; "
        "assert c.hash_bytes('sm3', b'abc').hex().startswith('66c7f0'); "
        "loaded = [m for m in sys.modules if m.startswith(('django', 'smartjustice.ledger', 'smartjustice.core'))]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_ledger_and_credentials_use_the_one_package():
    from pathlib import Path

    import smartjustice

    root = Path(smartjustice.__file__).parent
    assert not (root / "ledger" / "crypto").exists()
    users = [
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "from smartjustice.crypto import" in path.read_text()
        or "from smartjustice import crypto" in path.read_text()
    ]
    assert {"credentials/proofs.py", "ledger/keys.py", "ledger/notes.py", "ledger/merkle.py"} <= set(users)
