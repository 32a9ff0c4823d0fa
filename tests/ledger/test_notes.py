"""Signed notes against the Go reference (golang.org/x/mod/sumdb/note example): existing tooling reads ours."""

import base64

import pytest

from smartjustice.ledger import notes

# The published example of golang.org/x/mod/sumdb/note (note.go package documentation).
GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_SIGNATURE_LINE = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"


def test_verifier_key_and_key_id_match_the_go_reference():
    name, signature_type, public_key = notes.parse_verifier_key(GO_VERIFIER_KEY)
    assert (name, signature_type, len(public_key)) == ("PeterNeumann", notes.TYPE_ED25519, 32)
    assert notes.key_id(name, signature_type, public_key).hex() == "c74f20a3"
    assert notes.verifier_key(name, signature_type, public_key) == GO_VERIFIER_KEY


def test_our_ed25519_note_signature_is_byte_identical_to_go():
    seed = base64.b64decode(GO_SIGNER_KEY.split("+", 4)[4])[1:]  # drop the 0x01 type byte
    _, _, public_key = notes.parse_verifier_key(GO_VERIFIER_KEY)
    line = notes.sign_note(
        GO_TEXT, name="PeterNeumann", algorithm="ed25519", private_key=seed, public_key=public_key
    )
    assert line == GO_SIGNATURE_LINE


@pytest.mark.parametrize(
    "mangled",
    [
        GO_VERIFIER_KEY.replace("c74f20a3", "c74f20a4"),
        GO_VERIFIER_KEY.replace("PeterNeumann", "Peter Neumann"),
        "PeterNeumann+c74f20a3+" + base64.b64encode(b"\x09" + bytes(32)).decode(),
        "PeterNeumann+zz+AA==",
    ],
)
def test_malformed_verifier_keys_are_refused(mangled):
    with pytest.raises(notes.NoteError):
        notes.parse_verifier_key(mangled)


def test_sm2_verifier_key_round_trips():
    public = b"\x04" + bytes(range(64))
    text = notes.verifier_key("ledger.sf.gd.gov.cn/decisions", notes.TYPE_SM2, public)
    assert notes.parse_verifier_key(text) == ("ledger.sf.gd.gov.cn/decisions", notes.TYPE_SM2, public)
