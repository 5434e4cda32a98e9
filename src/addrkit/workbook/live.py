"""The live-book adapter: apply a change plan to an open Excel workbook through xlwings.

Thin on purpose: reading cells, writing cells and keeping the undo snapshot. Table
detection, layout and log rows are the same code the file adapter uses, so one plan
gives the same cells both ways. xlwings is imported only when no book is passed in.

Excel conventions this relies on (checked by the Windows acceptance checklist):
text is written with a leading apostrophe outside the output block (Excel stores the
rest as text, so "=1+1" or "00123" stay text) and into the block with the Text (@)
number format; notes are Excel Notes; the snapshot is a hidden sheet `SNAPSHOT_SHEET`.
"""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Any

from ..errors import CancelledError, TableNotFoundError, WorkbookError
from ..ops import OUTPUT_BLOCKS, get_operation
from ..ops.base import CustomerTable
from ..ops.plan import ChangePlan, PlanKind
from ..progress import Progress, StatusBar
from ..settings import CODE_REGISTRY_SHEET, REGIONS_SHEET, Settings, settings_from_book
from ..table import find_customer_table, not_found_message
from .changelog import (
    LOG_FIELDS,
    LOG_SHEET,
    SNAPSHOT_SHEET,
    log_columns,
    run_log_rows,
)
from .files import CUSTOMER_SHEET, SETTINGS_SHEET
from .layout import (
    TEXT_FORMAT,
    BlockLayout,
    cell_value,
    edit_position,
    extend_location,
    find_sheet,
    resolve_block,
)

__all__ = ["run_operation", "apply_live", "undo_live", "read_table", "CANCEL_NAME"]

CANCEL_NAME = "addrkit_cancel"  # workbook name the add-in's Cancel button sets to TRUE
_XL_CELL_VALUE, _XL_EQUAL = 1, 3  # FormatConditions.Add(Type, Operator): "cell value equals"


def _text(value: Any) -> Any:
    """A value for a General-format cell: text keeps a leading apostrophe so Excel keeps it text."""
    value = cell_value(value)
    return "'" + value if isinstance(value, str) and value else value


def _grid(sheet) -> list[list[Any]]:
    """The sheet's values from A1 (the used range padded to start at A1)."""
    used = sheet.used_range
    values = used.options(ndim=2, err_to_str=True).value or [[]]
    pad = [None] * (used.column - 1)
    return [[] for _ in range(used.row - 1)] + [pad + list(r) for r in values]


def _rgb(hex6: str) -> tuple[int, int, int]:
    return tuple(int(hex6[i : i + 2], 16) for i in (0, 2, 4))


def read_settings(book) -> Settings:
    """The Settings sheet, the Regions sheet and the hidden code registry of an open book."""
    names = [s.name for s in book.sheets]

    def rows(wanted: str):
        name = find_sheet(names, wanted)
        return None if name is None else _grid(book.sheets[name])

    return settings_from_book(rows(SETTINGS_SHEET), rows(REGIONS_SHEET), rows(CODE_REGISTRY_SHEET))


def read_table(book, settings: Settings) -> CustomerTable:
    """Find and read the customer table of an open book."""
    names = [s.name for s in book.sheets if s.visible]
    first = settings.customer_sheet or find_sheet(names, CUSTOMER_SHEET)
    order = ([first] if first in names else []) + [n for n in names if n != first]
    candidates = []
    grids = {}
    for name in order:
        sheet = book.sheets[name]
        grids[name] = _grid(sheet)
        objects = [
            (t.name, t.range.row, t.range.column, t.range.last_cell.row, t.range.last_cell.column)
            for t in sheet.tables
        ]
        candidates.append((name, grids[name], objects))
    try:
        location = find_customer_table(candidates, output_blocks=OUTPUT_BLOCKS)
    except TableNotFoundError:
        raise TableNotFoundError(not_found_message(order)) from None
    grid = grids[location.sheet]
    rows = [
        list(r)[location.first_col - 1 : location.last_col]
        for r in grid[location.header_row : location.last_row]
    ]
    return CustomerTable.from_rows(location, rows)


