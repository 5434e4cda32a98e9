"""The divisions of each row that tiers, regions and codes need: province to district.

Regions and codes need only a row's province, city, district and adcode, not the whole
parse Clean & validate writes. When the table already holds Clean & validate's columns
(标准地址 … 状态) and a row's are still current for its address, they are read back
instead of parsing the address again; every other row goes to the engine through
`ops.parsing` (each distinct text once, on every core `addrkit run --jobs` gives).

"Current" is checked per row, cheaply and on the side of caution: the row's status is
not ERROR, its 详细地址 is still in the address text, and the name of every division
below the province that Clean wrote (its stem: 西湖 of 西湖区) is still in the text. An
address edited after Clean (a new street, house number, district or city) fails the
check and is parsed; so is a renamed division (江干区 → 钱塘区: the text names the old
one) and anything the check cannot vouch for. A stale row costs a parse, never a
wrong region.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any, NamedTuple

from ..progress import Progress
from ..table import find_block_span
from .base import CustomerTable
from .parsing import address_texts, parse_rows, start_parse_rows

__all__ = ["Divisions", "divisions_for", "CLEAN_BLOCK"]

# Clean & validate's output block (ops.clean.CLEAN_HEADERS; repeated here so this module
# does not import the operation). The order is the order of the columns.
CLEAN_BLOCK = ("标准地址", "省", "市", "区县", "乡镇街道", "详细地址", "行政区划代码", "状态")
_USABLE_STATUS = frozenset({"OK", "FIXED", "WARNING"})
_SUFFIX = re.compile(r"(?:自治州|自治县|自治旗|特别行政区|地区|街道|新区|市|区|县|旗|盟|镇|乡)$")


class Divisions(NamedTuple):
    """A row's divisions (official names; None where unknown) and its adcode."""

    province: str | None
    city: str | None
    district: str | None
    adcode: str | None


def _fold(value: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value)).split()) if value else ""


def _stem(name: str) -> str:
    """The part of a division name a text keeps when it drops the suffix (西湖区 → 西湖)."""
    stem = _SUFFIX.sub("", name)
    return stem if len(stem) >= 2 else name


def _current(text: Any, row: Sequence[Any]) -> Divisions | None:
    """Clean's values for this row when they still fit its address text, else None."""
    _, province, city, district, township, detail, adcode, status = row
    if status not in _USABLE_STATUS or not isinstance(text, str) or not province:
        return None
    folded = _fold(text)
    if detail and _fold(detail) not in folded:
        return None
    for name in (city, district, township):
        if name and _stem(_fold(name)) not in folded:
            return None
    return Divisions(
        province, city or None, district or None, str(adcode) if adcode is not None else None
    )


def _from_clean(table: CustomerTable, rows: Sequence[int]) -> dict[int, Divisions]:
    """Rows whose Clean & validate columns are present and current."""
    start = find_block_span(table.location.headers, CLEAN_BLOCK)
    if start is None:
        return {}
    block = table.frame.iloc[:, start : start + len(CLEAN_BLOCK)].values.tolist()
    texts = address_texts(table)
    found = {}
    for i in rows:
        divisions = _current(texts[i], block[i])
        if divisions is not None:
            found[i] = divisions
    return found


def divisions_for(
    table: CustomerTable, progress: Progress, rows: Sequence[int] | None = None
) -> dict[int, Divisions]:
    """Each of ``rows``' divisions (all rows when None): from the parse this run already
    made, else from Clean & validate's current columns, else parsed now (memoised).

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [["甲", "杭州西湖区文三路90号"]])
    >>> divisions_for(t, Progress())[0]
    Divisions(province='浙江省', city='杭州市', district='西湖区', adcode='330106')
    """
    wanted = range(len(table)) if rows is None else rows
    known: dict[int, Divisions] = table.cache.setdefault("divisions", {})
    parsed = table.cache.get("parsed")
    if parsed is not None:
        return dict(zip(wanted, _shared_divisions([parsed[i] for i in wanted]), strict=True))
    rest = _to_parse(table, wanted, known)
    if rest:
        results = parse_rows(table, rest, progress)
        known.update(zip(results, _shared_divisions(list(results.values())), strict=True))
    return dict(zip(wanted, map(known.__getitem__, wanted), strict=True))


def _shared_divisions(results: list) -> list[Divisions]:
    """Each result's `Divisions`, made once per result object: rows with the same text
    share one result (each distinct text is parsed once), and a million rows have a
    tenth as many. The per-row steps run in C (``map``), not in a Python loop."""
    ids = list(map(id, results))  # the results are alive in ``results``: ids not reused
    made = {k: _of(r) for k, r in dict(zip(ids, results, strict=True)).items()}
    return list(map(made.__getitem__, ids))


def start_divisions(table: CustomerTable, rows: Sequence[int] | None = None) -> None:
    """Start the parse `divisions_for` (same ``rows``) will need, on the worker processes,
    so this process can do other work until it asks (see `parsing.start_parse_rows`)."""
    if "parsed" in table.cache:
        return
    wanted = range(len(table)) if rows is None else rows
    start_parse_rows(table, _to_parse(table, wanted, table.cache.setdefault("divisions", {})))


def _to_parse(
    table: CustomerTable, wanted: Sequence[int], known: dict[int, Divisions]
) -> list[int]:
    """The rows of ``wanted`` whose divisions must come from the engine: not known yet,
    and Clean & validate's columns not current for them (those are added to ``known``)."""
    missing = [i for i in wanted if i not in known]
    if not missing:
        return []
    known.update(_from_clean(table, missing))
    return [i for i in missing if i not in known]


def _of(result) -> Divisions:
    return Divisions(result.province, result.city, result.district, result.adcode)
