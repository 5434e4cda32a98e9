"""Apply a change plan to an openpyxl workbook held in memory (normal-size sheets).

Text is forced to be text: openpyxl would store a string starting with "=" as a formula,
so every string cell gets ``data_type = "s"`` after its value is set.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.table import TableColumn
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import WorkbookError
from ..ops.plan import ChangePlan, ConditionalFormat, Fill, PrintLayout, SheetWrite
from ..table import TableLocation
from .adapter import BookAdapter
from .changelog import LOG_FIELDS, LOG_SHEET, log_columns
from .charts import add_charts
from .layout import TEXT_FORMAT, BlockLayout, cell_value, find_sheet
from .note_parts import add_notes

__all__ = [
    "FileBook",
    "apply_plan",
    "set_cell",
    "write_log",
    "cf_rule",
    "print_layout",
    "COMMENT_SIZE",
]

COMMENT_SIZE = (120, 320)  # height, width in points: room for two or three issue lines
_BOLD = Font(bold=True)


def set_cell(ws: Worksheet, row: int, col: int, value: Any, *, text_format: bool = False):
    """Write one value; a string is always stored as a string, never as a formula."""
    cell = ws.cell(row=row, column=col)
    value = cell_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    if text_format:
        cell.number_format = TEXT_FORMAT
    return cell


def cf_rule(value: str, fill: Fill) -> CellIsRule:
    """An "equals value → fill" conditional-format rule, as Excel's own dialog makes it."""
    pattern = PatternFill(start_color=fill.value, end_color=fill.value, fill_type="solid")
    return CellIsRule(operator="equal", formula=[f'"{value}"'], fill=pattern)


def _replace_conditional_format(ws: Worksheet, ref: str, cf: ConditionalFormat) -> None:
    # Drop the rules an earlier run put on the same range, then add this run's.
    rules = ws.conditional_formatting._cf_rules
    for key in [k for k in rules if str(k.sqref) == ref]:
        del rules[key]
    for rule in cf.rules:
        ws.conditional_formatting.add(ref, cf_rule(rule.value, rule.fill))


def _extend_list_object(ws: Worksheet, location: TableLocation, block: BlockLayout) -> None:
    """Grow the Excel table over a new block right beside it, as Excel does when typing there."""
    if location.list_object is None or block.existing or block.start_col != location.last_col + 1:
        return
    table = ws.tables[location.list_object]
    top_left = table.ref.split(":")[0]
    table.ref = f"{top_left}:{get_column_letter(block.end_col)}{location.last_row}"
    next_id = max((c.id for c in table.tableColumns), default=0) + 1
    for i, header in enumerate(block.headers):
        table.tableColumns.append(TableColumn(id=next_id + i, name=header))
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref


def _write_block(ws: Worksheet, plan: ChangePlan, block: BlockLayout) -> list[list[Any]] | None:
    # Old values are read even for a new block: stray cells right of the table are logged.
    # They are looked up, not iterated: ``ws.iter_rows`` would create every empty cell.
    cells = ws._cells
    rows = range(block.first_data_row, block.last_row + 1)
    cols = range(block.start_col, block.end_col + 1)
    old = [[_value_at(cells, r, c) for c in cols] for r in rows]
    if block.existing:
        for r in rows:
            for c in cols:
                if (cell := cells.get((r, c))) is not None:
                    cell.comment = None
                    cell.fill = PatternFill()
    for j, column in enumerate(plan.columns):
        col = block.start_col + j
        set_cell(ws, block.header_row, col, block.headers[j]).font = _BOLD
        _write_column(ws, block.first_data_row, col, column.values)
    add_notes(
        ws,
        [
            (block.first_data_row + note.row, block.col_of(note.header), note.text)
            for note in plan.comments
        ],
        author="addrkit",
        size=COMMENT_SIZE,
    )
    for cf in plan.conditional_formats:
        _replace_conditional_format(ws, block.data_ref(cf.header), cf)
    return old


def _value_at(cells: dict, row: int, col: int) -> Any:
    cell = cells.get((row, col))
    return None if cell is None else cell.value


def _write_column(ws: Worksheet, first_row: int, col: int, values) -> None:
    """One output column, each cell text-formatted, as `set_cell` would write it.

    A cell that does not exist yet is made directly with the style of a new
    text-formatted cell: setting ``number_format`` on 100,000 cells one by one looks
    the style up each time and took a quarter of a run. Existing cells keep their own
    style and go through `set_cell`.
    """
    cells = ws._cells
    text_style = _new_text_style(ws)
    for i, value in enumerate(values):
        row = first_row + i
        if (row, col) in cells:
            set_cell(ws, row, col, value, text_format=True)
            continue
        value = cell_value(value)
        if isinstance(value, str):
            cells[(row, col)] = _text_cell(ws, row, col, value, text_style)
            continue
        cell = Cell(ws, row=row, column=col, style_array=text_style)
        if value is not None:
            cell.value = value
        cells[(row, col)] = cell


