"""Block: candidate pairs from several keys, never all pairs (second verb of the pipeline).

Each :class:`BlockingKey` gives every record zero or more keys; records sharing a key are
candidates. A block up to ``block_cap`` records is compared all-pairs; a bigger one (a
phone shared by a whole chain, 100,000 identical rows) only within a sliding window of
``window`` neighbours, so the number of pairs stays below ``records × (block_cap + window)``
per key whatever the data. A sorted-neighbourhood key sorts the records by a text and
pairs each with its next ``window`` neighbours, which finds names that differ by a
character where no exact key would.

Pairs are generated with numpy over the sorted keys (offset by offset), not record by
record, so a million records take seconds.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .phones import local_part
from .prepare import PreparedTable

__all__ = [
    "BlockingKey",
    "PhoneKey",
    "NameKey",
    "RoadNumberKey",
    "AddressTailKey",
    "NameWordsKey",
    "AddressNumbersKey",
    "NameWordNumberKey",
    "EmailKey",
    "CreditCodeKey",
    "ColumnKey",
    "SortedNeighbourhood",
    "default_keys",
    "candidate_pairs",
]


class BlockingKey(ABC):
    """One way of grouping records; subclasses implement :meth:`keys`."""

    #: Sorted neighbourhood: all records in one block, sorted by key, windowed.
    sorted_neighbourhood: bool = False
    #: Comparison fields this key already agrees on (their levels are biased within its
    #: pairs, so the model does not learn them from these pairs).
    fields: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return type(self).__name__

    @abstractmethod
    def keys(self, table: PreparedTable) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(rows, keys)``: parallel arrays, one entry per (record, key), records
        without a key left out. Keys are any values that compare (texts, or integer codes
        of texts); a sorted-neighbourhood key's order is the order of its records."""


