"""The pure building blocks: JCS canonicalisation (RFC 8785) and the Bitstring Status List encoding."""

import base64
import gzip

import pytest

from smartjustice.credentials.canonical import canonicalize
from smartjustice.credentials.statuslist import MIN_ENTRIES, Bitstring


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (123456789012345680000.0, "123456789012345680000"),
        (-0.0, "0"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (333333333.3333333, "333333333.3333333"),
        (9007199254740991, "9007199254740991"),
    ],
)
def test_jcs_numbers_follow_ecmascript(value, expected):
    assert canonicalize(value).decode() == expected


def test_jcs_sorts_keys_by_utf16_code_units_and_escapes_minimally():
    # RFC 8785 §3.2.3 sorting example.
    value = {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
             "1": "One", "\U0001f600": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}  # fmt: skip
    keys = [k for k in canonicalize(value).decode().split('"')[1::4]]
    assert keys == ["\\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert canonicalize({"b": [1, "行政执法证", None, True], "a": '\u001f"'}) == (
        '{"a":"\\u001f\\"","b":[1,"行政执法证",null,true]}'.encode()
    )


def test_jcs_refuses_what_json_cannot_say():
    with pytest.raises(ValueError):
        canonicalize(float("nan"))
    with pytest.raises(ValueError):
        canonicalize(2**60)


def test_status_list_is_at_least_131072_entries_gzip_base64url():
    bits = Bitstring()
    assert bits.size == MIN_ENTRIES == 131_072
    bits.set(0, True)
    bits.set(131_071, True)
    encoded = bits.encode()
    assert encoded.startswith("u")  # multibase base64url
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) == 16_384
    assert raw[0] == 0b1000_0000  # index 0 is the left-most bit
    assert raw[-1] == 0b0000_0001
    decoded = Bitstring.decode(encoded)
    assert decoded.get(0) and decoded.get(131_071) and not decoded.get(1)
    assert decoded.count() == 2


def test_status_list_refuses_small_lists():
    with pytest.raises(ValueError):
        Bitstring(1024)
