"""Citizen ID numbers (GB 11643), unified social credit codes (GB 32100) and mobile numbers.

Check characters are verified here with the standards' own defining equations, written independently of
the code under test, so a wrong weight table in `core.validators` cannot hide behind its own output.
"""

import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from smartjustice.core import identity
from smartjustice.core.validators import (
    MESSAGES,
    USCC_CATEGORIES,
    CitizenIdInfo,
    normalize_citizen_id,
    normalize_mobile,
    normalize_uscc,
    parse_citizen_id,
    validate_citizen_id,
    validate_mobile,
    validate_uscc,
)

TODAY = date(2026, 1, 15)

# --- independent reference computations --------------------------------------------------------------------


def iso7064_mod_11_2_holds(number: str) -> bool:
    """GB 11643 / ISO 7064 MOD 11-2: sum of a_i * 2^(18-i) over all 18 characters ≡ 1 (mod 11), X = 10."""
    values = [10 if c == "X" else int(c) for c in number]
    return sum(v * 2 ** (17 - i) for i, v in enumerate(values)) % 11 == 1


def with_id_check_digit(first17: str) -> str:
    """Complete 17 digits with the one character that satisfies the MOD 11-2 equation."""
    (check,) = [c for c in "0123456789X" if iso7064_mod_11_2_holds(first17 + c)]
    return first17 + check


USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 table: value = index, no I O Z S V


def gb32100_check_holds(code: str) -> bool:
    """GB 32100: sum of v_i * 3^(i-1) mod 31 over the first 17 characters, plus the check value, ≡ 0 (mod 31)."""
    values = [USCC_CHARSET.index(c) for c in code]
    return (sum(v * pow(3, i, 31) for i, v in enumerate(values[:17])) + values[17]) % 31 == 0


def with_uscc_check_digit(first17: str) -> str:
    (check,) = [c for c in USCC_CHARSET if gb32100_check_holds(first17 + c)]
    return first17 + check


def gb11714_check_holds(organisation_code: str) -> bool:
    """GB 11714: sum of body values (A=10 … Z=35) times 3,7,9,10,5,8,4,2, plus the check value (X=10) ≡ 0 (mod 11)."""
    body, check = organisation_code[:8], organisation_code[8]
    total = sum(int(c, 36) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    return (total + (10 if check == "X" else int(check))) % 11 == 0


def error_code(func, value, **kwargs) -> str:
    """The code of the ValidationError `func(value)` raises; fails the test if it accepts the value."""
    try:
        func(value, **kwargs)
    except ValidationError as exc:
        return exc.code
    pytest.fail(f"{func.__name__} accepted {value!r}")


def test_reference_computations_agree_with_published_numbers():
    assert iso7064_mod_11_2_holds("11010519491231002X")  # GB 11643-1999's own example
    assert gb32100_check_holds("91350100M000100Y43")
    assert gb11714_check_holds("M000100Y4")
    assert gb11714_check_holds("600037341")


# --- 公民身份号码 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",  # the example printed in GB 11643-1999
        "360426199101010071",  # python-stdnum's documented example
        with_id_check_digit("44010619900101123"),
        with_id_check_digit("81000019800101001"),  # Hong Kong resident's residence permit
        with_id_check_digit("83000020000229002"),  # Taiwan resident's residence permit, leap day
    ],
)
def test_valid_citizen_id_is_accepted_unchanged(number):
    assert normalize_citizen_id(number, today=TODAY) == number


