"""Validation of identifiers used by every module: citizen ID numbers, USCCs and mainland mobile numbers.

Each identifier has one ``normalize_*`` function: it accepts what people actually type (surrounding blanks,
full-width characters, a lower-case ``x``, ``+86`` prefixes …) and returns the canonical form, or raises
``django.core.exceptions.ValidationError`` with a Chinese message and a stable ``code`` (see ``MESSAGES``).
The ``validate_*`` names are the same checks as Django validator callables for model and form fields; they
also return the normalized value, but a validator cannot change what is stored, so services store the
``normalize_*`` result.

Standards implemented:

* 公民身份号码 — GB 11643-1999: 6-digit address code (GB/T 2260), 8-digit birth date, 3-digit sequence
  (odd for men, even for women), ISO 7064 MOD 11-2 check character (``0``–``9`` or ``X``).
* 统一社会信用代码 — GB 32100-2015: registration authority (1), organisation category (1), registering
  authority's division code (6 digits), subject identifier (9, per GB 11714), GB/T 17710 MOD 31 check character;
  alphabet is digits and upper-case letters without I, O, Z, S, V.
* 手机号码 — mainland numbers (+86) of type MOBILE in libphonenumber's metadata, 11 digits starting 13–19.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from stdnum.cn import uscc as stdnum_uscc

# --- Messages ---------------------------------------------------------------------------------------------

#: Every error this module raises, by its stable code. Forms, the API and tests rely on these codes.
MESSAGES: dict[str, str] = {
    "citizen_id_required": "请填写身份证号码",
    "citizen_id_length": "身份证号码应为18位，请核对后重新输入",
    "citizen_id_characters": "身份证号码只能由数字组成，最后一位可以是字母X，请核对后重新输入",
    "citizen_id_region": "身份证号码前两位（省级行政区划代码）无效，请核对后重新输入",
    "citizen_id_birth_date": "身份证号码中的出生日期无效，请核对后重新输入",
    "citizen_id_checksum": "身份证号码校验位错误，请核对后重新输入",
    "uscc_required": "请填写统一社会信用代码",
    "uscc_length": "统一社会信用代码应为18位，请核对后重新输入",
    "uscc_characters": "统一社会信用代码只能由数字和大写英文字母组成（不使用I、O、Z、S、V），请核对后重新输入",
    "uscc_authority": "统一社会信用代码第1位（登记管理部门代码）无效，请核对后重新输入",
    "uscc_category": "统一社会信用代码第2位（机构类别代码）与登记管理部门不符，请核对后重新输入",
    "uscc_region": "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字，请核对后重新输入",
    "uscc_checksum": "统一社会信用代码校验位错误，请核对后重新输入",
    "mobile_required": "请填写手机号码",
    "mobile_format": "手机号码只能包含数字、空格、连字符、括号和“+”号，请核对后重新输入",
    "mobile_not_mainland": "仅支持中国大陆手机号码（+86），请核对后重新输入",
    "mobile_landline": "这是固定电话号码，请填写11位手机号码",
    "mobile_invalid": "手机号码无效，应为1开头的11位号码，请核对号段和位数后重新输入",
}


def _fail(code: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code)


def _clean(value, *, drop: str = " -") -> str:
    """Full-width characters folded to ASCII (NFKC), then blanks and the given separators removed."""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split())  # every kind of whitespace, including the ideographic space
    for ch in drop:
        text = text.replace(ch, "")
    return text


# --- 公民身份号码 (GB 11643-1999) ---------------------------------------------------------------------------

#: First two digits of the address code: provincial-level divisions of GB/T 2260, plus 83 which the
#: residence permits for Taiwan residents use (港澳台居民居住证: 810000 / 820000 / 830000).
PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区", "83": "台湾地区（居住证）",
}  # fmt: skip

_CITIZEN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17-i) mod 11
_CITIZEN_ID_CHECK = "10X98765432"  # check character for (weighted sum mod 11) = 0 … 10
_EARLIEST_BIRTH_DATE = date(1900, 1, 1)


@dataclass(frozen=True)
class CitizenIdInfo:
    """What a citizen ID number says about its holder."""

    birth_date: date
    sex: str  # "男" or "女"
    region_code: str  # 6-digit address code (GB/T 2260) where the number was first issued

    @property
    def province_code(self) -> str:
        return self.region_code[:2]

    def age_on(self, day: date) -> int:
        """Age in whole years on `day` (a birthday on 29 February counts from 1 March in common years)."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


def citizen_id_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits of a citizen ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _CITIZEN_ID_WEIGHTS, strict=True))
    return _CITIZEN_ID_CHECK[total % 11]


def _today() -> date:
    # Local calendar day (Asia/Shanghai) when Django is configured; the OS date otherwise, so that
    # these functions also work outside a project context.
    from django.conf import settings

    if settings.configured:
        from django.utils import timezone

        return timezone.localdate()
    return date.today()


def normalize_citizen_id(value, *, today: date | None = None) -> str:
    """The 18-character citizen ID number (upper-case ``X``), or ValidationError.

    Blanks, hyphens and full-width characters are tolerated; 15-digit first-generation numbers are rejected
    (they stopped being valid in 2013). The birth date must be real, not before 1900 and not after `today`.
    """
    if value is None:
        raise _fail("citizen_id_required")
    number = _clean(value).upper()
    if not number:
        raise _fail("citizen_id_required")
    if len(number) != 18:
        raise _fail("citizen_id_length")
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        raise _fail("citizen_id_characters")
    if number[:2] not in PROVINCES:
        raise _fail("citizen_id_region")
    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise _fail("citizen_id_birth_date") from None
    if birth_date < _EARLIEST_BIRTH_DATE or birth_date > (today or _today()):
        raise _fail("citizen_id_birth_date")
    if number[17] != citizen_id_check_digit(number[:17]):
        raise _fail("citizen_id_checksum")
    return number


