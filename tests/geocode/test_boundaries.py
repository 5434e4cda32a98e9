"""The shipped boundaries: every unit valid, its point inside, codes those of the gazetteer,
and point → province/city/district right where the divisions changed recently."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from addrkit.errors import DataError, UnknownNameError
from addrkit.gazetteer import default_gazetteer
from addrkit.geocode.boundaries import Boundaries, BoundaryDataError, load_boundaries
from addrkit.geocode.points import division_points

B = load_boundaries()


def test_levels_hold_the_expected_numbers_of_units():
    assert len(B.units("province")) == 34  # 31 mainland + HK, Macau, Taiwan
    assert 330 <= len(B.units("city")) <= 340
    assert 2800 <= len(B.units("district")) <= 2860
    with pytest.raises(UnknownNameError, match="province"):
        B.units("township")


@pytest.mark.parametrize("level", ["province", "city", "district"])
def test_every_unit_is_valid_and_its_point_lies_inside_it(level):
    units = B.units(level)
    geoms = np.array([u.geometry for u in units], dtype=object)
    assert shapely.is_valid(geoms).all()
    points = shapely.points([u.point[1] for u in units], [u.point[0] for u in units])
    inside = shapely.contains(geoms, points)
    assert inside.all(), [u.name for u, ok in zip(units, inside, strict=True) if not ok][:5]


def test_codes_are_the_gazetteers_and_the_missing_ones_are_listed():
    g = default_gazetteer()
    current = {c for c, lvl in zip(g.codes, g.levels, strict=True) if lvl <= 3}
    have = {u.adcode for level in ("province", "city", "district") for u in B.units(level)}
    assert have <= current
    listed = {row.split()[0] for row in B.meta["divisions_without_boundary"]}
    assert current - have == listed
    assert len(listed) < 40  # Taiwan's cities and a handful of counties created lately
    for u in B.units("district"):
        assert u.parent_adcode == g.codes[g.parent[g.index_of[u.adcode]]]


def test_points_file_matches_the_boundary_file():
    points = division_points()
    assert len(points) == len(B)
    for code in ("330113", "330114", "110105", "500157"):
        assert points[code] == B.unit(code).point


@pytest.mark.parametrize(
    ("lat", "lon", "names"),
    [
        (30.42, 120.30, ("浙江省", "杭州市", "临平区")),  # Linping, split from Yuhang in 2021
        (30.30, 120.50, ("浙江省", "杭州市", "钱塘区")),  # Qiantang, created in 2021
        (30.275, 120.00, ("浙江省", "杭州市", "余杭区")),  # today's Yuhang (Future Sci-Tech City)
        (39.99, 116.48, ("北京市", "北京市", "朝阳区")),  # a municipality is its own city
        (31.23, 121.47, ("上海市", "上海市", "黄浦区")),
        (22.28, 114.16, ("香港特别行政区", None, None)),
    ],
)
def test_locate_known_points(lat, lon, names):
    found = tuple(u and u.name for u in B.locate(lat, lon))
    assert found == names


def test_locate_outside_china_and_at_sea():
    assert B.locate(48.8566, 2.3522) == (None, None, None)  # Paris
    assert B.locate(0.0, 0.0) == (None, None, None)


def test_locate_many_agrees_with_locate():
    rng = np.random.default_rng(7)
    lat = rng.uniform(20, 45, 300)
    lon = rng.uniform(100, 122, 300)
    many = B.locate_many(lat, lon)
    for i in range(0, 300, 7):
        province, _city, district = B.locate(lat[i], lon[i])
        assert many["province"][i] == (province and province.adcode)
        assert many["district"][i] == (district and district.adcode)
    assert any(code is not None for code in many["district"])


def test_each_units_point_locates_back_to_it():
    units = B.units("district")
    found = B.locate_many([u.point[0] for u in units], [u.point[1] for u in units])
    wrong = [u.name for u, code in zip(units, found["district"], strict=True) if code != u.adcode]
    # A point lies in its own unit; only a unit overlapping a neighbour could say otherwise.
    assert len(wrong) <= len(units) // 1000, wrong[:5]


def test_damaged_file_is_a_data_error(tmp_path):
    bad = tmp_path / "boundaries.bin.gz"
    bad.write_bytes(b"not gzip at all")
    with pytest.raises(BoundaryDataError, match="reinstall") as err:
        Boundaries.load(bad)
    assert isinstance(err.value, DataError) and isinstance(err.value, RuntimeError)
    with pytest.raises(BoundaryDataError):
        Boundaries.load(tmp_path / "missing.bin.gz")