def test_lower_case_x_is_accepted_and_upper_cased():
    assert normalize_citizen_id("11010519491231002x", today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    "typed",
    [
        " 11010519491231002X ",
        "110105 19491231 002X",
        "110105-19491231-002X",
        "１１０１０５１９４９１２３１００２ｘ",
    ],
)
def test_blanks_hyphens_and_full_width_characters_are_normalized(typed):
    assert normalize_citizen_id(typed, today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "citizen_id_required"),
        ("", "citizen_id_required"),
        ("   ", "citizen_id_required"),
        ("1101051949123100", "citizen_id_length"),
        ("11010519491231002X1", "citizen_id_length"),
        ("110105491231002", "citizen_id_length"),  # first-generation 15-digit number
        ("11010519491231002A", "citizen_id_characters"),
        ("1101051949123100X2", "citizen_id_characters"),  # X only as the last character
        ("X1010519491231002X", "citizen_id_characters"),
        ("00010519491231002X", "citizen_id_region"),
        ("99010519491231002X", "citizen_id_region"),
        ("91010519491231002X", "citizen_id_region"),
        (with_id_check_digit("11010519900230123"), "citizen_id_birth_date"),  # 30 February
        (with_id_check_digit("11010519901301123"), "citizen_id_birth_date"),  # month 13
        (with_id_check_digit("11010519900100123"), "citizen_id_birth_date"),  # day 0
        (with_id_check_digit("11010518991231123"), "citizen_id_birth_date"),  # before 1900
        (with_id_check_digit("11010520260116123"), "citizen_id_birth_date"),  # tomorrow
        (with_id_check_digit("11010519010229123"), "citizen_id_birth_date"),  # 1901 is not a leap year
        ("110105194912310021", "citizen_id_checksum"),
        ("110105194912310020", "citizen_id_checksum"),
        ("11010519491231003X", "citizen_id_checksum"),
    ],
)
def test_invalid_citizen_id_reports_why(value, code):
    assert error_code(normalize_citizen_id, value, today=TODAY) == code


def test_citizen_id_messages_are_clear_chinese():
    assert MESSAGES["citizen_id_length"] == "身份证号码应为18位，请核对后重新输入"
    assert (
        MESSAGES["citizen_id_characters"] == "身份证号码只能由数字组成，最后一位可以是字母X，请核对后重新输入"
    )
    assert MESSAGES["citizen_id_birth_date"] == "身份证号码中的出生日期无效，请核对后重新输入"
    assert MESSAGES["citizen_id_region"] == "身份证号码前两位（省级行政区划代码）无效，请核对后重新输入"
    assert MESSAGES["citizen_id_checksum"] == "身份证号码校验位错误，请核对后重新输入"
    with pytest.raises(ValidationError) as info:
        normalize_citizen_id("110105194912310021", today=TODAY)
    assert info.value.messages == ["身份证号码校验位错误，请核对后重新输入"]


def test_born_today_is_accepted():
    number = with_id_check_digit("44010620260115001")
    assert normalize_citizen_id(number, today=TODAY) == number


def test_parse_citizen_id_reads_birth_date_sex_and_region():
    info = parse_citizen_id("11010519491231002X", today=TODAY)
    assert info == CitizenIdInfo(birth_date=date(1949, 12, 31), sex="女", region_code="110105")
    assert info.province_code == "11"
    male = parse_citizen_id(with_id_check_digit("44010619900101123"), today=TODAY)
    assert (male.sex, male.birth_date, male.region_code) == ("男", date(1990, 1, 1), "440106")


def test_parse_citizen_id_rejects_invalid_numbers():
    assert error_code(parse_citizen_id, "110105194912310021", today=TODAY) == "citizen_id_checksum"


def test_age_counts_whole_years():
    info = parse_citizen_id(with_id_check_digit("44010620080615002"), today=TODAY)
    assert info.age_on(date(2026, 6, 14)) == 17
    assert info.age_on(date(2026, 6, 15)) == 18


def test_default_today_rejects_far_future_birth_dates():
    assert (
        error_code(normalize_citizen_id, with_id_check_digit("11010520991231123")) == "citizen_id_birth_date"
    )


def test_500_generated_citizen_ids_validate_and_parse_back():
    rng = random.Random(11643)
    regions = ["110105", "440106", "440304", "650102", "810000", "830000"]
    for _ in range(500):
        region = rng.choice(regions)
        born = date.fromordinal(rng.randrange(date(1900, 1, 1).toordinal(), TODAY.toordinal() + 1))
        sex = rng.choice(["男", "女"])
        number = identity.generate_citizen_id(rng, region_code=region, birth_date=born, sex=sex)
        assert iso7064_mod_11_2_holds(number), number
        assert normalize_citizen_id(number, today=TODAY) == number
        assert parse_citizen_id(number, today=TODAY) == CitizenIdInfo(born, sex, region)


