"""Geocode (地理编码): a point for every customer, on the table and on the 地理编码 sheet.

Five columns go beside the customer table — 纬度 lat, 经度 lon, 定位精度 precision,
坐标系 crs, 定位来源 source — and the 地理编码 Geocoded sheet lists every customer with
its divisions, point and status; a row that could not be placed says why.

The offline point is the engine's: the point of the deepest division the address
resolves to, labelled honestly with that precision (a district's point is not a door).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from ..address import IssueCode, Precision
from ..geocode.countries import country_of
from ..geocode.crs import CRS, convert_arrays
from ..geocode.points import POINTS_CRS
from ..progress import Progress
from ..settings import Settings
from ..table import ColumnRole
from . import geocode_online as online
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace, require_table
from .parsing import RowResult, address_texts, parse_table
from .plan import ChangePlan, ConditionalFormat, Fill, NewColumn, SheetWrite, ValueRule

__all__ = [
    "GEOCODE_HEADERS",
    "GEOCODED_SHEET",
    "SHEET_HEADER",
    "GeoStatus",
    "GeoRow",
    "OFFLINE_SOURCE",
    "geocode_table",
    "run_geocode",
    "OPERATION",
]

GEOCODED_SHEET = "地理编码 Geocoded"
STATUS_HEADER = "定位状态"
GEOCODE_HEADERS = ("纬度", "经度", "定位精度", "坐标系", "定位来源", STATUS_HEADER)
# The template's 地理编码 sheet columns, then why a row was not placed.
SHEET_HEADER = (
    "客户编号",
    "客户名称",
    "地址",
    "标准地址",
    "省",
    "市",
    "区县",
    "乡镇街道",
    "行政区划代码",
    "纬度",
    "经度",
    "精度",
    "坐标系",
    "来源",
    "状态",
    "说明 Why",
)
OFFLINE_SOURCE = "offline 内置行政区划"
PRECISION_LABELS = {
    Precision.ROOFTOP: "门牌 rooftop",
    Precision.STREET: "道路 street",
    Precision.TOWNSHIP: "乡镇 township",
    Precision.DISTRICT: "区县 district",
    Precision.CITY: "地级市 city",
    Precision.PROVINCE: "省 province",
    Precision.COUNTRY: "国家 country",
    Precision.NONE: "",
}


class GeoStatus(StrEnum):
    """Whether a customer got a point, and how good it is for a map."""

    PLACED = "已定位 placed"
    COARSE = "仅到省 province only"
    COUNTRY = "仅到国家 country only"  # a foreign address: the point stands for the country
    NOT_PLACED = "未定位 not placed"


STATUS_FILLS = {
    GeoStatus.PLACED: Fill.GREEN,
    GeoStatus.COARSE: Fill.AMBER,
    GeoStatus.COUNTRY: Fill.AMBER,
    GeoStatus.NOT_PLACED: Fill.RED,
}


@dataclass(frozen=True, slots=True)
class GeoRow:
    """One customer's point: lat/lon in ``crs``, its precision and source, and why not
    placed (empty when placed)."""

    lat: float | None
    lon: float | None
    precision: Precision
    crs: str | None
    source: str | None
    status: GeoStatus
    why: str = ""

    @property
    def placed(self) -> bool:
        return self.lat is not None and self.lon is not None


def _why_not(text: object, parsed: RowResult) -> str:
    """Why an address has no point, in Chinese and English."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return "地址为空 / The address is empty"
    codes = {i.code for i in parsed.issues}
    if not isinstance(text, str) or codes & {IssueCode.EXCEL_ERROR, IssueCode.NOT_AN_ADDRESS}:
        # A whole number reads as Excel shows it (12345, not 12345.0): a live book hands
        # every number over as a float, a file keeps integers.
        if isinstance(text, float) and text.is_integer():
            text = int(text)
        return f"不是地址 / Not an address: {str(text)[:60]!r}"
    if IssueCode.FOREIGN in codes and not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return (
            "中国以外的地址离线没有坐标，可在设置中选在线服务 / Outside China there is no "
            "offline point: choose an online provider in Settings"
        )
    if IssueCode.OUTSIDE_MAINLAND in codes:
        return "港澳台地址离线没有坐标 / Hong Kong, Macao and Taiwan have no offline point"
    detail = "; ".join(f"{i.code.value}: {i.message}" for i in parsed.issues[:2])
    return "未识别出省、市或区县 / No province, city or district recognised" + (
        f" ({detail})" if detail else ""
    )


