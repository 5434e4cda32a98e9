"""The embedded gazetteer: official divisions, short names, historic names, coordinates.

Loaded once per process from ``addrkit/data/gazetteer.json.gz`` (built by
``scripts/build_gazetteer.py``; its ``meta`` records sources, versions and
checksums). Nothing is read at import: call :func:`default_gazetteer`.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import GazetteerDataError
from ..reuse import ReuseTable
from .cache import cached
from .finder import NameFinder
from .indexing import ALIAS, FULL, HISTORIC, RENAMED, WRONG_STATUS, ZONE, decode_entries

__all__ = [
    "Gazetteer",
    "Division",
    "default_gazetteer",
    "PROVINCE",
    "CITY",
    "DISTRICT",
    "TOWNSHIP",
    "FULL",
    "ALIAS",
    "HISTORIC",
    "RENAMED",
    "WRONG_STATUS",
    "ZONE",
]

PROVINCE, CITY, DISTRICT, TOWNSHIP = 1, 2, 3, 4

# How a surface string names a division (bit flags, see indexing): the official name,
# a short form, a former name, a township's other status suffix.

_ANY = "\x00"  # the wildcard letter of ``province_one_letter`` (no name contains it)

MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
# Hong Kong, Macau, Taiwan: the official table has no districts or townships for them.
OUTSIDE_MAINLAND = frozenset({"810000", "820000", "710000"})


@dataclass(frozen=True, slots=True)
class Division:
    """One official division, for callers outside the parser's hot path."""

    code: str
    name: str
    level: int
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class HistoricName:
    """A former name and the current divisions it now belongs to."""

    name: str
    level: int
    scope: int  # index of the current division the old name lived in
    targets: tuple[int, ...]  # main successor first
    since: str
    source: str


