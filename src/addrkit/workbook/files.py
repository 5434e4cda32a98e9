"""Reading .xlsx files with openpyxl: open safely, find the customer table, read Settings,
save atomically.

Foreign errors (a file that is not a zip, a truncated file, an .xls) become
`WorkbookError` here, with a message a person can act on; `check_package` looks at the
file first (passwords, renamed files, zip and entity bombs). A macro-enabled workbook
is opened with its VBA project kept, and saved only under a macro-enabled name.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from lxml.etree import LxmlError
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from ..errors import ReadOnlyError, TableNotFoundError, WorkbookError
from ..ops import OUTPUT_BLOCKS
from ..ops.base import CustomerTable
from ..settings import CODE_REGISTRY_SHEET, REGIONS_SHEET, Settings, settings_from_book
from ..table import (
    HEADER_SCAN_ROWS,
    ColumnRole,
    TableLocation,
    find_customer_table,
    not_found_message,
    unknown_column_message,
)
from .columns import given_columns
from .layout import find_sheet
from .note_parts import save_with_notes
from .package_check import MAX_COLUMNS, check_package, find_column_past_limit, too_wide_message
from .sheet_xml import iter_values, load_read_only

__all__ = [
    "open_workbook",
    "read_settings",
    "read_customer_table",
    "candidate_sheets",
    "replacing",
    "durable_replace",
    "save_atomic",
    "write_side_files",
    "temp_path_for",
    "remove_stale_temps",
    "file_mode",
    "default_mode",
    "check_writable",
    "check_macro_target",
    "given_columns",
    "MACRO_SUFFIXES",
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
    LxmlError,  # openpyxl parses with lxml: a garbled part raises lxml's own errors
)
MACRO_SUFFIXES = (".xlsm", ".xltm")  # names under which Excel opens a book with macros


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
    check_package(path)
    keep_vba = _has_vba(path)
    try:
        if read_only:  # shared strings read fast: a million-row sheet has millions
            wb = load_read_only(path, keep_vba=keep_vba, data_only=data_only)
        else:
            wb = openpyxl.load_workbook(path, data_only=data_only, keep_vba=keep_vba)
    except _BROKEN as err:
        if (col := find_column_past_limit(path)) is not None:
            raise WorkbookError(too_wide_message(path, col)) from err
        raise WorkbookError(
            f"无法读取工作簿（文件不是有效的 .xlsx，可能已损坏或不完整）/ Cannot read workbook {path}: "
            f"not a valid .xlsx file, it may be damaged or truncated ({type(err).__name__}: {err})"
        ) from err
    except OSError as err:
        raise WorkbookError(f"无法打开工作簿 / Cannot open workbook {path}: {err}") from err
    if not read_only:  # a read-only sheet's size is only known by reading it
        widest = max((ws.max_column for ws in wb.worksheets), default=0)
        if widest > MAX_COLUMNS:
            raise WorkbookError(too_wide_message(path, widest))
    return wb


def _names(header: str | None, given: str) -> bool:
    return header is not None and " ".join(header.split()) == " ".join(given.split())


def _has_vba(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:  # check_package has opened it already
        return any(n.lower().endswith("vbaproject.bin") for n in archive.namelist())


def check_writable(target: Path, source: Path | None = None) -> None:
    """Refuse before any work when ``target`` (or its folder) may not be written.

    The file's own mode counts even for an administrator: a file marked read-only is
    the owner saying "do not replace this". The message names ``-o``.
    """
    folder = target.parent if str(target.parent) else Path(".")
    hint = (
        "用 -o 把结果写到别处（例如 -o 另一个文件夹/结果.xlsx）/ use -o to write the result "
        "somewhere else (e.g. -o ~/Documents/result.xlsx)"
    )
    if target.exists() and not (target.stat().st_mode & 0o222 and os.access(target, os.W_OK)):
        raise ReadOnlyError(
            f"工作簿是只读文件，未做任何修改 / {target.name} is read-only: nothing was "
            f"changed; {hint}"
        )
    mode = folder.stat().st_mode if folder.exists() else 0
    if not (mode & 0o222 and os.access(folder, os.W_OK | os.X_OK)):
        raise ReadOnlyError(
            f"不能在文件夹 {folder} 中写入，未做任何修改 / Cannot write in the folder "
            f"{folder} (no permission): nothing was changed; {hint}"
        )


def read_settings(wb: Workbook) -> Settings:
    """Settings from the 设置 Settings sheet (defaults when there is none), with the
    区域 Regions sheet and the hidden code registry the assign operations read (bad
    values recorded, not raised: see `addrkit.settings.settings_from_book`)."""

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


def _values(ws, jobs: int = 1, **bounds) -> Iterator[tuple]:
    """``ws.iter_rows(values_only=True)``; a read-only sheet's rows are cut from its XML
    directly (the same values, a tenth of the time: see `sheet_xml.iter_values`), by
    ``jobs`` processes for a big sheet."""
    if isinstance(ws, ReadOnlyWorksheet):
        fast = iter_values(ws, **bounds, jobs=jobs)
        if fast is not None:
            return fast
    return ws.iter_rows(**bounds, values_only=True)


def _iter_rows(ws, top: int, left: int, right: int, jobs: int = 1) -> Iterator[tuple]:
    return _values(ws, jobs, min_row=top, min_col=left, max_col=right)


def read_customer_table(
    wb: Workbook,
    sheet: str | None = None,
    settings: Settings | None = None,
    columns: dict[ColumnRole, str] | None = None,
    jobs: int = 1,
) -> CustomerTable:
    """Find the customer table in an open workbook and read it into a `CustomerTable`.

    Works on normal and read-only workbooks (Excel tables are seen only in normal mode;
    in read-only mode their header row is found like any other, and a big table is read
    by ``jobs`` processes).

    Raises
    ------
    TableNotFoundError
        No sheet has a recognisable header row, or a column named in ``columns`` (or
        on the Settings sheet) is not in it.
    """
    settings = settings or Settings()
    given = given_columns(settings) if columns is None else columns
    names = candidate_sheets(wb, sheet, settings)
    location: TableLocation | None = None
    bounded = True
    seen: list = []
    for name in names:
        ws = wb[name]
        objects = _list_objects(ws)
        scan = max([HEADER_SCAN_ROWS] + [top for _, top, *_ in objects])
        head = [list(r) for r in _values(ws, min_row=1, max_row=scan)]
        try:
            location = find_customer_table(
                [(name, head, objects)], output_blocks=OUTPUT_BLOCKS, given=given
            )
        except TableNotFoundError:
            seen.extend(v for row in head[:HEADER_SCAN_ROWS] for v in row if isinstance(v, str))
            continue
        missing = [r for r, h in given.items() if not _names(location.header_for(r), h)]
        if missing:
            raise TableNotFoundError(
                unknown_column_message(missing[0], given[missing[0]], [name], location.headers)
            )
        if location.list_object is None:
            location = replace(location, last_row=max(location.header_row, ws.max_row or 0))
            # A sheet without a <dimension> (streaming writers) has no max_row: read to its end.
            bounded = ws.max_row is not None
        break
    if location is None:
        if given:
            role, header = next(iter(given.items()))
            raise TableNotFoundError(unknown_column_message(role, header, names, seen))
        raise TableNotFoundError(not_found_message(names, seen))

    ws = wb[location.sheet]
    first, left, right = location.header_row + 1, location.first_col, location.last_col
    read = _iter_rows(ws, first, left, right, jobs if bounded else 1)
    rows = list(itertools.islice(read, location.n_rows) if bounded else read)
    # Trailing blank rows are not customers (looked for from the end, not row by row).
    last_used = len(rows)
    while last_used and all(_blank(v) for v in rows[last_used - 1]):
        last_used -= 1
    del rows[last_used:]
    location = replace(location, last_row=location.header_row + last_used)
    return CustomerTable.from_rows(location, rows)


_TEMP_MARK = ".addrkit-tmp-"


def temp_path_for(target: Path) -> Path:
    """A temporary file beside `target` (same directory, so the rename is atomic).

    Examples
    --------
    >>> temp_path_for(Path("/d/book.xlsx")).name.startswith(".book.xlsx.addrkit-tmp-")
    True
    """
    return target.with_name(f".{target.name}{_TEMP_MARK}{os.getpid()}.xlsx")


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # signal 0 would be CTRL_C_EVENT there; a file being written is locked
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove temporary files of `target` left by runs that were killed mid-write.

    Only files named exactly as `temp_path_for` names them for this target
    (``.BOOK.addrkit-tmp-<pid>.xlsx``) and whose process is gone are removed; a run
    writing the same book right now keeps its file.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()); book = folder / "b.xlsx"
    >>> _ = (folder / ".b.xlsx.addrkit-tmp-999999999.xlsx").write_bytes(b"half")
    >>> _ = (folder / ".b.xlsx.addrkit-tmp-x.xlsx").write_bytes(b"not ours")
    >>> [p.name for p in remove_stale_temps(book)], sorted(p.name for p in folder.iterdir())
    (['.b.xlsx.addrkit-tmp-999999999.xlsx'], ['.b.xlsx.addrkit-tmp-x.xlsx'])
    """
    prefix = f".{target.name}{_TEMP_MARK}"
    removed = []
    try:
        candidates = list(target.parent.iterdir())
    except OSError:
        return removed
    for path in candidates:
        name = path.name
        pid = name[len(prefix) : -len(".xlsx")]
        if not (name.startswith(prefix) and name.endswith(".xlsx") and pid.isdigit()):
            continue
        if _process_alive(int(pid)):
            continue
        try:
            path.unlink()
        except OSError:  # in use (Windows) or not ours to remove: leave it
            continue
        removed.append(path)
    return removed


