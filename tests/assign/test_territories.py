"""The Regions sheet over the default scheme: most specific row wins, nothing guessed."""

from __future__ import annotations

from addrkit.assign.regions import DEFAULT_REGION_SCHEME
from addrkit.assign.territories import MatchLevel, TerritoryMap, region_code

SHEET = [
    ["省", "市", "区县", "区域", "销售"],
    ["浙江省", None, None, "华东", "王磊"],
    ["浙江省", "杭州市", None, "杭州大区 HZ", "刘洋"],
    ["浙江", "杭州", "西湖区", "西湖专区 XH", None],  # no rep: the city's rep
    ["广东省", "深圳市", None, None, "郑凯"],  # no region on the row: does not count
    ["Ontario", None, None, "North America NA", "Smith"],
]


def test_most_specific_row_wins():
    m = TerritoryMap.from_rows(SHEET)
    district = m.lookup("浙江省", "杭州市", "西湖区")
    assert (district.region, district.rep, district.level) == (
        "西湖专区 XH",
        "刘洋",
        MatchLevel.DISTRICT,
    )
    city = m.lookup("浙江省", "杭州市", "上城区")
    assert (city.region, city.rep, city.level) == ("杭州大区 HZ", "刘洋", MatchLevel.CITY)
    province = m.lookup("浙江省", "宁波市", "海曙区")
    assert (province.region, province.rep, province.level) == ("华东", "王磊", MatchLevel.PROVINCE)
    assert "row 3" in city.reason_en and "第 3 行" in city.reason_zh


def test_scheme_default_then_flag():
    m = TerritoryMap.from_rows(SHEET)
    default = m.lookup("广东省", "深圳市", "南山区")
    assert (default.region, default.level) == ("华南", MatchLevel.SCHEME)
    assert m.lookup("香港特别行政区").region == "港澳台"
    assert m.lookup("Ontario").region == "North America NA"
    nowhere = m.lookup(None)
    assert nowhere.region is None and nowhere.level is MatchLevel.NONE
    assert "no region" in nowhere.reason_en and "未分区" in nowhere.reason_zh


def test_without_a_scheme_only_the_sheet_counts():
    m = TerritoryMap.from_rows(SHEET, scheme=None)
    assert m.lookup("江苏省").region is None
    assert "neither" in m.lookup("江苏省").reason_en
    assert m.lookup("浙江省").region == "华东"


def test_region_letters_for_codes():
    assert [region_code(r.value) for r in sorted(set(DEFAULT_REGION_SCHEME.provinces.values()))]
    assert region_code("港澳台") == "GAT"
    assert region_code("西湖专区 XH") == "XH"
    assert region_code(None) is None and region_code("专区") is None
