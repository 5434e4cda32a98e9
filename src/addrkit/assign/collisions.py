"""Codes that collide when two copies of a workbook are merged.

Teammates who code customers in their own copies with the workbook registry (each
copy its own hidden sheet) can hand out the same number to different customers. Before
the copies are merged, `find_collisions` lists every code that stands for one customer
in one copy and another customer in the other, looking at the customer table and at
the hidden registry of both (a row deleted since still counts: its code was issued).
The same customer under the same code in both copies is not a collision: that is what
a copy of a coded book looks like.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .registry import IssuedCode

__all__ = ["CodeUse", "Collision", "code_uses", "find_collisions"]


@dataclass(frozen=True, slots=True)
class CodeUse:
    """One place a code is used: which book, which customer, where (row or registry)."""

    book: str
    code: str
    customer: str
    where: str


@dataclass(frozen=True, slots=True)
class Collision:
    """A code used for different customers in the two books."""

    code: str
    left: tuple[CodeUse, ...]
    right: tuple[CodeUse, ...]

    @property
    def reason(self) -> str:
        def names(uses: tuple[CodeUse, ...]) -> str:
            return "、".join(sorted({u.customer or "(无名称 no name)" for u in uses}))

        return (
            f"编码 {self.code} 在 {self.left[0].book} 属于 {names(self.left)}，在 "
            f"{self.right[0].book} 属于 {names(self.right)} / code {self.code} is "
            f"{names(self.left)} in {self.left[0].book} but {names(self.right)} in "
            f"{self.right[0].book}"
        )


def _label(value: Any) -> str:
    if value is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())[:200]


def _code(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip().upper()


def code_uses(
    book: str,
    ids: Iterable[Any],
    names: Iterable[Any],
    first_row: int = 2,
    ledger: Iterable[IssuedCode] = (),
) -> list[CodeUse]:
    """Every code a book uses: its table's IDs (with the row) and its registry's entries.

    Examples
    --------
    >>> code_uses("a.xlsx", ["HD-1", None], ["甲", "乙"])
    [CodeUse(book='a.xlsx', code='HD-1', customer='甲', where='row 2')]
    """
    uses = [
        CodeUse(book, _code(i), _label(n), f"row {first_row + k}")
        for k, (i, n) in enumerate(zip(ids, names, strict=True))
        if _code(i)
    ]
    uses += [CodeUse(book, _code(c.code), _label(c.customer), "registry") for c in ledger]
    return uses


def find_collisions(left: Iterable[CodeUse], right: Iterable[CodeUse]) -> list[Collision]:
    """Codes whose customers differ between two books (a missing name counts as different).

    Examples
    --------
    >>> a = code_uses("a.xlsx", ["HD-1", "HD-2"], ["甲公司", "乙公司"])
    >>> b = code_uses("b.xlsx", ["HD-1", "HD-2"], ["甲 公司", "丙公司"])
    >>> [c.code for c in find_collisions(a, b)]
    ['HD-2']
    """
    by_code_left: dict[str, list[CodeUse]] = defaultdict(list)
    by_code_right: dict[str, list[CodeUse]] = defaultdict(list)
    for use in left:
        by_code_left[use.code].append(use)
    for use in right:
        by_code_right[use.code].append(use)
    found = []
    for code in sorted(by_code_left.keys() & by_code_right.keys()):
        names = {u.customer for u in by_code_left[code] + by_code_right[code]}
        # A registry entry recorded without a name says nothing about who has the code.
        named = {u.customer for u in by_code_left[code] + by_code_right[code] if u.customer}
        if len(named) > 1 or ("" in names and not named):
            found.append(Collision(code, tuple(by_code_left[code]), tuple(by_code_right[code])))
    return found
