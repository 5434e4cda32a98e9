"""Numbers as office staff type them: "1,200", "¥1,200.50", "１２００", "12万", "(300)".

Revenue, order counts, years and credit scores arrive as numbers, as text with
separators and currency signs, in full-width digits, or as Excel error values. A value
that cannot be read is never taken as zero: it comes back as None with the reason.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any, NamedTuple

__all__ = ["Reading", "read_number"]

_EXCEL_ERROR = re.compile(r"^#(N/A|VALUE!|REF!|DIV/0!|NUM!|NAME\?|NULL!|SPILL!|CALC!|GETTING_DATA)")
_CURRENCY = re.compile(r"^(?:¥|\$|RMB|CNY|人民币)|(?:元|块|RMB|CNY)$", re.IGNORECASE)
_UNITS = {"万": 10_000.0, "亿": 100_000_000.0, "千": 1_000.0, "k": 1_000.0, "w": 10_000.0}
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$", re.IGNORECASE)
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")
# Plain ASCII number text, grouped or not: read directly (a third of a big sheet's revenue
# cells are text such as "1,200.50"; the general path below costs several times more).
_PLAIN = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?\Z")


class Reading(NamedTuple):
    """A cell read as a number: ``value`` or None, and why it is None (or was changed).

    A named tuple: a million are made per run, at a third of a frozen dataclass's cost."""

    value: float | None
    problem_zh: str = ""
    problem_en: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None


_EMPTY = Reading(None, "为空", "empty")


def _from_number(cell) -> Reading:
    """A cell that already holds a number (Python's or numpy's): finite, or said why not."""
    try:
        value = float(cell)
    except OverflowError:
        return Reading(None, "数字过大", "number too large")
    if math.isfinite(value):
        return Reading(value)
    return Reading(None, "不是有限数字", "not a finite number")


def read_number(cell: Any) -> Reading:
    """Read one cell as a number.

    Examples
    --------
    >>> [read_number(v).value for v in (1200, "1,200", "¥1200", "１２００", "12万", "(300)", "-5")]
    [1200.0, 1200.0, 1200.0, 1200.0, 120000.0, -300.0, -5.0]
    >>> r = read_number("about 5"); (r.value, r.problem_en)
    (None, "not a number: 'about 5'")
    >>> read_number(None).problem_en, read_number("#N/A").problem_en
    ('empty', 'Excel error #N/A')
    """
    kind = type(cell)
    if kind is float and math.isfinite(cell):  # the common case first: a number typed as one
        return Reading(cell)
    if kind is float or kind is int:
        return _from_number(cell)
    if kind is str and _PLAIN.match(cell):  # "1200", "1,200.50": what the rest reads them as
        return Reading(float(cell.replace(",", "")))
    if cell is None:
        return _EMPTY
    if isinstance(cell, bool):
        return Reading(None, "是逻辑值，不是数字", "a TRUE/FALSE value, not a number")
    if isinstance(cell, int | float):  # numpy and other number types
        return _from_number(cell)
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if not text:
        return _EMPTY
    if _EXCEL_ERROR.match(text):
        return Reading(None, f"Excel 错误值 {text[:12]}", f"Excel error {text[:12]}")
    number = _parse_text(text)
    if number is None:
        shown = text if len(text) <= 20 else text[:20] + "…"
        return Reading(None, f"不是数字：{shown!r}", f"not a number: {shown!r}")
    return Reading(number)


def _parse_text(text: str) -> float | None:
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    text = re.sub(r"\s+", "", text)
    sign = ""
    if text[:1] in "+-":
        sign, text = text[0], text[1:]
    previous = None
    while previous != text:  # "¥1,200元" has a sign on both sides
        previous = text
        text = _CURRENCY.sub("", text)
    scale = 1.0
    if text and text[-1].lower() in _UNITS:
        scale, text = _UNITS[text[-1].lower()], text[:-1]
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        return None
    value = float(sign + text) * scale
    return -value if negative else value