def _text_cell(ws: Worksheet, row: int, col: int, text: str, style: StyleArray) -> Cell:
    """A text cell, its fields set as ``Cell(ws, row, col, text, style)`` sets them.

    Set directly: the constructor's checks cost a tenth of a 100,000-row clean, for text
    `cell_value` has already made safe.
    """
    cell = Cell.__new__(Cell)
    cell.parent = ws
    cell._style = StyleArray(style)
    cell.row = row
    cell.column = col
    cell._value = text
    cell.data_type = "s"
    cell._hyperlink = None
    cell._comment = None
    return cell


def _new_text_style(ws: Worksheet) -> StyleArray:
    """The style array a new cell gets from ``number_format = "@"`` in this workbook."""
    probe = Cell(ws)
    probe.number_format = TEXT_FORMAT
    return probe._style


def _write_sheet(wb: Workbook, write: SheetWrite) -> None:
    name, rows, widths = write.name, write.rows, write.column_widths
    existing = find_sheet(wb.sheetnames, name)
    if existing is not None:
        index = wb.sheetnames.index(existing)
        wb.remove(wb[existing])
        ws = wb.create_sheet(existing, index)
    else:
        ws = wb.create_sheet(name)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":
                cell = set_cell(ws, r, c, value)
                number_format = write.number_format_at(c - 1, value)
                if number_format is not None:
                    cell.number_format = number_format
    for c, width in enumerate(widths or fitted_widths(rows), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    if write.hidden:
        ws.sheet_state = "hidden"
        return
    _readable_output_sheet(ws, n_columns=max((len(r) for r in rows), default=0))
    add_charts(ws, write.charts)
    if write.printing is not None:
        print_layout(ws, write.printing)


def print_layout(ws, layout: PrintLayout) -> None:
    """A plan's own print settings over `readable_layout`'s (loaded and write-only sheets)."""
    from openpyxl.worksheet.pagebreak import Break

    ws.page_setup.orientation = "portrait" if layout.portrait else "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = layout.scale
    for row in layout.breaks:
        ws.row_breaks.append(Break(id=row))
    for column in layout.column_breaks:
        ws.col_breaks.append(Break(id=column))


def fitted_widths(rows, cap: float = 60.0) -> list[float]:
    """Column widths from the longest text in each column (CJK counts double), capped."""
    widths: list[float] = []
    for row in rows[:2000]:  # the first rows show the shape; a long sheet need not be read twice
        for c, value in enumerate(row):
            text = "" if value is None else str(value)
            size = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[:200]) + 2
            if c >= len(widths):
                widths.append(8.0)
            widths[c] = min(cap, max(widths[c], float(size)))
    return widths


def _readable_output_sheet(ws: Worksheet, n_columns: int) -> None:
    """An output sheet reads on screen and on paper: bold, shaded header row, and the
    view and page settings of `readable_layout`."""
    if n_columns == 0:
        return
    for cell in ws[1][:n_columns]:
        cell.font = HEADER_STYLE["font"]
        cell.fill = HEADER_STYLE["fill"]
    readable_layout(ws, n_columns, max(ws.max_row, 1))


def readable_layout(ws, n_columns: int, n_rows: int) -> None:
    """Frozen, filterable header row; landscape, one page wide, header repeated on every
    page. Works on a loaded and on a write-only (streamed) sheet alike."""
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(n_columns)}{n_rows}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _anchor_cell(image) -> str | None:
    """The top-left cell ("F2") a picture is anchored at, as loaded or as added."""
    anchor = image.anchor
    if isinstance(anchor, str):
        return anchor.upper()
    marker = getattr(anchor, "_from", None)
    if marker is None:
        return None
    return f"{get_column_letter(marker.col + 1)}{marker.row + 1}"


def write_log(wb: Workbook, rows: list[tuple]) -> None:
    """Append rows to the Log sheet, creating it or adding missing header columns."""
    if not rows:
        return
    name = find_sheet(wb.sheetnames, LOG_SHEET)
    ws = wb[name] if name else wb.create_sheet(LOG_SHEET)
    header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))] if ws.max_column else []
    cols, added = log_columns(header)
    fields = [zh for zh, _ in LOG_FIELDS]
    for title in added:
        set_cell(ws, 1, cols[fields.index(title)], title).font = _BOLD
    next_row = ws.max_row + 1
    for r, row in enumerate(rows, start=next_row):
        for col, value in zip(cols, row, strict=True):
            set_cell(ws, r, col, value)


# The header row of every sheet a plan writes.
HEADER_FILL = "DDEBF7"
HEADER_STYLE = {"font": _BOLD, "fill": PatternFill("solid", fgColor=HEADER_FILL)}
_COLUMNS_PER_PRINTED_PAGE = 12  # what stays legible on A4 landscape


