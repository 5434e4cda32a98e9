"""Summary (汇总): counts by status, province and issue code on the 汇总 Summary sheet,
and beside them a region × tier table (columns F on) from the Tiers & regions rules, with
a native chart of it and, under the charts, a picture of it (`addrkit.assign.picture`)."""

from __future__ import annotations

from collections import Counter

from openpyxl.utils import get_column_letter

from ..address import IssueCode, Status
from ..assign.picture import region_tier_png
from ..assign.regions import Region
from ..errors import SettingsError
from ..progress import Progress
from ..settings import Settings
from .assign import territories_for, tiers_for
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace, require_table
from .parsing import parse_table
from .plan import ChangePlan, ChartKind, ChartSpec, ImagePlacement, PrintLayout, SheetWrite

__all__ = ["SUMMARY_SHEET", "SHARE_FORMAT", "run_summary", "region_tier_table", "OPERATION"]

SUMMARY_SHEET = "汇总 Summary"
NO_PROVINCE = "(未识别 unknown)"
NO_REGION = "(未分区 no region)"
NO_TIER = "未分级 Untiered"
CROSS_COLUMN = 5  # the region × tier table starts in column F, beside the lists
PICTURE = "addrkit-summary-region-tier"  # the picture's name: a re-run replaces it


SHARE_FORMAT = "0.0%"


def _share(n: int, total: int) -> float:
    """A fraction of all rows; written as a number shown as a percentage (sortable)."""
    return n / total if total else 0.0


_ROW_CM = 0.53  # Excel's default row height (15 pt) in centimetres


def _charts(
    status_header: int, status_last: int, province_header: int, province_last: int, column: str
):
    """Status shares (pie) and customers by province (bar, most first), in ``column``
    (right of every table, so no chart covers one): the pie from the top, the bars below."""
    status = ChartSpec(
        "状态占比 Status shares",
        ChartKind.PIE,
        status_header,
        status_header + 1,
        status_last,
        label_col=1,
        value_cols=(2,),
        anchor=f"{column}2",
        width=15.0,
        height=7.5,
    )
    n_provinces = province_last - province_header
    if n_provinces == 0:
        return (status,)
    below = 2 + int(status.height / _ROW_CM) + 2
    provinces = ChartSpec(
        "各省客户数 Customers by province",
        ChartKind.BAR,
        province_header,
        province_header + 1,
        province_last,
        label_col=1,
        value_cols=(2,),
        anchor=f"{column}{below}",
        width=15.0,
        height=max(7.5, 2.5 + 0.5 * n_provinces),  # a readable bar per province
    )
    return (status, provinces)


