"""Find the customer table on a sheet by its headers, Chinese or English.

A table is a header row with at least two recognised column roles (name, address,
phone, province …) and the rows beneath it. It may be an Excel table (ListObject)
or a plain range whose header row is not row 1. Columns that addrkit itself wrote
(an output block, see `find_block_span`) never count as input columns, so a re-run
reads the customer's own data, not the previous results.

Rows and columns are 1-based, as in Excel.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from .errors import TableNotFoundError

__all__ = [
    "ColumnRole",
    "TableLocation",
    "HEADER_ALIASES",
    "OUTPUT_SUFFIX",
    "ROLE_LABELS",
    "RoleLabel",
    "column_role",
    "find_block_span",
    "locate_table",
    "find_customer_table",
    "missing_role_message",
    "unknown_column_message",
]

HEADER_SCAN_ROWS = 30  # a header row further down than this is not looked for
MIN_ROLES = 2
OUTPUT_SUFFIX = " (标准)"  # appended to an output header that would repeat an input header


class ColumnRole(StrEnum):
    """What a column of the customer table holds: one list for header detection and
    for duplicate finding (`addrkit.dedupe` compares a column by its role)."""

    ID = "id"
    NAME = "name"
    ADDRESS = "address"
    PHONE = "phone"
    PROVINCE = "province"
    CITY = "city"
    DISTRICT = "district"
    TOWNSHIP = "township"
    # Compared by duplicate finding when given; not looked for in workbook headers.
    EMAIL = "email"
    CREDIT_CODE = "credit_code"
    OTHER = "other"  # any other column worth comparing (postcode, date of birth ...)


# Header spellings per role, compared after NFKC, lower case and without spaces.
HEADER_ALIASES: dict[ColumnRole, tuple[str, ...]] = {
    ColumnRole.ID: (
        "客户编号",
        "客户编码",
        "编号",
        "客户id",
        "id",
        "customer id",
        "customerid",
        "no",
        "no.",
    ),
    ColumnRole.NAME: (
        "客户名称",
        "名称",
        "客户名",
        "客户",
        "姓名",
        "公司名称",
        "name",
        "customer",
        "customer name",
        "company",
    ),
    ColumnRole.ADDRESS: (
        "地址",
        "收货地址",
        "详细地址",
        "联系地址",
        "送货地址",
        "通讯地址",
        "客户地址",
        "address",
        "street address",
        "shipping address",
    ),
    ColumnRole.PHONE: (
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话号码",
        "phone",
        "mobile",
        "tel",
        "telephone",
        "phone number",
    ),
    ColumnRole.PROVINCE: ("省", "省份", "省/直辖市", "province", "state"),
    ColumnRole.CITY: ("市", "城市", "地级市", "city"),
    ColumnRole.DISTRICT: ("区", "区县", "县", "区/县", "district", "county"),
    ColumnRole.TOWNSHIP: ("乡镇", "街道", "乡镇街道", "township", "town"),
}


def _norm(value: Any) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(value))).strip().lower()


_ALIAS_TO_ROLE = {
    _norm(a).replace(" ", ""): role for role, names in HEADER_ALIASES.items() for a in names
}


def column_role(header: Any) -> ColumnRole | None:
    """The role a header names, or None.

    Bilingual headers ("客户名称 Name", "Address / 地址") match through either part.

    Examples
    --------
    >>> column_role("收货地址"), column_role(" Phone "), column_role("地址 Address")
    (<ColumnRole.ADDRESS: 'address'>, <ColumnRole.PHONE: 'phone'>, <ColumnRole.ADDRESS: 'address'>)
    >>> column_role("Revenue") is None
    True
    """
    if header is None or isinstance(header, bool | int | float):
        return None
    text = _norm(header)
    if not text:
        return None
    whole = text.replace(" ", "")
    if whole in _ALIAS_TO_ROLE:
        return _ALIAS_TO_ROLE[whole]
    parts = [p.replace(" ", "") for p in re.split(r"[/|()（）\s]+", text) if p]
    for part in parts:
        if part in _ALIAS_TO_ROLE:
            return _ALIAS_TO_ROLE[part]
    # English phrases split by spaces: "customer name", "phone number".
    for i in range(len(parts) - 1):
        pair = parts[i] + parts[i + 1]
        if pair in _ALIAS_TO_ROLE:
            return _ALIAS_TO_ROLE[pair]
    return None


def find_block_span(headers: Sequence[Any], block: Sequence[str]) -> int | None:
    """Index in `headers` where the output `block` already sits (as written by addrkit), or None.

    A header matches its block name exactly or with `OUTPUT_SUFFIX`.

    Examples
    --------
    >>> find_block_span(["名称", "地址", "标准地址", "省 (标准)"], ["标准地址", "省"])
    2
    """
    n = len(block)
    if n == 0:
        return None
    texts = ["" if h is None else str(h) for h in headers]
    for start in range(len(texts) - n + 1):
        if all(texts[start + i] in (name, name + OUTPUT_SUFFIX) for i, name in enumerate(block)):
            return start
    return None


@dataclass(frozen=True, slots=True)
class TableLocation:
    """Where the customer table is and what its columns hold.

    ``headers`` are the header cells from ``first_col`` to ``last_col``; ``roles``
    maps each recognised role to a header index (0-based into ``headers``);
    ``output_columns`` are indices of columns addrkit wrote earlier.
    """

    sheet: str
    header_row: int
    first_col: int
    last_col: int
    last_row: int
    headers: tuple[str, ...]
    roles: tuple[tuple[ColumnRole, int], ...]
    output_columns: frozenset[int] = frozenset()
    list_object: str | None = None

    @property
    def n_rows(self) -> int:
        return max(0, self.last_row - self.header_row)

    def role_index(self, role: ColumnRole) -> int | None:
        return dict(self.roles).get(role)

    def header_for(self, role: ColumnRole) -> str | None:
        index = self.role_index(role)
        return None if index is None else self.headers[index]


def _roles_of(
    row: Sequence[Any], skip: frozenset[int], given: Mapping[ColumnRole, str] | None = None
) -> dict[ColumnRole, int]:
    """Roles of a header row; a column named by the user (``--address-col``) wins."""
    named = {_norm(h): role for role, h in (given or {}).items() if h}
    found: dict[ColumnRole, int] = {}
    for i, cell in enumerate(row):
        if i in skip or cell is None:
            continue
        role = named.get(_norm(cell))
        if role is not None:
            found[role] = i
    for i, cell in enumerate(row):
        role = None if i in skip else column_role(cell)
        if role is not None and role not in found and i not in found.values():
            found[role] = i  # leftmost wins: the customer's own column
    return found


def _output_columns(headers: Sequence[Any], blocks: Iterable[Sequence[str]]) -> frozenset[int]:
    cols: set[int] = set()
    for block in blocks:
        start = find_block_span(headers, block)
        if start is not None:
            cols.update(range(start, start + len(block)))
    return frozenset(cols)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def locate_table(
    sheet: str,
    rows: Sequence[Sequence[Any]],
    *,
    list_objects: Iterable[tuple[str, int, int, int, int]] = (),
    output_blocks: Iterable[Sequence[str]] = (),
    last_row: int | None = None,
    given: Mapping[ColumnRole, str] | None = None,
) -> TableLocation | None:
    """Find the customer table in a sheet's cell values.

    Parameters
    ----------
    sheet : str
        Sheet name (only recorded in the result).
    rows : sequence of rows
        Cell values from A1 down; may be only the first rows when `n_rows` is given.
    list_objects : iterable of (name, top, left, bottom, right)
        Excel tables on the sheet (1-based); one whose header row qualifies wins.
    output_blocks : iterable of header sequences
        Output blocks addrkit writes; their columns are not input columns.
    last_row : int, optional
        Last used row of the sheet when `rows` holds only the first rows (streamed sheets).
    given : mapping of role to header, optional
        Columns the user named (``--address-col``, the Settings sheet); they count as
        recognised whatever their header says.

    Returns
    -------
    TableLocation or None

    Examples
    --------
    >>> loc = locate_table("S", [["客户名单"], [], ["名称", "地址", "电话"], ["甲", "杭州", "1"]])
    >>> (loc.header_row, loc.first_col, loc.last_col, loc.last_row, loc.header_for(ColumnRole.ADDRESS))
    (3, 1, 3, 4, '地址')
    """
    blocks = [tuple(b) for b in output_blocks]
    for name, top, left, bottom, right in list_objects:
        if top - 1 < len(rows):
            headers = [
                rows[top - 1][c - 1] if c - 1 < len(rows[top - 1]) else None
                for c in range(left, right + 1)
            ]
            outputs = _output_columns(headers, blocks)
            roles = _roles_of(headers, outputs, given)
            if len(roles) >= MIN_ROLES:
                return _location(sheet, top, left, right, bottom, headers, roles, outputs, name)

    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        row = list(row)
        outputs_all = _output_columns(row, blocks)
        roles = _roles_of(row, outputs_all, given)
        if len(roles) < MIN_ROLES:
            continue
        # The table spans the contiguous run of non-blank headers around the recognised ones.
        left = min(roles.values())
        right = max(roles.values())
        while left > 0 and not _is_blank(row[left - 1]):
            left -= 1
        while right + 1 < len(row) and not _is_blank(row[right + 1]):
            right += 1
        headers = row[left : right + 1]
        outputs = frozenset(i - left for i in outputs_all if left <= i <= right)
        roles = {role: i - left for role, i in roles.items()}
        last = _last_data_row(rows, r, left, right) if last_row is None else last_row
        return _location(sheet, r + 1, left + 1, right + 1, last, headers, roles, outputs, None)
    return None


def _last_data_row(rows: Sequence[Sequence[Any]], header_index: int, left: int, right: int) -> int:
    last = header_index + 1
    for r in range(header_index + 1, len(rows)):
        if any(not _is_blank(v) for v in list(rows[r])[left : right + 1]):
            last = r + 1
    return last


def _location(
    sheet, top, left, right, bottom, headers, roles, outputs, list_object
) -> TableLocation:
    return TableLocation(
        sheet=sheet,
        header_row=top,
        first_col=left,
        last_col=right,
        last_row=max(bottom, top),
        headers=tuple("" if h is None else str(h) for h in headers),
        roles=tuple(sorted(roles.items(), key=lambda kv: kv[1])),
        output_columns=frozenset(outputs),
        list_object=list_object,
    )


def not_found_message(sheets: Sequence[str], seen: Iterable[Any] = ()) -> str:
    """The bilingual message of `TableNotFoundError`: what was looked for, where, and the
    texts seen in the rows searched (so the user sees which header to rename)."""

    def names(role: ColumnRole) -> str:
        aliases = HEADER_ALIASES[role]
        zh = [a for a in aliases if not a.isascii()][:3]
        en = [a.title() for a in aliases if a.isascii()][:2]
        return " / ".join(zh + en)

    looked = "; ".join(f"{role.value}: {names(role)}" for role in HEADER_ALIASES)
    where = ", ".join(sheets) or "(none)"
    texts = list(dict.fromkeys(str(v) for v in seen if isinstance(v, str) and v.strip()))
    shown = f" 看到的文字 / Texts seen: {_seen(texts[:20])}." if texts else ""
    return (
        f"未找到客户表：在工作表 {where} 的前 {HEADER_SCAN_ROWS} 行中，没有一行包含至少 {MIN_ROLES} 个可识别的列标题"
        f"（如 客户名称、地址、电话、省/市/区）。可用 --address-col 等选项或 设置 Settings 表指定列。\n"
        f"No customer table found: no row among the first {HEADER_SCAN_ROWS} of sheet(s) {where} has at "
        f"least {MIN_ROLES} recognised headers. Looked for — {looked}. Name columns with "
        f"--address-col/--name-col/--phone-col/--id-col or on the Settings sheet.{shown}"
    )


class RoleLabel(NamedTuple):
    """How messages, options and the Settings sheet name a column the user can name."""

    zh: str  # 地址
    option: str  # --address-col
    setting_en: str  # Address column (the Settings sheet's row is "地址列 Address column")


ROLE_LABELS: dict[ColumnRole, RoleLabel] = {
    ColumnRole.ID: RoleLabel("编号", "--id-col", "ID column"),
    ColumnRole.NAME: RoleLabel("客户名称", "--name-col", "Name column"),
    ColumnRole.ADDRESS: RoleLabel("地址", "--address-col", "Address column"),
    ColumnRole.PHONE: RoleLabel("电话", "--phone-col", "Phone column"),
}


def _seen(headers: Iterable[Any]) -> str:
    shown = [str(h) for h in headers if not _is_blank(h)]
    return ", ".join(repr(h) for h in shown[:40]) or "(none)"


def missing_role_message(role: ColumnRole, sheet: str, headers: Sequence[Any]) -> str:
    """Which headers were seen, and the three ways to name the column holding `role`.

    Examples
    --------
    >>> text = missing_role_message(ColumnRole.ADDRESS, "S", ["客户名称", "收货信息"])
    >>> "Headers seen: '客户名称', '收货信息'" in text, "--address-col" in text
    (True, True)
    """
    label = ROLE_LABELS.get(role)
    zh, option, setting = label or (role.value, "--address-col", role.value)
    names = HEADER_ALIASES[role]
    aliases = [a for a in names if not a.isascii()][:3] + [a.title() for a in names if a.isascii()][:1]
    return (
        f"未找到{zh}列：工作表 {sheet!r} 的列标题为 {_seen(headers)}。请把该列标题改为 "
        f"{' / '.join(aliases[:4])}，或用 {option} \"列标题\" 指定，或在 设置 Settings 表中填写 "
        f"{zh}列 {setting}。未做任何修改。\n"
        f"No {role.value} column found on sheet {sheet!r}. Headers seen: {_seen(headers)}. "
        f"Rename that column's header to one of {', '.join(aliases)}, or name it with "
        f"{option} \"HEADER\", or on the Settings sheet as {zh}列 {setting}. Nothing was changed."
    )


def unknown_column_message(role: ColumnRole, name: str, sheets: Sequence[str], headers) -> str:
    """A column named by the user that no header row has."""
    option = ROLE_LABELS[role].option if role in ROLE_LABELS else role.value
    return (
        f"没有标题为 {name!r} 的列（{option}）；工作表 {', '.join(sheets)} 的列标题：{_seen(headers)} / "
        f"No column headed {name!r} ({option}) on sheet(s) {', '.join(sheets)}; headers seen: "
        f"{_seen(headers)}. Nothing was changed."
    )


def find_customer_table(
    sheets: Iterable[tuple[str, Sequence[Sequence[Any]], Iterable[tuple[str, int, int, int, int]]]],
    *,
    output_blocks: Iterable[Sequence[str]] = (),
    given: Mapping[ColumnRole, str] | None = None,
) -> TableLocation:
    """The first sheet's customer table among `(name, rows, list_objects)` candidates.

    Raises
    ------
    TableNotFoundError
        No sheet has a header row with enough recognised columns; the message lists
        the headers looked for, in Chinese and English.

    Examples
    --------
    >>> find_customer_table([("Notes", [["hello"]], ()), ("客户", [["Name", "Address"]], ())]).sheet
    '客户'
    """
    names = []
    blocks = [tuple(b) for b in output_blocks]
    for name, rows, list_objects in sheets:
        names.append(name)
        found = locate_table(
            name, rows, list_objects=list_objects, output_blocks=blocks, given=given
        )
        if found is not None:
            return found
    raise TableNotFoundError(not_found_message(names))
