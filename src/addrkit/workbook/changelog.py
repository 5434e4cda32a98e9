"""The 日志 Log sheet: one row per changed cell (time, user, operation, row, column, old, new).

Filling empty cells of a column is one row per column ("2,000 empty cells filled")
rather than one per cell: a 1,048,576-row run would not fit in a sheet otherwise.
Every cell whose earlier value changes gets its own row, up to `CELL_ROWS_LIMIT` a run.

The Log sheet of the workbook template already has headers; log fields are matched
to them by their Chinese name, and fields it lacks are added as columns on the right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..ops.plan import CellEdit, ChangePlan
from .layout import BlockLayout, cell_value, range_ref

__all__ = [
    "LOG_SHEET",
    "LOG_FIELDS",
    "SNAPSHOT_SHEET",
    "CELL_ROWS_LIMIT",
    "change_log_rows",
    "log_columns",
    "edit_log_rows",
    "run_log_rows",
]

LOG_SHEET = "日志 Log"
SNAPSHOT_SHEET = "_addrkit_undo"  # live books only: the hidden snapshot of the last run
# (Chinese header, English name); rows from `change_log_rows` follow this order.
LOG_FIELDS = (
    ("时间", "Time"),
    ("运行编号", "Run ID"),
    ("用户", "User"),
    ("操作", "Operation"),
    ("工作表", "Sheet"),
    ("单元格", "Cell"),
    ("行标识", "Row key"),
    ("列名", "Column"),
    ("原值", "Old value"),
    ("新值", "New value"),
    ("原因", "Reason"),
)
CELL_ROWS_LIMIT = 100_000


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v == "")


def _written(v: Any) -> Any:
    """What a cell will hold, as far as blank or not goes (`cell_value`, without its
    cleaning of text that is not empty: a million new cells are counted per run)."""
    return v if v is None or v.__class__ is str else cell_value(v)


def _filled(values: Sequence[Any]) -> int:
    """How many of a new column's values fill a cell (are not blank once written).

    A column of text and None (most are) is counted at C speed; others value by value.

    Examples
    --------
    >>> _filled(("a", None, "", "b")), _filled((0, None, "", False, float("nan")))
    (2, 3)
    """
    if set(map(type, values)) <= {str, type(None)}:
        return len(values) - values.count(None) - values.count("")
    return sum(1 for new in values if not _blank(_written(new)))


def log_columns(existing: Sequence[Any]) -> tuple[list[int], list[str]]:
    """Where each log field goes on a Log sheet whose header row is `existing`.

    Returns the 1-based column of every field of `LOG_FIELDS` and the headers to add
    to the right of the existing ones for fields the sheet lacks.

    Examples
    --------
    >>> cols, added = log_columns(["时间", "运行编号", "操作", "工作表", "单元格", "原值", "新值", "原因"])
    >>> cols[:4], added
    ([1, 2, 9, 3], ['用户', '行标识', '列名'])
    """
    heads = [str(h).split()[0] if h is not None and str(h).strip() else None for h in existing]
    while heads and heads[-1] is None:
        heads.pop()
    cols, added = [], []
    for zh, _en in LOG_FIELDS:
        if zh in heads:
            cols.append(heads.index(zh) + 1)
        else:
            added.append(zh)
            cols.append(len(heads) + len(added))
    return cols, added


def change_log_rows(
    plan: ChangePlan,
    block: BlockLayout | None,
    old_block: Sequence[Sequence[Any]] | None,
    row_keys: Sequence[str],
    *,
    when: dt.datetime,
    user: str,
    label: str,
) -> list[tuple[Any, ...]]:
    """Log rows (in `LOG_FIELDS` order) for one applied plan.

    Parameters
    ----------
    old_block : rows × columns of the block's data cells before the run, or None when
        they were all empty.
    row_keys : the log label of each data row (customer ID or "row N").

    Examples
    --------
    >>> import datetime as dt
    >>> from addrkit.ops.plan import NewColumn
    >>> plan = ChangePlan("clean", columns=(NewColumn("状态", ("OK", "ERROR")),))
    >>> block = BlockLayout("S", 1, 2, 3, ("状态",), existing=True)
    >>> rows = change_log_rows(plan, block, [["OK"], ["WARNING"]], ["C1", "C2"],
    ...                        when=dt.datetime(2025, 1, 1), user="u", label="clean")
    >>> rows[0][4:10]
    ('S', 'C3', 'C2', '状态', 'WARNING', 'ERROR')
    """
    run_id = when.strftime("%Y%m%d-%H%M%S")

    def row(sheet="", cell="", key="", column="", old=None, new=None, reason=""):
        return (
            when.replace(microsecond=0),
            run_id,
            user,
            label,
            sheet,
            cell,
            key,
            column,
            old,
            new,
            reason,
        )

    rows: list[tuple[Any, ...]] = []
    per_cell = skipped = 0
    if block is not None:
        for j, column in enumerate(plan.columns):
            header, col = block.headers[j], block.start_col + j
            filled = 0
            if old_block is None:  # a new block: nothing is overwritten, only filled
                filled = _filled(column.values)
            for i, new in enumerate(column.values if old_block is not None else ()):
                new = cell_value(new)
                old = None if old_block is None else old_block[i][j]
                if (_blank(old) and _blank(new)) or old == new:
                    continue
                if _blank(old):
                    filled += 1
                elif per_cell < CELL_ROWS_LIMIT:
                    cell = range_ref(block.first_data_row + i, col, block.first_data_row + i, col)
                    rows.append(row(block.sheet, cell, row_keys[i], header, old, new))
                    per_cell += 1
                else:
                    skipped += 1
            if filled:
                span = f"{row_keys[0]} … {row_keys[-1]}" if len(row_keys) > 1 else row_keys[0]
                ref = range_ref(block.first_data_row, col, block.last_row, col)
                rows.append(
                    row(
                        block.sheet,
                        ref,
                        span,
                        header,
                        None,
                        f"{filled} 个空单元格已填写 / empty cells filled",
                    )
                )
    if skipped:
        rows.append(
            row(
                reason=f"另有 {skipped} 处修改未逐条记录，见备份 / {skipped} more changes; see the backup"
            )
        )
    for sheet in plan.sheets:
        rows.append(
            row(sheet.name, reason=f"工作表已重写 / sheet rewritten ({len(sheet.rows)} rows)")
        )
    for image in plan.images:
        rows.append(row(image.sheet, image.anchor, reason=f"图片 / picture {image.name}"))
    if plan.comments and block is not None:
        rows.append(row(block.sheet, reason=f"{len(plan.comments)} 条批注 / notes written"))
    for note in plan.notes:
        rows.append(row(reason=note))
    return rows


def edit_log_rows(
    sheet: str,
    edits: Sequence[tuple[CellEdit, int, int, Any]],
    row_keys: Sequence[str],
    *,
    when: dt.datetime,
    user: str,
    label: str,
) -> list[tuple[Any, ...]]:
    """One log row per edited table cell: (edit, sheet row, sheet column, old value).

    Every edit is logged, whatever the count: these change the customer's own data.

    Examples
    --------
    >>> import datetime as dt
    >>> rows = edit_log_rows("S", [(CellEdit(0, "电话", "138", "merged"), 2, 3, None)], ["C1"],
    ...                      when=dt.datetime(2025, 1, 1), user="u", label="merge")
    >>> rows[0][4:]
    ('S', 'C2', 'C1', '电话', None, '138', 'merged')
    """
    run_id = when.strftime("%Y%m%d-%H%M%S")
    return [
        (
            when.replace(microsecond=0),
            run_id,
            user,
            label,
            sheet,
            range_ref(r, c, r, c),
            row_keys[edit.row],
            edit.header,
            old,
            cell_value(edit.value),
            edit.reason,
        )
        for edit, r, c, old in edits
    ]


def run_log_rows(
    plan: ChangePlan,
    block: BlockLayout | None,
    old_block: Sequence[Sequence[Any]] | None,
    row_keys: Sequence[str],
    edited: Sequence[tuple[CellEdit, int, int, Any]],
    edited_sheet: str,
    *,
    when: dt.datetime,
    user: str,
) -> list[tuple[Any, ...]]:
    """All log rows of one applied plan, as every adapter writes them: the edits of the
    customer's own cells first, then the new columns, sheets and notes.

    Examples
    --------
    >>> import datetime as dt
    >>> plan = ChangePlan("merge", notes=("2 groups",))
    >>> rows = run_log_rows(plan, None, None, ["C1"], [(CellEdit(0, "电话", "138", "m"), 2, 3, None)],
    ...                     "S", when=dt.datetime(2025, 1, 1), user="u")
    >>> [r[7] for r in rows], rows[-1][-1]
    (['电话', ''], '2 groups')
    """
    rows = change_log_rows(
        plan, block, old_block, row_keys, when=when, user=user, label=plan.operation
    )
    if edited:
        rows[:0] = edit_log_rows(
            edited_sheet, edited, row_keys, when=when, user=user, label=plan.operation
        )
    return rows
