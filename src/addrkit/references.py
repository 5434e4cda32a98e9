"""Settings that name where something is kept — ``kind:location`` — never the thing itself.

An API key is kept in the environment, a keyring or a file (``env:AMAP_KEY``); issued
customer codes in this book, a SQLite file or a PostgreSQL server
(``sqlite:\\\\server\\share\\codes.db``). Both settings are written the same way, read here,
and refuse a secret typed in place of the reference.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, TypeVar

__all__ = ["redact", "split_reference"]

K = TypeVar("K", bound=StrEnum)


def split_reference(text: Any, kinds: type[K]) -> tuple[K, str] | None:
    """``(kind, location)`` of text written ``kind:location`` (any case, spaces around the
    colon), or None when it is not one of ``kinds`` followed by a location.

    Examples
    --------
    >>> from addrkit.settings import KeySource
    >>> split_reference(" ENV : AMAP_KEY ", KeySource)
    (<KeySource.ENV: 'env'>, 'AMAP_KEY')
    >>> split_reference("3f9a8b7c6d5e4f3a2b1c", KeySource) is None
    True
    """
    names = "|".join(re.escape(k.value) for k in kinds)
    match = re.match(rf"^\s*({names})\s*:\s*(\S.*?)\s*$", str(text), re.IGNORECASE | re.DOTALL)
    if match is None:
        return None
    return kinds(match.group(1).lower()), match.group(2)


def redact(text: Any) -> str:
    """What an error message may show of a value that may be a secret: its start and length.

    Examples
    --------
    >>> redact("3f9a8b7c6d5e4f3a2b1c"), redact("abc")
    ('3f…(20 chars)', 'abc')
    """
    s = str(text)
    return s if len(s) <= 4 else s[:2] + "…" + f"({len(s)} chars)"