class Gazetteer:
    """Division tables as parallel lists indexed by an integer id, plus lookup indices.

    Parallel lists (not one object per division) keep load time and memory small
    for ~42,000 divisions and make the parser's inner loop plain list indexing.
    """

    def __init__(self, payload: dict) -> None:
        rows = payload["divisions"]
        self.meta: dict = payload["meta"]
        self.codes: list[str] = [r[0] for r in rows]
        self.names: list[str] = [r[3] for r in rows]
        self.levels: list[int] = [r[2] for r in rows]
        self.index_of: dict[str, int] = {c: i for i, c in enumerate(self.codes)}
        index_of = self.index_of
        self.parent: list[int] = [index_of.get(r[1], -1) for r in rows]

        # Ancestor ids per division (province, city, district), -1 where absent.
        self.ancestors: list[tuple[int, ...]] = []
        parent = self.parent
        for i in range(len(rows)):
            chain = []
            p = parent[i]
            while p >= 0:
                chain.append(p)
                p = parent[p]
            self.ancestors.append(tuple(chain))

        self.province_ids: list[int] = [i for i, lvl in enumerate(self.levels) if lvl == PROVINCE]
        self.children: dict[int, list[int]] = {}
        for i, p in enumerate(parent):
            if p >= 0:
                self.children.setdefault(p, []).append(i)

        self.history: list[HistoricName] = [
            HistoricName(
                name, level, index_of[scope], tuple(index_of[t] for t in targets), since, source
            )
            for name, level, scope, targets, since, source in payload["history"]
        ]
        # Precomputed by the build (indexing.build_lookup, stored by encode_lookup): every
        # surface string that names a division, and its entries. One compiled automaton
        # finds all of them in a text in a single call (a pure-Python scan, position by
        # position, took about half of the parser's time).
        lookup = payload["lookup"]
        self.surfaces: list[str] = lookup["surfaces"].split("\n")
        self.name_finder = NameFinder(self.surfaces)
        # Entries per surface id: the encoded string until first use, then the decoded list.
        self.surface_entries: list[str | list[tuple[int, int, int]]] = lookup["entries"].split("\n")
        # Per surface id, once worked out: the entries that count in the middle of a word
        # (see ``strict_entries_of``).
        self.surface_strict: list[list[tuple[int, int, int]] | None] = [None] * len(self.surfaces)
        # Full province and prefecture names: all that is looked for after a house number
        # (a second address glued on).
        self.upper_surface_ids: frozenset[int] = frozenset(
            self._surface_id(name) for name in lookup["upper"].split("\n") if name
        )

        # (code, [lower-case pinyin or English keys]) of provinces, prefectures and counties.
        self.english: list = payload.get("english", [])
        self.coordinates: dict[str, tuple[float, float]] = {
            code: (lon, lat) for code, (lon, lat) in payload["coordinates"].items()
        }
        pairs = payload["t2s"]
        self.t2s_table = {ord(pairs[k]): pairs[k + 1] for k in range(0, len(pairs), 2)}
        # Finds text that may need converting. sre matches a class of characters below
        # U+10000 with a bitmap (0.2 µs an address, five times faster than a set test),
        # but scans a class with characters above it linearly: those (354 rare characters)
        # are covered by the whole range, and ``str.translate`` then decides.
        bmp = "".join(sorted(c for c in pairs[0::2] if ord(c) < 0x10000))
        self.traditional_pattern = re.compile(f"[{re.escape(bmp)}\U00010000-\U0010ffff]")
        # A province's name or short form with one letter wrong (安微): every such word, as
        # the name with a wildcard at the wrong letter → (rank, province, form), so that a
        # word is checked by a few look-ups instead of a distance to every province.
        self.province_one_letter: dict[str, list[tuple[int, int, str]]] = {}
        for rank, i in enumerate(self.province_ids):
            name = self.names[i]
            for form in dict.fromkeys((name, name[:-1] if name.endswith("省") else name)):
                for p in range(len(form)):
                    key = f"{form[:p]}{_ANY}{form[p + 1 :]}"
                    self.province_one_letter.setdefault(key, []).append((rank, i, form))
        # Every former division name, anywhere (a typo is never fixed into one).
        self.former_names: frozenset[str] = frozenset(h.name for h in self.history)
        # Results derived from this gazetteer that its users keep for reuse (the parser's
        # per-name-set structures): they live and die with the data they came from.
        self.memo: dict[str, ReuseTable] = {}

    def __getstate__(self) -> dict:
        """What the built-gazetteer cache saves: everything built, nothing derived from use
        (the reuse tables start empty in each process)."""
        return {**self.__dict__, "memo": {}}

    # ------------------------------------------------------------------ lookups
    def entries(self, surface: str) -> list[tuple[int, int, int]] | None:
        """Every (division id, how, historic id) a string can name, or ``None``.

        Examples
        --------
        >>> g = default_gazetteer()
        >>> [g.names[d] for d, _how, _hid in g.entries("朝阳区")]
        ['朝阳区', '朝阳区']
        """
        sid = self._surface_id(surface)
        return None if sid is None else self.entries_of(sid)

    def entries_of(self, surface_id: int) -> list[tuple[int, int, int]]:
        """The entries of a surface id as ``name_finder`` reports it (decoded once)."""
        found = self.surface_entries[surface_id]
        if found.__class__ is str:
            found = self.surface_entries[surface_id] = decode_entries(found)
        return found

    def strict_entries_of(self, surface_id: int) -> list[tuple[int, int, int]]:
        """The entries of a surface that still count inside a word or before 路/村/…:
        official and former names of three characters or more (东区, 城区, 萧山 are words
        as often as places). The very list ``entries_of`` gives when nothing is left out,
        so ``strict is entries`` says no check is needed.
        """
        strict = self.surface_strict[surface_id]
        if strict is None:
            entries = self.entries_of(surface_id)
            if len(self.surfaces[surface_id]) > 2:
                strict = [e for e in entries if not e[1] & ALIAS]
            else:
                strict = []
            if len(strict) == len(entries):
                strict = entries
            self.surface_strict[surface_id] = strict
        return strict

    def province_one_letter_from(self, word: str) -> int:
        """The first province (in table order) whose name or short form differs from
        ``word`` in exactly one letter (same length: 安微 → 安徽省), or -1.

        Examples
        --------
        >>> g = default_gazetteer()
        >>> g.names[g.province_one_letter_from("安微")], g.province_one_letter_from("安徽")
        ('安徽省', -1)
        """
        found = None
        index = self.province_one_letter
        for p in range(len(word)):
            for hit in index.get(f"{word[:p]}{_ANY}{word[p + 1 :]}", ()):
                if hit[2] != word and (found is None or hit < found):
                    found = hit
        return -1 if found is None else found[1]

    def memo_table(self, name: str, limit: int) -> ReuseTable:
        """The reuse table ``name`` in ``memo`` (at most ``limit`` entries), made on first
        use (no table built per call, as ``memo.setdefault`` would on the hot path)."""
        table = self.memo.get(name)
        if table is None:
            table = self.memo[name] = ReuseTable(limit)
        return table

    def _surface_id(self, surface: str) -> int | None:
        for sid, start, end in self.name_finder.find_matches_as_indexes(surface, overlapping=True):
            if start == 0 and end == len(surface):
                return sid
        return None

    def division(self, code: str) -> Division:
        """The division with an official code.

        Examples
        --------
        >>> default_gazetteer().division("330106").name
        '西湖区'
        """
        i = self.index_of[code]
        p = self.parent[i]
        return Division(code, self.names[i], self.levels[i], self.codes[p] if p >= 0 else None)

    def find(self, name: str) -> list[Division]:
        """Every current division a name (official, short or historic) can mean.

        Examples
        --------
        >>> sorted(d.code for d in default_gazetteer().find("朝阳区"))
        ['110105', '220104']
        """
        seen: dict[int, None] = {}
        for i, _how, _hid in self.entries(name) or ():
            seen.setdefault(i)
        return [self.division(self.codes[i]) for i in seen]

    def coordinate_for(self, i: int) -> tuple[tuple[float, float], int] | None:
        """(lon, lat) of division ``i`` or of its nearest ancestor that has one, and that level."""
        j = i
        while j >= 0:
            c = self.coordinates.get(self.codes[j])
            if c is not None:
                return c, self.levels[j]
            j = self.parent[j]
        return None

    def __len__(self) -> int:
        return len(self.codes)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """Read a gazetteer file (default: the one shipped with addrkit).

        Raises
        ------
        GazetteerDataError
            The file is missing or damaged.
        """
        try:
            if path is None:
                raw = resources.files("addrkit.data").joinpath("gazetteer.json.gz").read_bytes()
            else:
                raw = Path(path).read_bytes()
        except OSError as err:
            raise GazetteerDataError(
                f"cannot read the embedded gazetteer ({err}); reinstall addrkit"
            ) from err
        # Built once per user and gazetteer file, then read back (see ``cache``).
        return cached(raw, lambda: cls._build(raw))

    @classmethod
    def _build(cls, raw: bytes) -> Gazetteer:
        try:
            payload = json.loads(gzip.decompress(raw))
        except (OSError, ValueError, EOFError) as err:
            raise GazetteerDataError(
                f"cannot read the embedded gazetteer ({err}); reinstall addrkit"
            ) from err
        if payload.get("format") != 4:
            raise GazetteerDataError(f"unsupported gazetteer format {payload.get('format')!r}")
        return cls(payload)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded on first use and shared by the whole process."""
    return Gazetteer.load()
