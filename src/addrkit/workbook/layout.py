"""Where a change plan lands: shared by both adapters so both write the same cells.

A plan names cells by data-row position and column header. `resolve_block` decides
which sheet columns the plan's output block takes (the block written by an earlier
run, or new columns right of the table); `cell_value` makes any value safe for a cell;
`find_sheet` matches bilingual sheet names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from openpyxl.utils import get_column_letter

from ..excel import CELL_TEXT_LIMIT
from ..ops.plan import CellEdit, ChangePlan
from ..table import OUTPUT_SUFFIX, TableLocation, find_block_span

__all__ = [
    "BlockLayout",
    "resolve_block",
    "extend_location",
    "cell_value",
    "find_sheet",
    "CELL_TEXT_LIMIT",
    "TEXT_FORMAT",
    "range_ref",
    "edit_position",
]

TEXT_FORMAT = "@"  # Excel's Text number format: what is typed stays text
# Characters an .xlsx cannot hold (XML 1.0 control characters).
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class BlockLayout:
    """The sheet columns a plan's output block occupies.

    Examples
    --------
    >>> b = BlockLayout("S", header_row=3, n_rows=2, start_col=5, headers=("标准地址", "省"), existing=False)
    >>> b.col_of("省"), b.first_data_row, b.last_row, b.ref
    (6, 4, 5, 'E3:F5')
    """

    sheet: str
    header_row: int
    n_rows: int
    start_col: int
    headers: tuple[str, ...]
    existing: bool
    plan_headers: tuple[str, ...] = ()

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + self.n_rows

    @property
    def end_col(self) -> int:
        return self.start_col + len(self.headers) - 1

    @property
    def ref(self) -> str:
        return range_ref(self.header_row, self.start_col, self.last_row, self.end_col)

    def col_of(self, plan_header: str) -> int:
        names = self.plan_headers or self.headers
        return self.start_col + names.index(plan_header)

    def data_ref(self, plan_header: str) -> str:
        col = self.col_of(plan_header)
        return range_ref(self.first_data_row, col, max(self.last_row, self.first_data_row), col)


def edit_position(location: TableLocation, edit: CellEdit) -> tuple[int, int]:
    """The (row, column) of the table cell a `CellEdit` names.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> loc = locate_table("S", [["名称", "地址"], ["甲", "杭州"]])
    >>> edit_position(loc, CellEdit(0, "地址", "x"))
    (2, 2)
    """
    from ..ops.base import _unique  # the frame's labels: repeated headers get "#2"

    labels = _unique(location.headers)
    if edit.header not in labels or not 0 <= edit.row < location.n_rows:
        raise ValueError(f"no table cell for {edit!r}")
    return location.header_row + 1 + edit.row, location.first_col + labels.index(edit.header)


def range_ref(top: int, left: int, bottom: int, right: int) -> str:
    """An A1 reference such as ``"B2:D9"`` (one cell gives ``"B2"``)."""
    first = f"{get_column_letter(left)}{top}"
    last = f"{get_column_letter(right)}{bottom}"
    return first if first == last else f"{first}:{last}"


def _unique_headers(wanted: Iterable[str], taken: Iterable[str]) -> tuple[str, ...]:
    taken_set = set(taken)
    return tuple(h + OUTPUT_SUFFIX if h in taken_set else h for h in wanted)


def resolve_block(plan: ChangePlan, location: TableLocation) -> BlockLayout | None:
    """The columns `plan.columns` go to: the earlier run's block, else right of the table.

    A new header that repeats one of the customer's own headers gets `OUTPUT_SUFFIX`,
    so every column of the table keeps a unique name.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> from addrkit.ops.plan import NewColumn
    >>> loc = locate_table("S", [["名称", "地址", "省"], ["甲", "杭州", "浙江"]])
    >>> plan = ChangePlan("x", columns=(NewColumn("标准地址", ("a",)), NewColumn("省", ("b",))))
    >>> resolve_block(plan, loc).headers
    ('标准地址', '省 (标准)')
    """
    if not plan.columns:
        return None
    wanted = plan.column_headers
    span = find_block_span(location.headers, wanted)
    if span is not None:
        return BlockLayout(
            location.sheet,
            location.header_row,
            location.n_rows,
            location.first_col + span,
            tuple(location.headers[span : span + len(wanted)]),
            existing=True,
            plan_headers=wanted,
        )
    return BlockLayout(
        location.sheet,
        location.header_row,
        location.n_rows,
        location.last_col + 1,
        _unique_headers(wanted, location.headers),
        existing=False,
        plan_headers=wanted,
    )


def extend_location(location: TableLocation, block: BlockLayout | None) -> TableLocation:
    """The table as it is after a new block was written (for the next plan of the run)."""
    if block is None or block.existing:
        return location
    return replace(
        location,
        last_col=block.end_col,
        headers=location.headers + block.headers,
        output_columns=location.output_columns
        | frozenset(range(len(location.headers), len(location.headers) + len(block.headers))),
    )


def cell_value(value: Any) -> Any:
    """A value any .xlsx cell can hold, losing as little as possible.

    Numbers, booleans, dates and None pass; text loses only XML-illegal control
    characters (shown as U+FFFD) and anything past Excel's 32,767-character limit;
    enums give their value; anything else its text; empty text is an empty cell.

    Examples
    --------
    >>> cell_value("=1+1"), cell_value("a\\x00b"), len(cell_value("x" * 40000)), cell_value(3)
    ('=1+1', 'a�b', 32767, 3)
    """
    if value is None or isinstance(value, bool | int | float | dt.datetime | dt.date | dt.time):
        return value
    if isinstance(value, Enum):
        value = value.value
    text = value if isinstance(value, str) else str(value)
    if text == "":
        return None  # Excel has no empty-text cells: an empty string is an empty cell
    if ILLEGAL_XML.search(text):
        text = ILLEGAL_XML.sub("\ufffd", text)
    return text[:CELL_TEXT_LIMIT]


def find_sheet(names: Iterable[str], wanted: str) -> str | None:
    """The existing sheet that stands for `wanted`, matching either half of "中文 English".

    Examples
    --------
    >>> find_sheet(["客户", "Log"], "日志 Log"), find_sheet(["客户"], "汇总 Summary")
    ('Log', None)
    """
    names = list(names)
    if wanted in names:
        return wanted
    parts = {p.lower() for p in wanted.split()}
    for name in names:
        if name.lower() in parts or {p.lower() for p in name.split()} & parts == parts:
            return name
    return None
