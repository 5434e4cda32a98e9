"""The live book's undo snapshot: typed records kept on a hidden sheet of the book.

A file is backed up byte for byte before a run; an open Excel book cannot be, so the
live adapter keeps what a run is about to change as `UndoRecord` values on the hidden
sheet `SNAPSHOT_SHEET` (the book may be saved and reopened between the run and the
undo, and xlwings may start a new Python for each button). A sheet a run replaces is
not copied cell by cell: it is renamed and hidden (``_addrkit_undo1``, …) with its
formats, widths, charts and pictures, and renamed back on undo.

Each record is one row ``[kind, head as JSON, rows that follow]`` and then its body
rows (cell values: too many for one cell's 32,767 characters). `restore` is a method
of each record: undo is a loop, not a switch over kinds.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, Protocol

from .changelog import SNAPSHOT_SHEET

__all__ = [
    "UndoRecord",
    "UndoTarget",
    "BlockCells",
    "ConditionalRules",
    "TableRange",
    "TableCell",
    "NewSheet",
    "KeptSheet",
    "LogEnd",
    "NewDrawings",
    "encode",
    "decode",
    "MARK",
]

MARK = "addrkit-undo"  # first cell of the snapshot sheet: what the sheet is


class UndoTarget(Protocol):
    """What a record needs from the live adapter to put itself back."""

    def restore_block(self, record: BlockCells) -> None: ...
    def restore_rules(self, sheet: str, ref: str, rules: Sequence[Sequence[str]]) -> None: ...
    def restore_table(self, sheet: str, name: str, address: str) -> None: ...
    def restore_cell(self, sheet: str, row: int, col: int, value: Any) -> None: ...
    def delete_sheet(self, name: str) -> None: ...
    def unkeep_sheet(self, name: str, kept_as: str) -> None: ...
    def trim_log(self, sheet: str, last_row: int, last_col: int) -> None: ...
    def delete_drawings(
        self, sheet: str, pictures: Sequence[str], charts: Sequence[str]
    ) -> None: ...


class UndoRecord(ABC):
    """One thing a run changes, as it was before. Subclasses are frozen dataclasses."""

    KIND: ClassVar[str]
    _KINDS: ClassVar[dict[str, type[UndoRecord]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        UndoRecord._KINDS[cls.KIND] = cls

    def head(self) -> dict[str, Any]:
        """The small fields, stored as JSON in one cell."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "rows"}

    def body(self) -> list[list[Any]]:
        """Rows stored below the head row (cell values)."""
        return []

    @classmethod
    def from_parts(cls, head: dict[str, Any], body: list[list[Any]]) -> UndoRecord:
        return cls(**head)

    @abstractmethod
    def restore(self, target: UndoTarget) -> None:
        """Put this part of the book back as it was."""


def _tuples(rows: Any) -> tuple:
    return tuple(tuple(r) if isinstance(r, list) else r for r in rows)


