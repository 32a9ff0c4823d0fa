"""RFC 8785 (JCS) test vectors: the canonical bytes a credential's signature covers must be the RFC's, exactly."""

import json
import struct

import pytest

from smartjustice.credentials.canonical import canonicalize

# RFC 8785 Appendix B: IEEE 754 double (hex) → canonical text (as ECMAScript's Number.prototype.toString).
APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),  # minus zero
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("ieee", "expected"), APPENDIX_B)
def test_numbers_of_appendix_b(ieee, expected):
    assert canonicalize(struct.unpack(">d", bytes.fromhex(ieee))[0]).decode() == expected


@pytest.mark.parametrize("ieee", ["7fffffffffffffff", "7ff0000000000000", "fff0000000000000"])
def test_nan_and_infinity_are_refused(ieee):
    with pytest.raises(ValueError):
        canonicalize(struct.unpack(">d", bytes.fromhex(ieee))[0])


def test_the_example_of_section_3_2_2():
    # §3.2.2 input (as parsed from JSON text, so 4.50 and 1E30 arrive as doubles) and its canonical form.
    source = (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], '
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", '
        '"literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],'
        '"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonicalize(json.loads(source)) == expected.encode("utf-8")


def test_the_sorting_example_of_section_3_2_3():
    # Keys ordered by UTF-16 code units: the emoji's surrogate pair (D83D …) sorts before U+FB33.
    source = (
        '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", '
        '"1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", '
        '"\\u00f6": "Latin Small Letter O With Diaeresis"}'
    )
    values = [v for _, v in json.loads(canonicalize(json.loads(source)), object_pairs_hook=list)]
    assert values == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
    ]


def test_integers_beyond_ieee_precision_and_non_string_keys_are_refused():
    assert canonicalize(2**53 - 1) == b"9007199254740991" and canonicalize(-0.0) == b"0"
    for value in (2**53, -(2**53), {1: "one"}, {"x": object()}):
        with pytest.raises(ValueError):
            canonicalize(value)
