"""The duplicate formula: DUP_GROUP(names, phones, addresses).

It runs the same duplicate engine as the Find duplicates button on the ranges it is
given and spills one group number per row: rows with the same number are the same
customer; a row with no duplicate stays blank. Excel error values and blanks are
treated as missing, numbers as their digits (a phone typed as a number).
"""

from __future__ import annotations

import re
from typing import Any

from .cells import as_grid
from .registry import Cells, formula

__all__ = ["DUP_GROUP", "duplicate_groups"]

_EXCEL_ERROR = re.compile(r"^#(N/A|VALUE!|REF!|DIV/0!|NUM!|NAME\?|NULL!|SPILL!|CALC!|GETTING_DATA)")
_TOO_FEW = "至少需要两行才能比较 / DUP_GROUP needs a range of two or more rows to compare"


def _text(value: Any) -> str:
    """One cell as the engine's text: errors and blanks empty, 13812345678.0 as digits."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    return "" if _EXCEL_ERROR.match(text) else text


def _column(value: Any) -> list[str] | None:
    """A range as one list of cells (read row by row), or None when not given."""
    if value is None:
        return None
    return [_text(cell) for row in as_grid(value) for cell in row]


def duplicate_groups(
    names: list[str], phones: list[str] | None = None, addresses: list[str] | None = None
) -> list[int | None]:
    """Group number per row (1, 2, … in order of first appearance), None for unique rows.

    Examples
    --------
    >>> duplicate_groups(["杭州云栖科技有限公司", "南京紫金贸易", "杭州云栖科技"],
    ...                  ["0571-88886666", "025-84001234", "88886666"])
    [1, None, 1]
    """
    import pandas as pd

    from addrkit.dedupe import ColumnRole, find_duplicates

    columns = {"name": (names, ColumnRole.NAME)}
    if phones is not None:
        columns["phone"] = (phones, ColumnRole.PHONE)
    if addresses is not None:
        columns["address"] = (addresses, ColumnRole.ADDRESS)
    frame = pd.DataFrame({key: values for key, (values, _) in columns.items()})
    result = find_duplicates(frame, {key: role for key, (_, role) in columns.items()})
    return [int(g) if g > 0 else None for g in result.cluster_id]


@formula(
    names=Cells("客户名称区域（一列）/ Customer names: a column range"),
    phones=Cells("可选：电话区域，与名称同样行数 / Optional: phones, as many rows as names"),
    addresses=Cells("可选：地址区域，与名称同样行数 / Optional: addresses, as many rows as names"),
)
def DUP_GROUP(names, phones=None, addresses=None):
    """重复组编号：编号相同的行是同一客户，无重复的行为空 / Duplicate group number per row: same number = same customer, blank = unique.

    Give whole columns (names, and phones and addresses if you have them); the result
    spills one number per row.

    Examples
    --------
    >>> DUP_GROUP([["杭州云栖科技有限公司"], ["南京紫金贸易"], ["杭州云栖科技"]],
    ...           [["0571-88886666"], ["025-84001234"], [88886666.0]])
    [[1], [''], [1]]
    >>> DUP_GROUP([["杭州云栖科技有限公司"]])
    '至少需要两行才能比较 / DUP_GROUP needs a range of two or more rows to compare'
    """
    name_cells = _column(names) or []
    others = {"phones": _column(phones), "addresses": _column(addresses)}
    if len(name_cells) < 2:
        return _TOO_FEW
    for label, cells in others.items():
        if cells is not None and len(cells) != len(name_cells):
            return (
                f"区域行数不同 / The {label} range has {len(cells)} cells, "
                f"the names range {len(name_cells)}: give ranges of the same rows"
            )
    try:
        groups = duplicate_groups(name_cells, others["phones"], others["addresses"])
    except Exception as err:  # a formula shows a message; it never raises into Excel
        return f"无法比较 / Cannot compare: {err}"[:255]
    return [["" if g is None else g] for g in groups]
