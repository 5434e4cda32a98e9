"""Which column holds what: roles detected from Chinese or English headers.

A header the workbook side knows (`addrkit.table.column_role`: 客户名称, 收货地址, Phone …)
gets the same role here, so a CSV and a workbook with the same headers are compared the
same way. The patterns below add what only dedupe uses (e-mail, credit code) and looser
spellings (备用联系电话, 公司): a CSV's header row is known, so a looser match is safe here,
where finding a header row in a sheet must be strict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..table import ColumnRole as TableRole
from ..table import column_role
from .model import ColumnRole

__all__ = ["detect_roles", "HEADER_PATTERNS"]

_FROM_TABLE = {
    TableRole.ID: ColumnRole.ID,
    TableRole.NAME: ColumnRole.NAME,
    TableRole.PHONE: ColumnRole.PHONE,
    TableRole.ADDRESS: ColumnRole.ADDRESS,
}

# First matching pattern wins for a column; first column wins for a role. Checked in this
# order so 客户编号 is an id, not a name, and 联系地址 an address, not a contact.
HEADER_PATTERNS: tuple[tuple[ColumnRole, re.Pattern[str]], ...] = (
    (ColumnRole.CREDIT_CODE, re.compile(r"信用代码|税号|credit\s*code|uscc", re.I)),
    (ColumnRole.EMAIL, re.compile(r"邮箱|电邮|e-?mail", re.I)),
    (ColumnRole.ID, re.compile(r"编号|编码|序号|代码|^id$|\bid\b|customer\s*(no|number)", re.I)),
    (ColumnRole.PHONE, re.compile(r"电话|手机|联系方式|tel|phone|mobile|fax", re.I)),
    (ColumnRole.ADDRESS, re.compile(r"地址|住址|address|addr|street", re.I)),
    (
        ColumnRole.NAME,
        re.compile(r"客户名称|名称|客户|公司|单位|姓名|店名|name|customer|company", re.I),
    ),
)


def detect_roles(columns: Iterable[object]) -> dict[str, ColumnRole]:
    """Column name → role for every header that names a known role (one column per role).

    Examples
    --------
    >>> detect_roles(["编号", "客户名称", "联系电话", "详细地址", "备注"])
    {'编号': <ColumnRole.ID: 'id'>, '客户名称': <ColumnRole.NAME: 'name'>, '联系电话': <ColumnRole.PHONE: 'phone'>, '详细地址': <ColumnRole.ADDRESS: 'address'>}
    >>> detect_roles(["Name", "Address", "Phone"])["Phone"].value
    'phone'
    """
    found: dict[str, ColumnRole] = {}
    taken: set[ColumnRole] = set()
    for column in columns:
        role = _role_of(str(column).strip())
        if role is not None and role not in taken:
            found[str(column)] = role
            taken.add(role)
    return found


def _role_of(header: str) -> ColumnRole | None:
    known = _FROM_TABLE.get(column_role(header))
    if known is not None:
        return known
    return next((role for role, pattern in HEADER_PATTERNS if pattern.search(header)), None)
