"""Reading .xlsx files with openpyxl: open safely, find the customer table, read Settings,
save atomically.

Foreign errors (a file that is not a zip, a truncated file, an .xls) become
`WorkbookError` here, with a message a person can act on.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from ..errors import TableNotFoundError, WorkbookError
from ..ops import OUTPUT_BLOCKS
from ..ops.base import CustomerTable
from ..settings import CODE_REGISTRY_SHEET, REGIONS_SHEET, Settings, settings_from_book
from ..table import HEADER_SCAN_ROWS, TableLocation, find_customer_table, not_found_message
from .layout import find_sheet
from .note_parts import save_with_notes

__all__ = [
    "open_workbook",
    "read_settings",
    "read_customer_table",
    "candidate_sheets",
    "replacing",
    "save_atomic",
    "temp_path_for",
    "SETTINGS_SHEET",
    "CUSTOMER_SHEET",
]

SETTINGS_SHEET = "设置 Settings"
CUSTOMER_SHEET = "客户 Customers"
_BROKEN = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ParseError,
    EOFError,
    ValueError,
    TypeError,
    IndexError,
)


def open_workbook(
    path: str | os.PathLike, *, read_only: bool = False, data_only: bool = False
) -> Workbook:
    """Open an .xlsx file; anything wrong with it becomes a `WorkbookError`.

    Examples
    --------
    >>> open_workbook("/nonexistent/book.xlsx")
    Traceback (most recent call last):
    ...
    addrkit.errors.WorkbookError: 找不到工作簿 / Workbook not found: /nonexistent/book.xlsx
    """
    path = Path(path)
    if not path.is_file():
        raise WorkbookError(f"找不到工作簿 / Workbook not found: {path}")
    if path.suffix.lower() in {".xls", ".xlsb", ".csv"}:
        raise WorkbookError(
            f"只支持 .xlsx/.xlsm 工作簿，请在 Excel 中另存为 .xlsx / Only .xlsx/.xlsm workbooks are supported; "
            f"save {path.name} as .xlsx in Excel first"
        )
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)
    except _BROKEN as err:
        raise WorkbookError(
            f"无法读取工作簿（文件不是有效的 .xlsx，可能已损坏或不完整）/ Cannot read workbook {path}: "
            f"not a valid .xlsx file, it may be damaged or truncated ({type(err).__name__}: {err})"
        ) from err
    except OSError as err:
        raise WorkbookError(f"无法打开工作簿 / Cannot open workbook {path}: {err}") from err


def read_settings(wb: Workbook) -> Settings:
    """Settings from the 设置 Settings sheet (defaults when there is none), with the
    区域 Regions sheet and the hidden code registry the assign operations read."""

    def rows(wanted: str, width: int):
        name = find_sheet(wb.sheetnames, wanted)
        if name is None:
            return None
        return wb[name].iter_rows(min_col=1, max_col=width, values_only=True)

    return settings_from_book(
        rows(SETTINGS_SHEET, 2), rows(REGIONS_SHEET, 5), rows(CODE_REGISTRY_SHEET, 6)
    )


def candidate_sheets(wb: Workbook, sheet: str | None, settings: Settings) -> list[str]:
    """Sheets to look for the customer table in, most likely first.

    An explicit `sheet` (``--sheet``) or the Settings' customer sheet is the only
    candidate; otherwise the 客户 Customers sheet, then every other visible sheet.
    """
    chosen = sheet or settings.customer_sheet
    if chosen:
        if chosen not in wb.sheetnames:
            raise TableNotFoundError(
                f"工作簿中没有工作表 {chosen!r} / No sheet named {chosen!r}; sheets: {', '.join(wb.sheetnames)}"
            )
        return [chosen]
    first = find_sheet(wb.sheetnames, CUSTOMER_SHEET)
    rest = [
        n
        for n in wb.sheetnames
        if n != first and getattr(wb[n], "sheet_state", "visible") == "visible"
    ]
    return ([first] if first else []) + rest


def _list_objects(ws) -> list[tuple[str, int, int, int, int]]:
    tables = getattr(ws, "tables", None)
    if not tables:
        return []
    found = []
    for name, table in tables.items():
        ref = table if isinstance(table, str) else table.ref
        left, top, right, bottom = range_boundaries(ref)
        found.append((name, top, left, bottom, right))
    return found


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _iter_rows(ws, top: int, left: int, right: int) -> Iterator[tuple]:
    return ws.iter_rows(min_row=top, min_col=left, max_col=right, values_only=True)


def read_customer_table(
    wb: Workbook, sheet: str | None = None, settings: Settings | None = None
) -> CustomerTable:
    """Find the customer table in an open workbook and read it into a `CustomerTable`.

    Works on normal and read-only workbooks (Excel tables are seen only in normal mode;
    in read-only mode their header row is found like any other).

    Raises
    ------
    TableNotFoundError
        No sheet has a recognisable header row.
    """
    settings = settings or Settings()
    names = candidate_sheets(wb, sheet, settings)
    location: TableLocation | None = None
    bounded = True
    for name in names:
        ws = wb[name]
        objects = _list_objects(ws)
        scan = max([HEADER_SCAN_ROWS] + [top for _, top, *_ in objects])
        head = [list(r) for r in ws.iter_rows(min_row=1, max_row=scan, values_only=True)]
        try:
            location = find_customer_table([(name, head, objects)], output_blocks=OUTPUT_BLOCKS)
        except TableNotFoundError:
            continue
        if location.list_object is None:
            location = replace(location, last_row=max(location.header_row, ws.max_row or 0))
            # A sheet without a <dimension> (streaming writers) has no max_row: read to its end.
            bounded = ws.max_row is not None
        break
    if location is None:
        raise TableNotFoundError(not_found_message(names))

    ws = wb[location.sheet]
    rows: list[list[Any]] = []
    last_used = 0
    for r in _iter_rows(ws, location.header_row + 1, location.first_col, location.last_col):
        if bounded and len(rows) >= location.n_rows:
            break
        rows.append(list(r))
        if not all(_blank(v) for v in r):
            last_used = len(rows)
    del rows[last_used:]  # trailing blank rows are not customers
    location = replace(location, last_row=location.header_row + last_used)
    return CustomerTable.from_rows(location, rows)


def temp_path_for(target: Path) -> Path:
    """A temporary file beside `target` (same directory, so the rename is atomic)."""
    return target.with_name(f".{target.name}.addrkit-tmp-{os.getpid()}.xlsx")


@contextlib.contextmanager
def replacing(target: Path, failure: str) -> Iterator[Path]:
    """A temporary path beside ``target`` that is renamed over it if the block succeeds.

    On any error (or Ctrl-C) the temporary file is removed and ``target`` is left as it
    was; an OSError becomes a WorkbookError starting with ``failure``.
    """
    tmp = temp_path_for(target)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(err, OSError):
            raise WorkbookError(f"{failure}: {err}") from err
        raise


def save_atomic(wb: Workbook, target: str | os.PathLike) -> Path:
    """Save to a temporary file in the target's directory, then rename over the target.

    An interrupted save (error, Ctrl-C) leaves the target as it was. Notes given by
    `addrkit.workbook.note_parts.add_notes` are written as a stream.
    """
    target = Path(target)
    with replacing(target, f"无法写入工作簿 / Cannot write workbook {target}") as tmp:
        save_with_notes(wb, tmp)
    return target