def _single(table: PreparedTable, column: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Rows with a non-empty value of ``column`` and that value's integer code."""
    if column is None:
        return np.empty(0, np.int64), np.empty(0, np.int32)
    codes, values = table.codes(column)
    rows = np.flatnonzero((values != "")[codes])
    return rows, codes[rows]


class PhoneKey(BlockingKey):
    """Every number of the record (last 8 digits, so area codes do not matter)."""

    fields = ("phones",)

    def keys(self, table):
        if table.phones is None:
            return _single(table, None)
        # Local parts once per distinct cell, then spread to the records holding it.
        codes, cells = table.codes("phones")
        parts = [sorted({local_part(n) for n in c.split("|")}) if c else [] for c in cells]
        local_codes, _ = pd.factorize(np.asarray([p for ps in parts for p in ps] or [""], object))
        per_cell = np.fromiter(map(len, parts), np.int64, len(parts))
        starts = np.concatenate(([0], np.cumsum(per_cell)[:-1]))
        counts = per_cell[codes]
        rows = np.repeat(np.arange(table.size, dtype=np.int64), counts)
        # Position of each (record, number) entry among its cell's numbers.
        within = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
        return rows, local_codes[np.repeat(starts[codes], counts) + within]


class NameKey(BlockingKey):
    """The name core (legal suffix removed)."""

    fields = ("name_core",)

    def keys(self, table):
        return _single(table, None if table.name_core is None else "name_core")


class RoadNumberKey(BlockingKey):
    """Road and house number (文三路90) wherever the address names one."""

    fields = ("address",)

    def keys(self, table):
        return _single(table, None if table.address is None else "address.road_key")


class AddressTailKey(BlockingKey):
    """The whole address below the township, in canonical spelling."""

    fields = ("address",)

    def keys(self, table):
        return _single(table, None if table.address is None else "address.tail")


class NameWordsKey(BlockingKey):
    """The words of the name core in alphabetical order: ``fusco lachlan`` meets
    ``lachlan fusco``. Only names of two words or more have one."""

    fields = ("name_core",)

    def keys(self, table):
        if table.name_core is None:
            return _single(table, None)
        codes, values = table.codes("name_core")
        words = np.asarray([" ".join(sorted(v.split())) if " " in v else "" for v in values])
        rows = np.flatnonzero((words != "")[codes])
        return rows, pd.factorize(words)[0][codes[rows]]


class AddressNumbersKey(BlockingKey):
    """All the numbers of the address (house, unit, postcode …): an address whose words
    were mistyped or reordered still has its numbers."""

    fields = ("address",)

    def keys(self, table):
        if table.address is None:
            return _single(table, None)
        codes, values = table.codes("address.numbers")
        # One number alone (1号) is shared by half a city: two or more make a key.
        usable = np.asarray(["|" in v for v in values], bool)
        rows = np.flatnonzero(usable[codes])
        return rows, codes[rows]


class NameWordNumberKey(BlockingKey):
    """A word of the name (four letters or more) with a number of the address: the
    surname kept at the same house or postcode while the given name was replaced and the
    street retyped (``joanna matthews, 26 yampi plvace … 2098`` / ``nicholas matthews,
    26 cerutty crescent … 2089``). Only names written in words have one."""

    fields = ("name_core", "address")

    def keys(self, table):
        if table.name_core is None or table.address is None:
            return _single(table, None)
        name_codes, names = table.codes("name_core")
        number_codes, numbers = table.codes("address.numbers")
        words = [[w for w in v.split() if len(w) >= 4] if " " in v else [] for v in names]
        has = np.fromiter(map(bool, words), bool, len(words))[name_codes]
        has &= (numbers != "")[number_codes]
        holders = np.flatnonzero(has)
        if len(holders) == 0:
            return _single(table, None)
        # Each distinct (name, numbers) combination once: a list repeats both.
        combo, inverse = np.unique(
            np.stack((name_codes[holders], number_codes[holders]), axis=1),
            axis=0,
            return_inverse=True,
        )
        per_combo = [
            [f"{w}#{n}" for w in words[a] for n in numbers[b].split("|")] for a, b in combo
        ]
        counts = np.fromiter(map(len, per_combo), np.int64, len(per_combo))[inverse.reshape(-1)]
        rows = np.repeat(holders, counts)
        keys = [key for c in inverse.reshape(-1).tolist() for key in per_combo[c]]
        return rows, pd.factorize(np.asarray(keys, object))[0]


class EmailKey(BlockingKey):
    fields = ("email",)

    def keys(self, table):
        return _single(table, None if table.email is None else "email")


class CreditCodeKey(BlockingKey):
    fields = ("credit_code",)

    def keys(self, table):
        return _single(table, None if table.credit_code is None else "credit_code")


@dataclass(frozen=True)
class ColumnKey(BlockingKey):
    """The exact prepared value of one other column."""

    column: str

    @property
    def name(self) -> str:
        return f"ColumnKey({self.column})"

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.column,)

    def keys(self, table):
        return _single(table, f"other.{self.column}" if self.column in table.others else None)


@dataclass(frozen=True)
class SortedNeighbourhood(BlockingKey):
    """Records sorted by a text (name core, address tail, or one of them reversed)."""

    field: str
    reverse: bool = False
    sorted_neighbourhood = True

    @property
    def name(self) -> str:
        return f"SortedNeighbourhood({self.field}{', reversed' if self.reverse else ''})"

    @property
    def fields(self) -> tuple[str, ...]:
        return {"name": ("name_core",), "address": ("address",)}.get(self.field, (self.field,))

    def keys(self, table):
        if self.field == "name":
            column = None if table.name_core is None else "name_core"
        elif self.field == "address":
            column = None if table.address is None else "address.tail"
        else:
            column = f"other.{self.field}" if self.field in table.others else None
        rows, codes = _single(table, column)
        if column is None:
            return rows, codes
        # Sort the distinct texts only; the key of a record is its text's rank.
        values = table.codes(column)[1]
        if self.reverse:
            values = np.asarray([v[::-1] for v in values], object)
        rank = np.empty(len(values), np.int64)
        rank[np.argsort(values, kind="stable")] = np.arange(len(values))
        return rows, rank[codes]