def run_summary(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Plan the Summary sheet from the parsed addresses.

    Returns
    -------
    ChangePlan
        One `SheetWrite` of three small tables: by status, by province (most first),
        by issue code (most first, with its description); each count with its share;
        beside them the region × tier table, native charts (status shares, customers by
        province, customers by region and tier) and a picture of the region × tier counts.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [["甲", None]])
    >>> rows = run_summary(t, Settings(), Progress()).sheets[0].rows
    >>> rows[1]
    ('客户数 Customers', 1, '')
    """
    table = require_table(table, "summary")
    parsed = parse_table(table, progress)
    total = len(parsed)
    by_status = Counter(a.status for a in parsed)
    by_province = Counter(a.province or NO_PROVINCE for a in parsed)
    by_issue = Counter(code for a in parsed for code in {i.code for i in a.issues})

    rows: list[tuple] = [("汇总 Summary", "", ""), ("客户数 Customers", total, ""), ("", "", "")]
    status_header = len(rows) + 1
    rows.append(("状态 Status", "数量 Count", "占比 Share"))
    for status in Status:
        rows.append(
            (
                f"{status.value} {status.label_zh}",
                by_status[status],
                _share(by_status[status], total),
            )
        )
    status_last = len(rows)
    rows += [("", "", ""), ("省 Province", "数量 Count", "占比 Share")]
    province_header = len(rows)
    for province, n in sorted(by_province.items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append((province, n, _share(n, total)))
    province_last = len(rows)
    # Issues get a share too (of addresses with that issue), so every count has its share
    # beside it and the long description sits in a column of its own.
    rows += [("", "", ""), ("问题代码 Issue code", "数量 Count", "占比 Share", "说明 Description")]
    for code, n in sorted(by_issue.items(), key=lambda kv: (-kv[1], kv[0].value)):
        description = f"{IssueCode(code).message_zh} / {IssueCode(code).message_en}"
        rows.append((code.value, n, _share(n, total), description))
    cross = region_tier_table(table, settings, progress)
    for i, cells in enumerate(cross, start=3):  # level with the Status table's header
        while len(rows) <= i:
            rows.append(("", "", ""))
        left = tuple(rows[i]) + ("",) * (CROSS_COLUMN - len(rows[i]))
        rows[i] = left + cells
    width = max(len(c) for c in cross)
    column = get_column_letter(CROSS_COLUMN + width + 2)  # a blank column after the cross table
    charts = _charts(status_header, status_last, province_header, province_last, column)
    charts += _cross_chart(cross, column, below=_below(charts))
    picture = region_tier_png(cross)
    images = ()
    widths = (28, 12, 12, 60, 3, 26) + (13,) * (width - 1)
    drawings = [(c.anchor_row, c.width / 2.54, c.height / 2.54) for c in charts]
    if picture is not None:  # under the native chart, in the same column
        images = (ImagePlacement(SUMMARY_SHEET, f"{column}{_below(charts)}", picture[0], PICTURE),)
        drawings.append((_below(charts), picture[1] / _SCREEN_DPI, picture[2] / _SCREEN_DPI))
    printing = paged_layout(widths, drawings)
    return ChangePlan(
        operation=OPERATION.name,
        images=images,
        sheets=(
            SheetWrite(
                SUMMARY_SHEET,
                tuple(rows),
                column_widths=widths,
                number_formats=(None, None, SHARE_FORMAT, None),
                charts=charts,
                printing=printing,
            ),
        ),
        notes=(f"summary of {total} addresses / 地址汇总",),
        summary=(("rows", total), ("provinces", len(by_province))),
    )


# Printing: the sheet is wide (tables, then charts and the picture in one column at the
# right); fitted to one page wide, LibreOffice and Excel break pages by height wherever
# they fall, through a chart or the picture. Instead the tables print on their pages and
# the drawings' column on its own (a column break between them), at a fixed zoom that
# fits the wider of the two and the tallest drawing on a page, with a page break above
# each drawing that would not fit below the one before: every chart and the picture whole.
_SCREEN_DPI = 96  # a picture's pixels as Excel and LibreOffice size it on the sheet
_DEFAULT_WIDTH = 8.43  # characters: a column with no width of its own
_CHAR_PX = 9  # a character of column width: 7 px in Excel (Calibri), 9 in LibreOffice without it
_PAGE_WIDTH_IN = 11.0 - 2 * 0.75  # landscape Letter (narrower than A4), less the margins
_PAGE_HEIGHT_IN = 8.27 - 2 * 1.0 - 0.25  # landscape A4 (lower than Letter), margins, row 1
_ROW_IN = 0.25  # a row's height, generous: CJK text makes rows taller than 15 pt
_SLACK = 0.92  # room for fonts that measure wider than expected


def _column_inches(width: float) -> float:
    """A column ``width`` characters wide, in inches, 5 px of padding included."""
    return (_CHAR_PX * width + 5) / _SCREEN_DPI


def paged_layout(
    column_widths: tuple[float, ...], drawings: list[tuple[int, float, float]]
) -> PrintLayout:
    """Landscape pages: the columns of ``column_widths`` (the tables) on pages of their
    own, then a blank column and the drawings' column (each drawing as anchor row, width
    and height in inches, top to bottom) at a zoom that fits both widths and the tallest
    drawing on one page, with a page break above each drawing that would run off the page
    it starts on. The blank column goes with the drawings: a drawing that started right at
    the column break would leave a sliver of its edge on the tables' pages.

    Examples
    --------
    >>> layout = paged_layout((28, 12), [(2, 5.9, 3.0), (18, 5.9, 7.5), (60, 8.3, 12.5)])
    >>> layout.portrait, layout.scale, layout.breaks, layout.column_breaks
    (False, 44, (58,), (2,))
    >>> paged_layout((28, 12), []).column_breaks
    ()
    """
    gap = _column_inches(_DEFAULT_WIDTH)
    tables = sum(_column_inches(w) for w in column_widths)
    wide = max([tables, *(gap + d[1] for d in drawings)])
    tall = max((d[2] for d in drawings), default=1.0)
    fit = min(1.0, _PAGE_WIDTH_IN / wide, _PAGE_HEIGHT_IN / tall)
    scale = max(10, int(fit * _SLACK * 100))
    page_rows = _PAGE_HEIGHT_IN / (scale / 100)  # inches of sheet a page holds
    breaks: list[int] = []
    top = 1
    for row, _, height in sorted(drawings):
        if (row - top) * _ROW_IN + height > page_rows and row > top + 1:
            # the page starts a row above the drawing: one starting right on the break
            # would leave a sliver of its edge at the foot of the page before
            breaks.append(row - 2)
            top = row - 1
    columns = (len(column_widths),) if drawings else ()
    return PrintLayout(portrait=False, scale=scale, breaks=tuple(breaks), column_breaks=columns)


def _below(charts: tuple[ChartSpec, ...]) -> int:
    """The first free row under the charts already placed in one column."""
    last = charts[-1]
    return last.anchor_row + int(last.height / _ROW_CM) + 2


def _cross_chart(cross: list[tuple], column: str, below: int) -> tuple[ChartSpec, ...]:
    """Customers by region, one bar per tier in each region's cluster, over the region ×
    tier table (its header sits at sheet row 5, regions below it; the totals row and
    column left out). Horizontal bars, as for the provinces: region names stay level and
    whole, and the chart grows with regions × tiers so each bar keeps room for its count
    (a fixed-size column chart squeezed 9 regions × 5 tiers into a strip of slanted
    labels and overlapping counts)."""
    header_row, n_tiers, n_regions = 5, len(cross[1]) - 2, len(cross) - 3
    if n_tiers < 1 or n_regions < 1:
        return ()
    label_col = CROSS_COLUMN + 1
    return (
        ChartSpec(
            "区域 × 分级 Customers by region and tier",
            ChartKind.BAR,
            header_row,
            header_row + 1,
            header_row + n_regions,
            label_col=label_col,
            value_cols=tuple(range(label_col + 1, label_col + 1 + n_tiers)),
            anchor=f"{column}{below}",
            width=15.0,
            height=max(7.5, 3.0 + 0.32 * n_regions * n_tiers),
        ),
    )


def region_tier_table(table: CustomerTable, settings: Settings, progress: Progress) -> list[tuple]:
    """Customers counted by region (rows) and tier (columns), with totals.

    Regions in the default order, then the Regions sheet's own, then the customers with
    no region; tiers in order, then the untiered. Tier rules that cannot run on this
    table (RFM without a last-order column) leave everyone untiered, said in the title.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址", "年销售额", "信用"]]),
    ...     [["甲", "浙江杭州", 2e6, 90], ["乙", "广州市", 10, 90], ["丙", "", 60000, 1]])
    >>> region_tier_table(t, Settings(), Progress())[1:]
    [('区域 Region', 'A', 'C', 'D', '合计 Total'), ('华东 East China', 1, 0, 0, 1), ('华南 South China', 0, 0, 1, 1), ('(未分区 no region)', 0, 1, 0, 1), ('合计 Total', 1, 1, 1, 3)]
    """
    title = "区域 × 分级 Region × tier"
    try:
        tiers = [t.tier for t in tiers_for(table, settings)]
    except SettingsError as err:
        tiers = [None] * len(table)
        title += f" — {err}"
    regions = [p.region for p in territories_for(table, settings, progress)]
    counts = Counter(zip(regions, tiers, strict=True))
    order = {r.value: i for i, r in enumerate(Region)}
    region_keys = sorted(
        {r for r in regions if r is not None}, key=lambda r: (order.get(r, len(order)), r)
    )
    if None in regions:
        region_keys.append(None)
    tier_keys = sorted({t for t in tiers if t is not None})
    if None in tiers:
        tier_keys.append(None)
    header = ("区域 Region", *(t or NO_TIER for t in tier_keys), "合计 Total")
    out: list[tuple] = [(title,), header]
    for region in region_keys:
        label = NO_REGION if region is None else _region_label(region)
        cells = [counts[(region, t)] for t in tier_keys]
        out.append((label, *cells, sum(cells)))
    totals = [sum(counts[(r, t)] for r in region_keys) for t in tier_keys]
    out.append(("合计 Total", *totals, sum(totals)))
    return out


def _region_label(region: str) -> str:
    try:
        return Region(region).label
    except ValueError:
        return region


OPERATION = Operation(
    "summary",
    "汇总",
    "Summary",
    run_summary,
    tip_zh="按状态、省份和问题汇总，附图表",
    tip_en="Counts by status, province and issue, with charts",
    ribbon=RibbonPlace(RibbonGroup.CLEAN, "AutoSum", 20),
)
