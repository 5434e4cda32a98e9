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
    "PrintLayout",
    "SideFile",
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
class PrintLayout:
    """A sheet's printed pages: orientation, a fixed zoom and manual page breaks.

    For sheets holding pictures: fitting to the page width lets the program shrink and
    split them anywhere (LibreOffice then ignores manual breaks); a fixed zoom with a
    break after ``breaks`` rows (1-based) keeps each picture whole on its page.
    """

    portrait: bool = True
    scale: int = 100
    breaks: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SheetWrite:
    """A whole sheet (re)written from rows; an existing sheet of that name is replaced."""

    name: str
    rows: tuple[tuple[Any, ...], ...]
    column_widths: tuple[float, ...] = ()
    # Excel number format per column, for the numbers in it ("0.0%": a share stays a
    # number a user can sort and sum, shown as a percentage); None leaves General.
    number_formats: tuple[str | None, ...] = ()
    # A hidden sheet holds data for addrkit, not for reading (e.g. the geocode cache that
    # travels with the book); Excel lists it under Unhide.
    hidden: bool = False
    # How the sheet prints when the default (landscape, one page wide) does not suit it.
    printing: PrintLayout | None = None

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
class SideFile:
    """A file written beside the workbook: ``<book name without .xlsx><suffix>``.

    For what a workbook cannot hold, such as the interactive HTML map. Written after
    the book is saved, atomically, replacing the file of an earlier run.
    """

    suffix: str
    data: bytes
    label: str = ""


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
    files: tuple[SideFile, ...] = ()
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
            or self.files
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