def test_changing_any_single_character_of_a_citizen_id_is_detected():
    rng = random.Random(1999)
    for _ in range(500):
        number = identity.generate_citizen_id(
            rng, region_code="440106", birth_date=date(1950 + rng.randrange(70), 1 + rng.randrange(12), 1 + rng.randrange(28)),
            sex=rng.choice(["男", "女"]),
        )  # fmt: skip
        for position in range(18):
            alphabet = "0123456789X" if position == 17 else "0123456789"
            for replacement in alphabet.replace(number[position], ""):
                changed = number[:position] + replacement + number[position + 1 :]
                code = error_code(normalize_citizen_id, changed, today=TODAY)
                if position >= 14:  # region and date untouched: only the check character can tell
                    assert code == "citizen_id_checksum", changed


# --- 统一社会信用代码 -----------------------------------------------------------------------------------------

PUBLISHED_USCCS = [
    "91350100M000100Y43",  # example code published with GB 32100 explanations
    "91110000600037341L",  # python-stdnum's documented example (code built on organisation code 60003734-1)
    "12440600MB2C07549J",  # 事业单位 (authority 1, category 2)
    "92141127MA0KD1Y64A",  # 个体工商户 (category 2), listed by the national code centre
]


@pytest.mark.parametrize("code", PUBLISHED_USCCS)
def test_published_usccs_are_valid(code):
    assert gb32100_check_holds(code)  # the test's own arithmetic agrees before we ask the code under test
    assert normalize_uscc(code) == code


def test_uscc_is_upper_cased_and_stripped():
    assert normalize_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalize_uscc("9135 0100 M000 100Y 43") == "91350100M000100Y43"
    assert normalize_uscc("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_excluded_by_the_standard_are_rejected(letter):
    code = "91350100M000100Y43"
    assert error_code(normalize_uscc, code[:10] + letter + code[11:]) == "uscc_characters"
    assert error_code(normalize_uscc, code[:17] + letter) == "uscc_characters"
    assert error_code(normalize_uscc, code[:10] + letter.lower() + code[11:]) == "uscc_characters"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "uscc_required"),
        ("", "uscc_required"),
        ("91350100M000100Y4", "uscc_length"),
        ("91350100M000100Y433", "uscc_length"),
        ("M00010043", "uscc_length"),  # a bare organisation code
        ("91350100M000100Y4#", "uscc_characters"),
        ("91350100M000100Y4中", "uscc_characters"),
        (with_uscc_check_digit("B1350100M000100Y4"), "uscc_authority"),
        (with_uscc_check_digit("01350100M000100Y4"), "uscc_authority"),
        (with_uscc_check_digit("94350100M000100Y4"), "uscc_category"),  # 工商 has no category 4
        (with_uscc_check_digit("99350100M000100Y4"), "uscc_category"),  # … nor 9
        (with_uscc_check_digit("Y2350100M000100Y4"), "uscc_category"),  # 其他 only uses 1
        (with_uscc_check_digit("36350100M000100Y4"), "uscc_category"),  # 司法行政 1–5 and 9
        (with_uscc_check_digit("9135A100M000100Y4"), "uscc_region"),
        ("91350100M000100Y44", "uscc_checksum"),
        ("91350100M000100Y34", "uscc_checksum"),  # adjacent transposition
        ("91110000600037341M", "uscc_checksum"),
    ],
)
def test_invalid_uscc_reports_why(value, code):
    assert error_code(normalize_uscc, value) == code


def test_uscc_messages_are_clear_chinese():
    assert MESSAGES["uscc_checksum"] == "统一社会信用代码校验位错误，请核对后重新输入"
    assert MESSAGES["uscc_characters"] == (
        "统一社会信用代码只能由数字和大写英文字母组成（不使用I、O、Z、S、V），请核对后重新输入"
    )
    with pytest.raises(ValidationError) as info:
        normalize_uscc("91350100M000100Y44")
    assert info.value.messages == [MESSAGES["uscc_checksum"]]


@pytest.mark.parametrize(
    "prefix", ["11", "12", "13", "19", "21", "31", "32", "33", "34", "35", "39", "51", "52", "53", "59", "71",
               "81", "91", "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1"],
)  # fmt: skip
def test_every_authority_and_category_of_the_standard_is_accepted(prefix):
    code = with_uscc_check_digit(prefix + "440106MA5ABCDE1")
    assert normalize_uscc(code) == code


def test_national_registrations_use_division_100000():
    code = with_uscc_check_digit("51100000500000123")
    assert normalize_uscc(code) == code