def parse_citizen_id(value, *, today: date | None = None) -> CitizenIdInfo:
    """Birth date, sex and address code of a valid citizen ID number (ValidationError if invalid)."""
    number = normalize_citizen_id(value, today=today)
    return CitizenIdInfo(
        birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        sex="男" if int(number[16]) % 2 else "女",
        region_code=number[:6],
    )


def validate_citizen_id(value) -> str:
    """Django validator: a valid citizen ID number."""
    return normalize_citizen_id(value)


# --- 统一社会信用代码 (GB 32100-2015) -----------------------------------------------------------------------

#: The alphabet of GB 32100: digits and upper-case letters except I, O, Z, S, V; the index is the value.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

#: 登记管理部门代码 → allowed 机构类别代码 (GB 32100-2015 appendix, with the 2016 additions A and N).
USCC_CATEGORIES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},  # 机构编制
    "2": {"1": "外国常驻新闻机构", "9": "其他"},  # 外交
    "3": {  # 司法行政
        "1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构", "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},  # 文化
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},  # 民政
    "6": {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},  # 旅游
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},  # 宗教
    "8": {"1": "基层工会", "9": "其他"},  # 工会
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},  # 工商（市场监管）
    "A": {"1": "军队事业单位", "9": "其他"},  # 中央军委改革和编制办公室
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},  # 农业
    "Y": {"1": "其他"},  # 其他登记管理部门，不再细分机构类别
}  # fmt: skip

_ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_check_digit(first17: str) -> str:
    """GB 32100 check character (MOD 31, weights 3^i mod 31) for the first 17 characters of a USCC."""
    # python-stdnum's implementation, checked against published codes in tests/core/test_validators.py.
    return stdnum_uscc.calc_check_digit(first17)


def organisation_code_check_digit(first8: str) -> str:
    """GB 11714 check character of the 9-character organisation code (主体标识码) from its first 8."""
    total = sum((int(c) if c.isdigit() else ord(c) - ord("A") + 10) * w
                for c, w in zip(first8, _ORGANISATION_CODE_WEIGHTS, strict=True))  # fmt: skip
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def normalize_uscc(value) -> str:
    """The 18-character unified social credit code in upper case, or ValidationError.

    Checks length, alphabet, the registration authority / category pair, that the division code is numeric,
    and the check character. The GB 11714 check character inside the subject identifier (17th position) is
    not enforced: the final check character already catches any single typo, and registries issued some
    non-conforming codes before 2016 that remain valid.
    """
    if value is None:
        raise _fail("uscc_required")
    code = _clean(value).upper()
    if not code:
        raise _fail("uscc_required")
    if len(code) != 18:
        raise _fail("uscc_length")
    if any(c not in USCC_ALPHABET for c in code):
        raise _fail("uscc_characters")
    categories = USCC_CATEGORIES.get(code[0])
    if categories is None:
        raise _fail("uscc_authority")
    if code[1] not in categories:
        raise _fail("uscc_category")
    if not code[2:8].isdigit():
        raise _fail("uscc_region")
    if code[17] != uscc_check_digit(code[:17]):
        raise _fail("uscc_checksum")
    return code


def validate_uscc(value) -> str:
    """Django validator: a valid unified social credit code."""
    return normalize_uscc(value)


# --- 手机号码 ------------------------------------------------------------------------------------------------

_PHONE_CHARACTERS = re.compile(r"[+\d\s\-().]+")
_MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalize_mobile(value) -> str:
    """The 11-digit mainland mobile number, or ValidationError.

    Accepts ``13812345678``, ``+86 138 1234 5678``, ``86-138-1234-5678``, ``0086 …`` and full-width digits.
    Letters are refused (libphonenumber would otherwise read ``1-800-FLOWERS`` as digits).
    """
    if value is None:
        raise _fail("mobile_required")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        raise _fail("mobile_required")
    if not _PHONE_CHARACTERS.fullmatch(text) or not any(c.isdigit() for c in text):
        raise _fail("mobile_format")
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise _fail("mobile_invalid") from None
    if parsed.country_code != 86:
        raise _fail("mobile_not_mainland")
    national = str(parsed.national_number)
    valid = phonenumbers.is_valid_number(parsed)
    kind = phonenumbers.number_type(parsed)
    if valid and kind == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise _fail("mobile_landline")
    if not (valid and kind in _MOBILE_TYPES and _MAINLAND_MOBILE.fullmatch(national)):
        raise _fail("mobile_invalid")
    return national


def validate_mobile(value) -> str:
    """Django validator: a valid mainland mobile number."""
    return normalize_mobile(value)


# --- text ----------------------------------------------------------------------------------------------------------

#: What a person is told when text contains a NUL character (U+0000), on pages (Django's
#: ProhibitNullCharactersValidator, whose own Chinese translation is garbled) and in the API (core.api.parser).
NULL_CHARACTER_MESSAGE = "内容中含有不可见的空字符（\\0），请删除后重新输入"
MAX_LENGTH_MESSAGE = "不能超过 %(limit_value)d 个字（现有 %(show_value)d 个字）"
MIN_LENGTH_MESSAGE = "至少需要 %(limit_value)d 个字（现有 %(show_value)d 个字）"


def contains_null_character(value) -> bool:
    """Whether a parsed request value (text, or lists and objects of them) holds a NUL character anywhere."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_null_character(k) or contains_null_character(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(contains_null_character(v) for v in value)
    return False
