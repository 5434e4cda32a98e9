"""Map (地图): the customers on a map picture in the 地图 Map sheet, and beside the book.

Two pictures go on the 地图 Map sheet, replacing those of an earlier run at the same
place: customers as points coloured by region (or by any column Settings names), and
customers per province as a choropleth; the legend table goes in columns A–D. An
interactive HTML map that needs no network is written beside the workbook
(``<book>-map.html``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..address import Precision
from ..assign.regions import DEFAULT_REGION_SCHEME
from ..errors import InputError
from ..geocode.crs import CRS, convert_arrays
from ..maps import Area, PointSet, html_map, render_choropleth, render_points
from ..maps.draw import frame_of
from ..maps.model import NO_CATEGORY
from ..maps.picture import NONE_COLOUR, OTHER, PALETTE
from ..progress import Progress
from ..settings import Settings
from ..table import ColumnRole
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace, require_table
from .geocode import GeoRow, geocode_table, travelling_cache
from .geocode_online import CACHE_SHEET
from .parsing import address_texts, parse_table
from .plan import ChangePlan, ImagePlacement, PrintLayout, SheetWrite, SideFile

__all__ = [
    "MAP_SHEET",
    "PICTURE_ROWS",
    "HTML_SUFFIX",
    "COLOUR_SETTING",
    "colour_column",
    "run_map",
    "OPERATION",
]

MAP_SHEET = "地图 Map"
# The pictures (960 x 720 px, 36 rows of 20 px) go under the legend table, one under
# the other, so the sheet is as wide as one picture and prints portrait: the legend
# and the points on page 1, the provinces on page 2, each whole (at 58 % a 960 px
# picture fits A4 portrait inside its margins with room to spare).
PICTURE_ROWS = 38
PRINT_SCALE = 58
HTML_SUFFIX = "-map.html"
# The Settings row that picks the colouring column (a header of the customer table).
COLOUR_SETTING = ("地图着色 Map colour", "地图着色", "map colour", "map color")
REGION_TITLE = "区域 Region"
NO_BOUNDARIES = (
    "本版本没有边界数据，地图只画客户点 / No boundary data in this build: the map shows "
    "the customer points only"
)
TIP_CHARS = 120  # of a name or address in the HTML map's tooltip (a cell may hold 32,767)
_REVENUE_HEADERS = ("年销售额", "销售额", "revenue", "annual revenue", "sales")


@lru_cache(maxsize=1)
def _boundaries() -> tuple[tuple[Area, ...], tuple[Area, ...]] | None:
    """(provinces, prefecture cities) from the embedded boundaries, or None without them."""
    try:
        from ..geocode.boundaries import load_boundaries
    except ImportError:
        return None
    boundaries = load_boundaries()
    provinces = tuple(Area.from_unit(u) for u in boundaries.units("province"))
    cities = tuple(Area.from_unit(u) for u in boundaries.units("city"))
    return provinces, cities


def _wgs84(geo: Sequence[GeoRow]) -> tuple[list[float | None], list[float | None]]:
    """Latitudes and longitudes in WGS-84, the boundaries' system: the offline points are
    GCJ-02 (AMap's), a few hundred metres off, and an online provider may give BD-09."""
    lat: list[float | None] = [g.lat for g in geo]
    lon: list[float | None] = [g.lon for g in geo]
    by_crs: dict[str, list[int]] = {}
    for i, g in enumerate(geo):
        if g.placed and g.crs and g.crs != CRS.WGS84.value:
            by_crs.setdefault(g.crs, []).append(i)
    for name, rows in by_crs.items():
        new_lat, new_lon = convert_arrays(
            np.array([lat[i] for i in rows]), np.array([lon[i] for i in rows]), name, CRS.WGS84
        )
        for i, a, b in zip(rows, new_lat.tolist(), new_lon.tolist(), strict=True):
            lat[i], lon[i] = a, b
    return lat, lon


def _setting(settings: Settings) -> str:
    wanted = {k.lower() for k in COLOUR_SETTING}
    for label, value in settings.extra.items():
        if label.strip().lower() in wanted and str(value).strip():
            return str(value).strip()
    return ""


def colour_column(
    table: CustomerTable, settings: Settings, provinces: Sequence[str | None]
) -> tuple[str, list[str | None]]:
    """(legend title, one category per row): the column Settings names under
    地图着色 Map colour (a tier, a sales rep, any column), else the sales region.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址", "客户等级"]]), [["甲", "x", "A"]])
    >>> colour_column(t, Settings(extra={"地图着色 Map colour": "客户等级"}), ["浙江省"])
    ('客户等级', ['A'])
    >>> colour_column(t, Settings(), ["浙江省"])
    ('区域 Region', ['华东 East China'])
    """
    wanted = _setting(settings)
    if wanted and wanted.lower() not in ("区域", "region", "区域 region"):
        headers = list(table.frame.columns)
        match = next((h for h in headers if str(h).strip().lower() == wanted.lower()), None)
        if match is None:
            raise InputError(
                f"地图着色列 {wanted!r} 不在客户表中 / Map colour column {wanted!r} is not in the "
                f"customer table; columns: {', '.join(map(str, headers))}"
            )
        return str(match), list(table.frame[match].tolist())
    regions = [DEFAULT_REGION_SCHEME.region_of(p) for p in provinces]
    return REGION_TITLE, [r.label if r is not None else None for r in regions]


def _revenue(table: CustomerTable) -> list[float] | None:
    for header in table.frame.columns:
        if str(header).strip().lower() in _REVENUE_HEADERS:
            values = []
            for v in table.frame[header].tolist():
                try:
                    values.append(float(v) if not isinstance(v, bool) else 0.0)
                except (TypeError, ValueError):
                    values.append(0.0)
            return values
    return None


def _legend_rows(points: PointSet, categories, revenue, legend) -> tuple[tuple, ...]:
    """Category, customers, revenue and the colour code of its dots, then the totals."""
    rows: list[tuple] = [
        ("区域 / 类别 Category", "客户数 Customers", "年销售额 Revenue", "图例 Colour")
    ]
    totals: Counter = Counter()
    if revenue is not None:
        for category, value in zip(categories, revenue, strict=True):
            key = (
                NO_CATEGORY
                if category is None or not str(category).strip()
                else str(category).strip()
            )
            totals[key] += value
    colours = {
        label: NONE_COLOUR if label == NO_CATEGORY else PALETTE[i % len(PALETTE)]
        for i, (label, _) in enumerate(legend)
    }
    for label, count in points.counts():
        money = totals.get(label) if revenue is not None else None
        rows.append((label, count, money, colours.get(label, colours.get(OTHER, ""))))
    rows.append(("合计 Total on the map", len(points), None, ""))
    if points.unplaced:
        rows.append(("未定位 Not placed (see 地理编码 Geocoded)", points.unplaced, None, ""))
    return tuple(rows)


def run_map(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Plan the two pictures on the 地图 Map sheet, its legend table and the HTML map.

    Returns
    -------
    ChangePlan
        A `SheetWrite` of the legend table, two `ImagePlacement` (points at
        under the legend, provinces under it, a page break between) and a `SideFile`
        (the HTML map).

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [["甲", "浙江杭州西湖区文三路90号"]])
    >>> plan = run_map(t, Settings(), Progress())
    >>> plan.images[0].anchor, plan.files[0].suffix, dict(plan.summary)["on map"]
    ('A5', '-map.html', 1)
    """
    table = require_table(table, "map")
    parsed = parse_table(table, progress)
    geo = geocode_table(table, settings, progress)
    title_col, categories = colour_column(table, settings, [p.province for p in parsed])
    names = table.column(ColumnRole.NAME) or [None] * len(table)
    texts = address_texts(table)
    tips = [
        " · ".join(str(v)[:TIP_CHARS] for v in (name, p.normalized or text) if v not in (None, ""))
        for name, p, text in zip(names, parsed, texts, strict=True)
    ]
    lat, lon = _wgs84(geo)
    points = PointSet.from_columns(lat, lon, categories, tips)
    found = _boundaries()
    provinces, cities = found if found is not None else ((), ())
    progress.start(3, "绘制地图 Drawing maps")
    # A foreign customer's point stands for a whole country: it would stretch the frame to
    # the other side of the world. It is counted "outside the frame" instead.
    near = [g.precision is not Precision.COUNTRY for g in geo]
    framed = PointSet.from_columns(
        [a for a, keep in zip(lat, near, strict=True) if keep],
        [b for b, keep in zip(lon, near, strict=True) if keep],
        None,
    )
    frame = frame_of(framed.lat, framed.lon, provinces)
    picture = render_points(points, provinces, cities=cities, colour_title=title_col, frame=frame)
    progress.advance(1)
    by_province = Counter(
        (p.adcode or "")[:2] for p, g in zip(parsed, geo, strict=True) if g.placed and p.adcode
    )
    counts = {a.code: by_province.get(a.code[:2], 0) for a in provinces}
    legend = _legend_rows(points, categories, _revenue(table), picture.legend)
    first = len(legend) + 2  # a blank row under the legend table
    images = [ImagePlacement(MAP_SHEET, f"A{first}", picture.png, "addrkit-map-customers")]
    breaks: tuple[int, ...] = ()
    if provinces:  # without boundaries a choropleth would be an empty frame
        choropleth = render_choropleth(counts, provinces)
        second = first + PICTURE_ROWS
        breaks = (second - 1,)
        images.append(
            ImagePlacement(MAP_SHEET, f"A{second}", choropleth.png, "addrkit-map-provinces")
        )
    progress.advance(1)
    page = html_map(points, provinces, cities=cities, colour_title=title_col)
    progress.advance(1)
    notes = [
        f"map of {picture.points_drawn} customers / 地图客户数; "
        f"{points.unplaced} not placed / 未定位",
        *picture.notes,
    ]
    if found is None:
        notes.append(NO_BOUNDARIES)
    return ChangePlan(
        operation=OPERATION.name,
        sheets=(
            SheetWrite(
                MAP_SHEET,
                legend,
                column_widths=(36, 16, 18, 12),
                number_formats=(None, "#,##0", "#,##0", None),
                printing=PrintLayout(portrait=True, scale=PRINT_SCALE, breaks=breaks),
            ),
            *travelling_cache(table),
        ),
        images=tuple(images),
        files=(SideFile(HTML_SUFFIX, page.encode("utf-8"), "交互地图 interactive map"),),
        notes=tuple(notes),
        summary=(
            ("on map", picture.points_drawn),
            ("not placed", points.unplaced),
            ("colour", title_col),
        ),
    )


OPERATION = Operation(
    "map",
    "地图",
    "Map",
    run_map,
    reads_sheets=(CACHE_SHEET,),
    tip_zh="在地图表中画出客户分布图，并在工作簿旁写出交互地图",
    tip_en="Draw the customers on the Map sheet and write an interactive map beside the book",
    ribbon=RibbonPlace(RibbonGroup.GEO, "PictureInsertFromFile", 20),
)
