"""Sales regions by province: the default scheme of seven mainland regions plus 港澳台.

The seven regions (华东 East, 华北 North, 华南 South, 华中 Central, 西南 Southwest,
西北 Northwest, 东北 Northeast) are the division most Chinese companies use for
sales territories; Hong Kong, Macao and Taiwan form an eighth, 港澳台, because they
are served apart (other currency, customs). The 区域 Regions sheet refines a scheme
by city or district and names the sales rep (`addrkit.assign.territories`).

Provinces are looked up by their official names (``浙江省``) or short forms
(``浙江``, ``内蒙古``, ``广西``), as the address engine and users write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "Region",
    "RegionScheme",
    "DEFAULT_REGION_SCHEME",
    "REGION_CODES",
    "region_of_province",
    "short_name",
]


class Region(StrEnum):
    """One of the eight default sales regions; the value is the Chinese name."""

    EAST = "华东"
    NORTH = "华北"
    SOUTH = "华南"
    CENTRAL = "华中"
    SOUTHWEST = "西南"
    NORTHWEST = "西北"
    NORTHEAST = "东北"
    HMT = "港澳台"

    @property
    def label_en(self) -> str:
        return _ENGLISH[self]

    @property
    def label(self) -> str:
        """Chinese and English, as shown in a cell: ``'华东 East China'``."""
        return f"{self.value} {self.label_en}"


_ENGLISH = {
    Region.EAST: "East China",
    Region.NORTH: "North China",
    Region.SOUTH: "South China",
    Region.CENTRAL: "Central China",
    Region.SOUTHWEST: "Southwest China",
    Region.NORTHWEST: "Northwest China",
    Region.NORTHEAST: "Northeast China",
    Region.HMT: "Hong Kong, Macao & Taiwan",
}

# Latin letters for a region inside a customer code ({REGION}): pinyin initials.
REGION_CODES = {
    Region.EAST: "HD",
    Region.NORTH: "HB",
    Region.SOUTH: "HN",
    Region.CENTRAL: "HZ",
    Region.SOUTHWEST: "XN",
    Region.NORTHWEST: "XB",
    Region.NORTHEAST: "DB",
    Region.HMT: "GAT",
}

# Official province-level names (as of 2025) by region.
_SEVEN_REGIONS: dict[Region, tuple[str, ...]] = {
    Region.EAST: ("上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省"),
    Region.NORTH: ("北京市", "天津市", "河北省", "山西省", "内蒙古自治区"),
    Region.CENTRAL: ("河南省", "湖北省", "湖南省"),
    Region.SOUTH: ("广东省", "广西壮族自治区", "海南省"),
    Region.SOUTHWEST: ("重庆市", "四川省", "贵州省", "云南省", "西藏自治区"),
    Region.NORTHWEST: ("陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"),
    Region.NORTHEAST: ("辽宁省", "吉林省", "黑龙江省"),
    Region.HMT: ("香港特别行政区", "澳门特别行政区", "台湾省"),
}

# Suffixes removed to get the short form people write (longest first).
_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


def short_name(province: str) -> str:
    """The short form of a province name (``浙江省`` → ``浙江``)."""
    for suffix in _SUFFIXES:
        if province.endswith(suffix) and len(province) > len(suffix):
            return province[: -len(suffix)]
    return province


@dataclass(frozen=True, slots=True)
class RegionScheme:
    """A mapping of provinces to regions, looked up by official or short name.

    Examples
    --------
    >>> DEFAULT_REGION_SCHEME.region_of("浙江省").label
    '华东 East China'
    >>> DEFAULT_REGION_SCHEME.region_of("内蒙古").value
    '华北'
    >>> DEFAULT_REGION_SCHEME.region_of("Ontario") is None
    True
    """

    name: str
    provinces: Mapping[str, Region]
    _by_short_name: Mapping[str, Region] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        short = {short_name(p): r for p, r in self.provinces.items()}
        object.__setattr__(self, "_by_short_name", MappingProxyType(short))

    @classmethod
    def from_regions(cls, name: str, regions: Mapping[Region, tuple[str, ...]]) -> RegionScheme:
        """Build a scheme from region → provinces lists."""
        provinces = {p: region for region, names in regions.items() for p in names}
        return cls(name, MappingProxyType(provinces))

    def region_of(self, province: str | None) -> Region | None:
        """The region of a province, or ``None`` if the province is unknown or missing."""
        if not province:
            return None
        province = province.strip()
        found = self.provinces.get(province)
        if found is None:
            found = self._by_short_name.get(short_name(province))
        return found


DEFAULT_REGION_SCHEME = RegionScheme.from_regions(
    "七大区+港澳台 seven regions + HMT", _SEVEN_REGIONS
)


def region_of_province(province: str | None) -> Region | None:
    """The default scheme's region for a province name (official or short).

    Examples
    --------
    >>> region_of_province("广西").label_en
    'South China'
    """
    return DEFAULT_REGION_SCHEME.region_of(province)
