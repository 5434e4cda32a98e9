"""How often the text after the divisions survives verbatim in ``normalized``.

For every labelled NCAP address, the text after the last administrative token of the gold
(province, city, district, township as written) is cleaned the way the parser reports
(full/half width, punctuation, traditional characters: NORMALIZED_TEXT, TRADITIONAL) and
looked for in addrkit's ``normalized``. The standard form may replace the division names;
it must never insert, drop or split a character of the street, number or detail.

An address whose text changed counts as *explained* only when the result reports the
change, and undoing exactly that change finds the text again: a separator or a form's
placeholder (市辖区) dropped after the divisions (NORMALIZED_TEXT, ``as_written``), a
division name typed again at the start of the rest (REPEATED_PART), a misspelt name
corrected (TYPO_CORRECTED ``token → name``), a second address cut off (TWO_ADDRESSES),
stray letters or marks between division names removed (DROPPED_TEXT, the removed text).
Anything else is *damage*; the property test holds it at zero.

Usage
-----
    python -m benchmarks.street_verbatim --split train --split dev --show 20
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from addrkit import parse_address
from addrkit.address.issues import IssueCode
from addrkit.address.model import ParsedAddress
from addrkit.address.normalize import clean_text
from addrkit.address.resolve import DISTRICT_PLACEHOLDERS, SEPARATORS, scan
from addrkit.gazetteer import default_gazetteer
from benchmarks.ncap import LabelledAddress, read_split

__all__ = ["rest_after_divisions", "explained", "verbatim_misses", "main"]


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
    if address.admin_end >= 0:
        return clean_text(
            address.text[address.admin_end :], g.t2s_table, g.traditional_pattern
        ).text
    end = 0
    for value in address.gold.values():
        at = address.text.find(value)
        if at >= 0:
            end = max(end, at + len(value))
    return clean_text(address.text[end:], g.t2s_table, g.traditional_pattern).text


_STRIP = SEPARATORS + " "


def explained(rest: str, result: ParsedAddress) -> bool:
    """Whether ``rest`` is in ``result.normalized`` once the changes the result reports
    are undone (see the module's docstring); plain containment is the verbatim case.

    Examples
    --------
    >>> explained("_西行桥79号", parse_address("杭州市西湖区_西行桥79号"))
    True
    >>> explained("西行桥79号", parse_address("杭州市西湖区西行桥79号"))
    True
    """
    normalized = result.normalized
    if normalized is None:
        return False
    if rest in normalized:
        return True
    codes = {i.code for i in result.issues}
    candidates = [rest]
    if IssueCode.NORMALIZED_TEXT in codes:
        candidates.append(rest.strip(_STRIP))
    written = result.as_written.district
    for text in list(candidates):
        if written in DISTRICT_PLACEHOLDERS and text.startswith(written):
            candidates.append(text[len(written) :].strip(_STRIP))
    if IssueCode.TYPO_CORRECTED in codes:
        for issue in result.issues:
            if issue.code is IssueCode.TYPO_CORRECTED and " → " in issue.detail:
                token, name = issue.detail.split(" → ", 1)
                candidates += [c.replace(token, name, 1) for c in candidates]
    if IssueCode.REPEATED_PART in codes or IssueCode.HISTORIC_NAME in codes:
        candidates += [_without_leading_names(c, result) for c in candidates]
    if IssueCode.DROPPED_TEXT in codes:
        for issue in result.issues:
            if issue.code is IssueCode.DROPPED_TEXT:
                for stray in issue.detail.split(" "):
                    candidates += [c.replace(stray, "", 1) for c in candidates]
    if IssueCode.TWO_ADDRESSES in codes:
        candidates += [c[: len(c) // 2] for c in candidates]  # the first address is kept whole
    return any(c and c in normalized for c in candidates) or any(not c for c in candidates[1:])


def _without_leading_names(text: str, result: ParsedAddress) -> str:
    """``text`` without the division names (and separators) it starts with: names the
    gazetteer finds there, and the result's own names or their first characters (半山 of
    半山街道) typed again."""
    g = default_gazetteer()
    own = [
        name[:k]
        for name in (*result.as_written, result.province, result.city, result.district,
                     result.township)
        if name
        for k in range(len(name), 1, -1)
    ]  # fmt: skip
    at = 0
    matches = {m.start: m.end for m in scan(text, g).matches}
    while True:
        while at < len(text) and text[at] in _STRIP:
            at += 1
        end = matches.get(at) or next(
            (at + len(p) for p in sorted(own, key=len, reverse=True) if text.startswith(p, at)), 0
        )
        if not end:
            return text[at:]
        at = end + (2 if text.startswith("地区", end) else 0)  # 那曲地区: the old status word


def verbatim_misses(
    addresses: Sequence[LabelledAddress],
) -> tuple[int, list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(addresses with text after the divisions, [(text, rest, normalized) not kept
    verbatim], [the same for those whose change no issue explains])."""
    total, misses, damaged = 0, [], []
    for a in addresses:
        rest = rest_after_divisions(a)
        if not rest:
            continue
        total += 1
        result = parse_address(a.text)
        normalized = result.normalized
        if normalized is None or rest not in normalized:
            misses.append((a.text, rest, str(normalized)))
            if not explained(rest, result):
                damaged.append((a.text, rest, str(normalized)))
    return total, misses, damaged


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", action="append", choices=["train", "dev"])
    parser.add_argument("--show", type=int, default=0, help="print this many damaged texts")
    args = parser.parse_args(argv)
    for split in args.split or ["dev"]:
        total, misses, damaged = verbatim_misses(read_split(split))
        kept = total - len(misses)
        whole = total - len(damaged)
        print(
            f"{split}: {kept:,} of {total:,} kept verbatim ({kept / total:.2%}); "
            f"{whole:,} verbatim or changed only as reported ({whole / total:.2%}); "
            f"{len(damaged)} changed without a reported reason"
        )
        for text, rest, normalized in damaged[: args.show]:
            print(f"  {text}\t{rest}\t{normalized}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
