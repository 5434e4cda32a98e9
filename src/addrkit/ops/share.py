"""Share-ready copy (分享副本): values instead of formulas, masked phones, no secrets left.

The copy has no formulas (their last calculated values instead), no external links, no
undo snapshot or change log (they hold old values), no API-key references on the
Settings sheet, and, when Settings ask for it, phone numbers masked as 138****5678.
"""

from __future__ import annotations

import re
from typing import Any

from ..progress import Progress
from ..settings import Settings
from ..table import ColumnRole
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace
from .plan import ChangePlan, PlanKind, ShareOptions

__all__ = ["mask_phone", "run_share", "OPERATION"]

_DIGIT = re.compile(r"\d")


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
        share=ShareOptions(mask_phone_headers=headers),
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
)
