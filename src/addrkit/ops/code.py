"""Customer codes (客户编码): a code from the Settings pattern for every row without one.

The code goes into the customer's own 客户编号 column, only where that cell is empty
(an edit logged with the old, empty value, and undone by Undo). A code already there is
never changed. The 编码说明 column says for every row what happened: a new code, a code
kept, a code that repeats on other rows, a code the registry knows for another
customer, or why no code could be made (no province for ``{PROV}`` …).

Numbers come from the registry the Settings name (`addrkit.assign.registry`). With the
workbook registry the hidden 编码登记 Code registry sheet is part of the plan; a shared
registry (SQLite, PostgreSQL) is written when the plan is made, so a cancelled run leaves
unused numbers behind — a gap, never a repeat.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from typing import Any

from ..assign.codes import CodeFields, Part
from ..assign.registry import REGISTRY_SHEET, IssuedCode, WorkbookRegistry, open_registry
from ..assign.territories import region_code
from ..errors import CodePatternError, InputError
from ..progress import Progress
from ..settings import Settings
from ..table import ColumnRole
from .assign import territories_for, value_column
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace, require_table
from .divisions import divisions_for
from .plan import CellEdit, CellHighlight, ChangePlan, Fill, NewColumn, SheetWrite

__all__ = ["CODE_HEADER", "CODE_HEADERS", "run_code", "OPERATION", "customer_label"]

CODE_HEADER = "编码说明"
CODE_HEADERS = (CODE_HEADER,)


def _code_text(value: Any) -> str:
    if type(value) is str and value.isascii():  # most codes: NFKC leaves ASCII as it is
        return value.strip().upper()
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip().upper()


def customer_label(name: Any) -> str:
    """How a customer is named in the registry: the name, spaces and width folded."""
    if name is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(name)).split())[:200]


def _year() -> int:
    return dt.date.today().year


def run_code(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Plan codes for the rows without one, and the reason for every row.

    Raises
    ------
    InputError
        The table has no 客户编号 column to put codes in.
    CodePatternError
        A prefix has run out of sequence numbers; nothing is assigned.
    RegistryError
        The registry cannot be reached; nothing is assigned.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["客户编号", "名称", "地址"]]),
    ...     [[None, "甲", "浙江杭州西湖区文三路90号"], ["HD-ZJ-000074", "乙", "浙江宁波"]])
    >>> plan = run_code(t, Settings(), Progress())
    >>> [(e.row, e.value) for e in plan.edits]
    [(0, 'HD-ZJ-000082')]
    """
    table = require_table(table, "code", rows_to="code")
    index = table.location.role_index(ColumnRole.ID)
    if index is None:
        raise InputError(
            "客户表没有“客户编号”列，编码无处填写；请加一列“客户编号” / The customer table has no "
            "客户编号 Customer ID column to put codes in: add one"
        )
    id_header = table.frame.columns[index]
    pattern = settings.code_pattern
    ids = [_code_text(v) for v in table.frame.iloc[:, index].tolist()]
    # Only the names the registry records are folded: a row's first code and new codes.
    name_cells = table.column(ColumnRole.NAME) or [None] * len(table)
    reasons: list[str | None] = [None] * len(table)
    highlights: list[CellHighlight] = []

    # Codes already in the sheet: repeats are reported, ours are remembered.
    rows_of: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(ids):
        if code:
            rows_of[code].append(i)
    first_row = table.location.header_row + 1
    existing: list[IssuedCode] = []
    for code, rows in rows_of.items():
        split = pattern.split_folded(code)
        if split is not None:
            existing.append(
                IssuedCode(code, split[0], split[1], customer_label(name_cells[rows[0]]))
            )
        for i in rows:
            if len(rows) > 1:
                others = ", ".join(str(first_row + r) for r in rows if r != i)
                reasons[i] = f"编码重复，另见第 {others} 行 / duplicate code, also on row {others}"
                highlights.append(CellHighlight(i, CODE_HEADER, Fill.RED))
            elif split is None:
                reasons[i] = (
                    f"保留原编号（不符合编码规则 {pattern}）/ kept as is (does not match {pattern})"
                )
            else:
                reasons[i] = "保留原编码 / existing code kept"

    blank = [i for i, code in enumerate(ids) if not code]
    fields = _fields(table, settings, progress, blank)
    wanted: dict[str, list[int]] = defaultdict(list)
    for i in blank:
        try:
            wanted[pattern.prefix(fields[i])].append(i)
        except CodePatternError as err:
            reasons[i] = f"未编码：{err}"
            highlights.append(CellHighlight(i, CODE_HEADER, Fill.AMBER))

    edits: list[CellEdit] = []
    with open_registry(settings.registry, settings.code_ledger) as registry:
        registry.remember(existing)
        known = registry.known([c.code for c in existing])
        for c in existing:
            record = known.get(c.code)
            if (
                record is not None
                and record.customer
                and c.customer
                and record.customer != c.customer
            ):
                for i in rows_of[c.code]:
                    reasons[i] = (
                        f"登记簿中此编码属于“{record.customer}”，请核对 / the registry has this code "
                        f"for {record.customer!r}: check"
                    )
                    highlights.append(CellHighlight(i, CODE_HEADER, Fill.RED))
        progress.start(len(wanted), "分配编码 Assigning codes")
        for prefix, rows in sorted(wanted.items()):
            issued = registry.issue(
                prefix,
                len(rows),
                lambda seq, prefix=prefix: pattern.render(prefix, seq),
                ceiling=pattern.capacity,
                customers=[customer_label(name_cells[i]) for i in rows],
            )
            for i, code in zip(rows, issued, strict=True):
                edits.append(
                    CellEdit(i, id_header, code.code, f"新客户编码 new customer code ({pattern})")
                )
                reasons[i] = f"新编码（{registry.location}）/ new code ({registry.location})"
            progress.advance(1)
        sheets = ()
        if isinstance(registry, WorkbookRegistry):
            sheets = (
                SheetWrite(
                    REGISTRY_SHEET,
                    registry.rows(),
                    column_widths=(18, 16, 9, 30, 20, 12),
                    hidden=True,
                ),
            )
    duplicates = sum(1 for rows in rows_of.values() if len(rows) > 1)
    return ChangePlan(
        operation=OPERATION.name,
        columns=(NewColumn(CODE_HEADER, tuple(reasons)),),
        edits=tuple(edits),
        highlights=tuple(highlights),
        sheets=sheets,
        notes=(
            f"{len(edits)} 个新编码，{duplicates} 个编码重复 / {len(edits)} new codes, "
            f"{duplicates} duplicate codes (pattern {pattern}, registry {settings.registry})",
        ),
        summary=(("new codes", len(edits)), ("duplicate codes", duplicates)),
    )