def _region(sheet, top, left, bottom, right):
    return sheet.range((top, left), (bottom, right))


def _snapshot(book, plan: ChangePlan, block: BlockLayout | None, location) -> None:
    """Record what `plan` will touch in the hidden snapshot sheet (replacing the last one)."""
    names = [s.name for s in book.sheets]
    if SNAPSHOT_SHEET in names:
        book.sheets[SNAPSHOT_SHEET].delete()
    records: list[list[Any]] = [["addrkit-undo", plan.operation]]
    if block is not None:
        sheet = book.sheets[block.sheet]
        rng = _region(sheet, block.header_row, block.start_col, block.last_row, block.end_col)
        old = rng.options(ndim=2).value
        if all(v is None for r in old for v in r):
            records.append(
                [
                    "block-empty",
                    block.sheet,
                    block.header_row,
                    block.start_col,
                    len(old),
                    len(old[0]),
                ]
            )
        else:
            records.append(
                ["block", block.sheet, block.header_row, block.start_col, len(old), len(old[0])]
            )
            records += [[_text(v) for v in r] for r in old]
            for i in range(len(old)):
                for j in range(len(old[0])):
                    note = sheet.range((block.header_row + i, block.start_col + j)).note
                    if note is not None:
                        records.append(
                            [
                                "note",
                                block.sheet,
                                block.header_row + i,
                                block.start_col + j,
                                _text(note.text),
                            ]
                        )
        for cf in plan.conditional_formats:
            if block.existing:
                for rule in cf.rules:
                    records.append(
                        [
                            "cf-rule",
                            block.sheet,
                            block.data_ref(cf.header),
                            _text(rule.value),
                            rule.fill.value,
                        ]
                    )
            else:
                records.append(["cf-clear", block.sheet, block.data_ref(cf.header)])
        if location.list_object and not block.existing:
            table = sheet.tables[location.list_object]
            records.append(["table", block.sheet, location.list_object, table.range.address])
    for edit in plan.edits if location is not None else ():
        r, c = edit_position(location, edit)
        old_value = book.sheets[location.sheet].range((r, c)).value
        records.append(["cell", location.sheet, r, c, _text(old_value)])
    for write in plan.sheets:
        existing = find_sheet(names, write.name)
        if existing is None:
            records.append(["sheet-new", write.name])
        else:
            grid = _grid(book.sheets[existing])
            width = max((len(r) for r in grid), default=0)
            records.append(["sheet", existing, len(grid), width])
            records += [[_text(v) for v in (list(r) + [None] * width)[:width]] for r in grid]
    log = find_sheet(names, LOG_SHEET)
    if log is None:
        records.append(["log-new", LOG_SHEET])
    else:
        used = book.sheets[log].used_range
        records.append(["log", log, used.last_cell.row, used.last_cell.column])
    width = max(len(r) for r in records)
    snap = book.sheets.add(SNAPSHOT_SHEET, after=book.sheets[len(book.sheets) - 1])
    snap.range((1, 1)).value = [(r + [None] * width)[:width] for r in records]
    snap.visible = False


def _write_rows(sheet, top: int, rows: list[list[Any]]) -> None:
    if rows:
        width = max(len(r) for r in rows)
        sheet.range((top, 1)).value = [
            [_text(v) for v in (list(r) + [None] * width)[:width]] for r in rows
        ]


