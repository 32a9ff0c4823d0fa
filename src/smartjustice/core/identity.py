"""Synthetic identifiers for demo data and tests ONLY — never use them for real records.

The numbers are structurally valid (right check characters, plausible prefixes) so that they pass
``core.validators``, but they are drawn at random and may collide with a real person's or organisation's
number by chance; that is why they never leave demo and test databases. Every function takes a seeded
``random.Random`` so that data sets are reproducible.
"""

from __future__ import annotations

import random
from datetime import date

from .validators import (
    PROVINCES,
    USCC_ALPHABET,
    USCC_CATEGORIES,
    citizen_id_check_digit,
    organisation_code_check_digit,
    uscc_check_digit,
)

#: Long-established mainland mobile prefixes whose whole number range is MOBILE in libphonenumber.
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "166", "176", "177", "178",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
    "191", "198", "199",
)  # fmt: skip


def _check_region_code(region_code: str, *, allow_central: bool = False) -> None:
    if not (len(region_code) == 6 and region_code.isascii() and region_code.isdigit()):
        raise ValueError(f"region_code must be 6 digits, got {region_code!r}")
    if region_code[:2] not in PROVINCES and not (allow_central and region_code == "100000"):
        raise ValueError(f"region_code {region_code!r} does not start with a provincial code")


def generate_citizen_id(rng: random.Random, *, region_code: str, birth_date: date, sex: str) -> str:
    """A citizen ID number (GB 11643) for a person of `sex` ("男"/"女") born on `birth_date` in `region_code`.

    The sequence number is odd for men and even for women, as the standard requires. `birth_date` must lie
    between 1900-01-01 and today for the number to validate.
    """
    _check_region_code(region_code)
    if sex not in ("男", "女"):
        raise ValueError(f"sex must be '男' or '女', got {sex!r}")
    if not 1900 <= birth_date.year <= 9999:
        raise ValueError(f"birth_date out of range: {birth_date}")
    # Sequence number: odd (1…997) for men, even (2…998) for women.
    sequence = 2 * rng.randrange(1, 500) - (1 if sex == "男" else 0)
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + citizen_id_check_digit(first17)


def generate_uscc(rng: random.Random, *, region_code: str, department: str = "9", category: str = "1") -> str:
    """A unified social credit code (GB 32100) registered by `department` in `region_code`.

    `department` is the registration authority code (9 市场监管, 3 司法行政, 5 民政 …) and `category` one of
    its organisation categories (see ``validators.USCC_CATEGORIES``). The embedded 9-character organisation
    code carries a correct GB 11714 check character and the 18th character the GB 32100 one.
    `region_code` may also be ``100000`` (registered by a national authority).
    """
    categories = USCC_CATEGORIES.get(department)
    if categories is None:
        raise ValueError(f"unknown registration authority code {department!r}")
    if category not in categories:
        raise ValueError(f"category {category!r} is not defined for registration authority {department!r}")
    _check_region_code(region_code, allow_central=True)
    body = "".join(rng.choice(USCC_ALPHABET) for _ in range(8))
    first17 = f"{department}{category}{region_code}{body}{organisation_code_check_digit(body)}"
    return first17 + uscc_check_digit(first17)


def generate_mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number with a common operator prefix."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
