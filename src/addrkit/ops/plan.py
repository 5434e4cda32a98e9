"""The change plan: what an operation wants done to a workbook, as plain frozen data.

An operation never touches a workbook. It returns a `ChangePlan`; an adapter (a live
Excel book or an .xlsx file) applies it. Cells of the customer table are named by
data-row position (0 = first row under the header) and column header, so a plan does
not depend on where the table sits; `addrkit.workbook.layout` turns it into cells.
"""

from __future__ import annotations

import re
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
    "ChartKind",
    "ChartSpec",
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


class ChartKind(StrEnum):
    """Native Excel chart types a plan can ask for."""

    PIE = "pie"  # shares of a whole (statuses)
    BAR = "bar"  # horizontal bars, longest on top: many long category names (provinces)
    COLUMN = "column"  # vertical bars, clustered when there are several series (region × tier)


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """A native, editable Excel chart over cells of the `SheetWrite` it belongs to.

    Rows and columns are 1-based positions in that sheet's ``rows``: the categories are
    ``label_col`` of rows ``first_row..last_row``; each of ``value_cols`` is one series,
    named by its cell in ``header_row``. The value columns follow each other (Excel's
    chart source is one block), the first right after ``label_col``. The chart's top-left
    corner sits on ``anchor``; ``width``/``height`` are in centimetres.

    Examples
    --------
    >>> c = ChartSpec("状态 Status", ChartKind.PIE, header_row=4, first_row=5, last_row=8,
    ...               label_col=1, value_cols=(2,), anchor="F2")
    >>> c.labels_ref, c.values_refs, c.source_ref, c.anchor_row
    ('A5:A8', ('B4:B8',), 'A4:B8', 2)
    """

    title: str
    kind: ChartKind
    header_row: int
    first_row: int
    last_row: int
    label_col: int
    value_cols: tuple[int, ...]
    anchor: str
    width: float = 15.0
    height: float = 7.5
    name: str = ""  # the chart object's name in Excel (the title when empty)

    def __post_init__(self) -> None:
        expected = tuple(range(self.label_col + 1, self.label_col + 1 + len(self.value_cols)))
        if not self.value_cols or self.value_cols != expected:
            raise ValueError(f"value columns must follow the label column: {self.value_cols}")
        if not self.header_row < self.first_row <= self.last_row:
            raise ValueError(f"chart rows {self.header_row}, {self.first_row}..{self.last_row}")
        if not re.fullmatch(r"[A-Za-z]{1,3}[1-9][0-9]*", self.anchor):
            raise ValueError(f"chart anchor must be one cell such as 'F2', not {self.anchor!r}")

    @property
    def anchor_row(self) -> int:
        """The sheet row of the chart's top-left corner (``"F12"`` → 12)."""
        return int(self.anchor.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))

    @property
    def labels_ref(self) -> str:
        return _ref(self.label_col, self.first_row, self.label_col, self.last_row)

    @property
    def values_refs(self) -> tuple[str, ...]:
        """One reference per series, from its header cell (the series name) down."""
        return tuple(_ref(c, self.header_row, c, self.last_row) for c in self.value_cols)

    @property
    def source_ref(self) -> str:
        """The whole block: header row and labels included (what Excel's wizard takes)."""
        return _ref(self.label_col, self.header_row, self.value_cols[-1], self.last_row)

    @property
    def chart_name(self) -> str:
        return self.name or self.title


def _letters(column: int) -> str:
    """Excel's column letters (1 → A, 28 → AB)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _ref(left: int, top: int, right: int, bottom: int) -> str:
    return f"{_letters(left)}{top}:{_letters(right)}{bottom}"


@dataclass(frozen=True, slots=True)
class PrintLayout:
    """A sheet's printed pages: orientation, a fixed zoom and manual page breaks.

    For sheets holding pictures: fitting to the page width lets the program shrink and
    split them anywhere (LibreOffice then ignores manual breaks); a fixed zoom with a
    break after ``breaks`` rows (1-based) keeps each picture whole on its page, and one
    after ``column_breaks`` columns (1-based) prints the columns right of it on pages
    of their own.
    """

    portrait: bool = True
    scale: int = 100
    breaks: tuple[int, ...] = ()
    column_breaks: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SheetWrite:
    """A whole sheet (re)written from rows; an existing sheet of that name is replaced
    (with its charts: ``charts`` are drawn anew over the new rows)."""

    name: str
    rows: tuple[tuple[Any, ...], ...]
    column_widths: tuple[float, ...] = ()
    # Excel number format per column, for the numbers in it ("0.0%": a share stays a
    # number a user can sort and sum, shown as a percentage); None leaves General.
    number_formats: tuple[str | None, ...] = ()
    charts: tuple[ChartSpec, ...] = ()
    # A hidden sheet holds data for addrkit, not for reading (the geocode cache that
    # travels with the book, the code registry); Excel lists it under Unhide.
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
    # Mask phones, ID-card numbers and e-mails inside every copied cell's text.
    mask_text: bool = False


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
    # What a person must read now (bad settings): the command line prints them.
    warnings: tuple[str, ...] = ()
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