def test_organisation_code_check_inside_the_uscc_is_not_enforced():
    # Registries issued a few non-conforming subject identifiers before 2016; the final check character
    # already catches every single typo, so only it decides.
    code = with_uscc_check_digit("91350100M000100Y5")
    assert not gb11714_check_holds(code[8:17])
    assert normalize_uscc(code) == code


def test_500_generated_usccs_validate():
    rng = random.Random(32100)
    pairs = [(authority, category) for authority, cats in USCC_CATEGORIES.items() for category in cats]
    for _ in range(500):
        authority, category = rng.choice(pairs)
        region = rng.choice(["440106", "440000", "110105", "100000"])
        code = identity.generate_uscc(rng, region_code=region, department=authority, category=category)
        assert code[:8] == authority + category + region
        assert gb32100_check_holds(code), code
        assert gb11714_check_holds(code[8:17]), code
        assert normalize_uscc(code) == code


def test_changing_any_single_character_of_a_uscc_is_detected():
    rng = random.Random(17710)
    for _ in range(500):
        code = identity.generate_uscc(rng, region_code="440106")
        for position in range(18):
            for replacement in USCC_CHARSET.replace(code[position], ""):
                changed = code[:position] + replacement + code[position + 1 :]
                reason = error_code(normalize_uscc, changed)
                if (
                    position >= 8
                ):  # authority, category and division untouched: only the check character can tell
                    assert reason == "uscc_checksum", changed


# --- 手机号码 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        " 13812345678 ",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "86-138-1234-5678",
        "8613812345678",
        "0086 138 1234 5678",
        "(+86) 138-1234-5678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_formats_normalize_to_11_digits(typed):
    assert normalize_mobile(typed) == "13812345678"


@pytest.mark.parametrize(
    "number", ["13012345678", "14712345678", "15912345678", "16612345678", "17712345678", "18912345678",
               "19212345678", "19912345678"],
)  # fmt: skip
def test_mobile_prefixes_of_all_operators_are_accepted(number):
    assert normalize_mobile(number) == number


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "mobile_required"),
        ("", "mobile_required"),
        ("1-800-FLOWERS", "mobile_format"),
        ("138l2345678", "mobile_format"),  # letter l for digit 1
        ("13812345678转123", "mobile_format"),
        ("+-()", "mobile_format"),
        ("+852 9123 4567", "mobile_not_mainland"),
        ("+1 415 555 2671", "mobile_not_mainland"),
        ("020-12345678", "mobile_landline"),
        ("02012345678", "mobile_landline"),
        ("+86 10 6512 3456", "mobile_landline"),
        ("1381234567", "mobile_invalid"),  # 10 digits
        ("138123456789", "mobile_invalid"),  # 12 digits
        ("12012345678", "mobile_invalid"),  # no 12x mobile range
        ("11012345678", "mobile_invalid"),
        ("10012345678", "mobile_invalid"),
        ("14012345678", "mobile_invalid"),  # unassigned
        ("1440123456789", "mobile_invalid"),  # 13-digit IoT number
        ("4008123123", "mobile_invalid"),  # service number, not a mobile
    ],
)
def test_invalid_mobile_reports_why(value, code):
    assert error_code(normalize_mobile, value) == code


def test_mobile_messages_are_clear_chinese():
    assert MESSAGES["mobile_landline"] == "这是固定电话号码，请填写11位手机号码"
    assert MESSAGES["mobile_not_mainland"] == "仅支持中国大陆手机号码（+86），请核对后重新输入"
    assert MESSAGES["mobile_invalid"] == "手机号码无效，应为1开头的11位号码，请核对号段和位数后重新输入"


# --- Django validator callables ------------------------------------------------------------------------------


def test_django_validators_raise_validation_error_with_code():
    assert validate_citizen_id("11010519491231002x") == "11010519491231002X"
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"
    assert validate_mobile("+86 138 1234 5678") == "13812345678"
    assert error_code(validate_citizen_id, "110105194912310021") == "citizen_id_checksum"
    assert error_code(validate_uscc, "91350100M000100Y44") == "uscc_checksum"
    assert error_code(validate_mobile, "020-12345678") == "mobile_landline"


def test_every_message_has_a_namespaced_code():
    assert all(code.split("_")[0] in {"citizen", "uscc", "mobile"} for code in MESSAGES)
    assert all(message and message.isprintable() for message in MESSAGES.values())