def _write_block(book, plan: ChangePlan, block: BlockLayout, location) -> list[list[Any]]:
    sheet = book.sheets[block.sheet]
    data = _region(sheet, block.first_data_row, block.start_col, block.last_row, block.end_col)
    old = data.options(ndim=2).value if block.n_rows else []
    if block.existing:
        data.api.ClearComments()
    sheet.range((block.header_row, block.start_col)).value = [_text(h) for h in block.headers]
    if block.n_rows:
        data.number_format = TEXT_FORMAT
        data.value = [[cell_value(c.values[i]) for c in plan.columns] for i in range(block.n_rows)]
    for note in plan.comments:
        sheet.range((block.first_data_row + note.row, block.col_of(note.header))).add_note(
            note.text
        )
    for mark in plan.highlights:
        sheet.range((block.first_data_row + mark.row, block.col_of(mark.header))).color = _rgb(
            mark.fill.value
        )
    for cf in plan.conditional_formats:
        conditions = sheet.range(block.data_ref(cf.header)).api.FormatConditions
        conditions.Delete()
        for rule in cf.rules:
            r, g, b = _rgb(rule.fill.value)
            conditions.Add(_XL_CELL_VALUE, _XL_EQUAL, f'="{rule.value}"').Interior.Color = (
                r + g * 256 + b * 65536
            )
    if location.list_object and not block.existing and block.start_col == location.last_col + 1:
        table = sheet.tables[location.list_object]
        table.resize(
            _region(
                sheet, table.range.row, table.range.column, table.range.last_cell.row, block.end_col
            )
        )
    return old


def _write_log(book, rows: list[tuple]) -> None:
    if not rows:
        return
    name = find_sheet([s.name for s in book.sheets], LOG_SHEET)
    sheet = (
        book.sheets[name]
        if name
        else book.sheets.add(LOG_SHEET, after=book.sheets[len(book.sheets) - 1])
    )
    grid = _grid(sheet)
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


def apply_live(
    book, plan: ChangePlan, table: CustomerTable | None, *, when: dt.datetime, user: str
):
    """Snapshot what `plan` touches, apply it to the open book and log it."""
    location = table.location if table is not None else None
    block = resolve_block(plan, location) if location is not None else None
    _snapshot(book, plan, block, location)
    old = _write_block(book, plan, block, location) if block is not None else None
    edited = []
    for edit in plan.edits if location is not None else ():
        r, c = edit_position(location, edit)
        cell = book.sheets[location.sheet].range((r, c))
        edited.append((edit, r, c, cell.value))
        cell.value = _text(cell_value(edit.value))
    for write in plan.sheets:
        name = find_sheet([s.name for s in book.sheets], write.name)
        if name is None:
            sheet = book.sheets.add(write.name, after=book.sheets[len(book.sheets) - 1])
        else:
            sheet = book.sheets[name]
            sheet.clear()
        _write_rows(sheet, 1, [list(r) for r in write.rows])
        if write.hidden:
            sheet.visible = False
        for r, row in enumerate(write.rows, start=1):
            for c, value in enumerate(row):
                number_format = write.number_format_at(c, value)
                if number_format is not None:
                    sheet.range((r, c + 1)).number_format = number_format
    for image in plan.images:
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as f:
            f.write(image.png)
        target = book.sheets[find_sheet([s.name for s in book.sheets], image.sheet) or image.sheet]
        target.pictures.add(f.name, name=image.name, anchor=target.range(image.anchor), update=True)
    keys = table.row_keys() if table is not None else []
    sheet = location.sheet if location is not None else ""
    _write_log(book, run_log_rows(plan, block, old, keys, edited, sheet, when=when, user=user))
    return extend_location(location, block) if location is not None else None


