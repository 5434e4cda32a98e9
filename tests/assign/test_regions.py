"""The default seven-region scheme."""

from __future__ import annotations

import pytest

from addrkit.assign.regions import DEFAULT_REGION_SCHEME, Region, region_of_province


def test_every_province_level_division_has_exactly_one_region():
    provinces = DEFAULT_REGION_SCHEME.provinces
    # 23 provinces (incl. Taiwan), 5 autonomous regions, 4 municipalities, 2 SARs.
    assert len(provinces) == 34
    assert set(provinces.values()) == set(Region)


@pytest.mark.parametrize(
    ("province", "region"),
    [
        ("浙江省", Region.EAST),
        ("浙江", Region.EAST),
        ("北京市", Region.NORTH),
        ("北京", Region.NORTH),
        ("内蒙古", Region.NORTH),
        ("内蒙古自治区", Region.NORTH),
        ("广西", Region.SOUTH),
        ("新疆", Region.NORTHWEST),
        ("黑龙江省", Region.NORTHEAST),
        ("河南省", Region.CENTRAL),
        ("西藏", Region.SOUTHWEST),
        ("香港", Region.HMT),
        ("台湾省", Region.HMT),
        ("澳门", Region.HMT),
        (" 湖北省 ", Region.CENTRAL),
    ],
)
def test_official_and_short_names(province, region):
    assert region_of_province(province) is region


@pytest.mark.parametrize("province", [None, "", "Ontario", "杭州市", "省"])
def test_unknown_or_missing_province_has_no_region(province):
    assert region_of_province(province) is None


def test_labels_are_bilingual():
    assert Region.SOUTHWEST.label == "西南 Southwest China"