@dataclass(frozen=True, slots=True)
class BlockCells(UndoRecord):
    """The output block's cells before a run: values (none kept when all were empty),
    notes and fills by (row, column), and the widths of its columns."""

    KIND: ClassVar[str] = "block"
    sheet: str
    top: int
    left: int
    height: int
    n_cols: int
    notes: tuple[tuple[int, int, str], ...] = ()
    colors: tuple[tuple[int, int, tuple[int, int, int]], ...] = ()
    widths: tuple[tuple[int, float], ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()  # empty: the block was empty
    # Number formats other than General: (first row, last row, column, format).
    formats: tuple[tuple[int, int, int, str], ...] = ()

    def head(self) -> dict[str, Any]:
        # Notes and fills can be many and long: they go in the body, below the values.
        head = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("rows", "notes", "colors", "formats"):
            head[f"n_{name}"] = len(head.pop(name))
        return head

    def body(self) -> list[list[Any]]:
        return (
            [list(r) for r in self.rows]
            + [list(n) for n in self.notes]
            + [[r, c, *rgb] for r, c, rgb in self.colors]
            + [list(f) for f in self.formats]
        )

    @classmethod
    def from_parts(cls, head: dict[str, Any], body: list[list[Any]]) -> BlockCells:
        n_rows, n_notes = head.pop("n_rows"), head.pop("n_notes")
        n_colors, n_formats = head.pop("n_colors"), head.pop("n_formats")
        rows = tuple(tuple(r[: head["n_cols"]]) for r in body[:n_rows])
        at = n_rows
        notes = tuple((int(r[0]), int(r[1]), str(r[2])) for r in body[at : at + n_notes])
        at += n_notes
        colors = tuple(
            (int(r[0]), int(r[1]), (int(r[2]), int(r[3]), int(r[4])))
            for r in body[at : at + n_colors]
        )
        at += n_colors
        formats = tuple(
            (int(r[0]), int(r[1]), int(r[2]), str(r[3])) for r in body[at : at + n_formats]
        )
        widths = tuple((int(c), float(w)) for c, w in head.pop("widths"))
        return cls(**head, notes=notes, colors=colors, widths=widths, rows=rows, formats=formats)

    def restore(self, target: UndoTarget) -> None:
        target.restore_block(self)


@dataclass(frozen=True, slots=True)
class ConditionalRules(UndoRecord):
    """The "value equals → fill" rules a range had (none: the range had none)."""

    KIND: ClassVar[str] = "rules"
    sheet: str
    ref: str
    rules: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_parts(cls, head: dict[str, Any], body: list[list[Any]]) -> ConditionalRules:
        return cls(head["sheet"], head["ref"], _tuples(head["rules"]))

    def head(self) -> dict[str, Any]:
        return asdict(self)

    def restore(self, target: UndoTarget) -> None:
        target.restore_rules(self.sheet, self.ref, self.rules)


@dataclass(frozen=True, slots=True)
class TableRange(UndoRecord):
    """The range an Excel table (ListObject) covered."""

    KIND: ClassVar[str] = "table"
    sheet: str
    name: str
    address: str

    def restore(self, target: UndoTarget) -> None:
        target.restore_table(self.sheet, self.name, self.address)


@dataclass(frozen=True, slots=True)
class TableCell(UndoRecord):
    """One cell of the customer's table that a run edits (merge)."""

    KIND: ClassVar[str] = "cell"
    sheet: str
    row: int
    col: int
    value: Any = None

    def restore(self, target: UndoTarget) -> None:
        target.restore_cell(self.sheet, self.row, self.col, self.value)


@dataclass(frozen=True, slots=True)
class NewSheet(UndoRecord):
    """A sheet the run adds: undo deletes it."""

    KIND: ClassVar[str] = "new-sheet"
    name: str

    def restore(self, target: UndoTarget) -> None:
        target.delete_sheet(self.name)


@dataclass(frozen=True, slots=True)
class KeptSheet(UndoRecord):
    """A sheet the run replaces, kept whole under a hidden name until the next run."""

    KIND: ClassVar[str] = "kept-sheet"
    name: str
    kept_as: str

    def restore(self, target: UndoTarget) -> None:
        target.unkeep_sheet(self.name, self.kept_as)


@dataclass(frozen=True, slots=True)
class LogEnd(UndoRecord):
    """Where the Log sheet ended: undo clears what the run appended."""

    KIND: ClassVar[str] = "log"
    sheet: str
    last_row: int
    last_col: int

    def restore(self, target: UndoTarget) -> None:
        target.trim_log(self.sheet, self.last_row, self.last_col)


@dataclass(frozen=True, slots=True)
class NewDrawings(UndoRecord):
    """Pictures and charts the run places on an existing sheet, by name."""

    KIND: ClassVar[str] = "drawings"
    sheet: str
    pictures: tuple[str, ...] = ()
    charts: tuple[str, ...] = ()

    @classmethod
    def from_parts(cls, head: dict[str, Any], body: list[list[Any]]) -> NewDrawings:
        return cls(head["sheet"], tuple(head["pictures"]), tuple(head["charts"]))

    def restore(self, target: UndoTarget) -> None:
        target.delete_drawings(self.sheet, self.pictures, self.charts)


def encode(operation: str, records: Sequence[UndoRecord]) -> list[list[Any]]:
    """The snapshot sheet's rows: a title row, then each record's head row and body.

    Examples
    --------
    >>> rows = encode("clean", [NewSheet("汇总 Summary"), LogEnd("日志 Log", 3, 11)])
    >>> rows[1]
    ['new-sheet', '{"name": "汇总 Summary"}', 0]
    >>> decode(rows)[1]
    [NewSheet(name='汇总 Summary'), LogEnd(sheet='日志 Log', last_row=3, last_col=11)]
    """
    rows: list[list[Any]] = [[MARK, operation]]
    for record in records:
        body = record.body()
        rows.append([record.KIND, json.dumps(record.head(), ensure_ascii=False), len(body)])
        rows += body
    return rows


def decode(rows: Sequence[Sequence[Any]]) -> tuple[str, list[UndoRecord]]:
    """(operation, records) from the snapshot sheet's rows, as `encode` wrote them."""
    rows = [list(r) for r in rows]
    if not rows or rows[0][:1] != [MARK]:
        raise ValueError(f"not an addrkit snapshot sheet ({SNAPSHOT_SHEET})")
    return str(rows[0][1]), list(_records(rows[1:]))


def _records(rows: list[list[Any]]) -> Iterator[UndoRecord]:
    i = 0
    while i < len(rows):
        kind, head, n = rows[i][:3]
        n = int(n or 0)
        body = rows[i + 1 : i + 1 + n]
        yield UndoRecord._KINDS[kind].from_parts(json.loads(head), body)
        i += 1 + n
