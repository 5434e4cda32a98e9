"""WGS-84 ⇄ GCJ-02 ⇄ BD-09: round trips within a millimetre inside China, no shift outside."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addrkit.errors import UnknownNameError
from addrkit.geocode.crs import CRS, convert, convert_arrays, inside_china_rectangle
from addrkit.geocode.result import great_circle_km

china_lat = st.floats(min_value=18.0, max_value=53.5)
china_lon = st.floats(min_value=73.5, max_value=135.0)
SYSTEMS = st.sampled_from(list(CRS))


def metres(lat1, lon1, lat2, lon2) -> float:
    return great_circle_km(lat1, lon1, lat2, lon2) * 1000


@settings(max_examples=400, deadline=None)
@given(china_lat, china_lon, SYSTEMS, SYSTEMS)
def test_round_trip_inside_china_is_within_a_millimetre(lat, lon, a, b):
    there = convert(lat, lon, a, b)
    back = convert(*there, b, a)
    assert metres(lat, lon, *back) < 0.001


@settings(max_examples=200, deadline=None)
@given(china_lat, china_lon)
def test_gcj02_moves_points_inside_china_by_tens_to_hundreds_of_metres(lat, lon):
    shifted = convert(lat, lon, "wgs84", "gcj02")
    assert 1 < metres(lat, lon, *shifted) < 1000


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=-89, max_value=89),
    st.floats(min_value=-179, max_value=179),
    SYSTEMS,
    SYSTEMS,
)
def test_points_outside_china_do_not_move(lat, lon, a, b):
    if inside_china_rectangle(lat, lon):
        return
    assert convert(lat, lon, a, b) == (lat, lon)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(china_lat, china_lon), min_size=1, max_size=40), SYSTEMS, SYSTEMS)
def test_array_twin_agrees_with_the_scalar_function(points, a, b):
    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    alat, alon = convert_arrays(lat, lon, a, b)
    for i, (la, lo) in enumerate(points):
        slat, slon = convert(la, lo, a, b)
        assert math.isclose(alat[i], slat, abs_tol=1e-9) and math.isclose(
            alon[i], slon, abs_tol=1e-9
        )


def test_known_points_match_published_conversions():
    # Tiananmen: WGS-84 (39.9087, 116.3975) is GCJ-02 (39.91, 116.4037) on AMap, BD-09
    # (39.9163, 116.4102) on Baidu, to 1e-3 degrees.
    gcj = convert(39.9087, 116.3975, "wgs84", "gcj02")
    bd = convert(39.9087, 116.3975, "wgs84", "bd09")
    assert gcj == pytest.approx((39.9100, 116.4037), abs=1e-3)
    assert bd == pytest.approx((39.9163, 116.4102), abs=1e-3)


def test_names_of_systems():
    assert CRS.parse("WGS84") is CRS.parse("wgs-84") is CRS.WGS84
    assert CRS.parse("bd-09").value == "BD-09"
    with pytest.raises(UnknownNameError, match="wgs84, gcj02, bd09"):
        CRS.parse("epsg:3857")
