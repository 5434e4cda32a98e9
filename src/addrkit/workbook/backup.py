"""Backups beside a file, and undo by restoring the newest one.

Before a run writes over ``book.xlsx`` the file is copied byte for byte to
``book.xlsx.addrkit-backup-<timestamp>.xlsx`` in the same directory. Undo puts the
newest backup back (atomically) and keeps the undone version as
``book.xlsx.addrkit-undone-<timestamp>.xlsx``, so nothing is lost and each undo steps
one run further back. A byte copy restores the workbook exactly, including everything
openpyxl does not model (shapes, VBA-free add-in references, pivot caches).

Every copy is made under the book's temporary name and renamed into place: a run killed
mid-copy leaves no half backup that a later undo would take for the newest one (it
would put half a workbook back), only a temporary file the next run removes.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from ..errors import WorkbookError
from .files import durable_replace, remove_stale_temps, replacing, temp_path_for

__all__ = ["make_backup", "latest_backup", "undo_file", "BACKUP_MARK"]

BACKUP_MARK = ".addrkit-backup-"
UNDONE_MARK = ".addrkit-undone-"
_STAMP = "%Y%m%d-%H%M%S-%f"


def _stamp(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now()).strftime(_STAMP)


def make_backup(path: str | os.PathLike, now: dt.datetime | None = None) -> Path:
    """Copy `path` to a timestamped backup beside it; returns the backup's path."""
    path = Path(path)
    backup = path.with_name(f"{path.name}{BACKUP_MARK}{_stamp(now)}{path.suffix}")
    try:
        _copy_atomic(path, backup)
    except OSError as err:
        raise WorkbookError(f"无法创建备份 / Cannot back up {path} to {backup}: {err}") from err
    return backup


def _copy_atomic(path: Path, copy: Path) -> None:
    """Copy ``path`` to ``copy`` (beside it) through its temporary name: whole or absent."""
    remove_stale_temps(path)
    tmp = temp_path_for(path)
    try:
        shutil.copy2(path, tmp)
        durable_replace(tmp, copy)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def latest_backup(path: str | os.PathLike) -> Path | None:
    """The newest backup of `path`, or None (timestamps sort as text)."""
    path = Path(path)
    found = sorted(path.parent.glob(f"{path.name}{BACKUP_MARK}*{path.suffix}"))
    return found[-1] if found else None


def undo_file(path: str | os.PathLike, now: dt.datetime | None = None) -> Path:
    """Restore the newest backup of `path`; returns the path the undone version was kept at.

    Raises
    ------
    WorkbookError
        There is no backup to restore.
    """
    path = Path(path)
    backup = latest_backup(path)
    if backup is None:
        raise WorkbookError(
            f"没有可撤销的运行（未找到备份）/ Nothing to undo: no backup of {path.name} found beside it"
        )
    undone = path.with_name(f"{path.name}{UNDONE_MARK}{_stamp(now)}{path.suffix}")
    # Keep the version being undone first, then put the backup back, then drop the backup:
    # killed between any two steps, both versions still exist whole.
    try:
        _copy_atomic(path, undone)
    except OSError as err:
        raise WorkbookError(f"撤销失败 / Undo failed for {path}: {err}") from err
    with replacing(path, f"撤销失败 / Undo failed for {path}") as tmp:
        shutil.copy2(backup, tmp)
    backup.unlink()
    return undone
