"""One interface for applying a change plan, whatever holds the workbook.

`BookAdapter.apply` is the one order of work for every plan: find the output block,
snapshot what the plan touches, write the columns (values, notes, highlights,
conditional formats, widths), the edits, whole sheets (values, number formats, widths,
header style), charts and pictures, then the log. A subclass says how its kind of
workbook does each step: `addrkit.workbook.file_apply.FileBook` (openpyxl, in memory)
and `addrkit.workbook.live.LiveBook` (an open Excel book through xlwings). Because the
order, the layout (`addrkit.workbook.layout`) and the log rows are shared, the same
plan gives the same workbook both ways; tests/workbook/test_parity.py checks it.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..ops.plan import CellEdit, ChangePlan, ImagePlacement, SheetWrite
from ..table import TableLocation
from .changelog import run_log_rows
from .layout import BlockLayout, edit_position, extend_location, resolve_block

if TYPE_CHECKING:
    from ..ops.base import CustomerTable

__all__ = ["BookAdapter", "EditedCell", "BLOCK_WIDTHS"]

# Widths of a new output block's columns (characters): the first (the standard
# address, usually) wide, the rest enough for a division name or a status.
BLOCK_WIDTHS = (36.0, 14.0)

EditedCell = tuple[CellEdit, int, int, Any]  # the edit, its sheet row and column, old value


class BookAdapter(ABC):
    """Applies change plans to one workbook; subclasses implement the hooks.

    Every hook gets sheet rows and columns already resolved (1-based), so a subclass
    only translates them into its library's calls.
    """

    def apply(
        self,
        plan: ChangePlan,
        location: TableLocation | None,
        row_keys: Sequence[str],
        *,
        when: dt.datetime,
        user: str,
    ) -> TableLocation | None:
        """Snapshot what `plan` touches, apply it and log it; returns the table as it
        now stands (new output columns included) for the next plan of the run."""
        block = resolve_block(plan, location) if location is not None else None
        self.snapshot(plan, block, location)
        old = None
        if block is not None:
            old = self.write_columns(plan, block)
            self.write_highlights(plan, block)
            self.set_default_widths(block.sheet, self.block_widths(block))
            self.extend_table(location, block)
        edited = self.write_edits(plan.edits, location) if location is not None else []
        for write in plan.sheets:
            self.write_sheet(write)
        if plan.images:
            self.place_images(plan.images)
        sheet = location.sheet if location is not None else ""
        self.append_log(
            run_log_rows(plan, block, old, list(row_keys), edited, sheet, when=when, user=user)
        )
        return extend_location(location, block) if location is not None else None

    def apply_run(
        self,
        plans: Sequence[ChangePlan],
        table: CustomerTable | None,
        *,
        when: dt.datetime,
        user: str,
    ) -> TableLocation | None:
        """Apply the plans of one run in order, each seeing the columns the one before
        added; returns the table as it stands after the last."""
        location = table.location if table is not None else None
        keys = table.row_keys() if table is not None else []
        for plan in plans:
            location = self.apply(plan, location, keys, when=when, user=user)
        return location

    @staticmethod
    def block_widths(block: BlockLayout) -> dict[int, float]:
        """Column → width for a new block: `BLOCK_WIDTHS` first, the last one repeated."""
        return {
            block.start_col + j: BLOCK_WIDTHS[min(j, len(BLOCK_WIDTHS) - 1)]
            for j in range(len(block.headers))
        }

    def write_edits(self, edits: Sequence[CellEdit], location: TableLocation) -> list[EditedCell]:
        """Write each edit into the customer table; returns what each cell held before."""
        done = []
        for edit in edits:
            r, c = edit_position(location, edit)
            done.append((edit, r, c, self.set_table_cell(location.sheet, r, c, edit.value)))
        return done

    # -- hooks ---------------------------------------------------------------------------

    @abstractmethod
    def snapshot(
        self, plan: ChangePlan, block: BlockLayout | None, location: TableLocation | None
    ) -> None:
        """Keep what `plan` is about to change, so that `undo` can put it back."""

    @abstractmethod
    def undo(self) -> None:
        """Put back what the last snapshot kept."""

    @abstractmethod
    def write_columns(self, plan: ChangePlan, block: BlockLayout) -> list[list[Any]]:
        """Header, values (Text format), notes and conditional formats of the output
        block; returns the block's data cells as they were (rows × columns)."""

    @abstractmethod
    def write_highlights(self, plan: ChangePlan, block: BlockLayout) -> None:
        """The fixed fills of `plan.highlights` on the block's cells."""

    @abstractmethod
    def set_default_widths(self, sheet: str, widths: dict[int, float]) -> None:
        """Set column widths where a column still has the default width."""

    @abstractmethod
    def extend_table(self, location: TableLocation | None, block: BlockLayout) -> None:
        """Grow the customer's Excel table over a new block right beside it."""

    @abstractmethod
    def set_table_cell(self, sheet: str, row: int, col: int, value: Any) -> Any:
        """Write one cell of the customer's own table as text-safe; returns the old value."""

    @abstractmethod
    def write_sheet(self, write: SheetWrite) -> None:
        """(Re)write a whole sheet: values, number formats, widths, shaded header row."""

    @abstractmethod
    def place_images(self, images: Sequence[ImagePlacement]) -> None:
        """Place each PNG on its sheet at its anchor."""

    @abstractmethod
    def append_log(self, rows: list[tuple]) -> None:
        """Append rows to the 日志 Log sheet (created, or its missing columns added)."""