def default_mode() -> int:
    """The mode the umask gives a new file (0644 under the usual umask 022).

    ``tempfile.mkstemp`` makes 0600 files: renamed into place, a workbook or the add-in
    on a shared folder could be read by its writer only.
    """
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def file_mode(target: Path) -> int:
    """The mode a workbook written to `target` gets: the mode of the file it replaces
    (its owner chose who may read it), else `default_mode`."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return default_mode()


def durable_replace(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` over ``target`` once its bytes are on disk, then record the rename.

    The rename alone is atomic against a killed process; the two syncs make it so against
    a power cut too (without them a file system may commit the rename before the data and
    leave an empty or half-written file under the final name).
    """
    _fsync(tmp, os.O_RDWR if os.name == "nt" else os.O_RDONLY)  # Windows commits writable handles
    os.replace(tmp, target)
    if os.name != "nt":  # a folder cannot be opened for syncing on Windows (NTFS journals it)
        _fsync(target.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))


def _fsync(path: Path, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    except OSError:  # a file system without sync (some network shares): best effort
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(target: Path, failure: str) -> Iterator[Path]:
    """A temporary path beside ``target`` that is renamed over it if the block succeeds.

    Temporary files that killed runs left beside ``target`` are removed first. On any
    error (or Ctrl-C) the temporary file is removed and ``target`` is left as it was;
    an OSError becomes a WorkbookError starting with ``failure``. The file keeps the
    mode of the one it replaces (a new one gets the folder's default, see `file_mode`).
    """
    remove_stale_temps(target)
    tmp = temp_path_for(target)
    try:
        yield tmp
        os.chmod(tmp, file_mode(target))
        durable_replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(err, OSError):
            raise WorkbookError(f"{failure}: {err}") from err
        raise


def check_macro_target(wb: Workbook, target: Path) -> None:
    """A book with macros is written only under a name Excel opens with macros."""
    if wb.vba_archive is not None and target.suffix.lower() not in MACRO_SUFFIXES:
        raise WorkbookError(
            f"工作簿含有宏（VBA），保存为 {target.suffix} 会丢失宏：请用 .xlsm 文件名 / The workbook "
            f"has macros (a VBA project) that a {target.suffix} file cannot hold: name the output "
            f"{target.with_suffix('.xlsm').name} (.xlsm) to keep them. Nothing was changed."
        )


def save_atomic(wb: Workbook, target: str | os.PathLike) -> Path:
    """Save to a temporary file in the target's directory, then rename over the target.

    An interrupted save (error, Ctrl-C) leaves the target as it was. Notes given by
    `addrkit.workbook.note_parts.add_notes` are written as a stream.
    """
    target = Path(target)
    check_macro_target(wb, target)
    with replacing(target, f"无法写入工作簿 / Cannot write workbook {target}") as tmp:
        save_with_notes(wb, tmp)
    return target


def write_side_files(plans, book: str | os.PathLike) -> tuple[Path, ...]:
    """Write each plan's side files beside ``book`` (``<stem><suffix>``), atomically.

    ``book`` is the full path of the saved workbook, a file's or a live book's. A live book
    never saved ("Book1") or kept on the web (an https address) has no folder to write
    beside: nothing is written for it.

    Examples
    --------
    >>> write_side_files([], "/tmp/book.xlsx")
    ()
    >>> from addrkit.ops.plan import ChangePlan, SideFile
    >>> write_side_files([ChangePlan("map", files=(SideFile("-map.html", b"x", "map"),))], "Book1")
    ()
    """
    if not book or not os.path.isabs(book):
        return ()
    book = Path(book)
    written = []
    for plan in plans:
        for side in plan.files:
            target = book.with_name(book.stem + side.suffix)
            with replacing(target, f"无法写入文件 / Cannot write {target}") as tmp:
                tmp.write_bytes(side.data)
            written.append(target)
    return tuple(written)
