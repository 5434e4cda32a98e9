"""Undo last run (撤销上次运行): restore the snapshot taken before the last bulk run."""

from __future__ import annotations

from ..progress import Progress
from ..settings import Settings
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace
from .plan import ChangePlan, PlanKind

__all__ = ["run_undo", "OPERATION"]


def run_undo(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Plan an undo; the adapter knows where its snapshot is.

    Examples
    --------
    >>> run_undo(None, Settings(), Progress()).kind.value
    'undo'
    """
    return ChangePlan(operation=OPERATION.name, kind=PlanKind.UNDO)


OPERATION = Operation(
    "undo",
    "撤销上次运行",
    "Undo last run",
    run_undo,
    needs_table=False,
    tip_zh="恢复上次运行前的工作簿",
    tip_en="Restore the workbook as it was before the last run",
    ribbon=RibbonPlace(RibbonGroup.RUNS, "Undo", 10),
)
