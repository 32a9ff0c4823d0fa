"""Masking personal information for public pages, lists, exports and the audit trail.

Rules (one function each; all accept None or "" and then return ""):

* 身份证号码 ``mask_citizen_id``: first 4 (province and city) and last 4 characters kept, the rest one ``*``
  each — ``440106199001011234`` → ``4401**********1234``.
* 手机号码 ``mask_mobile``: first 3 (operator) and last 4 digits kept — ``13812345678`` → ``138****5678``;
  ``+86``/blanks/hyphens are dropped first.
* 姓名 ``mask_name``: only the first character (normally the surname) kept — ``张三丰`` → ``张**``.
* 地址 ``mask_address``: the leading administrative divisions down to the township level (省/自治区/特别行政区,
  市/州/地区/盟, 区/县/旗/县级市, 街道/镇/乡/苏木) are kept, everything after them becomes ``****`` (fixed
  width, so the length of the street address does not show). ``广州市天河区天河路123号4栋501房`` →
  ``广州市天河区****``. Names that only look like divisions (…小区, …园区, …社区, …超市) stop the scan, and
  an address that does not start with a division is masked whole.

Values too short to keep anything hidden are masked entirely: masking must never reveal the whole value.
"""

from __future__ import annotations

import re

MASK = "*"
ADDRESS_MASK = "****"


def mask_middle(value, *, keep_start: int, keep_end: int) -> str:
    """`value` with all but its first `keep_start` and last `keep_end` characters replaced by ``*``.

    If that would leave nothing hidden, every character is masked.
    """
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    hidden = len(text) - keep_start - keep_end
    if hidden <= 0:
        return MASK * len(text)
    return text[:keep_start] + MASK * hidden + text[len(text) - keep_end :]


def mask_citizen_id(value) -> str:
    """``4401**********1234``: first 4 and last 4 characters of an ID number kept."""
    text = "" if value is None else "".join(str(value).split())
    return mask_middle(text, keep_start=4, keep_end=4)


def mask_mobile(value) -> str:
    """``138****5678``: first 3 and last 4 digits of a phone number kept."""
    text = "" if value is None else str(value).strip()
    digits = re.sub(r"\D", "", text)
    if not digits:
        return mask_middle(text, keep_start=0, keep_end=0)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    elif len(digits) == 15 and digits.startswith("0086"):
        digits = digits[4:]
    return mask_middle(digits, keep_start=3, keep_end=4)


def mask_name(value) -> str:
    """``张**``: the first character of a personal name kept, one ``*`` for each other character."""
    text = "" if value is None else "".join(str(value).split())
    if len(text) <= 1:
        return MASK * len(text)
    return mask_middle(text, keep_start=1, keep_end=0)


# Division suffixes by level (1 province … 4 township). 市 is level 2 (地级市, 直辖市) unless it follows a
# level-2 division, then it is a county-level city. Longer suffixes first so 自治区 wins over 区.
_LEVELS = {
    "特别行政区": 1, "自治区": 1, "省": 1,
    "自治州": 2, "地区": 2, "盟": 2,
    "自治县": 3, "自治旗": 3, "区": 3, "县": 3, "旗": 3,
    "街道": 4, "苏木": 4, "镇": 4, "乡": 4,
}  # fmt: skip
_SUFFIXES = "|".join(sorted([*_LEVELS, "市"], key=len, reverse=True))
# A division name: Chinese characters, but none that mark streets, buildings or villages.
_DIVISION = re.compile(rf"(?:(?![村路街巷弄号栋幢楼室层组])[\u3400-\u9fff·]){{1,14}}?(?P<suffix>{_SUFFIXES})")
_NOT_DIVISIONS = (
    "小区", "园区", "校区", "社区", "片区", "景区", "厂区", "营区", "矿区", "宅区", "活区", "业区", "发区",
    "务区", "税区", "验区", "范区", "超市", "菜市", "夜市", "街市", "门市",
)  # fmt: skip


def _division_prefix(address: str) -> str:
    """The leading run of administrative divisions of `address`, each deeper than the one before."""
    end, level = 0, 0
    while level < 4:
        match = _DIVISION.match(address, end)
        if match is None:
            break
        segment = match.group()
        if segment.endswith(_NOT_DIVISIONS):
            break
        seg_level = _LEVELS.get(match["suffix"]) or (3 if level >= 2 else 2)  # 市
        if seg_level <= level:
            break
        end, level = match.end(), seg_level
    return address[:end]


def mask_address(value) -> str:
    """``广州市天河区****``: divisions down to 街道/镇/乡 kept, the rest of the address masked."""
    text = "" if value is None else "".join(str(value).split())
    if not text:
        return ""
    kept = _division_prefix(text)
    return kept if kept == text else kept + ADDRESS_MASK


def mask_email(value) -> str:
    """``l***@example.com``: the first character of the mailbox and the domain kept."""
    text = "" if value is None else str(value).strip()
    local, at, domain = text.partition("@")
    if not at or not local:
        return mask_middle(text, keep_start=1, keep_end=1)
    return f"{local[0]}{MASK * 3}@{domain}"


_FIELD_MASKS = {
    "id_number": mask_citizen_id,
    "citizen_id": mask_citizen_id,
    "phone": mask_mobile,
    "mobile": mask_mobile,
    "name": mask_name,
    "real_name": mask_name,
    "address": mask_address,
    "email": mask_email,
}


def mask_field(name: str, value):
    """Mask `value` by the rule for field `name` (also ``*_phone``, ``*_address`` …); None stays None.

    Used where a model's ``pii_fields`` are shown or written to the audit trail. A field without a specific
    rule keeps only its first and last character.
    """
    if value is None or value == "":
        return value
    masker = _FIELD_MASKS.get(name)
    if masker is None:
        for suffix, candidate in _FIELD_MASKS.items():
            if name.endswith("_" + suffix):
                masker = candidate
                break
    if masker is None:
        return mask_middle(value, keep_start=1, keep_end=1)
    return masker(value)


# -- revealing ---------------------------------------------------------------------------------------------------


def mark_revealed(obj, *, reader):
    """Mark `obj` as revealed to `reader` (PiiSchema then shows it unmasked to that reader only). Only the audited
    reveal action, core.services.reveal_personal_information, calls this."""
    obj._pii_revealed_to = getattr(reader, "pk", None)
    return obj


def is_revealed(obj, reader) -> bool:
    """Was `obj` revealed to `reader` through the audited reveal action, and may the reader see it?"""
    from . import access

    revealed_to = getattr(obj, "_pii_revealed_to", None)
    if revealed_to is None or reader is None or revealed_to != getattr(reader, "pk", None):
        return False
    return access.may_view_pii(reader, obj)
