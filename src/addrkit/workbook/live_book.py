"""The live book's `BookAdapter`: a change plan applied to an open Excel book via xlwings.

Thin on purpose: each hook is a few xlwings calls. Excel conventions this relies on
(checked by the Windows acceptance checklist): text is written with a leading apostrophe
outside the output block (Excel stores the rest as text, so "=1+1" or "00123" stay text)
and into the block with the Text (@) number format; notes are Excel Notes; a column at
Excel's standard width is 8.43 characters wide; the undo snapshot is a hidden sheet
(`addrkit.workbook.live_undo`).
"""

from __future__ import annotations

from typing import Any

from ..errors import WorkbookError
from ..ops.plan import ChangePlan, ChartKind, ChartSpec, SheetWrite
from .adapter import BookAdapter
from .changelog import LOG_FIELDS, LOG_SHEET, SNAPSHOT_SHEET, log_columns
from .file_apply import HEADER_FILL, fitted_widths
from .layout import TEXT_FORMAT, BlockLayout, cell_value, edit_position, find_sheet
from .live_undo import (
    BlockCells,
    ConditionalRules,
    KeptSheet,
    LogEnd,
    NewDrawings,
    NewSheet,
    TableCell,
    TableRange,
    UndoRecord,
    UndoTarget,
    decode,
    encode,
)

__all__ = ["LiveBook", "EXCEL_DEFAULT_WIDTH", "sheet_grid", "text_value", "write_log"]

_XL_CELL_VALUE, _XL_EQUAL = 1, 3  # FormatConditions.Add(Type, Operator): "cell value equals"
EXCEL_DEFAULT_WIDTH = 8.43  # a new sheet's column width in Excel (characters of Calibri 11)


def text_value(value: Any) -> Any:
    """A value for a General-format cell: text keeps a leading apostrophe so Excel keeps it text."""
    value = cell_value(value)
    return "'" + value if isinstance(value, str) and value else value


def sheet_grid(sheet) -> list[list[Any]]:
    """The sheet's values from A1 (the used range padded to start at A1)."""
    used = sheet.used_range
    values = used.options(ndim=2, err_to_str=True).value or [[]]
    pad = [None] * (used.column - 1)
    return [[] for _ in range(used.row - 1)] + [pad + list(r) for r in values]


def _rgb(hex6: str) -> tuple[int, int, int]:
    return tuple(int(hex6[i : i + 2], 16) for i in (0, 2, 4))


def _region(sheet, top, left, bottom, right):
    return sheet.range((top, left), (bottom, right))


def _write_rows(sheet, top: int, rows: list[list[Any]]) -> None:
    if rows:
        width = max(len(r) for r in rows)
        sheet.range((top, 1)).value = [
            [text_value(v) for v in (list(r) + [None] * width)[:width]] for r in rows
        ]


def _formats(sheet, top: int, left: int, bottom: int, right: int) -> tuple:
    """Number formats other than General in a block, as (first row, last row, column,
    format): the header row cell by cell, each column's data rows as one range when
    they share a format (one read per column, not per cell), else cell by cell."""
    found = []
    for c in range(left, right + 1):
        header = sheet.range((top, c)).number_format
        if header not in (None, "General"):
            found.append((top, top, c, header))
        if bottom <= top:
            continue
        shared = _region(sheet, top + 1, c, bottom, c).number_format
        if shared is not None:
            if shared != "General":
                found.append((top + 1, bottom, c, shared))
            continue
        for r in range(top + 1, bottom + 1):
            cell = sheet.range((r, c)).number_format
            if cell not in (None, "General"):
                found.append((r, r, c, cell))
    return tuple(found)


_CHART_TYPES = {  # xlwings' names of Excel's chart types
    ChartKind.PIE: "pie",
    ChartKind.BAR: "bar_clustered",
    ChartKind.COLUMN: "column_clustered",
}
_POINTS_PER_CM = 72 / 2.54
_XL_CATEGORY, _XL_LABELS_PERCENT = (
    1,
    3,
)  # Axes(xlCategory); ApplyDataLabels(xlDataLabelsShowPercent)


