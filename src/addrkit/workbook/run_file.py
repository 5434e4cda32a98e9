"""Run operations on an .xlsx file: the file adapter end to end.

read table and Settings → build every plan (nothing written yet; Ctrl-C here loses
nothing) → back up the file being replaced → apply → save atomically. A customer sheet
longer than `STREAM_ROWS` rows is streamed (see `addrkit.workbook.streaming`).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.reader.excel import ExcelReader

from ..errors import InputError, TableNotFoundError
from ..ops import get_operation
from ..ops.base import CustomerTable, settings_for, sheet_key
from ..ops.plan import ChangePlan, PlanKind
from ..progress import Progress
from ..workers import resolve_jobs
from .backup import make_backup, undo_file
from .columns import given_columns, require_address_column
from .file_apply import FileBook
from .files import (
    check_macro_target,
    check_writable,
    open_workbook,
    read_customer_table,
    read_settings,
    save_atomic,
    write_side_files,
)
from .layout import find_sheet
from .package_check import check_package
from .share_copy import ShareReport, default_share_path, share_copy
from .streaming import stream_apply

__all__ = ["FileRunResult", "run_file", "STREAM_ROWS"]

STREAM_ROWS = 200_000  # above this many rows on the customer sheet, stream instead of loading


@dataclass(frozen=True, slots=True)
class FileRunResult:
    """What a run did: where it wrote, the plans it applied, the backup it made."""

    path: Path
    plans: tuple[ChangePlan, ...] = ()
    backup: Path | None = None
    streamed: bool = False
    undone_copy: Path | None = None
    share: ShareReport | None = None
    rows: int = 0
    notes: tuple[str, ...] = field(default=())
    side_files: tuple[Path, ...] = ()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (containers, services)
        return os.environ.get("USERNAME", "") or "unknown"


_ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")  # also prefixed: <x:row ...>
_CHUNK = 1 << 22
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*\d*:?[A-Z]*(\d+)\"")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s>/]")


def _part_rows(archive: zipfile.ZipFile, part: str) -> int:
    """The last row a sheet part states in ``<dimension>``, else its row elements counted.

    Files written by streaming writers (openpyxl write-only, many exporters) have no
    ``<dimension>``; counting row tags in the decompressed XML takes a second or two at
    a million rows, far less than loading it. openpyxl's read-only mode would read such
    a sheet to its end on every open: reading the part here keeps it to one pass.
    """
    count, tail, head = 0, b"", True
    with archive.open(part) as xml:
        while chunk := xml.read(_CHUNK):
            data = tail + chunk
            if head:  # <dimension> comes before <sheetData>, in the first bytes
                found = _DIMENSION.search(data)
                if found and not _SHEET_DATA.search(data, 0, found.start()):
                    return int(found.group(1))
                head = False
            # Keeping 4 bytes catches a tag cut by the boundary without counting one twice.
            count += sum(data.count(tag) for tag in _ROW_TAGS)
            tail = data[-4:]
    return count


def _sheet_rows(path: Path, sheet: str | None) -> int:
    """Rows of the given sheet, or of the longest sheet, without loading the workbook."""
    try:
        reader = ExcelReader(path, read_only=True)
        reader.read_manifest()
        reader.read_workbook()
        parts = {s.name: rel.target.lstrip("/") for s, rel in reader.parser.find_sheets()}
        with reader.archive:
            names = [sheet] if sheet in parts else list(parts)
            return max((_part_rows(reader.archive, parts[n]) for n in names), default=0)
    except Exception:  # noqa: BLE001 - anything odd: let openpyxl open it and say what is wrong
        wb = open_workbook(path, read_only=True)
        try:
            names = [sheet] if sheet and sheet in wb.sheetnames else wb.sheetnames
            return max((wb[n].max_row or 0 for n in names), default=0)
        finally:
            wb.close()


def _read_sheets(wb, table: CustomerTable, names: set[str]) -> None:
    """Hand the operations the rows of the extra sheets they read (hidden ones included)."""
    for name in names:
        found = find_sheet(wb.sheetnames, name)
        if found is not None:
            table.cache[sheet_key(name)] = [tuple(r) for r in wb[found].iter_rows(values_only=True)]


def run_file(
    operations: Sequence[str],
    path: str | os.PathLike,
    out: str | os.PathLike | None = None,
    *,
    sheet: str | None = None,
    progress: Progress | None = None,
    stream_rows: int = STREAM_ROWS,
    now: Callable[[], dt.datetime] = dt.datetime.now,
    user: str | None = None,
    columns: dict[str, str | None] | None = None,
    jobs: int | None = None,
) -> FileRunResult:
    """Run named operations on a workbook file.

    Parameters
    ----------
    operations : names from `addrkit.ops.OPERATIONS`; "undo" and "share" run alone.
    out : where to write; None writes in place after a backup (share: ``<stem>-share.xlsx``).
    stream_rows : stream the customer sheet when it has more rows than this.
    columns : headers of columns the user named, by option (``{"address_col": "Ship to"}``);
        they override the Settings sheet's.
    jobs : processes that read and write a streamed customer sheet (None: every core).

    Returns
    -------
    FileRunResult

    Examples
    --------
    >>> run_file(["clean"], "/nonexistent.xlsx")
    Traceback (most recent call last):
    ...
    addrkit.errors.WorkbookError: 找不到工作簿 / Workbook not found: /nonexistent.xlsx
    """
    path = Path(path)
    progress = progress or Progress()
    ops = [get_operation(name) for name in operations]
    kinds = {op.name for op in ops}
    if path.is_file():  # a missing file is reported by open_workbook below
        check_package(path)  # before anything unpacks it: passwords, bombs, renamed files
    # Permissions first: a read-only file or folder is refused before any work or backup.
    if "undo" in kinds:
        if len(ops) > 1 or out is not None:
            raise InputError("undo 只能单独运行且不带 -o / undo runs alone and in place (no -o)")
        open_workbook(path, read_only=True).close()  # a clear message for a bad file
        check_writable(path)
        return FileRunResult(path=path, undone_copy=undo_file(path, now()))
    n_rows = _sheet_rows(path, sheet)
    user = user or _user()
    sharing = "share" in kinds
    target = Path(out) if out is not None else (default_share_path(path) if sharing else path)
    check_writable(target)

    streamed = n_rows > stream_rows
    n_jobs = (
        resolve_jobs(jobs, large=True) if streamed else 1
    )  # big sheets: read and write on every core
    # One open serves the whole run: streamed, the same read-only book is read again to copy it.
    wb = open_workbook(path, read_only=streamed)
    try:
        check_macro_target(wb, target)
        settings = settings_for(ops, read_settings(wb))
        given = given_columns(settings, **(columns or {}))
        table: CustomerTable | None = None
        try:
            table = read_customer_table(wb, sheet, settings, given, jobs=n_jobs)
        except TableNotFoundError:
            if any(op.needs_table for op in ops):
                raise
        require_address_column(table, kinds)
        if table is not None:
            _read_sheets(wb, table, {n for op in ops for n in op.reads_sheets})
        # Every plan is built before anything is written: a cancel here changes nothing.
        plans = tuple(op.run(table, settings, progress) for op in ops)
    except BaseException:
        if streamed:
            wb.close()
        raise
    progress.close()

    if any(p.kind is PlanKind.SHARE_COPY for p in plans):
        if len(plans) > 1:
            raise InputError("share 只能单独运行 / share runs alone")
        if streamed:
            wb.close()
        report = share_copy(path, target, plans[0].share)
        return FileRunResult(path=report.path, plans=plans, share=report)

    backup = make_backup(target, now()) if target.exists() else None
    when = now()
    if streamed:
        try:
            stream_apply(
                wb,
                target,
                list(plans),
                table,
                when=when,
                user=user,
                jobs=n_jobs,
            )
        finally:
            wb.close()  # stream_apply closes it before replacing the file; this is for errors
    else:
        FileBook(wb).apply_run(plans, table, when=when, user=user)
        save_atomic(wb, target)
    return FileRunResult(
        path=target,
        plans=plans,
        backup=backup,
        streamed=streamed,
        rows=len(table) if table is not None else 0,
        side_files=write_side_files(plans, target.absolute()),
    )
