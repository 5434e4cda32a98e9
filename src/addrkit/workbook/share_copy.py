"""Write a share-ready copy of a file: values instead of formulas, nothing secret left.

Formulas become the values Excel last calculated (openpyxl cannot calculate; a formula
that was never calculated, e.g. in a file written by a script, becomes empty and is
counted in the report). The undo snapshot and the Log sheet go (they hold old values),
external links and names pointing into other workbooks go, the Settings sheet's API-key
reference is blanked, and phone columns are masked when asked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from openpyxl.worksheet.formula import ArrayFormula

from ..errors import TableNotFoundError
from ..ops.plan import ShareOptions
from ..ops.share import mask_phone
from ..settings import setting_field
from .changelog import LOG_SHEET, SNAPSHOT_SHEET
from .file_apply import set_cell
from .files import SETTINGS_SHEET, open_workbook, read_customer_table, save_atomic
from .layout import find_sheet

__all__ = ["ShareReport", "share_copy", "default_share_path"]


@dataclass(frozen=True, slots=True)
class ShareReport:
    path: Path
    formulas: int
    uncalculated: int
    masked: int
    removed_sheets: tuple[str, ...]


def default_share_path(source: str | os.PathLike) -> Path:
    """``book.xlsx`` → ``book-share.xlsx`` beside it."""
    source = Path(source)
    return source.with_name(f"{source.stem}-share{source.suffix}")


def share_copy(
    source: str | os.PathLike, target: str | os.PathLike, options: ShareOptions
) -> ShareReport:
    """Write the share-ready copy of `source` to `target`; the source is not changed."""
    wb = open_workbook(source)
    cached = open_workbook(source, data_only=True)
    formulas = uncalculated = masked = 0
    for ws in wb.worksheets:
        values = cached[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or isinstance(cell.value, ArrayFormula):
                    formulas += 1
                    value = values[cell.coordinate].value
                    uncalculated += value is None
                    set_cell(ws, cell.row, cell.column, value)

    removed = []
    for name in list(wb.sheetnames):
        if (
            name == SNAPSHOT_SHEET
            or name.startswith("_addrkit")
            or name == find_sheet(wb.sheetnames, LOG_SHEET)
        ):
            wb.remove(wb[name])
            removed.append(name)
    wb._external_links = []
    for name in [n for n, d in wb.defined_names.items() if "[" in str(d.attr_text)]:
        del wb.defined_names[name]
    for ws in wb.worksheets:
        for name in [n for n, d in ws.defined_names.items() if "[" in str(d.attr_text)]:
            del ws.defined_names[name]

    settings_name = find_sheet(wb.sheetnames, SETTINGS_SHEET)
    if settings_name:
        for label, value in wb[settings_name].iter_rows(min_col=1, max_col=2):
            if label.value is not None and setting_field(label.value) == "api_key_ref":
                value.value = None

    if options.mask_phone_headers:
        try:
            table = read_customer_table(wb)
        except TableNotFoundError:
            table = None
        if table is not None:
            loc = table.location
            ws = wb[loc.sheet]
            for header in options.mask_phone_headers:
                if header not in loc.headers:
                    continue
                col = loc.first_col + loc.headers.index(header)
                for r in range(loc.header_row + 1, loc.last_row + 1):
                    cell = ws.cell(r, col)
                    new = mask_phone(cell.value)
                    if new != cell.value:
                        set_cell(ws, r, col, new)
                        masked += 1
    path = save_atomic(wb, target)
    return ShareReport(path, formulas, uncalculated, masked, tuple(removed))
