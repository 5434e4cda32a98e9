"""The embedded gazetteer: contents, provenance, lookups."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import pytest

from addrkit.errors import GazetteerDataError
from addrkit.gazetteer import CITY, DISTRICT, PROVINCE, TOWNSHIP, Gazetteer, default_gazetteer


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return default_gazetteer()


def test_counts_per_level_match_the_official_table(g):
    counts = {lvl: g.levels.count(lvl) for lvl in (PROVINCE, CITY, DISTRICT, TOWNSHIP)}
    # Ministry of Civil Affairs table Xzqh20251231, plus 台湾省 which it lists without a
    # numeric code (added with its GB/T 2260 code 710000) and Taiwan's 20 cities and
    # counties, which it does not list (333 + 20 prefecture-level divisions).
    assert counts == {PROVINCE: 34, CITY: 353, DISTRICT: 2845, TOWNSHIP: 38723}
    assert g.division("710000").name == "台湾省"


def test_taiwan_cities_and_counties_without_short_forms(g):
    taiwan = [g.division(g.codes[i]) for i in g.children[g.index_of["710000"]]]
    assert len(taiwan) == 20 and {d.level for d in taiwan} == {CITY}
    assert {"台北市", "高雄市", "基隆市", "苗栗县", "澎湖县"} <= {d.name for d in taiwan}
    # 金门县 and 连江县 stay Fujian's only: the official table lists them there.
    assert [d.parent_code for d in g.find("金门县")] == ["350500"]
    assert [d.parent_code for d in g.find("连江县")] == ["350100"]
    # No short forms: 新北 is 常州's 新北区 and 台中 a road, not 新北市 or 台中市.
    assert not any(d.code.startswith("71") for d in g.find("新北"))
    assert "320411" in {d.code for d in g.find("新北")}
    assert g.find("台中") == []


def test_provenance_is_recorded(g):
    meta = g.meta
    assert meta["data_as_of"] == "2025-12-31"
    for source in meta["sources"].values():
        assert source["licence"] in {"MIT", "Apache-2.0"}
        assert len(source["sha256_of_member"]) == 64
        assert source["version"]


def test_every_division_has_a_parent_except_provinces(g):
    for i, level in enumerate(g.levels):
        assert (g.parent[i] < 0) == (level == PROVINCE)


@pytest.mark.parametrize(
    "name, code",
    [
        ("萧山", "330109"),
        ("柯桥", "330603"),
        ("义乌", "330782"),
        ("内蒙古", "150000"),
        ("黔东南州", "522600"),
        ("察右中旗", "150927"),
        ("浦沿街", "330108002"),
    ],
)
def test_short_names(g, name, code):
    assert code in {d.code for d in g.find(name)}


@pytest.mark.parametrize(
    "old, new",
    [("江干区", "上城区"), ("下城区", "拱墅区"), ("江东区", "鄞州区"), ("上虞市", "上虞区"),
     ("龙港镇", "龙港市"), ("萧山市", "萧山区"), ("襄樊市", "襄阳市")],
)  # fmt: skip
def test_historic_names_map_to_current(g, old, new):
    assert new in {d.name for d in g.find(old)}


def test_coordinates_are_in_china(g):
    (lon, lat), level = g.coordinate_for(g.index_of["330106"])
    assert level == DISTRICT and 73 < lon < 136 and 18 < lat < 54


def test_damaged_file_gives_a_typed_error(tmp_path):
    bad = tmp_path / "g.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(GazetteerDataError, match="reinstall"):
        Gazetteer.load(bad)


def test_shipped_file_is_deterministic_json():
    raw = resources.files("addrkit.data").joinpath("gazetteer.json.gz").read_bytes()
    payload = json.loads(gzip.decompress(raw))
    assert payload["format"] == 4
    assert raw[4:8] == b"\x00\x00\x00\x00"  # gzip mtime zeroed: rebuilds are byte-identical


def test_shipped_lookup_matches_the_rows(g):
    # The name index is stored precomputed for fast loading; it must be exactly what the
    # package's own indexing rules give for the stored rows.
    from addrkit.gazetteer.indexing import build_lookup, encode_lookup

    raw = resources.files("addrkit.data").joinpath("gazetteer.json.gz").read_bytes()
    payload = json.loads(gzip.decompress(raw))
    rebuilt = encode_lookup(
        build_lookup(payload["divisions"], payload["history"], payload["zones"])
    )
    assert rebuilt == payload["lookup"]
