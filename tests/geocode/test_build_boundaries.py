"""The build's own decisions on small inputs: which current code a boundary gets, and which
point stands for a unit (a seat only when it is well inside)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import shapely

from addrkit.gazetteer import default_gazetteer

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_boundaries.py"
spec = importlib.util.spec_from_file_location("build_boundaries", SCRIPT)
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)

G = default_gazetteer()


def test_same_code_is_kept_and_renumbered_counties_are_matched_by_name():
    assert build.current_code("330113", "临平区", "district", G) == "330113"
    assert build.current_code("431121", "祁阳市", "district", G) == "431181"
    assert build.current_code("540422", "米林县", "district", G) == "540481"
    # 重庆's 江北区 and 渝北区 both lie in today's 两江新区 (merged by the build).
    assert build.current_code("500105", "江北区", "district", G) == "500157"
    assert build.current_code("500112", "渝北区", "district", G) == "500157"
    # 宁波's 江北区 is still current and keeps its own code.
    assert build.current_code("330205", "江北区", "district", G) == "330205"
    assert build.current_code("232718", "加格达奇区", "district", G) is None
    assert build.current_code("110100", "北京市", "city", G) is None


def test_seat_is_used_only_when_well_inside_else_the_pole():
    square = shapely.MultiPolygon([shapely.box(120.0, 30.0, 121.0, 31.0)])
    (lat, lon), source = build.inside_point(square, (30.5, 120.4))
    assert source == "seat" and (lat, lon) == (30.5, 120.4)
    # A seat 300 m from the edge (or outside) is not trusted: the pole of the unit instead.
    for seat in ((30.5, 120.003), (30.5, 119.9), None):
        (lat, lon), source = build.inside_point(square, seat)
        assert source == "pole"
        assert abs(lat - 30.5) < 0.01 and abs(lon - 120.5) < 0.01


def test_pole_of_a_unit_with_islands_lies_in_its_largest_part():
    main = shapely.box(120.0, 30.0, 121.0, 31.0)
    island = shapely.box(122.0, 30.0, 122.01, 30.01)
    (lat, lon), _ = build.inside_point(shapely.MultiPolygon([island, main]), None)
    assert main.contains(shapely.Point(lon, lat))


def test_gcj02_boundaries_are_moved_to_wgs84():
    gcj = shapely.Point(120.1597945, 30.2717712)  # GCJ-02 of WGS-84 (30.2741, 120.1551)
    wgs = build.to_wgs84(gcj)
    assert abs(wgs.y - 30.2741) < 1e-6 and abs(wgs.x - 120.1551) < 1e-6
