"""Clean & validate (清洗校验): the standardised address and its parts in new columns.

The original address column is left as it is; eight columns go beside the table:
标准地址, 省, 市, 区县, 乡镇街道, 详细地址, 行政区划代码, 状态. The status column is
coloured by conditional formatting and carries each row's issues as a cell note. When
address cells carried a contact (王超平 13145920644 辽宁省…), two more follow: 联系人 and
联系电话, so the person and number are kept, apart from the address.
"""

from __future__ import annotations

from ..address import Issue, Status
from ..progress import Progress
from ..settings import Language, Settings
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace, require_table
from .parsing import RowResult, parse_table
from .plan import CellComment, ChangePlan, ConditionalFormat, Fill, NewColumn, ValueRule

__all__ = [
    "CLEAN_HEADERS",
    "CONTACT_HEADERS",
    "STATUS_HEADER",
    "STATUS_FILLS",
    "issue_text",
    "run_clean",
    "OPERATION",
]

STATUS_HEADER = "状态"
CLEAN_HEADERS = (
    "标准地址",
    "省",
    "市",
    "区县",
    "乡镇街道",
    "详细地址",
    "行政区划代码",
    STATUS_HEADER,
)
# Written only when some address cell carried a contact: most lists have none.
CONTACT_HEADERS = ("联系人", "联系电话")
STATUS_FILLS = {
    Status.OK: Fill.GREEN,
    Status.FIXED: Fill.BLUE,
    Status.WARNING: Fill.AMBER,
    Status.ERROR: Fill.RED,
}


def _row_values(a: RowResult) -> tuple:
    return (
        a.normalized,
        a.province,
        a.city,
        a.district,
        a.township,
        a.detail,
        a.adcode,
        a.status.value,
    )


def issue_text(issues: tuple[Issue, ...], language: Language) -> str:
    """The note text for a row's issues, one line each, in the chosen language.

    Examples
    --------
    >>> from addrkit import Issue, IssueCode
    >>> issue_text((Issue(IssueCode.MISSING_CITY),), Language.EN)
    'MISSING_CITY: City missing'
    """
    lines = []
    for issue in issues:
        message = {Language.ZH: issue.message_zh, Language.EN: issue.message_en}.get(
            language, issue.message
        )
        lines.append(f"{issue.code.value}: {message}")
    return "\n".join(lines)[:2000]


def run_clean(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Parse every address and plan the eight output columns (ten with contacts), the notes
    and the colours.

    Returns
    -------
    ChangePlan
        Columns `CLEAN_HEADERS` with one value per row, a note on the status cell of
        each row with issues, conditional formatting on the status column.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [["甲", "浙江杭州西湖区文三路90号"]])
    >>> run_clean(t, Settings(), Progress()).columns[0].values
    ('浙江省杭州市西湖区文三路90号',)
    """
    table = require_table(table, "clean")
    parsed = parse_table(table, progress)
    rows = [_row_values(a) for a in parsed]
    columns = tuple(
        NewColumn(header, tuple(r[i] for r in rows)) for i, header in enumerate(CLEAN_HEADERS)
    )
    if any(a.contact_name or a.contact_phone for a in parsed):
        columns += (
            NewColumn(CONTACT_HEADERS[0], tuple(a.contact_name for a in parsed)),
            NewColumn(CONTACT_HEADERS[1], tuple(a.contact_phone for a in parsed)),
        )
    comments = tuple(
        CellComment(i, STATUS_HEADER, issue_text(a.issues, settings.language))
        for i, a in enumerate(parsed)
        if a.issues
    )
    rules = tuple(ValueRule(status.value, fill) for status, fill in STATUS_FILLS.items())
    counts = {s: 0 for s in Status}
    for a in parsed:
        counts[a.status] += 1
    return ChangePlan(
        operation=OPERATION.name,
        columns=columns,
        comments=comments,
        conditional_formats=(ConditionalFormat(STATUS_HEADER, rules),),
        notes=(
            f"{len(parsed)} addresses / 地址; "
            + ", ".join(f"{s.value} {n}" for s, n in counts.items()),
        ),
        summary=(("rows", len(parsed)), *((s.value, n) for s, n in counts.items())),
    )


OPERATION = Operation(
    "clean",
    "清洗校验",
    "Clean & validate",
    run_clean,
    tip_zh="校验并标准化地址，结果写入新列",
    tip_en="Validate and standardise addresses into new columns",
    ribbon=RibbonPlace(RibbonGroup.CLEAN, "Spelling", 10),
)
