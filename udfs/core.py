"""The formulas without Excel: plain cell values in, plain cell values out.

Each function here is what one formula computes for one cell. They never raise:
bad input (empty, a number, an Excel error value such as ``#N/A``, 32,767
characters of text) gives readable text. Parsing is remembered per process by the
engine's own memo of results (``addrkit.address.parser.result_memo``), so a warm
call is a dictionary look-up plus a little formatting; a range is parsed in bulk.

Texts shown in cells are Chinese then English:

- status: ``正常 OK``, ``已修正 FIXED``, ``需核对 WARNING``, ``错误 ERROR``;
- with reasons: ``需核对 WARNING: 缺少区县；… / District/county missing; …``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from functools import lru_cache
from operator import attrgetter
from typing import Any

from rapidfuzz import fuzz

from addrkit import IssueCode, ParsedAddress, parse_address, parse_many
from addrkit.address import ADMIN_LEVELS
from addrkit.address.issues import status_for
from addrkit.assign.regions import Region
from addrkit.assign.territories import TerritoryMap

from .cells import CELL_TEXT_LIMIT, fit_cell_text

__all__ = [
    "Part",
    "PARSE_COLUMNS",
    "parsed",
    "validate_text",
    "normalize_text",
    "address_part",
    "parse_row",
    "parse_rows",
    "parse_header",
    "region_text",
    "similarity",
]

_DEFAULT_TERRITORIES = TerritoryMap()
_CACHE_SIZE = 1 << 18  # pairs of addresses remembered per process by ADDR_SIMILARITY


def parsed(value: Any) -> ParsedAddress:
    """The parse of one cell value, remembered per process by the engine's memo (a
    second cache here only doubled the memory and the look-ups).

    Examples
    --------
    >>> parsed("浙江杭州西湖区文三路90号") is parsed("浙江杭州西湖区文三路90号")
    True
    """
    return parse_address(value)  # never raises, whatever the value (a list included)


def _is_blank(address: ParsedAddress) -> bool:
    return any(issue.code is IssueCode.EMPTY for issue in address.issues)


@lru_cache(maxsize=4096)
def _validation_of(issues: tuple) -> str:
    """The VALIDATE_ADDR text for a set of issues (the status follows from them).

    Keyed by the issues, not the cell: thousands of addresses share a few hundred sets,
    so this stays small where a per-cell cache held a string for every address.
    """
    status = status_for(issues)
    head = f"{status.label_zh} {status.value}"
    if not issues:
        return head
    zh = "；".join(issue.message_zh for issue in issues)
    en = "; ".join(issue.message_en for issue in issues)
    return fit_cell_text(f"{head}: {zh} / {en}")


def validate_text(value: Any) -> str:
    """VALIDATE_ADDR for one cell: the status, then the reasons in Chinese and English.

    Examples
    --------
    >>> validate_text("浙江省杭州市西湖区文三路90号")
    '正常 OK'
    >>> validate_text(None)
    '错误 ERROR: 地址为空 / Address is empty'
    """
    return _validation_of(parsed(value).issues)


def normalize_text(value: Any) -> str:
    """NORMALIZE_ADDR for one cell: the standard address; blank stays blank.

    When no standard address can be made, the result says why (as VALIDATE_ADDR).

    Examples
    --------
    >>> normalize_text("浙江杭州西湖区文三路90号")
    '浙江省杭州市西湖区文三路90号'
    >>> normalize_text("")
    ''
    """
    address = parsed(value)
    if address.normalized:
        return fit_cell_text(address.normalized)
    return "" if _is_blank(address) else validate_text(value)


class Part(Enum):
    """The parts ADDR_PART can return; each has an English and a Chinese name."""

    PROVINCE = ("province", "省")
    CITY = ("city", "市")
    DISTRICT = ("district", "区县")
    TOWNSHIP = ("township", "乡镇")
    STREET = ("street", "街道路")
    HOUSE_NUMBER = ("house_number", "门牌")
    DETAIL = ("detail", "详细")
    ADCODE = ("adcode", "代码")
    NORMALIZED = ("normalized", "标准地址")

    @property
    def field(self) -> str:
        return self.value[0]

    @property
    def label(self) -> str:
        return f"{self.value[0]}/{self.value[1]}"

    @classmethod
    def from_name(cls, name: Any) -> Part | None:
        """The part called ``name`` (English any case, or Chinese), else ``None``."""
        if not isinstance(name, str):
            return None
        return _PART_NAMES.get(name.strip().lower())


_PART_NAMES = {alias: part for part in Part for alias in part.value}
_PART_NAMES.update({"house number": Part.HOUSE_NUMBER, "housenumber": Part.HOUSE_NUMBER})
_VALID_PARTS = ", ".join(part.label for part in Part)


def address_part(value: Any, part_name: Any) -> str:
    """ADDR_PART for one cell: one part of the address, ``""`` if the address lacks it.

    Examples
    --------
    >>> address_part("浙江杭州西湖区文三路90号", "区县")
    '西湖区'
    >>> address_part("浙江杭州西湖区文三路90号", "zip").startswith("未知部分 Unknown part 'zip'")
    True
    """
    part = Part.from_name(part_name)
    if part is None:
        return f"未知部分 Unknown part {str(part_name)[:50]!r}. 可用 Valid: {_VALID_PARTS}"
    return fit_cell_text(getattr(parsed(value), part.field) or "")


PARSE_COLUMNS = (
    Part.PROVINCE,
    Part.CITY,
    Part.DISTRICT,
    Part.TOWNSHIP,
    Part.STREET,
    Part.HOUSE_NUMBER,
    Part.DETAIL,
    Part.ADCODE,
    Part.NORMALIZED,
)


def parse_header() -> list[str]:
    """Column titles of PARSE_ADDR: the parts, then the status."""
    return [f"{part.value[1]} {part.field}" for part in PARSE_COLUMNS] + ["状态 status"]


# The fields of PARSE_COLUMNS in one C call (an Enum property per part per cell cost
# more than the rest of the row).
_parse_fields = attrgetter(*(part.field for part in PARSE_COLUMNS))


def _row(address: ParsedAddress) -> list[str]:
    parts = [v or "" for v in _parse_fields(address)]
    if max(map(len, parts)) > CELL_TEXT_LIMIT:  # only ever a foreign text's normalized form
        parts = [fit_cell_text(v) for v in parts]
    parts.append(_validation_of(address.issues))
    return parts


def _as_cell(value: Any) -> Any:
    """The value itself, or its text when it is unhashable (a list from a malformed
    call): read as the text it shows, as a cell would."""
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def parse_row(value: Any) -> list[str]:
    """PARSE_ADDR for one cell: the parts of :data:`PARSE_COLUMNS`, then VALIDATE_ADDR's text.

    Examples
    --------
    >>> parse_row("浙江杭州西湖区文三路90号")[:3]
    ['浙江省', '杭州市', '西湖区']
    """
    return _row(parse_address(_as_cell(value)))


def parse_rows(values: Iterable[Any]) -> list[list[str]]:
    """PARSE_ADDR for many cells at once: one row per value, as :func:`parse_row` gives,
    parsed in bulk (``parse_many``: one memo and gazetteer look-up for the whole range).

    Examples
    --------
    >>> [r[2] for r in parse_rows(["浙江杭州西湖区文三路90号", None])]
    ['西湖区', '']
    """
    return [_row(a) for a in parse_many(map(_as_cell, values))]


def region_text(value: Any, territories: TerritoryMap | None = None) -> str:
    """ADDR_REGION for one cell: the sales region of the address.

    ``territories`` is the workbook's scheme with its Regions sheet (most specific row
    wins); without one, the default scheme (华东 华北 华南 华中 西南 西北 东北 港澳台).

    Examples
    --------
    >>> region_text("浙江杭州西湖区文三路90号")
    '华东 East China'
    >>> region_text("")
    ''
    >>> m = TerritoryMap.from_rows([["浙江", "杭州", "", "杭州大区 HZ", "刘洋"]])
    >>> region_text("浙江杭州西湖区文三路90号", m), region_text("宁波市海曙区", m)
    ('杭州大区 HZ', '华东 East China')
    """
    address = parsed(value)
    if _is_blank(address):
        return ""
    place = (territories or _DEFAULT_TERRITORIES).lookup(
        address.province, address.city, address.district
    )
    if place.region is not None:
        try:
            return Region(place.region).label
        except ValueError:  # a region named on the Regions sheet
            return fit_cell_text(place.region)
    if address.province:
        return f"未知 Unknown: {address.province} 不在区域方案中 / not in the region scheme"
    return "未知 Unknown: 无法确定省份 / Province not recognised"


_ADMIN_WEIGHT = 0.4  # divisions agree or not; the rest of the text carries the remaining weight
_CONFLICT_CAP = 0.5  # addresses naming different divisions are never likely the same place


def _rest(address: ParsedAddress) -> str:
    return "".join(p for p in (address.street, address.house_number, address.detail) if p)


@lru_cache(maxsize=_CACHE_SIZE, typed=True)
def _similarity_cached(first: Any, second: Any) -> float | str:
    a, b = parsed(first), parsed(second)
    for label, address, value in (("第一个 first", a, first), ("第二个 second", b, second)):
        if not address.normalized and not address.province:
            return f"{label}: {validate_text(value)}"
    both = [
        getattr(a, level) == getattr(b, level)
        for level in ADMIN_LEVELS
        if getattr(a, level) and getattr(b, level)
    ]
    rest_a, rest_b = _rest(a), _rest(b)
    detail = fuzz.ratio(rest_a, rest_b) / 100 if (rest_a or rest_b) else None
    if not both:
        whole = fuzz.ratio(a.normalized or a.input, b.normalized or b.input) / 100
        return round(whole, 3)
    admin = sum(both) / len(both)
    score = admin if detail is None else _ADMIN_WEIGHT * admin + (1 - _ADMIN_WEIGHT) * detail
    if not all(both):
        score = min(score, _CONFLICT_CAP)
    return round(score, 3)


def similarity(first: Any, second: Any) -> float | str:
    """ADDR_SIMILARITY for one pair of cells: a score from 0 (different) to 1 (same).

    Both addresses are standardised first. Divisions (province, city, district,
    township) named by both are compared as parts — equal or not — and weigh 0.4;
    the rest (street, number, detail) is compared with RapidFuzz's ``ratio`` and
    weighs 0.6. If a division named by both differs, the score is at most 0.5.
    With no division in common, the whole standardised texts are compared.
    An address that cannot be read gives the reason as text.

    Examples
    --------
    >>> similarity("浙江杭州西湖区文三路90号", "浙江省杭州市西湖区文三路90号")
    1.0
    >>> similarity("浙江杭州西湖区文三路90号", "浙江省杭州市上城区文三路90号") <= 0.5
    True
    """
    try:
        return _similarity_cached(first, second)
    except TypeError:
        return _similarity_cached(repr(first), repr(second))