def undo_live(book) -> None:
    """Restore the hidden snapshot of the last run exactly, then drop it."""
    if SNAPSHOT_SHEET not in [s.name for s in book.sheets]:
        raise WorkbookError(
            "没有可撤销的运行 / Nothing to undo: this book has no snapshot of a previous run"
        )
    snap = book.sheets[SNAPSHOT_SHEET]
    records = _grid(snap)
    i = 1
    while i < len(records):
        kind, *args = records[i]
        i += 1
        if kind in ("block", "block-empty", "sheet"):
            if kind == "sheet":
                name, n, width = args[0], int(args[1]), int(args[2])
                sheet = book.sheets[name]
                sheet.clear()
                _write_rows(sheet, 1, [r[:width] for r in records[i : i + n]])
            else:
                name, top, left, n, width = (
                    args[0],
                    int(args[1]),
                    int(args[2]),
                    int(args[3]),
                    int(args[4]),
                )
                rng = _region(book.sheets[name], top, left, top + n - 1, left + width - 1)
                rng.clear()
                if kind == "block":
                    rng.value = [[_text(v) for v in r[:width]] for r in records[i : i + n]]
                    n_read = n
                else:
                    n_read = 0
                i += n_read
                continue
            i += n
        elif kind == "cell":
            book.sheets[args[0]].range((int(args[1]), int(args[2]))).value = _text(args[3])
        elif kind == "note":
            book.sheets[args[0]].range((int(args[1]), int(args[2]))).add_note(args[3])
        elif kind == "cf-clear":
            book.sheets[args[0]].range(args[1]).api.FormatConditions.Delete()
        elif kind == "cf-rule":
            conditions = book.sheets[args[0]].range(args[1]).api.FormatConditions
            r, g, b = _rgb(args[3])
            conditions.Add(_XL_CELL_VALUE, _XL_EQUAL, f'="{args[2]}"').Interior.Color = (
                r + g * 256 + b * 65536
            )
        elif kind == "table":
            sheet = book.sheets[args[0]]
            sheet.tables[args[1]].resize(sheet.range(args[2]))
        elif kind == "sheet-new":
            found = find_sheet([s.name for s in book.sheets], args[0])
            if found:
                book.sheets[found].delete()
        elif kind == "log-new":
            found = find_sheet([s.name for s in book.sheets], args[0])
            if found:
                book.sheets[found].delete()
        elif kind == "log":
            sheet = book.sheets[args[0]]
            last_row, last_col = int(args[1]), int(args[2])
            used = sheet.used_range
            if used.last_cell.row > last_row:
                _region(sheet, last_row + 1, 1, used.last_cell.row, used.last_cell.column).clear()
            if used.last_cell.column > last_col:
                _region(sheet, 1, last_col + 1, last_row, used.last_cell.column).clear()
    snap.delete()


def run_operation(
    op_name: str, book=None, *, now=dt.datetime.now, user: str | None = None
) -> ChangePlan:
    """Run one ribbon operation on the calling workbook (the add-in's entry point).

    Reads the table, runs the operation with progress in Excel's status bar and the
    ``addrkit_cancel`` name as cancel flag, snapshots, applies, and always gives the
    status bar back to Excel.
    """
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    progress = Progress(StatusBar(book.app), cancelled=lambda: _cancel_requested(book))
    try:
        op = get_operation(op_name)
        settings = read_settings(book)
        if op.name == "undo":
            undo_live(book)
            return op.run(None, settings, progress)
        try:
            table = read_table(book, settings)
        except TableNotFoundError:
            if op.needs_table:
                raise
            table = None
        plan = op.run(table, settings, progress)  # built fully before anything is written
        progress.check()
        if plan.kind is PlanKind.SHARE_COPY:
            _share_live(book, plan)
            return plan
        apply_live(book, plan, table, when=now(), user=user or getpass.getuser())
        return plan
    except CancelledError:
        raise
    finally:
        progress.close()


def _cancel_requested(book) -> bool:
    try:
        return str(book.names[CANCEL_NAME].refers_to).strip("=").upper() == "TRUE"
    except (KeyError, AttributeError):  # name not defined: nobody asked to cancel
        return False


def _share_live(book, plan: ChangePlan) -> None:
    """Save a copy of the book, then make the copy share-ready with the file adapter."""
    import tempfile
    from pathlib import Path

    from .share_copy import default_share_path, share_copy

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.xlsx"
        book.api.SaveCopyAs(str(copy))
        share_copy(copy, default_share_path(book.fullname), plan.share)