def _readable_print_width(ws: Worksheet, location: TableLocation, block: BlockLayout) -> None:
    """Keep a widened customer sheet legible on paper.

    Fitting 30 columns onto one page prints them too small to read. Spread them over
    as many landscape pages as they need, repeat the header row on every page and the
    first two columns (ID, name) on every page across, so each sheet of paper says
    whose row it is. Only the printout changes; Excel shows the sheet as before.
    """
    first = location.first_col
    pages = max(1, -(-(block.end_col - first + 1) // _COLUMNS_PER_PRINTED_PAGE))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = pages
    ws.page_setup.fitToHeight = 0
    ws.page_setup.pageOrder = "overThenDown"  # a row band's added columns print next to it
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{location.header_row}:{location.header_row}"
    ws.print_title_cols = f"{get_column_letter(first)}:{get_column_letter(first + 1)}"


class FileBook(BookAdapter):
    """The file adapter: a plan applied to an openpyxl workbook held in memory.

    Its snapshot is the file itself: `addrkit.workbook.run_file` copies the file byte
    for byte before a run writes over it (`addrkit.workbook.backup`), which restores
    everything, including what openpyxl does not model; `undo` puts that copy back.
    ``path`` is the file the workbook is saved to (None: in memory only, no undo).
    """

    def __init__(self, wb: Workbook, path: str | None = None) -> None:
        self.wb = wb
        self.path = path

    def snapshot(self, plan, block, location) -> None:
        pass  # the backup copy of the file, made once per run before saving over it

    def undo(self) -> None:
        from .backup import undo_file

        if self.path is None:
            raise WorkbookError("没有可撤销的运行 / Nothing to undo: the workbook has no file")
        undo_file(self.path)

    def write_columns(self, plan: ChangePlan, block: BlockLayout) -> list[list[Any]]:
        return _write_block(self.wb[block.sheet], plan, block)

    def write_highlights(self, plan: ChangePlan, block: BlockLayout) -> None:
        ws = self.wb[block.sheet]
        for mark in plan.highlights:
            cell = ws.cell(row=block.first_data_row + mark.row, column=block.col_of(mark.header))
            cell.fill = PatternFill(
                start_color=mark.fill.value, end_color=mark.fill.value, fill_type="solid"
            )

    def set_default_widths(self, sheet: str, widths: dict[int, float]) -> None:
        dimensions = self.wb[sheet].column_dimensions
        for col, width in widths.items():
            letter = get_column_letter(col)
            if dimensions[letter].width in (None, 13.0):  # openpyxl's default
                dimensions[letter].width = width

    def extend_table(self, location: TableLocation | None, block: BlockLayout) -> None:
        ws = self.wb[block.sheet]
        _extend_list_object(ws, location, block)
        _readable_print_width(ws, location, block)

    def set_table_cell(self, sheet: str, row: int, col: int, value: Any) -> Any:
        ws = self.wb[sheet]
        old = ws.cell(row=row, column=col).value
        set_cell(ws, row, col, value)
        return old

    def write_sheet(self, write: SheetWrite) -> None:
        _write_sheet(self.wb, write)

    def place_images(self, images) -> None:
        from openpyxl.drawing.image import Image  # needs Pillow; only maps place images

        for image in images:
            name = find_sheet(self.wb.sheetnames, image.sheet)
            ws = self.wb[name] if name else self.wb.create_sheet(image.sheet)
            # A picture an earlier run left at this anchor is replaced, not stacked under
            # the new one (openpyxl keeps a loaded book's pictures).
            ws._images = [old for old in ws._images if _anchor_cell(old) != image.anchor.upper()]
            picture = Image(io.BytesIO(image.png))
            picture.anchor = image.anchor
            ws.add_image(picture)

    def append_log(self, rows: list[tuple]) -> None:
        write_log(self.wb, rows)


def apply_plan(
    wb: Workbook,
    plan: ChangePlan,
    location: TableLocation | None,
    row_keys: list[str],
    *,
    when: dt.datetime,
    user: str,
) -> TableLocation | None:
    """Apply one CHANGE plan in memory and log it; returns the table as it now stands.

    Examples
    --------
    >>> import datetime as dt, openpyxl
    >>> from addrkit.table import locate_table
    >>> from addrkit.ops.plan import NewColumn
    >>> wb = openpyxl.Workbook(); ws = wb.active; ws.title = "客户"
    >>> ws.append(["名称", "地址"]); ws.append(["甲", "杭州"])
    >>> loc = locate_table("客户", [["名称", "地址"], ["甲", "杭州"]])
    >>> _ = apply_plan(wb, ChangePlan("x", columns=(NewColumn("状态", ("=1+1",)),)), loc, ["row 2"],
    ...                when=dt.datetime(2025, 1, 1), user="u")
    >>> ws["C2"].value, ws["C2"].data_type
    ('=1+1', 's')
    """
    return FileBook(wb).apply(plan, location, row_keys, when=when, user=user)
