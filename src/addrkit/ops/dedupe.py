"""Find duplicates (查找重复): group id, score and reason beside the table, and a review sheet.

Three columns go beside the table — 重复组 (group number, empty for unique customers),
匹配分 (match probability of the row's strongest link) and 匹配原因 (which fields
agreed) — coloured per group, alternating, so neighbouring groups stand apart. The
重复 Duplicates sheet lists each group with its members and the suggested survivor
(the most complete row; ties go to the later row). Nothing of the customer's is changed.
"""

from __future__ import annotations

from ..progress import Progress
from ..settings import Language, Settings
from ..table import ColumnRole
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace, require_table
from .plan import CellHighlight, ChangePlan, Fill, NewColumn, SheetWrite
from .survivor import choose_survivor, duplicate_options, table_duplicates

__all__ = [
    "DUPLICATES_SHEET",
    "GROUP_HEADER",
    "SCORE_HEADER",
    "REASON_HEADER",
    "DEDUPE_HEADERS",
    "SHEET_HEADER",
    "GROUP_FILLS",
    "own_columns",
    "reason_text",
    "run_dedupe",
    "OPERATION",
]

DUPLICATES_SHEET = "重复 Duplicates"
GROUP_HEADER = "重复组"
SCORE_HEADER = "匹配分"
REASON_HEADER = "匹配原因"
DEDUPE_HEADERS = (GROUP_HEADER, SCORE_HEADER, REASON_HEADER)
SHEET_HEADER = (
    "重复组 Group",
    "行标识 Row key",
    "客户名称 Name",
    "电话 Phone",
    "地址 Address",
    "匹配分 Score",
    "匹配原因 Reason",
    "建议保留 Suggested survivor",
)
KEEP_MARK = "✓ 保留 keep"
GROUP_FILLS = (Fill.AMBER, Fill.BLUE)  # alternate per group


def own_columns(table: CustomerTable) -> list[str]:
    """Frame labels of the customer's own columns (not columns addrkit wrote)."""
    outputs = table.location.output_columns
    return [c for i, c in enumerate(table.frame.columns) if i not in outputs]


def reason_text(reason: str, language: Language) -> str | None:
    """The engine's "中文 / English" reason in the language of the Settings sheet.

    Examples
    --------
    >>> reason_text("电话相同 / same phone", Language.EN)
    'same phone'
    """
    zh, sep, en = str(reason).partition(" / ")
    if not sep or language is Language.BOTH:
        return str(reason) or None
    return (zh if language is Language.ZH else en) or None


def _cell(table: CustomerTable, row: int, role: ColumnRole):
    index = table.location.role_index(role)
    return None if index is None else table.frame.iat[row, index]


def run_dedupe(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Plan the group, score and reason columns, their colours and the Duplicates sheet.

    Raises
    ------
    InputError
        The table has no rows, or no customer name column.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["客户名称", "电话"]]), [["甲公司", "13812345678"]])
    >>> run_dedupe(t, Settings(), Progress()).columns[0].values
    (None,)
    """
    table = require_table(table, "dedupe", rows_to="compare")
    options = duplicate_options(settings)
    result = table_duplicates(table, options, progress)
    n = len(table)
    keys = table.row_keys()
    groups: list[int | None] = [None] * n
    scores: list[float | None] = [None] * n
    reasons: list[str | None] = [None] * n
    highlights: list[CellHighlight] = []
    rows: list[tuple] = [SHEET_HEADER]
    clusters = result.clusters if result is not None else ()
    own = own_columns(table)
    for k, cluster in enumerate(clusters):
        fill = GROUP_FILLS[k % len(GROUP_FILLS)]
        survivor = choose_survivor(table, cluster.members, options.survivorship, own_columns=own)
        if rows[-1] != SHEET_HEADER:
            rows.append(())
        for m in cluster.members:
            groups[m] = cluster.cluster_id
            scores[m] = round(float(result.match_score[m]), 4)
            reasons[m] = reason_text(result.match_reason[m], settings.language)
            highlights += [CellHighlight(m, h, fill) for h in DEDUPE_HEADERS]
            rows.append(
                (
                    cluster.cluster_id,
                    keys[m],
                    _cell(table, m, ColumnRole.NAME),
                    _cell(table, m, ColumnRole.PHONE),
                    _cell(table, m, ColumnRole.ADDRESS),
                    scores[m],
                    reasons[m],
                    KEEP_MARK if m == survivor else f"→ {keys[survivor]}",
                )
            )
    if not clusters:
        rows.append(("未发现重复 / No duplicates found",))
    in_groups = sum(g is not None for g in groups)
    columns = (
        NewColumn(GROUP_HEADER, tuple(groups)),
        NewColumn(SCORE_HEADER, tuple(scores)),
        NewColumn(REASON_HEADER, tuple(reasons)),
    )
    return ChangePlan(
        operation=OPERATION.name,
        columns=columns,
        highlights=tuple(highlights),
        sheets=(
            SheetWrite(
                DUPLICATES_SHEET, tuple(rows), column_widths=(10, 14, 30, 18, 40, 10, 48, 20)
            ),
        ),
        notes=(
            f"{len(clusters)} 组重复，共 {in_groups} 条 / {len(clusters)} duplicate groups, "
            f"{in_groups} rows in groups (of {n})",
        ),
        summary=(("rows", n), ("groups", len(clusters)), ("rows in groups", in_groups)),
    )


OPERATION = Operation(
    "dedupe",
    "查找重复",
    "Find duplicates",
    run_dedupe,
    tip_zh="标出重复客户并列出重复组",
    tip_en="Mark duplicate customers and list each group",
    ribbon=RibbonPlace(RibbonGroup.DUPLICATES, "RemoveDuplicates", 10),
)
