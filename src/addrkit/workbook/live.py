"""The live-book adapter: run an operation on an open Excel workbook through xlwings.

`run_operation` is what a ribbon button calls: read the Settings sheet and the customer
table, build the plan (nothing written yet), then apply it through `LiveBook`
(`addrkit.workbook.live_book`), which snapshots first so Undo can restore it. Table
detection, layout and log rows are the same code the file adapter uses, so one plan
gives the same book both ways. xlwings is imported only when no book is passed in.
"""

from __future__ import annotations

import datetime as dt
import getpass

from ..errors import TableNotFoundError
from ..ops import OUTPUT_BLOCKS, get_operation
from ..ops.base import CustomerTable, settings_for, sheet_key
from ..ops.plan import ChangePlan, PlanKind
from ..progress import Progress, StatusBar
from ..settings import CODE_REGISTRY_SHEET, REGIONS_SHEET, Settings, settings_from_book
from ..table import find_customer_table, not_found_message
from .columns import given_columns, require_address_column
from .files import CUSTOMER_SHEET, SETTINGS_SHEET, write_side_files
from .layout import find_sheet
from .live_book import EXCEL_DEFAULT_WIDTH, LiveBook, sheet_grid

__all__ = [
    "LiveBook",
    "run_operation",
    "apply_live",
    "undo_live",
    "read_table",
    "CANCEL_NAME",
    "EXCEL_DEFAULT_WIDTH",
]

# A workbook name that stops a run when it is TRUE (set from Python or a macro: the ribbon
# has no Cancel button, Excel takes no clicks while RunPython waits for Python).
CANCEL_NAME = "addrkit_cancel"


def read_settings(book) -> Settings:
    """The Settings sheet, the Regions sheet and the hidden code registry of an open book
    (bad values recorded, not raised: see `addrkit.settings.settings_from_book`)."""
    names = [s.name for s in book.sheets]

    def rows(wanted: str):
        name = find_sheet(names, wanted)
        return None if name is None else sheet_grid(book.sheets[name])

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
        grids[name] = sheet_grid(sheet)
        objects = [
            (t.name, t.range.row, t.range.column, t.range.last_cell.row, t.range.last_cell.column)
            for t in sheet.tables
        ]
        candidates.append((name, grids[name], objects))
    try:
        location = find_customer_table(
            candidates, output_blocks=OUTPUT_BLOCKS, given=given_columns(settings)
        )
    except TableNotFoundError:
        raise TableNotFoundError(not_found_message(order)) from None
    grid = grids[location.sheet]
    rows = [
        list(r)[location.first_col - 1 : location.last_col]
        for r in grid[location.header_row : location.last_row]
    ]
    return CustomerTable.from_rows(location, rows)


def apply_live(
    book, plan: ChangePlan, table: CustomerTable | None, *, when: dt.datetime, user: str
):
    """Snapshot what `plan` touches, apply it to the open book and log it."""
    result = LiveBook(book).apply_run([plan], table, when=when, user=user)
    write_side_files([plan], book.fullname)
    return result


def undo_live(book) -> None:
    """Restore the hidden snapshot of the last run exactly, then drop it."""
    LiveBook(book).undo()


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
        settings = settings_for([op], read_settings(book))
        if op.name == "undo":
            undo_live(book)
            return op.run(None, settings, progress)
        try:
            table = read_table(book, settings)
        except TableNotFoundError:
            if op.needs_table:
                raise
            table = None
        require_address_column(table, [op.name])  # 收货信息 / Ship to: say so, change nothing
        for name in op.reads_sheets if table is not None else ():
            found = find_sheet([sh.name for sh in book.sheets], name)
            if found is not None:
                table.cache[sheet_key(name)] = [tuple(r) for r in sheet_grid(book.sheets[found])]
        plan = op.run(table, settings, progress)  # built fully before anything is written
        progress.check()
        if plan.kind is PlanKind.SHARE_COPY:
            _share_live(book, plan)
            return plan
        apply_live(book, plan, table, when=now(), user=user or getpass.getuser())
        return plan
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
