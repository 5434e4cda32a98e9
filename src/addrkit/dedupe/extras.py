"""Further identifying columns (``--extra-col``): what kind of value each holds, one spelling.

A date of birth, an e-mail address, a 统一社会信用代码 or a customer code is compared by
what it is, not as free text: dates whatever their format (1956-04-09, 09/04/1956,
19560409, 1956年4月9日), codes letter for letter (one character off is a typo, not a
similar code), e-mail addresses in lower case. The kind is found from the column's values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from .normalize import basic_text, strip_punct

__all__ = ["ValueKind", "detect_kind", "prepare_value"]


class ValueKind(StrEnum):
    """What an extra column holds, which decides its comparison levels."""

    DATE = "date"
    EMAIL = "email"
    CREDIT_CODE = "credit_code"
    CODE = "code"
    TEXT = "text"


_CREDIT = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_YMD = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_COMPACT = re.compile(r"^(1[89]|20)\d{6}$")
_CODE = re.compile(r"^[0-9a-z\-_/]{3,30}$")


def _date(text: str) -> str:
    """YYYYMMDD, or '' when ``text`` is not a date."""
    text = text.replace(" ", "")
    if _COMPACT.match(text):
        return text
    if match := _YMD.match(text):
        year, month, day = match.groups()
    elif match := _DMY.match(text):
        day, month, year = match.groups()  # day first, as written outside the US
    else:
        return ""
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return ""
    return f"{year}{int(month):02d}{int(day):02d}"


def prepare_value(value: object, kind: ValueKind) -> str:
    """One cell of an extra column in the spelling its kind is compared in ('' if missing).

    Examples
    --------
    >>> [prepare_value(v, ValueKind.DATE) for v in ("1956-4-9", "09/04/1956", "1956年4月9日")]
    ['19560409', '19560409', '19560409']
    >>> prepare_value(" Sales@Example.COM ", ValueKind.EMAIL)
    'sales@example.com'
    >>> prepare_value("91330106 MA27XL1X2B", ValueKind.CREDIT_CODE)
    '91330106MA27XL1X2B'
    """
    text = basic_text(value)
    if kind is ValueKind.DATE:
        return _date(text) or strip_punct(text)
    if kind is ValueKind.EMAIL:
        return text.replace(" ", "")
    if kind in (ValueKind.CREDIT_CODE, ValueKind.CODE):
        return strip_punct(text).upper()
    return strip_punct(text)


def detect_kind(values: Sequence[object], sample: int = 2000) -> ValueKind:
    """The kind most non-empty values of a column have (≥ 80 % of a sample), else text.

    Examples
    --------
    >>> detect_kind(["19560409", "1987-12-01", ""])
    <ValueKind.DATE: 'date'>
    >>> detect_kind(["C00012", "C00013", "C00107"])
    <ValueKind.CODE: 'code'>
    >>> detect_kind(["red house", "blue door"])
    <ValueKind.TEXT: 'text'>
    """
    texts = [basic_text(v) for v in list(values)[:sample]]
    texts = [t for t in texts if t]
    if not texts:
        return ValueKind.TEXT
    tests = (
        (ValueKind.CREDIT_CODE, lambda t: bool(_CREDIT.match(strip_punct(t).upper()))),
        (ValueKind.DATE, lambda t: bool(_date(t))),
        (ValueKind.EMAIL, lambda t: bool(_EMAIL.match(t.replace(" ", "")))),
        (ValueKind.CODE, lambda t: bool(_CODE.match(t)) and any(c.isdigit() for c in t)),
    )
    for kind, test in tests:
        if sum(map(test, texts)) >= 0.8 * len(texts):
            return kind
    return ValueKind.TEXT
