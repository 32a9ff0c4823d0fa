"""Masking personal information on public pages, in exports and in the audit trail."""

import pytest

from smartjustice.core.privacy import (
    mask_address,
    mask_citizen_id,
    mask_field,
    mask_middle,
    mask_mobile,
    mask_name,
)


@pytest.mark.parametrize("mask", [mask_citizen_id, mask_mobile, mask_name, mask_address])
@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_values_mask_to_empty_text(mask, empty):
    assert mask(empty) == ""


def test_citizen_id_keeps_first_four_and_last_four():
    assert mask_citizen_id("440106199001011234") == "4401**********1234"
    assert mask_citizen_id("11010519491231002X") == "1101**********002X"


def test_short_citizen_id_is_masked_whole():
    assert mask_citizen_id("12345678") == "********"
    assert mask_citizen_id("123456789") == "1234*6789"


def test_mobile_keeps_operator_prefix_and_last_four():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("+86 138 1234 5678") == "138****5678"
    assert mask_mobile("0086-138-1234-5678") == "138****5678"
    assert mask_mobile("020-12345678") == "020****5678"


def test_mobile_without_digits_or_too_short_reveals_nothing():
    assert mask_mobile("未提供") == "***"
    assert mask_mobile("1234567") == "*******"


def test_name_keeps_the_first_character_only():
    assert mask_name("张三丰") == "张**"
    assert mask_name("李四") == "李*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("阿卜杜拉·买买提") == "阿*******"
    assert mask_name("王") == "*"


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("广州市天河区天河路123号4栋501房", "广州市天河区****"),
        ("广东省广州市天河区石牌街道天河路123号", "广东省广州市天河区石牌街道****"),
        ("广东省深圳市南山区粤海街道科技园路1号", "广东省深圳市南山区粤海街道****"),
        ("北京市朝阳区建国路88号", "北京市朝阳区****"),
        ("上海市浦东新区张江镇碧波路690号", "上海市浦东新区张江镇****"),
        ("新疆维吾尔自治区乌鲁木齐市天山区解放北路1号", "新疆维吾尔自治区乌鲁木齐市天山区****"),
        ("吉林省延边朝鲜族自治州延吉市光明街1号", "吉林省延边朝鲜族自治州延吉市****"),
        ("广东省东莞市虎门镇连升路1号", "广东省东莞市虎门镇****"),
        ("重庆市石柱土家族自治县南宾街道1号", "重庆市石柱土家族自治县南宾街道****"),
        ("香港特别行政区九龙弥敦道1号", "香港特别行政区****"),
        ("济南市市中区经四路1号", "济南市市中区****"),
    ],
)
def test_address_keeps_divisions_down_to_the_township(address, masked):
    assert mask_address(address) == masked


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("广州市天河区华港花园小区3栋", "广州市天河区****"),  # a housing estate is not a district
        ("广州市华港花园小区3栋501", "广州市****"),
        ("广州市天河区棠下村东乡", "广州市天河区****"),  # village names are never kept
        ("广东省华润万家超市", "广东省****"),
        ("天河路123号", "****"),  # no division at the start: nothing kept
        ("Room 501, Tianhe Road", "****"),
    ],
)
def test_address_stops_at_names_that_only_look_like_divisions(address, masked):
    assert mask_address(address) == masked


def test_address_that_is_only_divisions_has_nothing_to_mask():
    assert mask_address("广州市天河区") == "广州市天河区"
    assert mask_address(" 广州市 天河区 ") == "广州市天河区"


def test_address_mask_does_not_reveal_the_length_of_the_rest():
    assert mask_address("广州市天河区天河路1号") == mask_address("广州市天河区天河路123号4栋501房")


def test_mask_middle_never_reveals_the_whole_value():
    assert mask_middle("abcdef", keep_start=2, keep_end=2) == "ab**ef"
    assert mask_middle("abcd", keep_start=2, keep_end=2) == "****"
    assert mask_middle(None, keep_start=1, keep_end=1) == ""


def test_mask_field_picks_the_rule_by_field_name():
    assert mask_field("id_number", "440106199001011234") == "4401**********1234"
    assert mask_field("phone", "13812345678") == "138****5678"
    assert mask_field("contact_phone", "13812345678") == "138****5678"
    assert mask_field("real_name", "张三丰") == "张**"
    assert mask_field("home_address", "广州市天河区天河路1号") == "广州市天河区****"
    assert mask_field("passport_number", "E12345678") == "E*******8"


def test_mask_field_keeps_empty_values_as_they_are():
    assert mask_field("id_number", None) is None
    assert mask_field("phone", "") == ""