# What the engine says of an address it cannot place in China that may name a country.
_MAYBE_FOREIGN = frozenset({IssueCode.FOREIGN, IssueCode.UNKNOWN_DIVISION})


def _country_row(text: object, parsed: RowResult) -> GeoRow | None:
    """The country's point for an address outside China that names its country."""
    if not isinstance(text, str) or not _MAYBE_FOREIGN & {i.code for i in parsed.issues}:
        return None
    country = country_of(text)
    if country is None:
        return None
    return GeoRow(
        country.lat,
        country.lon,
        Precision.COUNTRY,
        POINTS_CRS,
        OFFLINE_SOURCE,
        GeoStatus.COUNTRY,
        f"只识别到国家（{country.name_zh}），点只代表全国 / Only the country was recognised "
        f"({country.name_en}): the point stands for the whole country",
    )


def _offline_row(text: object, parsed: RowResult) -> GeoRow:
    if parsed.lat is None or parsed.lon is None:
        country = _country_row(text, parsed)
        if country is not None:
            return country
        return GeoRow(
            None, None, Precision.NONE, None, None, GeoStatus.NOT_PLACED, _why_not(text, parsed)
        )
    coarse = parsed.precision in (Precision.PROVINCE, Precision.COUNTRY)
    return GeoRow(
        parsed.lat,
        parsed.lon,
        parsed.precision,
        parsed.crs,
        OFFLINE_SOURCE,
        GeoStatus.COARSE if coarse else GeoStatus.PLACED,
        "只识别到省，点只代表全省 / Only the province was recognised: the point stands for all of it"
        if coarse
        else "",
    )


def geocode_table(table: CustomerTable, settings: Settings, progress: Progress) -> Sequence[GeoRow]:
    """A `GeoRow` per customer, once per run (shared by Geocode and Map).

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [["甲", "浙江杭州西湖区文三路90号"], ["乙", ""]])
    >>> [(r.precision.value, r.status.value) for r in geocode_table(t, Settings(), Progress())]
    [('district', '已定位 placed'), ('none', '未定位 not placed')]
    """
    if "geocoded" in table.cache:
        return table.cache["geocoded"]
    parsed = parse_table(table, progress)
    texts = address_texts(table)
    rows = tuple(_offline_row(t, p) for t, p in zip(texts, parsed, strict=True))
    provider = online.online_provider(settings)
    if provider is not None:
        # The standard form is what the service is asked: it is cleaner, and the same
        # customer typed two ways is one cache entry.
        queries = [p.normalized or t for t, p in zip(texts, parsed, strict=True)]
        results, sheet = online.online_lookup(table, provider, queries, progress)
        rows = tuple(_online_row(r, o) for r, o in zip(results, rows, strict=True))
        table.cache["geocode cache sheet"] = sheet
        table.cache["geocode unanswered"] = online.unanswered_warning(provider, results)
    rows = _in_crs(rows, CRS.parse(settings.crs or "wgs84"))
    table.cache["geocoded"] = rows
    return rows


def _in_crs(rows: tuple[GeoRow, ...], target: CRS) -> tuple[GeoRow, ...]:
    """Every point in the coordinate system Settings asks for (设置 坐标系 CRS)."""
    out = list(rows)
    by_crs: dict[str, list[int]] = {}
    for i, g in enumerate(rows):
        if g.placed and g.crs and g.crs != target.value:
            by_crs.setdefault(g.crs, []).append(i)
    for name, index in by_crs.items():
        lat, lon = convert_arrays(
            np.array([rows[i].lat for i in index]),
            np.array([rows[i].lon for i in index]),
            name,
            target,
        )
        for i, a, b in zip(index, lat.tolist(), lon.tolist(), strict=True):
            out[i] = replace(rows[i], lat=a, lon=b, crs=target.value)
    return tuple(out)


def travelling_cache(table: CustomerTable) -> tuple[SheetWrite, ...]:
    """The hidden cache sheet an online run of `geocode_table` made (none offline)."""
    sheet = table.cache.get("geocode cache sheet")
    return (sheet,) if sheet is not None else ()


