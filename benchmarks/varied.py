"""Distinct address texts made from real ones: the same words, other numbers.

A real sheet has each address once or a few times; cycling a corpus of 12,000 texts to
100,000 lines would let any per-text memo answer most of them. Varying the numbers
keeps every division name, road and building word as typed (so the engine does the
same work) while making the texts distinct.

Examples
--------
>>> vary_numbers("文三路90号3幢", 1), vary_numbers("文三路90号3幢", 2)
('文三路91号4幢', '文三路92号5幢')
>>> vary_numbers("西湖区", 5)
'西湖区5号'
>>> len(set(distinct_lines(["文三路90号", "西湖区"], 6)))
6
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["vary_numbers", "distinct_lines"]

_NUMBER = re.compile(r"\d+")


def vary_numbers(text: str, k: int) -> str:
    """``text`` with ``k`` added to each ASCII number in it (a house number appended
    when it has none), so round ``k`` of a corpus gives new texts."""
    if k == 0:
        return text
    varied, found = _NUMBER.subn(lambda m: str(int(m.group()) + k), text)
    return varied if found else f"{text}{k}号"


def distinct_lines(texts: Sequence[str], count: int) -> list[str]:
    """``count`` lines: the texts once as written, then again with numbers varied by 1, 2 …
    (duplicates dropped, so every line is distinct)."""
    out: dict[str, None] = {}
    k = 0
    while len(out) < count:
        for text in texts:
            out.setdefault(vary_numbers(text, k))
            if len(out) >= count:
                break
        k += 1
    return list(out)
