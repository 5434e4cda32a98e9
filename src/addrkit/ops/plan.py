"""The change plan: what an operation wants done to a workbook, as plain frozen data.

An operation never touches a workbook. It returns a `ChangePlan`; an adapter (a live
Excel book or an .xlsx file) applies it. Cells of the customer table are named by
data-row position (0 = first row under the header) and column header, so a plan does
not depend on where the table sits; `addrkit.workbook.layout` turns it into cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "Fill",
    "NewColumn",
    "CellComment",
    "CellHighlight",
    "CellEdit",
    "ValueRule",
    "ConditionalFormat",
    "SheetWrite",
    "ImagePlacement",
    "ShareOptions",
    "PlanKind",
    "ChangePlan",
]


class Fill(StrEnum):
    """Cell fill colours (RRGGBB), the light tones Excel's own styles use."""

    GREEN = "C6EFCE"
    BLUE = "DDEBF7"
    AMBER = "FFEB9C"
    RED = "FFC7CE"
    GREY = "EDEDED"


@dataclass(frozen=True, slots=True)
class NewColumn:
    """One output column: a header and one value per data row (None = empty cell).

    Values are written as text: a value starting with = + - @ stays text.
    """

    header: str
    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class CellComment:
    """A note on one cell of an output column (Excel: a Note)."""

    row: int
    header: str
    text: str


@dataclass(frozen=True, slots=True)
class CellHighlight:
    """A fixed fill on one cell of an output column."""

    row: int
    header: str
    fill: Fill


@dataclass(frozen=True, slots=True)
class CellEdit:
    """A new value for one cell of the customer's own table (logged with its old value).

    ``header`` names a column of the table as read; ``reason`` goes to the log.
    """

    row: int
    header: str
    value: Any
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ValueRule:
    """Fill a cell whose value equals `value`."""

    value: str
    fill: Fill


@dataclass(frozen=True, slots=True)
class ConditionalFormat:
    """Conditional formatting over the data rows of one output column."""

    header: str
    rules: tuple[ValueRule, ...]


@dataclass(frozen=True, slots=True)
class SheetWrite:
    """A whole sheet (re)written from rows; an existing sheet of that name is replaced."""

    name: str
    rows: tuple[tuple[Any, ...], ...]
    column_widths: tuple[float, ...] = ()
    # Excel number format per column, for the numbers in it ("0.0%": a share stays a
    # number a user can sort and sum, shown as a percentage); None leaves General.
    number_formats: tuple[str | None, ...] = ()
    # A sheet the program keeps for itself (the code registry): hidden, not deleted-looking.
    hidden: bool = False

    def number_format_at(self, column: int, value: Any) -> str | None:
        """The format for ``value`` in 0-based ``column``: only numbers get one."""
        if column >= len(self.number_formats) or isinstance(value, bool):
            return None
        return self.number_formats[column] if isinstance(value, int | float) else None


@dataclass(frozen=True, slots=True)
class ImagePlacement:
    """A PNG placed with its top-left corner on `anchor` (e.g. "B2") of `sheet`."""

    sheet: str
    anchor: str
    png: bytes
    name: str


@dataclass(frozen=True, slots=True)
class ShareOptions:
    """How to make a share-ready copy."""

    mask_phone_headers: tuple[str, ...] = ()


class PlanKind(StrEnum):
    """CHANGE edits the book; UNDO restores the last snapshot; SHARE_COPY writes a copy."""

    CHANGE = "change"
    UNDO = "undo"
    SHARE_COPY = "share"


@dataclass(frozen=True, slots=True)
class ChangePlan:
    """Everything one operation run changes.

    ``columns`` form one block placed right of the customer table (a re-run finds the
    block by its headers and fills it again). ``notes`` become log rows of their own.

    Examples
    --------
    >>> plan = ChangePlan("demo", columns=(NewColumn("状态", ("OK", "ERROR")),))
    >>> plan.column_headers, plan.is_empty
    (('状态',), False)
    """

    operation: str
    kind: PlanKind = PlanKind.CHANGE
    columns: tuple[NewColumn, ...] = ()
    comments: tuple[CellComment, ...] = ()
    highlights: tuple[CellHighlight, ...] = ()
    edits: tuple[CellEdit, ...] = ()
    conditional_formats: tuple[ConditionalFormat, ...] = ()
    sheets: tuple[SheetWrite, ...] = ()
    images: tuple[ImagePlacement, ...] = ()
    notes: tuple[str, ...] = ()
    share: ShareOptions | None = None
    summary: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def column_headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def is_empty(self) -> bool:
        return not (
            self.columns
            or self.sheets
            or self.images
            or self.comments
            or self.highlights
            or self.edits
        )

    def __post_init__(self) -> None:
        lengths = {len(c.values) for c in self.columns}
        if len(lengths) > 1:
            raise ValueError(f"output columns differ in length: {sorted(lengths)}")
        headers = self.column_headers
        if len(set(headers)) != len(headers):
            raise ValueError(f"duplicate output headers: {headers}")
