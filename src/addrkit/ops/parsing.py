"""The one place operations call the address engine.

Every operation that needs parsed addresses goes through `parse_table`, which looks
``parse_many`` up on `addrkit.address` at call time (so a test or a later engine can
be swapped in at a single point) and memoises the result on the table for the run.
Only what the operations write is kept of each parse (`RowResult`): a full
`ParsedAddress` is about 670 bytes, a million of them more than half a gigabyte.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .. import address as _engine
from ..address import Issue, ParsedAddress, Status
from ..address.model import Precision
from ..progress import Progress
from ..table import ColumnRole
from .base import CustomerTable

__all__ = ["address_texts", "parse_table", "parse_rows", "start_parse_rows", "RowResult", "CHUNK"]

CHUNK = 2000  # addresses between progress reports / cancel checks

_PARTS_BEFORE_ADDRESS = (
    ColumnRole.PROVINCE,
    ColumnRole.CITY,
    ColumnRole.DISTRICT,
    ColumnRole.TOWNSHIP,
)


@dataclass(frozen=True, slots=True)
class RowResult:
    """What operations keep of one parsed address: the clean columns, status and issues.

    ``detail`` (详细地址) is everything below the township: street, house number and
    the rest, joined.

    Examples
    --------
    >>> from addrkit import parse_address
    >>> r = RowResult.of(parse_address("浙江杭州西湖区文三路90号"))
    >>> r.normalized, r.detail, r.status.value
    ('浙江省杭州市西湖区文三路90号', '文三路90号', 'OK')
    """

    normalized: str | None
    province: str | None
    city: str | None
    district: str | None
    township: str | None
    detail: str | None
    adcode: str | None
    status: Status
    issues: tuple[Issue, ...]
    # The engine's offline point for the deepest division it resolved (None: no point).
    lat: float | None = None
    lon: float | None = None
    precision: Precision = Precision.NONE
    crs: str | None = None
    # A person's name and number typed before the address in the same cell (王超平 1314…).
    contact_name: str | None = None
    contact_phone: str | None = None

    @classmethod
    def of(cls, a: ParsedAddress) -> RowResult:
        """The parts of `a` the operations use."""
        detail = "".join(p for p in (a.street, a.house_number, a.detail) if p) or None
        return cls(
            a.normalized,
            a.province,
            a.city,
            a.district,
            a.township,
            detail,
            a.adcode,
            a.status,
            a.issues,
            a.lat,
            a.lon,
            a.precision,
            a.crs,
            a.contact_name,
            a.contact_phone,
        )


def address_texts(table: CustomerTable) -> list[Any]:
    """The value to parse for each row.

    The address cell as it is (None, numbers and error values included: the engine
    explains them); when the table also has 省/市/区/乡镇 columns, their text is put in
    front of a text address, because many lists keep the divisions in columns of their own.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> loc = locate_table("S", [["省", "市", "地址"]])
    >>> address_texts(CustomerTable.from_rows(loc, [["浙江", "杭州", "文三路90号"], ["浙江", None, 5]]))
    ['浙江杭州文三路90号', 5]
    """
    main = table.column(ColumnRole.ADDRESS)
    parts = [c for c in (table.column(r) for r in _PARTS_BEFORE_ADDRESS) if c is not None]
    if main is None:
        if not parts:
            return [None] * len(table)
        main = [None] * len(table)
    if not parts:
        return main
    texts: list[Any] = []
    for i, value in enumerate(main):
        prefix = "".join(str(p[i]).strip() for p in parts if isinstance(p[i], str) and p[i].strip())
        if value is None or (isinstance(value, str) and not value.strip()):
            texts.append(prefix or value)
        elif isinstance(value, str) and not value.strip().startswith(prefix):
            texts.append(prefix + value)
        else:
            texts.append(value)
    return texts


def parse_table(table: CustomerTable, progress: Progress) -> Sequence[RowResult]:
    """Parse every row's address once per run, reporting progress chunk by chunk.

    Customer lists repeat addresses (branches, re-orders); each distinct text is parsed
    once and its result shared by every row that has it. Progress counts rows, as the
    summary does: a chunk of distinct texts advances it by the rows those texts stand
    for, so the bar ends at the table's row count (it counted distinct texts and ended
    at 1,989 of the sample's 2,000 rows).

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [["甲", "杭州"], ["乙", "杭州"]])
    >>> p = Progress(); _ = parse_table(t, p); (p.done, p.total)
    (2, 2)
    """
    if "parsed" in table.cache:
        return table.cache["parsed"]
    result = _parse_texts(address_texts(table), progress)
    table.cache["parsed"] = result
    return result


def parse_rows(
    table: CustomerTable, rows: Sequence[int], progress: Progress
) -> dict[int, RowResult]:
    """Parse the addresses of some rows only (row index → result), each distinct text once.

    For operations that need a few rows' addresses (codes for the rows without one):
    the whole table is not parsed, and nothing is memoised for the others. A run that
    parsed the table already answers from that parse.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [["甲", "杭州"], ["乙", "宁波"]])
    >>> {i: r.city for i, r in parse_rows(t, [1], Progress()).items()}
    {1: '宁波市'}
    """
    if "parsed" in table.cache:
        parsed = table.cache["parsed"]
        return {i: parsed[i] for i in rows}
    started = table.cache.pop(_STARTED, None)
    if started is not None and started.rows == list(rows):
        return dict(zip(rows, started.collect(progress), strict=True))
    texts = address_texts(table)
    return dict(zip(rows, _parse_texts([texts[i] for i in rows], progress), strict=True))


def start_parse_rows(table: CustomerTable, rows: Sequence[int]) -> None:
    """Have the worker processes start on the addresses of ``rows`` now, so that this
    process can do other work meanwhile (tiers, while the regions' parse runs);
    `parse_rows` for the same rows then takes their results.

    Nothing starts where the addresses would be parsed in this process anyway (one
    core, a small sheet): `parse_rows` parses them when asked, as before.
    """
    start = getattr(_engine.parse_many, "start", None)  # a PooledParser's (addrkit run)
    if start is None or "parsed" in table.cache or not rows:
        return
    texts = address_texts(table)
    distinct = _Distinct.of([texts[i] for i in rows])
    results = start([t for _, t in distinct.items])
    if results is not None:
        table.cache[_STARTED] = _Started(list(rows), distinct, results)


_STARTED = "parse started"  # table.cache key of a `start_parse_rows` not yet collected


@dataclass
class _Distinct:
    """Texts to parse, each distinct one once: its key per text, the texts by key, and
    how many texts share each key (progress counts rows, not distinct texts)."""

    keys: list
    items: list  # (key, text), each key once, in first-seen order
    rows_of: Counter

    @classmethod
    def of(cls, texts: list[Any]) -> _Distinct:
        # A text is its own key (most cells); other values are keyed with their type, so
        # 1, 1.0 and True stay apart; unhashable ones are each their own.
        keys = [
            t if type(t) is str else (type(t).__name__, t) if _hashable(t) else (None, i)
            for i, t in enumerate(texts)
        ]
        # A Counter keeps its keys in first-seen order, each as first seen: the first
        # text of each key.
        counts = Counter(keys)
        return cls(keys, [(k, _text_of(k, texts)) for k in counts], counts)

    def results(self, parsed: Iterator[ParsedAddress], progress: Progress) -> tuple[RowResult, ...]:
        """Every text's result from ``parsed``, the engine's result for each of `items`."""
        progress.start(len(self.keys), "解析地址 Parsing addresses")
        results: dict = {}
        items = self.items
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            for (key, _), one in zip(chunk, itertools.islice(parsed, len(chunk)), strict=True):
                results[key] = RowResult.of(one)
            progress.advance(sum(self.rows_of[key] for key, _ in chunk))
        return tuple(map(results.__getitem__, self.keys))


@dataclass
class _Started:
    rows: list[int]
    distinct: _Distinct
    parsed: Iterator[ParsedAddress]

    def collect(self, progress: Progress) -> tuple[RowResult, ...]:
        return self.distinct.results(self.parsed, progress)


def _parse_texts(texts: list[Any], progress: Progress) -> tuple[RowResult, ...]:
    distinct = _Distinct.of(texts)
    # The engine is called a chunk at a time: progress and Cancel are checked between.
    chunks = (
        distinct.items[start : start + CHUNK] for start in range(0, len(distinct.items), CHUNK)
    )
    parsed = (one for chunk in chunks for one in _engine.parse_many([t for _, t in chunk]))
    return distinct.results(parsed, progress)


def _text_of(key: Any, texts: list[Any]) -> Any:
    """The text a `_Distinct` key stands for."""
    if type(key) is str:
        return key
    kind, value = key
    return texts[value] if kind is None else value


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
