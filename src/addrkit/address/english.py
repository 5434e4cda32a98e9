"""Division names written in English or pinyin: "No. 1 Century Avenue, Pudong New Area, Shanghai".

An address written for a foreign system names its divisions in pinyin with an English
level word (Haidian District, Guangdong Province, Shenzhen City) or with the official
English name (Inner Mongolia, Tibet, Hong Kong). Each comma-separated part that names a
province, prefecture or county is read as that division's Chinese name; the Chinese names
are then parsed as usual, and the other parts (house number, road, building) are kept as
written in the detail.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..gazetteer.store import Gazetteer

__all__ = ["EnglishRead", "read_english"]

# Level words after a name, longest first so that "New Area" wins over "Area".
_LEVEL_WORDS = (
    ("special administrative region", (1,)),
    ("autonomous prefecture", (2,)),
    ("autonomous region", (1,)),
    ("autonomous county", (3,)),
    ("municipality", (1,)),
    ("new district", (3,)),
    ("prefecture", (2,)),
    ("new area", (3,)),
    ("province", (1,)),
    ("district", (3,)),
    ("county", (3,)),
    ("banner", (3,)),
    ("league", (2,)),
    ("city", (1, 2, 3)),
    ("sar", (1,)),
)
_ANY_LEVEL = (1, 2, 3)
_BARE_NAME_MIN = 4  # letters of a name written without a level word
_COUNTRY = frozenset(("china", "prchina", "peoplesrepublicofchina", "cn", "chn", "mainlandchina"))
_PARTS = re.compile(r"\s*[,，;；\n]+\s*")
_LETTERS = re.compile("[^a-z]")


class EnglishRead(NamedTuple):
    chinese: str  # the division names found, in Chinese, province first
    rest: str  # the other parts as written, joined with ", "


def read_english(text: str, g: Gazetteer) -> EnglishRead | None:
    """The Chinese division names an English or pinyin address names, or ``None``.

    Examples
    --------
    >>> from addrkit.gazetteer import default_gazetteer
    >>> read_english("No. 1 Century Avenue, Pudong New Area, Shanghai, China", default_gazetteer())
    EnglishRead(chinese='上海市浦东新区', rest='No. 1 Century Avenue')
    >>> read_english("221B Baker Street, London", default_gazetteer()) is None
    True
    """
    index = _index(g)
    named_parts: list[list[int]] = []  # per part that names divisions: the candidates
    rest: list[str] = []
    for part in _PARTS.split(text.strip()):
        if not part:
            continue
        key, levels = _key_and_levels(part)
        if key in _COUNTRY:
            continue
        # A bare word of a syllable or two (Ma, Pei) is too easily something else.
        short = len(key) < _BARE_NAME_MIN and levels == _ANY_LEVEL
        named = [] if short else [d for d in index.get(key, ()) if g.levels[d] in levels]
        if named:
            named_parts.append(named)
        else:
            rest.append(part)
    found: list[tuple[int, str]] = []  # (level, Chinese surface)
    for i, named in enumerate(named_parts):
        # Chaoyang District, Beijing: 朝阳区 under 北京市, not 潮阳区 in Shantou.
        others = {d for j, o in enumerate(named_parts) if j != i for d in o}
        placed = [d for d in named if others & {d, *g.ancestors[d]}] or named
        inside = [d for d in placed if not others.isdisjoint(g.ancestors[d])]
        named = inside or placed
        level = min(g.levels[d] for d in named)
        names = {g.names[d] for d in named if g.levels[d] == level}
        # One name (浦东新区) is written in full; several (朝阳区, 朝阳县 of "Chaoyang")
        # are left to the Chinese parser to settle by their common start.
        found.append((level, names.pop() if len(names) == 1 else _stem_of(named, g)))
    if not found:
        return None
    chinese = "".join(name for _level, name in sorted(found, key=lambda f: f[0]))
    return EnglishRead(chinese, ", ".join(rest))


def _key_and_levels(part: str) -> tuple[str, tuple[int, ...]]:
    low = " ".join(part.lower().split())
    for word, levels in _LEVEL_WORDS:
        if low.endswith(" " + word) and len(low) > len(word) + 1:
            return _LETTERS.sub("", low[: -len(word)]), levels
    return _LETTERS.sub("", low), _ANY_LEVEL


def _stem_of(named: list[int], g: Gazetteer) -> str:
    """The shortest common start of the candidates' names (朝阳区, 朝阳县 → 朝阳)."""
    names = [g.names[d] for d in named]
    common = names[0]
    for name in names[1:]:
        while not name.startswith(common):
            common = common[:-1]
    return common if len(common) >= 2 else names[0]


def _index(g: Gazetteer) -> dict[str, list[int]]:
    """English key → division ids, built on first use from the gazetteer's ``english`` rows."""
    table = g.memo_table("english.index", 1)
    index = table.get(0)
    if index is None:
        index = {}
        for code, keys in g.english:
            for key in keys:
                index.setdefault(key, []).append(g.index_of[code])
        table.remember(0, index)
    return index