def default_keys(table: PreparedTable) -> tuple[BlockingKey, ...]:
    """The keys used when none are given: every one the table's columns allow."""
    keys: list[BlockingKey] = [PhoneKey(), NameKey(), RoadNumberKey(), AddressTailKey()]
    keys += [NameWordsKey(), AddressNumbersKey(), NameWordNumberKey()]
    keys += [EmailKey(), CreditCodeKey()]
    keys += [SortedNeighbourhood("name"), SortedNeighbourhood("name", reverse=True)]
    keys += [SortedNeighbourhood("address"), SortedNeighbourhood("address", reverse=True)]
    for column in table.others:
        keys += [ColumnKey(column), SortedNeighbourhood(column)]
    return tuple(keys)


def _pairs_for_key(
    rows: np.ndarray, keys: np.ndarray, *, windowed_only: bool, block_cap: int, window: int
) -> np.ndarray:
    """Encoded pairs ``lo * n + hi`` for one key (before the caller adds ``n``)."""
    if len(rows) < 2:
        return np.empty((0, 2), np.int64)
    codes, _ = pd.factorize(keys, sort=windowed_only)
    order = np.lexsort((rows, codes))
    rows, codes = rows[order], codes[order]
    sizes = np.bincount(codes)
    small = sizes[codes] <= block_cap
    found = []
    reach = window if windowed_only else max(block_cap - 1, window)
    for offset in range(1, min(reach, len(rows) - 1) + 1):
        a, b = rows[:-offset], rows[offset:]
        if windowed_only:
            keep = np.ones(len(a), bool)
        else:
            keep = codes[:-offset] == codes[offset:]
            if offset > window:
                keep &= small[:-offset]
            if not keep.any():
                break
        found.append(np.stack((a[keep], b[keep]), axis=1))
    return np.concatenate(found) if found else np.empty((0, 2), np.int64)


def candidate_pairs(
    table: PreparedTable,
    keys: tuple[BlockingKey, ...] | None = None,
    *,
    block_cap: int = 50,
    window: int = 8,
    sample_per_key: int = 0,
    seed: int = 0,
) -> tuple[np.ndarray, dict[BlockingKey, np.ndarray]]:
    """All candidate pairs of ``table``, each once.

    Parameters
    ----------
    table
        The prepared records.
    keys
        Blocking keys (default :func:`default_keys`).
    block_cap, window
        See :class:`~addrkit.dedupe.model.DedupeSettings`.

    Returns
    -------
    pairs : ndarray of shape (P, 2), int64
        Row positions ``(left, right)`` with ``left < right``, sorted.
    per_key : dict
        Key → the pairs it proposed (at most ``sample_per_key`` drawn at random, none if 0);
        the model learns from them how fields other than the key's agree on duplicates.

    Examples
    --------
    >>> import pandas as pd
    >>> from addrkit.dedupe.model import ColumnRole
    >>> from addrkit.dedupe.prepare import prepare
    >>> t = prepare(pd.DataFrame({"n": ["甲科技有限公司", "甲科技", "乙科技"]}), {"n": ColumnRole.NAME})
    >>> candidate_pairs(t, (NameKey(),))[0].tolist()
    [[0, 1]]
    """
    n = table.size
    keys = default_keys(table) if keys is None else keys
    encoded, per_key = [], {}
    rng = np.random.default_rng(seed)
    for key in keys:
        rows, values = key.keys(table)
        pairs = _pairs_for_key(
            rows,
            values,
            windowed_only=key.sorted_neighbourhood,
            block_cap=block_cap,
            window=window,
        )
        if len(pairs):
            lo, hi = pairs.min(axis=1), pairs.max(axis=1)
            distinct = lo != hi
            encoded.append(lo[distinct] * n + hi[distinct])
            if sample_per_key:
                own = np.stack((lo[distinct], hi[distinct]), axis=1)
                if len(own) > sample_per_key:
                    own = own[rng.choice(len(own), sample_per_key, replace=False)]
                per_key[key] = own
    unique = np.concatenate(encoded) if encoded else np.empty(0, np.int64)
    if not len(unique):  # no key proposed two different rows (e.g. a one-row list)
        return np.empty((0, 2), np.int64), per_key
    del encoded
    unique.sort()
    unique = unique[np.concatenate(([True], unique[1:] != unique[:-1]))]
    return np.stack((unique // n, unique % n), axis=1), per_key