def _online_row(result, offline: GeoRow) -> GeoRow:
    """A service's answer; without one, the offline point (if any) and the service's reason."""
    if online.is_placed(result):
        coarse = online.is_coarse(result)
        source = result.source + (" (缓存 cached)" if online.from_cache(result) else "")
        return GeoRow(
            result.lat,
            result.lon,
            result.precision,
            result.crs,
            source,
            GeoStatus.COARSE if coarse else GeoStatus.PLACED,
            "只定位到省或国家 / Placed only at province or country level" if coarse else "",
        )
    why = online.why_text(result)
    if offline.placed:
        return replace(offline, why=f"{why}; 已用离线点 / the offline point is used")
    return replace(offline, why=f"{why}; {offline.why}")


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)  # 6 decimals: about 0.1 m


def _point_cells(g: GeoRow) -> tuple:
    """A row's point as the table's columns and the Geocoded sheet show it: latitude,
    longitude, precision, coordinate system, source, status."""
    return (
        _rounded(g.lat),
        _rounded(g.lon),
        PRECISION_LABELS[g.precision],
        g.crs,
        g.source,
        g.status.value,
    )


def _sheet_rows(table: CustomerTable, parsed: Sequence[RowResult], geo: Sequence[GeoRow]):
    keys = table.row_keys()
    names = table.column(ColumnRole.NAME) or [None] * len(table)
    texts = address_texts(table)
    rows: list[tuple] = [SHEET_HEADER]
    for i, (p, g) in enumerate(zip(parsed, geo, strict=True)):
        rows.append(
            (
                keys[i],
                names[i],
                texts[i],
                p.normalized,
                p.province,
                p.city,
                p.district,
                p.township,
                p.adcode,
                *_point_cells(g),
                g.why,
            )
        )
    return tuple(rows)


def run_geocode(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Plan the point columns on the customer table and the 地理编码 Geocoded sheet.

    Returns
    -------
    ChangePlan
        Columns `GEOCODE_HEADERS` (lat and lon as numbers), the status coloured, and
        one `SheetWrite` of `SHEET_HEADER` rows, one per customer.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [["甲", "浙江杭州西湖区文三路90号"]])
    >>> plan = run_geocode(t, Settings(), Progress())
    >>> plan.column_headers[:3], plan.sheets[0].name
    (('纬度', '经度', '定位精度'), '地理编码 Geocoded')
    """
    table = require_table(table, "geocode")
    parsed = parse_table(table, progress)
    geo = geocode_table(table, settings, progress)
    values = [_point_cells(g) for g in geo]
    columns = tuple(
        NewColumn(header, tuple(v[i] for v in values)) for i, header in enumerate(GEOCODE_HEADERS)
    )
    by_status = Counter(g.status for g in geo)
    by_precision = Counter(g.precision for g in geo if g.placed)
    rules = tuple(ValueRule(s.value, fill) for s, fill in STATUS_FILLS.items())
    unanswered = tuple(w for w in (table.cache.get("geocode unanswered"),) if w)
    notes = [
        f"{len(geo)} addresses / 地址: "
        + ", ".join(f"{s.value} {by_status[s]}" for s in GeoStatus)
        + " · "
        + ", ".join(f"{p.value} {n}" for p, n in sorted(by_precision.items()))
    ]
    return ChangePlan(
        operation=OPERATION.name,
        columns=columns,
        conditional_formats=(ConditionalFormat(STATUS_HEADER, rules),),
        sheets=(
            SheetWrite(
                GEOCODED_SHEET,
                _sheet_rows(table, parsed, geo),
                column_widths=(12, 20, 36, 36, 10, 10, 10, 12, 12, 11, 11, 14, 9, 20, 16, 50),
            ),
            *travelling_cache(table),
        ),
        # Unanswered rows are said twice: in the log (what Excel users read) and on the
        # command line.
        notes=tuple(notes) + unanswered,
        warnings=unanswered,
        summary=(
            ("rows", len(geo)),
            ("placed", by_status[GeoStatus.PLACED]),
            ("province only", by_status[GeoStatus.COARSE]),
            ("country only", by_status[GeoStatus.COUNTRY]),
            ("not placed", by_status[GeoStatus.NOT_PLACED]),
        ),
    )


OPERATION = Operation(
    "geocode",
    "地理编码",
    "Geocode",
    run_geocode,
    reads_sheets=(online.CACHE_SHEET,),
    tip_zh="为每位客户定位经纬度，并写出地理编码表",
    tip_en="Place every customer (latitude, longitude, precision) and write the Geocoded sheet",
    ribbon=RibbonPlace(RibbonGroup.GEO, "FindDialog", 10),
)
