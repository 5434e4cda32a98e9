"""The ways in: `addrkit geocode` / `addrkit parse` on the command line, the GEOCODE and
ADDR_DISTANCE formulas, offline reverse geocoding, and the Settings field."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from addrkit.udfs.geocode import ADDR_DISTANCE, GEOCODE

from addrkit import parse_address
from addrkit.geocode.boundaries import load_boundaries
from addrkit.geocode.crs import convert
from addrkit.geocode.reverse import reverse, reverse_many
from addrkit.settings import Settings, settings_from_rows, settings_to_rows

B = load_boundaries()
CONTRACT = {"input", "lat", "lon", "crs", "precision", "source", "adcode", "status", "issues"}


def cli(*args: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "addrkit.cli", *args], input=stdin.encode("utf-8"),
        capture_output=True, timeout=120,
    )  # fmt: skip


def test_geocode_command_one_json_line_per_input_line():
    lines = ["浙江省杭州市临平区南苑街道", "", "Atlantis", "北京朝阳区", "=1+1", "杭州市钱塘区"]
    done = cli("geocode", "--crs", "gcj02", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["input"] for r in rows] == lines
    assert all(CONTRACT <= set(r) for r in rows)
    assert [r["status"] for r in rows] == ["OK", "ERROR", "NOT_FOUND", "OK", "NOT_FOUND", "OK"]
    assert rows[4]["issues"][0]["code"] == "FORMULA_TEXT"  # text, never a formula
    linping = rows[0]
    assert linping["crs"] == "GCJ-02" and linping["precision"] == "district"
    lat, lon = convert(linping["lat"], linping["lon"], "gcj02", "wgs84")
    assert B.locate(lat, lon)[2].name == "临平区"
    assert rows[1]["issues"][0]["code"] == "EMPTY"


def test_geocode_command_refuses_unknown_names_with_the_valid_ones():
    done = cli("geocode", "--provider", "bing", stdin="杭州\n")
    assert done.returncode == 1
    assert "offline, nominatim" in done.stderr.decode("utf-8")
    done = cli("geocode", "--crs", "mercator", stdin="杭州\n")
    assert done.returncode == 1 and "wgs84, gcj02, bd09" in done.stderr.decode("utf-8")


def test_parse_points_lie_inside_the_current_district():
    # The gazetteer's seat of 余杭区 lies in today's 临平区; 钱塘区 had no seat at all.
    for text, district in [("浙江省杭州市余杭区良渚街道", "余杭区"), ("杭州市临平区", "临平区"),
                           ("杭州钱塘区下沙街道", "钱塘区")]:  # fmt: skip
        a = parse_address(text)
        assert a.district == district and a.precision.value == "district" and a.crs == "WGS-84"
        assert B.locate(a.lat, a.lon)[2].name == district


def test_geocode_formula_spills_lat_lon_precision_per_cell():
    out = GEOCODE([["浙江省杭州市钱塘区"], [""], ["浙江省"]])
    assert len(out) == 3 and all(len(row) == 3 for row in out)
    lat, lon, precision = out[0]
    assert B.locate(lat, lon)[2].name == "钱塘区" and precision == "区县 district"
    assert out[1][:2] == ["", ""] and "EMPTY" not in out[1][2] and "地址为空" in out[1][2]
    assert out[2][2] == "省 province"
    gcj = GEOCODE([["浙江省杭州市钱塘区"]], "gcj02")[0]
    assert convert(gcj[0], gcj[1], "gcj02", "wgs84") == pytest.approx((lat, lon), abs=1e-6)
    assert "wgs84, gcj02, bd09" in GEOCODE([["杭州"]], "utm")[0][2]


def test_addr_distance_in_km_and_readable_on_bad_input():
    same = ADDR_DISTANCE([["杭州市西湖区文三路90号"]], [["浙江省杭州市西湖区"]])
    assert same == 0.0  # both at the district's point
    far = ADDR_DISTANCE([["北京市东城区"], ["广州市天河区"]], [["上海市黄浦区"]])
    assert 1000 < far[0][0] < 1150 and 1150 < far[1][0] < 1300
    assert ADDR_DISTANCE([["#N/A"]], [["上海"]]).startswith("错误 ERROR")
    assert "Ranges differ" in ADDR_DISTANCE([["a", "b"]], [["c"], ["d"]])


def test_reverse_geocoding_offline():
    assert reverse(30.42, 120.30).district == "临平区"
    lat, lon = convert(30.42, 120.30, "wgs84", "bd09")
    assert reverse(lat, lon, "bd09").adcode == "330113"
    found = reverse_many([30.42, 39.99, 0.0], [120.30, 116.48, 0.0])
    assert found["district"].tolist() == ["330113", "110105", None]
    assert found["city"].tolist() == ["330100", "110000", None]


def test_settings_carry_the_output_coordinate_system():
    assert Settings().crs == "wgs84"
    s = settings_from_rows([("坐标系 Coordinate system", "GCJ-02")])
    assert s.crs == "gcj02"
    assert settings_from_rows(settings_to_rows(s)) == s
    with pytest.raises(ValueError, match="wgs84, gcj02 or bd09"):
        settings_from_rows([("坐标系", "mercator")])