def _add_chart(sheet, spec: ChartSpec) -> None:
    """The chart the file writers draw with openpyxl (`addrkit.workbook.charts`), drawn
    by Excel itself: same source block, type, title, place and size, bars largest on top,
    pie slices labelled with their share."""
    anchor = sheet.range(spec.anchor)
    chart = sheet.charts.add(
        left=anchor.left,
        top=anchor.top,
        width=spec.width * _POINTS_PER_CM,
        height=spec.height * _POINTS_PER_CM,
    )
    chart.set_source_data(sheet.range(spec.source_ref))
    chart.chart_type = _CHART_TYPES[spec.kind]
    chart.name = spec.chart_name
    api = chart.api[1]  # (ChartObject, Chart) on Windows: the Chart's COM object
    api.HasTitle = True
    api.ChartTitle.Text = spec.title
    series = api.SeriesCollection(1)
    if spec.kind is ChartKind.PIE:
        series.ApplyDataLabels(_XL_LABELS_PERCENT)
        return
    every = [api.SeriesCollection(i) for i in range(1, len(spec.value_cols) + 1)]
    for one in every:
        one.HasDataLabels = True
    if spec.kind is ChartKind.BAR:
        api.Axes(_XL_CATEGORY).ReversePlotOrder = True
        # The legend of horizontal bars lists them bottom up: each series brought to the
        # front in turn puts the last column first, and the legend in column order (as
        # `charts.openpyxl_chart` writes the file).
        for one in every:
            one.PlotOrder = 1


def _add_rules(sheet, ref: str, rules) -> None:
    conditions = sheet.range(ref).api.FormatConditions
    conditions.Delete()
    for value, fill in rules:
        r, g, b = _rgb(fill)
        conditions.Add(_XL_CELL_VALUE, _XL_EQUAL, f'="{value}"').Interior.Color = (
            r + g * 256 + b * 65536
        )


