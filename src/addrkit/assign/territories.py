"""Territories: the 区域 Regions sheet on top of a region scheme, with the sales rep.

The Regions sheet has the columns 省 Province · 市 City · 区县 District · 区域 Region ·
销售 Sales rep. A row with only 省 sets a whole province; with 市 it refines one city;
with 区县 one district. For an address the most specific row that matches wins
(district, then city, then province), then the scheme's province default. A customer
no row and no default covers gets no region and says so: a region is never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from .regions import DEFAULT_REGION_SCHEME, REGION_CODES, Region, RegionScheme, short_name

__all__ = ["MatchLevel", "TerritoryRow", "Territory", "TerritoryMap", "region_code"]


class MatchLevel(StrEnum):
    """Which kind of rule gave a customer its region (most specific first)."""

    DISTRICT = "district"
    CITY = "city"
    PROVINCE = "province"
    SCHEME = "scheme"
    NONE = "none"


_LEVEL_ZH = {
    MatchLevel.DISTRICT: "区县",
    MatchLevel.CITY: "市",
    MatchLevel.PROVINCE: "省",
    MatchLevel.SCHEME: "默认方案",
    MatchLevel.NONE: "无",
}

# Endings dropped so "杭州" matches "杭州市" and "西湖" matches "西湖区" (longest first).
_PLACE_SUFFIXES = ("自治州", "自治县", "地区", "新区", "市", "区", "县", "盟", "旗")


def _clean(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def _place_key(name: str) -> str:
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _province_key(name: str) -> str:
    return short_name(name) if name else ""


@dataclass(frozen=True, slots=True)
class TerritoryRow:
    """One row of the Regions sheet (blank city/district = the whole province/city)."""

    province: str
    city: str = ""
    district: str = ""
    region: str = ""
    rep: str = ""
    sheet_row: int = 0

    @property
    def level(self) -> MatchLevel:
        if self.district:
            return MatchLevel.DISTRICT
        return MatchLevel.CITY if self.city else MatchLevel.PROVINCE

    @property
    def place(self) -> str:
        return "".join(p for p in (self.province, self.city, self.district) if p)


@dataclass(frozen=True, slots=True)
class Territory:
    """Where one customer belongs: region, sales rep and the rule that said so.

    ``region`` is None when nothing covers the customer (flagged, never guessed).
    """

    region: str | None
    rep: str | None
    level: MatchLevel
    reason_zh: str
    reason_en: str

    @property
    def reason(self) -> str:
        return f"{self.reason_zh} / {self.reason_en}"


@lru_cache(maxsize=1024)
def region_code(region: str | None) -> str | None:
    """Latin letters for a region in a customer code, or None if it has none.

    The default regions have pinyin initials (华东 → HD); a region named on the
    Regions sheet may end in its own letters ("浙江大区 ZJ" → ZJ).

    Examples
    --------
    >>> region_code("华东"), region_code("浙江大区 ZJ1"), region_code("浙江大区")
    ('HD', 'ZJ1', None)
    """
    if not region:
        return None
    text = unicodedata.normalize("NFKC", region).strip()
    try:
        return REGION_CODES[Region(text.split()[0])]
    except (ValueError, IndexError):
        pass
    match = re.search(r"([A-Za-z][A-Za-z0-9]*)$", text)
    return match.group(1).upper() if match else None


@dataclass(frozen=True, slots=True)
class TerritoryMap:
    """The Regions sheet's rows over a scheme; `lookup` gives a customer's territory.

    Examples
    --------
    >>> m = TerritoryMap.from_rows([["省", "市", "区县", "区域", "销售"],
    ...                             ["浙江省", "", "", "华东", "王芳"],
    ...                             ["浙江", "杭州", "", "杭州大区 HZ", "李强"]])
    >>> t = m.lookup("浙江省", "杭州市", "西湖区")
    >>> (t.region, t.rep, t.level.value)
    ('杭州大区 HZ', '李强', 'city')
    >>> m.lookup("浙江省", "宁波市", None).rep
    '王芳'
    >>> m.lookup(None, None, None).region is None
    True
    """

    rows: tuple[TerritoryRow, ...] = ()
    scheme: RegionScheme | None = DEFAULT_REGION_SCHEME
    _index: Mapping[tuple[str, str, str], TerritoryRow] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[tuple[str, str, str], TerritoryRow] = {}
        for row in self.rows:
            key = (_province_key(row.province), _place_key(row.city), _place_key(row.district))
            index.setdefault(key, row)  # the first row for a place wins, as people read it
        object.__setattr__(self, "_index", MappingProxyType(index))

    @classmethod
    def from_rows(
        cls, rows: Iterable[Iterable[Any]], scheme: RegionScheme | None = DEFAULT_REGION_SCHEME
    ) -> TerritoryMap:
        """Read the Regions sheet's cells (省, 市, 区县, 区域, 销售; a header row is skipped)."""
        parsed = []
        for number, row in enumerate(rows, start=1):
            cells = [_clean(c) for c in list(row)[:5]] + [""] * 5
            province, city, district, region, rep = cells[:5]
            if not (province or city or district) or province in {"省", "Province", "省份"}:
                continue
            region = (
                unicodedata.normalize("NFKC", str(list(row)[3] or "")).strip() if region else ""
            )
            parsed.append(TerritoryRow(province, city, district, region, rep, number))
        return cls(tuple(parsed), scheme)

    def _row_for(self, province: str, city: str, district: str) -> TerritoryRow | None:
        p, c, d = _province_key(province), _place_key(city), _place_key(district)
        candidates = []
        if d:
            candidates += [(p, c, d), (p, "", d)] if c else [(p, "", d)]
        if c:
            candidates.append((p, c, ""))
        candidates.append((p, "", ""))
        for key in candidates:
            row = self._index.get(key)
            if row is not None and row.region:
                return row
        return None

    def lookup(self, province: Any, city: Any = None, district: Any = None) -> Territory:
        """The territory of a customer from its parsed province, city and district."""
        province, city, district = _clean(province), _clean(city), _clean(district)
        row = self._row_for(province, city, district) if province else None
        if row is not None:
            level = row.level
            return Territory(
                row.region,
                row.rep or self._rep_above(row),
                level,
                f"区域表第 {row.sheet_row} 行（{_LEVEL_ZH[level]}：{row.place}）",
                f"Regions sheet row {row.sheet_row} ({level.value}: {row.place})",
            )
        default = self.scheme.region_of(province) if self.scheme and province else None
        if default is not None:
            return Territory(
                default.value,
                None,
                MatchLevel.SCHEME,
                f"默认方案：{province} 属于{default.value}",
                f"default scheme: {province} is in {default.label_en}",
            )
        if not province:
            return Territory(
                None,
                None,
                MatchLevel.NONE,
                "未识别省份，未分区",
                "province not recognised: no region assigned",
            )
        return Territory(
            None,
            None,
            MatchLevel.NONE,
            f"区域表和默认方案都没有 {province}，未分区",
            f"neither the Regions sheet nor the scheme covers {province}: no region assigned",
        )

    def _rep_above(self, row: TerritoryRow) -> str | None:
        """A district or city row without a rep takes the rep of the row above it."""
        if row.level is MatchLevel.PROVINCE:
            return None
        above = self._row_for(row.province, row.city if row.district else "", "")
        if above is None or above is row:
            return None
        return above.rep or self._rep_above(above)