def _fields(
    table: CustomerTable, settings: Settings, progress: Progress, rows: list[int]
) -> dict[int, CodeFields]:
    """What the code of each of ``rows`` is made of (addresses parsed only when needed)."""
    parts = settings.code_pattern.parts
    n = len(table)
    year = _year()
    types = value_column(table, "type") if Part.TYPE in parts else None
    types = types or [None] * n
    if not parts & {Part.REGION, Part.PROV, Part.ADCODE}:
        return {i: CodeFields(customer_type=types[i], year=year) for i in rows}
    divisions = divisions_for(
        table, progress, rows
    )  # only the rows to code: the others keep theirs
    places = (
        dict(zip(rows, territories_for(table, settings, progress, rows), strict=True))
        if Part.REGION in parts
        else {}
    )
    return {
        i: CodeFields(
            region=region_code(places[i].region) if i in places else None,
            province=divisions[i].province,
            adcode=divisions[i].adcode,
            customer_type=types[i],
            year=year,
        )
        for i in rows
    }


OPERATION = Operation(
    "code",
    "客户编码",
    "Customer codes",
    run_code,
    tip_zh="给没有编号的客户分配永不重复的编号",
    tip_en="Give every customer without a code one that never changes and never repeats",
    ribbon=RibbonPlace(RibbonGroup.CUSTOMERS, "NumberFormatsDialog", 20),
)