class LiveBook(BookAdapter, UndoTarget):
    """The live adapter: a plan applied to an open Excel book through xlwings.

    Its snapshot is a list of typed `UndoRecord` values kept on a hidden sheet of the
    book (see `addrkit.workbook.live_undo`); `undo` restores them in reverse order.
    """

    def __init__(self, book) -> None:
        self.book = book
        # SheetWrite name → (the name of the sheet it replaces, that sheet, kept hidden)
        self._kept: dict[str, tuple[str, Any]] = {}

    def _names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def _sheet(self, name: str):
        return self.book.sheets[find_sheet(self._names(), name) or name]

    def _add_sheet(self, name: str, after=None):
        last = self.book.sheets[len(self.book.sheets) - 1]
        return self.book.sheets.add(name, after=after if after is not None else last)

    # -- snapshot and undo -----------------------------------------------------------

    def snapshot(self, plan: ChangePlan, block: BlockLayout | None, location) -> None:
        """Record what `plan` will touch (replacing the last snapshot and its kept sheets)."""
        for name in self._names():
            if name.startswith(SNAPSHOT_SHEET):
                self.book.sheets[name].delete()
        records: list[UndoRecord] = []
        if block is not None:
            records += self._block_records(plan, block, location)
        for edit in plan.edits if location is not None else ():
            r, c = edit_position(location, edit)
            old = self.book.sheets[location.sheet].range((r, c)).value
            records.append(TableCell(location.sheet, r, c, old))
        for i, write in enumerate(plan.sheets, start=1):
            existing = find_sheet(self._names(), write.name)
            if existing is None:
                records.append(NewSheet(write.name))
                continue
            kept = self.book.sheets[existing]
            kept.name = f"{SNAPSHOT_SHEET}{i}"
            kept.visible = False
            self._kept[write.name] = (existing, kept)
            records.append(KeptSheet(existing, kept.name))
        records += self._drawing_records(plan)
        log = find_sheet(self._names(), LOG_SHEET)
        if log is None:
            records.append(NewSheet(LOG_SHEET))
        else:
            used = self.book.sheets[log].used_range
            records.append(LogEnd(log, used.last_cell.row, used.last_cell.column))
        rows = encode(plan.operation, records)
        width = max(len(r) for r in rows)
        snap = self._add_sheet(SNAPSHOT_SHEET)
        snap.range((1, 1)).value = [
            [text_value(v) for v in (r + [None] * width)[:width]] for r in rows
        ]
        snap.visible = False

    def _block_records(self, plan: ChangePlan, block: BlockLayout, location) -> list[UndoRecord]:
        sheet = self.book.sheets[block.sheet]
        top, left = block.header_row, block.start_col
        old = _region(sheet, top, left, block.last_row, block.end_col).options(ndim=2).value
        notes, colors = [], []
        for i in range(len(old)):
            for j in range(len(old[0])):
                cell = sheet.range((top + i, left + j))
                if cell.note is not None:
                    notes.append((top + i, left + j, cell.note.text))
                if cell.color is not None:
                    colors.append((top + i, left + j, tuple(cell.color)))
        empty = all(v is None for r in old for v in r)
        formats = _formats(sheet, top, left, block.last_row, block.end_col)
        widths = tuple(
            (c, sheet.range((1, c)).column_width) for c in range(left, block.end_col + 1)
        )
        records: list[UndoRecord] = [
            BlockCells(
                block.sheet,
                top,
                left,
                len(old),
                len(old[0]),
                tuple(notes),
                tuple(colors),
                widths,
                () if empty else tuple(tuple(r) for r in old),
                formats,
            )
        ]
        for cf in plan.conditional_formats:
            rules = tuple((r.value, r.fill.value) for r in cf.rules) if block.existing else ()
            records.append(ConditionalRules(block.sheet, block.data_ref(cf.header), rules))
        if location.list_object and not block.existing:
            table = sheet.tables[location.list_object]
            records.append(TableRange(block.sheet, location.list_object, table.range.address))
        return records

    def _drawing_records(self, plan: ChangePlan) -> list[UndoRecord]:
        """Pictures placed on sheets the run does not replace (those go with the sheet)."""
        by_sheet: dict[str, list[str]] = {}
        for image in plan.images:
            if find_sheet([w.name for w in plan.sheets], image.sheet) is None:
                by_sheet.setdefault(image.sheet, []).append(image.name)
        records: list[UndoRecord] = []
        for name, pictures in by_sheet.items():
            if find_sheet(self._names(), name) is None:
                records.append(NewSheet(name))
            else:
                records.append(NewDrawings(find_sheet(self._names(), name), tuple(pictures)))
        return records

    def undo(self) -> None:
        """Restore the hidden snapshot of the last run exactly, then drop it."""
        if SNAPSHOT_SHEET not in self._names():
            raise WorkbookError(
                "没有可撤销的运行 / Nothing to undo: this book has no snapshot of a previous run"
            )
        snap = self.book.sheets[SNAPSHOT_SHEET]
        _, records = decode(sheet_grid(snap))
        for record in reversed(records):
            record.restore(self)
        snap.delete()

    def restore_block(self, record: BlockCells) -> None:
        sheet = self._sheet(record.sheet)
        rng = _region(
            sheet,
            record.top,
            record.left,
            record.top + record.height - 1,
            record.left + record.n_cols - 1,
        )
        rng.clear()
        if record.rows:
            rng.value = [[text_value(v) for v in r] for r in record.rows]
        for r, c, text in record.notes:
            sheet.range((r, c)).add_note(text)
        for r, c, rgb in record.colors:
            sheet.range((r, c)).color = rgb
        for c, width in record.widths:
            sheet.range((1, c)).column_width = width
        for first, last, c, number_format in record.formats:
            _region(sheet, first, c, last, c).number_format = number_format

    def restore_rules(self, sheet: str, ref: str, rules) -> None:
        _add_rules(self._sheet(sheet), ref, rules)

    def restore_table(self, sheet: str, name: str, address: str) -> None:
        target = self._sheet(sheet)
        target.tables[name].resize(target.range(address))

    def restore_cell(self, sheet: str, row: int, col: int, value: Any) -> None:
        self._sheet(sheet).range((row, col)).value = text_value(value)

    def delete_sheet(self, name: str) -> None:
        found = find_sheet(self._names(), name)
        if found:
            self.book.sheets[found].delete()

    def unkeep_sheet(self, name: str, kept_as: str) -> None:
        self.delete_sheet(name)
        kept = self.book.sheets[kept_as]
        kept.name = name
        kept.visible = True

    def trim_log(self, sheet: str, last_row: int, last_col: int) -> None:
        target = self.book.sheets[sheet]
        used = target.used_range
        if used.last_cell.row > last_row:
            _region(target, last_row + 1, 1, used.last_cell.row, used.last_cell.column).clear()
        if used.last_cell.column > last_col:
            _region(target, 1, last_col + 1, last_row, used.last_cell.column).clear()

    def delete_drawings(self, sheet: str, pictures, charts) -> None:
        target = self._sheet(sheet)
        for name in pictures:
            target.pictures[name].delete()
        for name in charts:
            target.charts[name].delete()

    # -- writing ---------------------------------------------------------------------

    def write_columns(self, plan: ChangePlan, block: BlockLayout) -> list[list[Any]]:
        sheet = self.book.sheets[block.sheet]
        data = _region(sheet, block.first_data_row, block.start_col, block.last_row, block.end_col)
        old = data.options(ndim=2).value if block.n_rows else []
        if block.existing:
            data.api.ClearComments()
            data.color = None  # an earlier run's highlights
        header = sheet.range((block.header_row, block.start_col))
        header.value = [text_value(h) for h in block.headers]
        _region(
            sheet, block.header_row, block.start_col, block.header_row, block.end_col
        ).font.bold = True
        if block.n_rows:
            data.number_format = TEXT_FORMAT
            data.value = [
                [cell_value(c.values[i]) for c in plan.columns] for i in range(block.n_rows)
            ]
        for note in plan.comments:
            sheet.range((block.first_data_row + note.row, block.col_of(note.header))).add_note(
                note.text
            )
        for cf in plan.conditional_formats:
            rules = [(r.value, r.fill.value) for r in cf.rules]
            _add_rules(sheet, block.data_ref(cf.header), rules)
        return old

    def write_highlights(self, plan: ChangePlan, block: BlockLayout) -> None:
        sheet = self.book.sheets[block.sheet]
        for mark in plan.highlights:
            cell = sheet.range((block.first_data_row + mark.row, block.col_of(mark.header)))
            cell.color = _rgb(mark.fill.value)

    def set_default_widths(self, sheet: str, widths: dict[int, float]) -> None:
        target = self.book.sheets[sheet]
        for col, width in widths.items():
            column = target.range((1, col))
            if abs((column.column_width or 0) - EXCEL_DEFAULT_WIDTH) < 0.01:
                column.column_width = width

    def extend_table(self, location, block: BlockLayout) -> None:
        if location.list_object and not block.existing and block.start_col == location.last_col + 1:
            sheet = self.book.sheets[block.sheet]
            table = sheet.tables[location.list_object]
            rng = table.range
            table.resize(_region(sheet, rng.row, rng.column, rng.last_cell.row, block.end_col))

    def set_table_cell(self, sheet: str, row: int, col: int, value: Any) -> Any:
        cell = self.book.sheets[sheet].range((row, col))
        old = cell.value
        cell.value = text_value(cell_value(value))
        return old

    def write_sheet(self, write: SheetWrite) -> None:
        """A new sheet; one it replaces was kept aside by `snapshot`, and the new one
        takes its name and its place in the tab order."""
        original, kept = self._kept.get(write.name, (write.name, None))
        existing = find_sheet(self._names(), write.name)
        if existing is not None:  # applied without a snapshot keeping it aside: write over it
            sheet = self.book.sheets[existing]
            sheet.clear()
        else:
            sheet = self._add_sheet(original, after=kept)
        _write_rows(sheet, 1, [list(r) for r in write.rows])
        for r, row in enumerate(write.rows, start=1):
            for c, value in enumerate(row):
                number_format = write.number_format_at(c, value)
                if number_format is not None:
                    sheet.range((r, c + 1)).number_format = number_format
        widths = write.column_widths or fitted_widths(write.rows)
        for c, width in enumerate(widths, start=1):
            sheet.range((1, c)).column_width = width
        if write.hidden:  # data for addrkit (e.g. the geocode cache), listed under Unhide
            sheet.visible = False
            return
        n_columns = max((len(r) for r in write.rows), default=0)
        if n_columns:
            header = _region(sheet, 1, 1, 1, n_columns)
            header.color = _rgb(HEADER_FILL)
            header.font.bold = True
        for spec in write.charts:
            _add_chart(sheet, spec)
        if write.printing is not None:  # Excel's PageSetup: fixed zoom, manual breaks
            setup = sheet.api.PageSetup
            setup.Orientation = 1 if write.printing.portrait else 2  # xlPortrait, xlLandscape
            setup.Zoom = write.printing.scale
            for row in write.printing.breaks:
                sheet.api.HPageBreaks.Add(sheet.range((row + 1, 1)).api)
            for column in write.printing.column_breaks:
                sheet.api.VPageBreaks.Add(sheet.range((1, column + 1)).api)

    def place_images(self, images) -> None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            for i, image in enumerate(images):
                png = Path(folder) / f"{i}.png"
                png.write_bytes(image.png)
                name = find_sheet(self._names(), image.sheet)
                target = self.book.sheets[name] if name else self._add_sheet(image.sheet)
                target.pictures.add(
                    str(png), name=image.name, anchor=target.range(image.anchor), update=True
                )

    def append_log(self, rows: list[tuple]) -> None:
        write_log(self.book, rows)


def write_log(book, rows: list[tuple]) -> None:
    if not rows:
        return
    name = find_sheet([s.name for s in book.sheets], LOG_SHEET)
    sheet = (
        book.sheets[name]
        if name
        else book.sheets.add(LOG_SHEET, after=book.sheets[len(book.sheets) - 1])
    )
    grid = sheet_grid(sheet)
    header = list(grid[0]) if grid else []
    cols, added = log_columns(header)
    fields = [zh for zh, _ in LOG_FIELDS]
    for title in added:
        sheet.range((1, cols[fields.index(title)])).value = title
    placed = []
    for row in rows:
        out: list[Any] = [None] * max(cols)
        for col, value in zip(cols, row, strict=True):
            out[col - 1] = value
        placed.append(out)
    last = max((i + 1 for i, r in enumerate(grid) if any(v is not None for v in r)), default=0)
    _write_rows(sheet, max(last, 1) + 1, placed)
