"""Synthetic identifiers for demo data and tests: valid by construction, reproducible from the seed."""

import random
from datetime import date

import pytest

from smartjustice.core import identity
from smartjustice.core.validators import (
    normalize_citizen_id,
    normalize_mobile,
    normalize_uscc,
    parse_citizen_id,
)


def test_citizen_id_embeds_region_birth_date_and_sex():
    rng = random.Random(1)
    number = identity.generate_citizen_id(rng, region_code="440106", birth_date=date(1988, 5, 17), sex="男")
    assert number.startswith("44010619880517")
    assert int(number[16]) % 2 == 1  # men have odd sequence numbers
    info = parse_citizen_id(number)
    assert (info.region_code, info.birth_date, info.sex) == ("440106", date(1988, 5, 17), "男")


def test_women_get_even_sequence_numbers_and_men_odd():
    rng = random.Random(2)
    for _ in range(300):
        woman = identity.generate_citizen_id(rng, region_code="110105", birth_date=date(1970, 1, 1), sex="女")
        man = identity.generate_citizen_id(rng, region_code="110105", birth_date=date(1970, 1, 1), sex="男")
        assert int(woman[14:17]) % 2 == 0 and woman[14:17] != "000"
        assert int(man[14:17]) % 2 == 1


def test_generated_citizen_ids_validate_for_every_province():
    rng = random.Random(3)
    for province in ["11", "15", "31", "44", "46", "50", "54", "65", "71", "81", "82", "83"]:
        number = identity.generate_citizen_id(
            rng, region_code=province + "0102", birth_date=date(2000, 2, 29), sex="女"
        )
        assert normalize_citizen_id(number) == number


def test_same_seed_gives_same_identities():
    def batch(seed):
        rng = random.Random(seed)
        return [
            identity.generate_citizen_id(rng, region_code="440106", birth_date=date(1990, 1, 1), sex="男"),
            identity.generate_uscc(rng, region_code="440106"),
            identity.generate_mobile(rng),
        ]

    assert batch(42) == batch(42)
    assert batch(42) != batch(43)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"region_code": "44010", "birth_date": date(1990, 1, 1), "sex": "男"},
        {"region_code": "4401061", "birth_date": date(1990, 1, 1), "sex": "男"},
        {"region_code": "990106", "birth_date": date(1990, 1, 1), "sex": "男"},
        {"region_code": "44010a", "birth_date": date(1990, 1, 1), "sex": "男"},
        {"region_code": "440106", "birth_date": date(1990, 1, 1), "sex": "M"},
        {"region_code": "440106", "birth_date": date(1899, 12, 31), "sex": "女"},
    ],
)
def test_citizen_id_generator_refuses_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        identity.generate_citizen_id(random.Random(0), **kwargs)


def test_uscc_uses_department_category_and_region():
    rng = random.Random(4)
    law_firm = identity.generate_uscc(rng, region_code="440106", department="3", category="1")
    assert law_firm.startswith("31440106")
    assert normalize_uscc(law_firm) == law_firm
    company = identity.generate_uscc(rng, region_code="440106")
    assert company.startswith("91440106")
    national = identity.generate_uscc(rng, region_code="100000", department="5", category="1")
    assert national.startswith("51100000") and normalize_uscc(national) == national


def test_uscc_never_uses_excluded_letters():
    rng = random.Random(5)
    codes = "".join(identity.generate_uscc(rng, region_code="440106") for _ in range(500))
    assert not set(codes) & set("IOZSV")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"region_code": "440106", "department": "B"},
        {"region_code": "440106", "department": "9", "category": "9"},
        {"region_code": "440106", "department": "Y", "category": "2"},
        {"region_code": "4401", "department": "9"},
        {"region_code": "000000", "department": "9"},
    ],
)
def test_uscc_generator_refuses_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        identity.generate_uscc(random.Random(0), **kwargs)


def test_500_generated_mobiles_are_valid_mainland_mobiles():
    rng = random.Random(6)
    for _ in range(500):
        number = identity.generate_mobile(rng)
        assert len(number) == 11 and number.isdigit()
        assert number[:3] in identity.MOBILE_PREFIXES
        assert normalize_mobile(number) == number


def test_every_listed_mobile_prefix_is_valid_across_its_range():
    for prefix in identity.MOBILE_PREFIXES:
        for middle in range(10):
            number = f"{prefix}{middle}0000000"
            assert normalize_mobile(number) == number
            assert normalize_mobile(f"{prefix}{middle}9999999") == f"{prefix}{middle}9999999"


def test_module_says_it_is_for_demo_data_and_tests_only():
    assert "demo data and tests ONLY" in identity.__doc__
