"""Duplicate groups of the customer table and which member of each survives.

Shared by Find duplicates (which suggests a survivor) and Merge duplicates (which keeps
it). The settings come from the 设置 Settings sheet rows this version reads by name:
``重复判定阈值 Duplicate threshold`` (0–1; the engine's ``DEFAULT_THRESHOLD`` when missing) and ``保留规则 Survivorship``
(``most_complete`` 最完整 — the default — or ``most_recent`` 最新).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..dedupe import (
    DEFAULT_THRESHOLD,
    DedupeResult,
    DedupeSettings,
    Survivorship,
    find_duplicates,
)
from ..errors import InputError, SettingsError
from ..progress import Progress
from ..settings import Settings, setting_field
from ..table import ColumnRole
from .base import CustomerTable

__all__ = [
    "DuplicateOptions",
    "duplicate_options",
    "compared_columns",
    "table_duplicates",
    "completeness",
    "date_column",
    "choose_survivor",
    "is_blank",
]

# The template's rows are "重复判定阈值 Duplicate threshold" and "保留规则 Survivorship";
# either half of a label, or a shorter spelling, is enough.
_THRESHOLD_LABEL = re.compile(r"重复(判定)?阈值|duplicate threshold")
_SURVIVOR_LABEL = re.compile(r"保留规则|survivorship")
_SURVIVOR_SPELLINGS = {
    Survivorship.MOST_COMPLETE: {"most_complete", "most complete", "最完整", "完整", ""},
    Survivorship.MOST_RECENT: {"most_recent", "most recent", "最新", "最近"},
}
_DATE_HEADER = re.compile(r"日期|时间|更新|修改|date|updated|modified", re.I)
_COMPARED = (ColumnRole.NAME, ColumnRole.PHONE, ColumnRole.ADDRESS)


@dataclass(frozen=True, slots=True)
class DuplicateOptions:
    """How duplicates are found and which member survives a merge.

    Examples
    --------
    >>> DuplicateOptions().survivorship.value
    'most_complete'
    """

    threshold: float = DEFAULT_THRESHOLD
    survivorship: Survivorship = Survivorship.MOST_COMPLETE


def _label(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


def duplicate_options(settings: Settings) -> DuplicateOptions:
    """Read the duplicate settings from the Settings sheet's extra rows.

    Examples
    --------
    >>> from addrkit.settings import settings_from_rows
    >>> duplicate_options(settings_from_rows([("保留规则 Survivorship", "最新")])).survivorship.value
    'most_recent'
    """
    threshold, rule = DEFAULT_THRESHOLD, Survivorship.MOST_COMPLETE
    for label, value in settings.extra.items():
        key = _label(label)
        if _THRESHOLD_LABEL.search(key) and setting_field(label) is None:
            try:
                threshold = float(str(value).strip())
            except ValueError:
                raise SettingsError(
                    f"重复阈值须为 0 到 1 之间的数 / Duplicate threshold must be a number "
                    f"between 0 and 1 (got {value!r})"
                ) from None
            DedupeSettings(threshold=threshold)  # raises SettingsError when out of range
        elif _SURVIVOR_LABEL.search(key):
            text = _label(value)
            matches = [r for r, names in _SURVIVOR_SPELLINGS.items() if text in names]
            if not matches:
                raise SettingsError(
                    "保留规则只能是 最完整 或 最新 / Survivorship must be most_complete or "
                    f"most_recent (got {value!r})"
                )
            rule = matches[0]
    return DuplicateOptions(threshold, rule)


def is_blank(value: Any) -> bool:
    """True for an empty cell (None, empty or whitespace-only text)."""
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(value: Any) -> str:
    # Excel hands every number over as a float (12345.0) where the file gives 12345: both
    # must read the same, or the duplicate scores of a live book and its file differ.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if is_blank(value) else str(value)


def compared_columns(table: CustomerTable) -> dict[str, ColumnRole]:
    """Frame column → dedupe role for the name, phone and address columns.

    Raises
    ------
    InputError
        The table has no customer name column.
    """
    labels = list(table.frame.columns)
    roles = {}
    for role in _COMPARED:
        index = table.location.role_index(role)
        if index is not None:
            roles[labels[index]] = role
    if ColumnRole.NAME not in roles.values():
        raise InputError(
            "查找重复需要客户名称列 / Finding duplicates needs a customer name column "
            "(客户名称 / Name); columns: " + ", ".join(map(str, table.location.headers))
        )
    return roles


def table_duplicates(
    table: CustomerTable, options: DuplicateOptions, progress: Progress
) -> DedupeResult | None:
    """Run the duplicate engine on the table (None when it has fewer than two rows)."""
    roles = compared_columns(table)
    if len(table) < 2:
        return None
    key = f"dedupe:{options.threshold}"
    if key not in table.cache:
        frame = pd.DataFrame({c: [_text(v) for v in table.frame[c]] for c in roles})
        table.cache[key] = find_duplicates(
            frame, roles, settings=DedupeSettings(threshold=options.threshold)
        )
    return table.cache[key]


def completeness(values: Sequence[Any]) -> int:
    """How many cells of a row hold something.

    Examples
    --------
    >>> completeness(["甲", None, " ", 0])
    2
    """
    return sum(not is_blank(v) for v in values)


def date_column(table: CustomerTable) -> str | None:
    """The customer's own column that dates a record (更新日期, Updated ...), if any."""
    for i, header in enumerate(table.location.headers):
        if i not in table.location.output_columns and _DATE_HEADER.search(str(header)):
            return table.frame.columns[i]
    return None


def _as_date(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if is_blank(value) or isinstance(value, bool | int | float):
        return None
    try:
        stamp = pd.to_datetime(str(value).strip())
    except (ValueError, OverflowError):
        return None
    return None if pd.isna(stamp) else stamp.to_pydatetime()


def choose_survivor(
    table: CustomerTable,
    members: Sequence[int],
    rule: Survivorship,
    *,
    own_columns: Sequence[str],
    marked: Sequence[int] = (),
) -> int:
    """The member that survives: the marked one, else by `rule`; ties go to the later row.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [["甲", "杭州"], ["甲", None]])
    >>> choose_survivor(t, [0, 1], Survivorship.MOST_COMPLETE, own_columns=["名称", "地址"])
    0
    """
    chosen = [m for m in members if m in set(marked)]
    if chosen:
        return chosen[0]
    frame = table.frame
    if rule is Survivorship.MOST_RECENT:
        column = date_column(table)
        if column is not None:
            dated = [(d, m) for m in members if (d := _as_date(frame.at[m, column])) is not None]
            if dated:
                return max(dated)[1]
    return max(members, key=lambda m: (completeness(frame.loc[m, list(own_columns)].tolist()), m))
