"""JSON Canonicalization Scheme (RFC 8785): the exact bytes a signature or digest covers.

Keys sorted by their UTF-16 code units (§3.2.3), no insignificant whitespace, strings escaped minimally (§3.2.2.2,
as ECMAScript JSON.stringify does), numbers in ECMAScript form (§3.2.2.3). Pure: offline verifiers use it too.
"""

from __future__ import annotations

import math

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(value: str) -> str:
    out = ['"']
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _number(value: float | int) -> str:
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers")
    if isinstance(value, int):
        if abs(value) > 2**53 - 1:
            raise ValueError(
                "RFC 8785 §3.2.2.3: integers beyond ±(2^53−1) lose precision; send them as strings"
            )
        return str(value)
    if not math.isfinite(value):
        raise ValueError("RFC 8785: NaN and Infinity are not JSON")
    if value == 0:
        return "0"
    # Shortest round-trip digits (Python's repr), laid out as ECMAScript Number.prototype.toString does.
    digits, exponent = _decompose(repr(abs(value)))
    sign = "-" if value < 0 else ""
    n = exponent + 1  # position of the decimal point after the first digit
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    exp = n - 1
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp)}"


def _decompose(text: str) -> tuple[str, int]:
    """'1.25e-07' → ('125', -7): significant digits and the exponent of the first one."""
    mantissa, _, exp = text.partition("e")
    exponent = int(exp) if exp else 0
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    leading_zeros = len(whole + fraction) - len((whole + fraction).lstrip("0"))
    exponent += len(whole) - 1 - leading_zeros
    return digits.rstrip("0") or "0", exponent


def _encode(value, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, int | float):
        out.append(_number(value))
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(sorted(value, key=lambda k: k.encode("utf-16-be"))):
            if not isinstance(key, str):
                raise TypeError("JSON object keys must be strings")
            if i:
                out.append(",")
            out.append(_string(key))
            out.append(":")
            _encode(value[key], out)
        out.append("}")
    else:
        raise TypeError(f"not JSON: {type(value).__name__}")


def canonicalize(value) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value."""
    out: list[str] = []
    _encode(value, out)
    return "".join(out).encode("utf-8")
