"""How often the text after the divisions survives verbatim in ``normalized``.

For every labelled NCAP address, the text after the last administrative span of the gold
(province, city, district, township as written) is cleaned the way the parser reports
(full/half width, punctuation, traditional characters: NORMALIZED_TEXT, TRADITIONAL) and
looked for in addrkit's ``normalized``. The standard form may replace the division names;
it must never insert, drop or split a character of the street, number or detail.

Usage
-----
    python -m benchmarks.street_verbatim --split train --split dev --show 20
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from addrkit import parse_address
from addrkit.address.normalize import clean_text
from addrkit.gazetteer import default_gazetteer
from benchmarks.ncap import LabelledAddress, read_split

__all__ = ["rest_after_divisions", "verbatim_misses", "main"]


def rest_after_divisions(address: LabelledAddress) -> str:
    """The cleaned text after the last gold division span (empty when nothing follows).

    Examples
    --------
    >>> from types import MappingProxyType
    >>> from benchmarks.ncap import Level
    >>> a = LabelledAddress("杭州市西湖区文三路90号", MappingProxyType({Level.DISTRICT: "西湖区"}))
    >>> rest_after_divisions(a)
    '文三路90号'
    """
    g = default_gazetteer()
    end = 0
    for value in address.gold.values():
        at = address.text.find(value)
        if at >= 0:
            end = max(end, at + len(value))
    return clean_text(address.text[end:], g.t2s_table, g.traditional_pattern).text


def verbatim_misses(addresses: Sequence[LabelledAddress]) -> tuple[int, list[tuple[str, str, str]]]:
    """(addresses with text after the divisions, [(text, rest, normalized) not kept verbatim])."""
    total, misses = 0, []
    for a in addresses:
        rest = rest_after_divisions(a)
        if not rest:
            continue
        total += 1
        normalized = parse_address(a.text).normalized
        if normalized is None or rest not in normalized:
            misses.append((a.text, rest, str(normalized)))
    return total, misses


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", action="append", choices=["train", "dev"])
    parser.add_argument("--show", type=int, default=0, help="print this many misses")
    args = parser.parse_args(argv)
    for split in args.split or ["dev"]:
        total, misses = verbatim_misses(read_split(split))
        kept = total - len(misses)
        print(f"{split}: {kept:,} of {total:,} kept verbatim ({kept / total:.2%})")
        for text, rest, normalized in misses[: args.show]:
            print(f"  {text}\t{rest}\t{normalized}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
