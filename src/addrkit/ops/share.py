"""Share-ready copy (分享副本): values instead of formulas, masked phones, no secrets left.

The copy has no formulas (their last calculated values instead), no external links, no
undo snapshot, change log, hidden sheet or cache (they hold old values and other
people's data), no key references or credentials on the Settings sheet, and, when
Settings ask for it (the default), personal numbers masked in every cell it copies:
mobile and landline numbers, ID-card numbers and e-mail addresses, also inside free
text such as ``王超平 13145920644 辽宁省…`` in an address cell.
"""

from __future__ import annotations

import re
from typing import Any

from ..progress import Progress
from ..settings import Settings
from ..table import ColumnRole
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace
from .plan import ChangePlan, PlanKind, ShareOptions

__all__ = ["mask_phone", "mask_text", "run_share", "OPERATION"]

_DIGIT = re.compile(r"\d")
# Mainland mobile numbers, also written 138-1234-5678 / 138 1234 5678, not inside a longer number.
_MOBILE = re.compile(r"(?<![\dA-Za-z])1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)")
# Resident ID-card numbers: 17 digits and a check digit or X, not inside a longer number.
_ID_CARD = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
# Landlines with an area code: 0571-88881234, (021) 5888 1234, 010 88881234.
_LANDLINE = re.compile(r"(?<![\d])(\(?0\d{2,3}\)?[-\s]?)(\d{3,4}[-\s]?\d{4})(?!\d)")
_EMAIL = re.compile(r"([\w.+-])([\w.+-]*)(@[\w-]+(?:\.[\w-]+)+)")


def _keep_ends(text: str, first: int, last: int) -> str:
    """Digits and letters between the first `first` and last `last` become '*'; separators stay."""
    marks = [i for i, ch in enumerate(text) if ch.isalnum()]
    hidden = set(marks[first : len(marks) - last])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def mask_text(value: Any) -> Any:
    """Mask every phone, ID-card number and e-mail address found in a cell's value.

    Text around them stays as written; numbers that are a mobile number become masked
    text; other values come back unchanged.

    Examples
    --------
    >>> mask_text("王超平 13145920644 辽宁省大连市")
    '王超平 131****0644 辽宁省大连市'
    >>> mask_text("身份证 11010519491231002X, li.si@example.com")
    '身份证 110***********002X, l****@example.com'
    >>> mask_text("文三路90号"), mask_text(13145920644), mask_text(2.5)
    ('文三路90号', '131****0644', 2.5)
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        if value != value or value != int(value) or not _MOBILE.fullmatch(str(int(value))):
            return value
        value = str(int(value))
    if not isinstance(value, str) or not any(ch.isdigit() or ch == "@" for ch in value):
        return value
    text = _ID_CARD.sub(lambda m: _keep_ends(m.group(), 3, 4), value)
    text = _MOBILE.sub(lambda m: _keep_ends(m.group(), 3, 4), text)
    text = _LANDLINE.sub(lambda m: m.group(1) + _keep_ends(m.group(2), 0, 4), text)
    return _EMAIL.sub(lambda m: m.group(1) + "****" + m.group(3), text)


def mask_phone(value: Any) -> Any:
    """Hide the middle digits of a phone number, keeping the first 3 and last 4.

    Text other than digits (+86, spaces, dashes) stays where it is; values with fewer
    than 8 digits and non-phone values come back unchanged.

    Examples
    --------
    >>> mask_phone("13812345678"), mask_phone("+86 138-1234-5678"), mask_phone(13812345678)
    ('138****5678', '+86 138-****-5678', '138****5678')
    >>> mask_phone(None), mask_phone("-")
    (None, '-')
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        if value != int(value):
            return value
        value = str(int(value))
    if not isinstance(value, str):
        return value
    digits = [m.start() for m in _DIGIT.finditer(value)]
    if len(digits) < 8:
        return value
    # Mobile numbers after a +86 prefix: mask within the last 11 digits.
    body = digits[-11:] if len(digits) >= 11 else digits
    hidden = set(body[3:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def run_share(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Plan a share-ready copy; phone columns are masked when Settings say so.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "电话"]]), [])
    >>> run_share(t, Settings(), Progress()).share.mask_phone_headers
    ('电话',)
    """
    phone = table.location.header_for(ColumnRole.PHONE) if table is not None else None
    headers = (phone,) if (phone and settings.mask_phones) else ()
    return ChangePlan(
        operation=OPERATION.name,
        kind=PlanKind.SHARE_COPY,
        share=ShareOptions(mask_phone_headers=headers, mask_text=settings.mask_phones),
    )


OPERATION = Operation(
    "share",
    "分享副本",
    "Share-ready copy",
    run_share,
    needs_table=False,
    tip_zh="保存不含宏和日志的副本",
    tip_en="Save a copy without macros or logs for teammates",
    ribbon=RibbonPlace(RibbonGroup.RUNS, "FileSendAsAttachment", 20),
    # A Settings sheet holding something it must not (a password in the registry row) is
    # exactly what a share-ready copy removes: a bad value must not stop it.
    strict_settings=False,
)
