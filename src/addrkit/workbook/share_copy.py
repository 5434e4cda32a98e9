"""Write a share-ready copy of a file: values instead of formulas, nothing secret left.

Formulas become the values Excel last calculated (openpyxl cannot calculate; a formula
that was never calculated, e.g. in a file written by a script, becomes empty and is
counted in the report). The undo snapshot and the Log sheet go (they hold old values);
so do hidden sheets and caches (a geocode cache holds addresses and keys the user did
not choose to share); external links and names pointing into other workbooks go; on the
Settings sheet every key reference, credential and secret-named setting is blanked; the
author names in the document properties are cleared; and, when asked, every copied
cell (and note) has its phones, ID-card numbers and e-mails masked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from openpyxl.worksheet.formula import ArrayFormula

from ..errors import TableNotFoundError
from ..ops.plan import ShareOptions
from ..ops.share import mask_phone, mask_text
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


# Sheets that are caches by name, even when visible: they hold data the user never looked at.
_CACHE_NAME = re.compile(r"缓存|cache", re.IGNORECASE)
# Settings whose label or value says secret: key references, passwords, tokens, credentials.
_SECRET_LABEL = re.compile(r"密钥|密码|口令|令牌|key|secret|token|password|credential", re.I)
_SECRET_VALUE = re.compile(r"^\s*(env|keyring|file)\s*:|://[^/\s:@]+:[^/\s@]+@", re.I)


def _private_sheet(wb, name: str) -> bool:
    return (
        name == SNAPSHOT_SHEET
        or name.startswith("_addrkit")
        or name == find_sheet(wb.sheetnames, LOG_SHEET)
        or wb[name].sheet_state != "visible"  # hidden or very hidden: not chosen to be seen
        or bool(_CACHE_NAME.search(name))
    )


def _blank_secrets(ws) -> None:
    """Blank the value of every setting that is, or points to, a secret."""
    for label, value in ws.iter_rows(min_col=1, max_col=2):
        text = "" if label.value is None else str(label.value)
        if (
            setting_field(text) in ("api_key_ref", "registry")
            or _SECRET_LABEL.search(text)
            or (isinstance(value.value, str) and _SECRET_VALUE.search(value.value))
        ):
            value.value = None


def _mask_cells(wb) -> int:
    masked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    cell.comment.text = mask_text(cell.comment.text)
                new = mask_text(cell.value)
                if new != cell.value:
                    set_cell(ws, cell.row, cell.column, new)
                    masked += 1
    return masked


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
        if _private_sheet(wb, name):
            wb.remove(wb[name])
            removed.append(name)
    wb.properties.creator = ""  # names of people who edited the book
    wb.properties.lastModifiedBy = None
    wb._external_links = []
    for name in [n for n, d in wb.defined_names.items() if "[" in str(d.attr_text)]:
        del wb.defined_names[name]
    for ws in wb.worksheets:
        for name in [n for n, d in ws.defined_names.items() if "[" in str(d.attr_text)]:
            del ws.defined_names[name]

    settings_name = find_sheet(wb.sheetnames, SETTINGS_SHEET)
    if settings_name:
        _blank_secrets(wb[settings_name])

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
    if options.mask_text:
        masked += _mask_cells(wb)
    path = save_atomic(wb, target)
    return ShareReport(path, formulas, uncalculated, masked, tuple(removed))
