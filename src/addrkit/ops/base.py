"""What every operation shares: the customer table it reads and the `Operation` record.

An operation is one ribbon button: a name, Chinese and English labels, and a
``run(table, settings, progress) -> ChangePlan`` function. Adding one means writing a
module with an ``OPERATION`` and listing it in `addrkit.ops`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import InputError
from ..progress import Progress
from ..settings import Settings
from ..table import ColumnRole, TableLocation
from .plan import ChangePlan

__all__ = ["CustomerTable", "Operation", "RunFunction", "require_table", "sheet_key"]


@dataclass(frozen=True, slots=True, eq=False)
class CustomerTable:
    """The customer table as a DataFrame, plus where it sits and what its columns are.

    ``frame`` has one column per table column, labelled by header (repeated headers
    get a ``#2`` suffix), and one row per data row, top to bottom. ``cache`` lets
    operations of one run share work (e.g. the parsed addresses).

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"], ["甲", "杭州"]]), [["甲", "杭州"]])
    >>> t.column(ColumnRole.ADDRESS)
    ['杭州']
    """

    location: TableLocation
    frame: pd.DataFrame
    cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, location: TableLocation, rows: list[list[Any]]) -> CustomerTable:
        """Build from data rows holding exactly the table's columns (short rows are padded)."""
        labels = _unique(location.headers)
        width = len(labels)
        fixed = [(list(r) + [None] * width)[:width] for r in rows]
        frame = pd.DataFrame(fixed, columns=labels, dtype=object)
        return cls(location, frame)

    def __len__(self) -> int:
        return len(self.frame)

    def column(self, role: ColumnRole) -> list[Any] | None:
        """Values of the column holding `role`, or None when the table has none."""
        index = self.location.role_index(role)
        return None if index is None else self.frame.iloc[:, index].tolist()

    def sheet_rows(self, name: str) -> list[tuple] | None:
        """Rows of another sheet of the book that the adapter read for this run (see
        `Operation.reads_sheets`), or None when the book has no such sheet."""
        return self.cache.get(sheet_key(name))

    def row_keys(self) -> list[str]:
        """A label per row for the log: the customer ID when there is one, else the Excel row."""
        ids = self.column(ColumnRole.ID)
        first = self.location.header_row + 1
        if ids is None:
            return [f"row {first + i}" for i in range(len(self))]
        return [
            f"row {first + i}" if v is None or str(v).strip() == "" else str(v)
            for i, v in enumerate(ids)
        ]


def sheet_key(name: str) -> str:
    """Where an adapter keeps the rows of sheet `name` in `CustomerTable.cache`."""
    return f"sheet:{name}"


def _unique(headers: tuple[str, ...]) -> list[str]:
    seen: dict[str, int] = {}
    labels = []
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
        labels.append(h if seen[h] == 1 else f"{h}#{seen[h]}")
    return labels


RunFunction = Callable[[CustomerTable | None, Settings, Progress], ChangePlan]


@dataclass(frozen=True, slots=True)
class Operation:
    """One ribbon button.

    ``needs_table`` is False for operations that act on the whole book (undo, share);
    they are called with ``table=None``. ``reads_sheets`` names other sheets whose rows
    the operation needs (e.g. the geocode cache that travels in a hidden sheet): the
    adapter reads them into the table before the run (`CustomerTable.sheet_rows`).
    """

    name: str
    label_zh: str
    label_en: str
    run: RunFunction
    needs_table: bool = True
    reads_sheets: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.label_zh} {self.label_en}"


def require_table(
    table: CustomerTable | None, operation: str, *, rows_to: str | None = None
) -> CustomerTable:
    """The customer table an operation with ``needs_table`` was given.

    The adapters always pass one, so ``None`` is a programming error. With ``rows_to``
    (what the rows are for: "compare", "merge") an empty table is the user's to fix.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [])
    >>> require_table(t, "dedupe", rows_to="compare")
    Traceback (most recent call last):
    addrkit.errors.InputError: 客户表没有数据行 / The customer table has no rows to compare
    """
    if table is None:
        raise ValueError(f"{operation} needs the customer table")
    if rows_to is not None and len(table) == 0:
        raise InputError(f"客户表没有数据行 / The customer table has no rows to {rows_to}")
    return table
