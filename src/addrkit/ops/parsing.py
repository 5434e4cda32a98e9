"""The one place operations call the address engine.

Every operation that needs parsed addresses goes through `parse_table`, which looks
``parse_many`` up on `addrkit.address` at call time (so a test or a later engine can
be swapped in at a single point) and memoises the result on the table for the run.
Only what the operations write is kept of each parse (`RowResult`): a full
`ParsedAddress` is about 670 bytes, a million of them more than half a gigabyte.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import address as _engine
from ..address import Issue, ParsedAddress, Status
from ..address.model import Precision
from ..progress import Progress
from ..table import ColumnRole
from .base import CustomerTable

__all__ = ["address_texts", "parse_table", "parse_rows", "RowResult", "CHUNK"]

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
    texts = address_texts(table)
    return dict(zip(rows, _parse_texts([texts[i] for i in rows], progress), strict=True))


def _parse_texts(texts: list[Any], progress: Progress) -> tuple[RowResult, ...]:
    keys = [(type(t).__name__, t) if _hashable(t) else (None, i) for i, t in enumerate(texts)]
    distinct: dict = {}
    rows_of: Counter = Counter(keys)
    for key, text in zip(keys, texts, strict=True):
        distinct.setdefault(key, text)
    progress.start(len(texts), "解析地址 Parsing addresses")
    results: dict = {}
    items = list(distinct.items())
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        for (key, _), parsed in zip(chunk, _engine.parse_many([t for _, t in chunk]), strict=True):
            results[key] = RowResult.of(parsed)
        progress.advance(sum(rows_of[key] for key, _ in chunk))
    return tuple(results[k] for k in keys)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
