"""What every operation shares: the customer table it reads and the `Operation` record.

An operation is one ribbon button: a name, Chinese and English labels, and a
``run(table, settings, progress) -> ChangePlan`` function. Adding one means writing a
module with an ``OPERATION`` and listing it in `addrkit.ops`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import pandas as pd

from ..errors import InputError
from ..progress import Progress
from ..settings import Settings
from ..table import ColumnRole, TableLocation
from .plan import ChangePlan

__all__ = [
    "CustomerTable",
    "Operation",
    "RibbonGroup",
    "RibbonPlace",
    "RunFunction",
    "require_table",
    "settings_for",
    "sheet_key",
]


@dataclass(frozen=True, slots=True, eq=False)
class CustomerTable:
    """The customer table as a DataFrame, plus where it sits and what its columns are.

    ``frame`` has one column per table column, labelled by header (repeated headers
    get a ``#2`` suffix), and one row per data row, top to bottom. ``cache`` lets
    operations of one run share work (e.g. the parsed addresses).

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"], ["甲", "杭州"]]), [["甲", "杭州"]])
    >>> t.column(ColumnRole.ADDRESS)
    ['杭州']
    """

    location: TableLocation
    frame: pd.DataFrame
    cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, location: TableLocation, rows: list[list[Any]]) -> CustomerTable:
        """Build from data rows holding exactly the table's columns (short rows are padded)."""
        labels = _unique(location.headers)
        width = len(labels)
        fixed = [
            r if type(r) is tuple and len(r) == width else tuple((list(r) + [None] * width)[:width])
            for r in rows
        ]
        frame = pd.DataFrame(fixed, columns=labels, dtype=object)
        return cls(location, frame)

    def __len__(self) -> int:
        return len(self.frame)

    def column(self, role: ColumnRole) -> list[Any] | None:
        """Values of the column holding `role`, or None when the table has none."""
        index = self.location.role_index(role)
        return None if index is None else self.frame.iloc[:, index].tolist()

    def sheet_rows(self, name: str) -> list[tuple] | None:
        """Rows of another sheet of the book that the adapter read for this run (see
        `Operation.reads_sheets`), or None when the book has no such sheet."""
        return self.cache.get(sheet_key(name))

    def row_keys(self) -> list[str]:
        """A label per row for the log: the customer ID when there is one, else the Excel row."""
        ids = self.column(ColumnRole.ID)
        first = self.location.header_row + 1
        if ids is None:
            return [f"row {first + i}" for i in range(len(self))]
        return [
            f"row {first + i}" if v is None or str(v).strip() == "" else str(v)
            for i, v in enumerate(ids)
        ]


def sheet_key(name: str) -> str:
    """Where an adapter keeps the rows of sheet `name` in `CustomerTable.cache`."""
    return f"sheet:{name}"


def _unique(headers: tuple[str, ...]) -> list[str]:
    seen: dict[str, int] = {}
    labels = []
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
        labels.append(h if seen[h] == 1 else f"{h}#{seen[h]}")
    return labels


RunFunction = Callable[[CustomerTable | None, Settings, Progress], ChangePlan]


class RibbonGroup(Enum):
    """The groups of the ribbon tab, in the order they appear: (control id, label)."""

    CLEAN = ("addrkitGroupClean", "清洗 Clean")
    DUPLICATES = ("addrkitGroupDuplicates", "重复 Duplicates")
    CUSTOMERS = ("addrkitGroupCustomers", "客户 Customers")  # tiers, regions, codes
    GEO = ("addrkitGroupGeo", "地图 Geography")  # geocode, map
    TOOLS = ("addrkitGroupTools", "工具 Tools")  # an operation that names no group
    RUNS = ("addrkitGroupRuns", "运行 Runs")

    @property
    def control_id(self) -> str:
        return self.value[0]

    @property
    def label(self) -> str:
        return self.value[1]


@dataclass(frozen=True, slots=True)
class RibbonPlace:
    """Where an operation's button sits: its group, built-in Office icon (imageMso) and
    order inside the group (lower first; equal orders keep the registry's order)."""

    group: RibbonGroup = RibbonGroup.TOOLS
    icon: str = "MacroPlay"
    order: int = 100


@dataclass(frozen=True, slots=True)
class Operation:
    """One ribbon button, one ``addrkit run`` choice.

    ``needs_table`` is False for operations that act on the whole book (undo, share,
    settings); they are called with ``table=None`` when the book has no customer table.
    ``reads_sheets`` names other sheets whose rows the operation needs (e.g. the geocode
    cache that travels in a hidden sheet): the adapter reads them into the table before
    the run (`CustomerTable.sheet_rows`).
    ``tip_zh``/``tip_en`` are the button's tooltip (the labels when empty); ``ribbon``
    places the button (None: command line only). ``strict_settings`` False lets the
    operation run with a Settings sheet holding bad values (they are left at their
    defaults and kept in `Settings.sheet_rows` for it to report); every other operation
    stops on a bad value.

    Examples
    --------
    >>> op = Operation("geocode", "地理编码", "Geocode", lambda t, s, p: None)
    >>> op.control_id, op.tip, op.ribbon.group.label
    ('addrkitGeocode', '地理编码 / Geocode', '工具 Tools')
    """

    name: str
    label_zh: str
    label_en: str
    run: RunFunction
    needs_table: bool = True
    reads_sheets: tuple[str, ...] = ()
    tip_zh: str = ""
    tip_en: str = ""
    ribbon: RibbonPlace | None = RibbonPlace()
    strict_settings: bool = True

    def __post_init__(self) -> None:
        # The name becomes a ribbon control id and sits inside a VBA string: letters only.
        if not re.fullmatch(r"[a-z]+(_[a-z]+)*", self.name):
            raise ValueError(f"operation name {self.name!r}: lowercase letters and '_' only")

    @property
    def label(self) -> str:
        return f"{self.label_zh} {self.label_en}"

    @property
    def tip(self) -> str:
        return f"{self.tip_zh or self.label_zh} / {self.tip_en or self.label_en}"

    @property
    def control_id(self) -> str:
        """The ribbon control id: ``addrkit`` + the name in CamelCase (letters only)."""
        return "addrkit" + "".join(part.title() for part in self.name.split("_"))


def settings_for(ops: Sequence[Operation], settings: Settings) -> Settings:
    """The settings a run of `ops` goes on with: a bad value of the Settings sheet stops
    it (`Settings.checked`), unless an operation of the run reports bad values itself
    (``strict_settings`` False: the settings check, the share-ready copy).

    Examples
    --------
    >>> from addrkit.settings import settings_from_rows
    >>> bad = settings_from_rows([("语言 Language", "fr")], strict=False)
    >>> lenient = Operation("x", "甲", "X", lambda t, s, p: None, strict_settings=False)
    >>> settings_for([lenient], bad) is bad
    True
    >>> settings_for([Operation("y", "乙", "Y", lambda t, s, p: None)], bad)
    Traceback (most recent call last):
    ...
    addrkit.errors.SettingsError: 语言只能是 zh、en 或 both / Language must be zh, en or both (got 'fr')
    """
    if not all(op.strict_settings for op in ops):
        return settings
    return settings.checked()


def require_table(
    table: CustomerTable | None, operation: str, *, rows_to: str | None = None
) -> CustomerTable:
    """The customer table an operation with ``needs_table`` was given.

    The adapters always pass one, so ``None`` is a programming error. With ``rows_to``
    (what the rows are for: "compare", "merge") an empty table is the user's to fix.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [])
    >>> require_table(t, "dedupe", rows_to="compare")
    Traceback (most recent call last):
    addrkit.errors.InputError: 客户表没有数据行 / The customer table has no rows to compare
    """
    if table is None:
        raise ValueError(f"{operation} needs the customer table")
    if rows_to is not None and len(table) == 0:
        raise InputError(f"客户表没有数据行 / The customer table has no rows to {rows_to}")
    return table
