"""Merge duplicates (合并重复): the survivor of each group takes what the others add.

Groups are the 重复组 column a Find duplicates run wrote (after the user reviewed it: a
cleared group number takes that row out), else a fresh Find duplicates. In each group
one row survives — the row marked in a 保留 Keep column, else the Settings rule (most
complete, or most recent by a date column) — and each of its empty cells takes the
first value another member has for that column. No row is deleted: the others are
marked in a 合并到 Merged into column with the survivor's key. Every filled cell is
logged with its old value, and the run is undone like any other.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ..progress import Progress
from ..settings import Settings
from ..table import ColumnRole
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace, require_table
from .dedupe import GROUP_HEADER, own_columns
from .plan import CellEdit, ChangePlan, NewColumn
from .survivor import (
    choose_survivor,
    completeness,
    duplicate_options,
    is_blank,
    table_duplicates,
)

__all__ = ["MERGED_HEADER", "MERGE_HEADERS", "KEPT_MARK", "keep_column", "run_merge", "OPERATION"]

MERGED_HEADER = "合并到"
MERGE_HEADERS = (MERGED_HEADER,)
KEPT_MARK = "保留 kept"
_KEEP_HEADER = re.compile(r"^\s*(保留|keep)\b|^\s*保留", re.I)
_NOT_MARKED = {"否", "不", "no", "n", "false", "0", "×", "x"}


def keep_column(table: CustomerTable) -> str | None:
    """The column where the user marks the row to keep (保留 / Keep), if the table has one."""
    for i, header in enumerate(table.location.headers):
        if i not in table.location.output_columns and _KEEP_HEADER.search(str(header)):
            return table.frame.columns[i]
    return None


def _marked(value: Any) -> bool:
    return not is_blank(value) and str(value).strip().lower() not in _NOT_MARKED


def _groups(table: CustomerTable, settings: Settings, progress: Progress) -> list[list[int]]:
    """Row positions of each group with two or more members, in table order."""
    if GROUP_HEADER in table.location.headers:
        column = table.frame.iloc[:, table.location.headers.index(GROUP_HEADER)]
        members: dict[str, list[int]] = defaultdict(list)
        for row, value in enumerate(column):
            if not is_blank(value):
                text = str(value).strip()
                members[text.removesuffix(".0")].append(row)
        return [rows for rows in members.values() if len(rows) > 1]
    result = table_duplicates(table, duplicate_options(settings), progress)
    return [] if result is None else [list(c.members) for c in result.clusters]


def run_merge(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Plan the filled survivor cells and the Merged into column.

    Raises
    ------
    InputError
        The table has no rows, or no customer name column.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["客户名称", "电话", "重复组"]]),
    ...     [["甲公司", "13812345678", 1], ["甲公司", None, 1]])
    >>> plan = run_merge(t, Settings(), Progress())
    >>> [(e.row, e.header, e.value) for e in plan.edits], plan.columns[0].values
    ([], ('保留 kept', 'row 2'))
    """
    table = require_table(table, "merge", rows_to="merge")
    options = duplicate_options(settings)
    groups = _groups(table, settings, progress)
    keys = table.row_keys()
    keep = keep_column(table)
    id_index = table.location.role_index(ColumnRole.ID)
    # A customer ID names its own record: copying another row's would make two rows one ID.
    id_label = None if id_index is None else table.frame.columns[id_index]
    own = [c for c in own_columns(table) if c not in (keep, id_label)]
    marked = [] if keep is None else [i for i, v in enumerate(table.frame[keep]) if _marked(v)]
    frame = table.frame
    merged_into: list[str | None] = [None] * len(table)
    edits: list[CellEdit] = []
    for members in groups:
        survivor = choose_survivor(
            table, members, options.survivorship, own_columns=own, marked=marked
        )
        merged_into[survivor] = KEPT_MARK
        # Donors: the fullest rows first, later rows before earlier ones on a tie.
        donors = sorted(
            (m for m in members if m != survivor),
            key=lambda m: (completeness(frame.loc[m, own].tolist()), m),
            reverse=True,
        )
        for m in donors:
            merged_into[m] = keys[survivor]
        for column in own:
            if not is_blank(frame.at[survivor, column]):
                continue
            for m in donors:
                value = frame.at[m, column]
                if not is_blank(value):
                    reason = f"合并自 {keys[m]} / merged from {keys[m]}"
                    edits.append(CellEdit(survivor, column, value, reason))
                    break
    return ChangePlan(
        operation=OPERATION.name,
        columns=(NewColumn(MERGED_HEADER, tuple(merged_into)),),
        edits=tuple(edits),
        notes=(
            f"{len(groups)} 组已合并，填写 {len(edits)} 个单元格 / {len(groups)} groups merged, "
            f"{len(edits)} cells filled; no row deleted",
        ),
        summary=(("groups", len(groups)), ("cells filled", len(edits))),
    )


OPERATION = Operation(
    "merge",
    "合并重复",
    "Merge duplicates",
    run_merge,
    tip_zh="把每组的信息合并到保留行，不删除任何行",
    tip_en="Fill each group's kept row from the others; no row is deleted",
    ribbon=RibbonPlace(RibbonGroup.DUPLICATES, "MergeCenter", 20),
)
