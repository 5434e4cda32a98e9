"""Which columns the user named, and whether the table has the address an operation reads.

Shared by both adapters (file and live book) so an unrecognised address header stops the
same way everywhere: the headers seen, the three ways to name the column, nothing changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import TableNotFoundError
from ..ops.base import CustomerTable
from ..settings import Settings
from ..table import ColumnRole, missing_role_message

__all__ = ["ADDRESS_OPERATIONS", "given_columns", "require_address_column"]

# Operations that read addresses: a table without an address column (or 省/市/区 columns)
# would give every row "address is empty", so they stop and say which headers were seen.
ADDRESS_OPERATIONS = frozenset({"clean", "summary", "geocode", "map"})
_ADDRESS_ROLES = (
    ColumnRole.ADDRESS,
    ColumnRole.PROVINCE,
    ColumnRole.CITY,
    ColumnRole.DISTRICT,
    ColumnRole.TOWNSHIP,
)


def given_columns(settings: Settings, **options: str | None) -> dict[ColumnRole, str]:
    """Columns named by the user: the Settings sheet's, overridden by the command line.

    Examples
    --------
    >>> given_columns(Settings(address_col="收货信息"), name_col="Who")
    {<ColumnRole.ADDRESS: 'address'>: '收货信息', <ColumnRole.NAME: 'name'>: 'Who'}
    """
    out: dict[ColumnRole, str] = {}
    for role in (ColumnRole.ADDRESS, ColumnRole.NAME, ColumnRole.PHONE, ColumnRole.ID):
        key = f"{role.value}_col"
        name = options.get(key) or getattr(settings, key)
        if name:
            out[role] = str(name).strip()
    return out


def require_address_column(table: CustomerTable | None, operations: Iterable[str]) -> None:
    """Raise `TableNotFoundError` when an address-reading operation has no address column.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["客户名称", "电话", "收货信息"]]), [])
    >>> require_address_column(t, ["clean"])
    Traceback (most recent call last):
    ...
    addrkit.errors.TableNotFoundError: 未找到地址列：工作表 'S' 的列标题为 '客户名称', '电话', '收货信息'...
    """
    if table is None or not ADDRESS_OPERATIONS.intersection(operations):
        return
    loc = table.location
    if all(loc.role_index(r) is None for r in _ADDRESS_ROLES):
        raise TableNotFoundError(missing_role_message(ColumnRole.ADDRESS, loc.sheet, loc.headers))
