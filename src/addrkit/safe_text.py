"""Text that a spreadsheet must never read as a formula, for the writers that cannot mark
a cell as text (CSV).

An .xlsx cell carries its type, so addrkit writes customer text there as a string
(``data_type = "s"``). A CSV cell has no type: Excel and LibreOffice evaluate a cell
starting with ``=``, ``+``, ``-`` or ``@`` (and, after a tab or carriage return, what
follows), which is how a DDE payload such as ``=cmd|' /C calc'!A0`` runs a program.
Following OWASP's CSV-injection advice such a cell gets a leading apostrophe, which
spreadsheets show as text; a plain number (``-5``, ``+3.5``) is left as it is.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_TRIGGERS", "csv_safe"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in ("inf", "nan", "infinity")


def csv_safe(value: Any) -> Any:
    """The value with a leading apostrophe when a spreadsheet would evaluate it.

    Examples
    --------
    >>> csv_safe("=cmd|' /C calc'!A0"), csv_safe("+86 138"), csv_safe("-5"), csv_safe("杭州")
    ("'=cmd|' /C calc'!A0", "'+86 138", '-5', '杭州')
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _number(value):
        return "'" + value
    return value
