"""Find division names in clean text and choose the one hierarchy they describe.

Two steps, both on the gazetteer's integer ids:

1. ``scan`` walks the text left to right and takes, at each position, the longest
   string that names some division (official, short or historic name).
2. ``resolve`` scores every division named anywhere by the evidence for it: its own
   match plus the matches of its ancestors (a township named with its district and
   city outweighs a stray name). The best-scoring division is the deepest level
   found; ties between unrelated divisions are reported as ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..gazetteer.store import ALIAS, FULL, HISTORIC, TOWNSHIP, Gazetteer

__all__ = ["Match", "Resolution", "scan", "resolve"]

# A short name followed by one of these is a road, village or building named after the
# place (中山路, 萧山村, 西湖花园 is still allowed), not the division itself.
_NOT_DIVISION_AFTER = frozenset("路街道巷弄村组社区小大桥公园广场厦中心站场院馆店楼号")

# Evidence weights: an official name is strong, a short form weaker (it is more often a
# word that happens to be a place name), a historic name in between.
_WEIGHT = {FULL: 1.0, ALIAS: 0.75, HISTORIC: 0.95, HISTORIC | ALIAS: 0.7}
_OUTSIDE_LEADING_CHAIN = 0.9  # names after the leading run of divisions count a little less


@dataclass(slots=True)
class Match:
    start: int
    end: int
    entries: list  # (division id, how, historic id) from the gazetteer name index
    leading: bool = False  # part of the run of division names the address starts with


@dataclass(slots=True)
class Resolution:
    best: int  # division id, or -1 when nothing (or nothing unambiguous) was found
    support: dict  # division id on the chosen path -> (Match, how, historic id)
    candidates: list  # tied division ids when ambiguous
    repeated: bool


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def scan(text: str, g: Gazetteer) -> list[Match]:
    """Every division name in ``text``, longest first at each position, non-overlapping."""
    index, longest = g.name_index, g.longest_from_prefix
    matches: list[Match] = []
    n = len(text)
    i = 0
    prev_end = 0
    while i < n - 1:
        top = longest.get(text[i : i + 2])
        if top:
            for length in range(min(top, n - i), 1, -1):
                entries = index.get(text[i : i + length])
                if entries is None:
                    continue
                end = i + length
                at_boundary = i == 0 or i == prev_end or not _is_cjk(text[i - 1])
                followed_ok = end >= n or text[end] not in _NOT_DIVISION_AFTER
                if not (at_boundary and followed_ok):
                    # Short or historic-short forms only count where a division name can
                    # stand: at the start, right after another division, after punctuation.
                    entries = [e for e in entries if not e[1] & ALIAS]
                    if not entries:
                        continue
                matches.append(Match(i, end, entries))
                prev_end = end
                i = end
                break
            else:
                i += 1
            continue
        i += 1
    _mark_leading(text, matches)
    return matches


def _mark_leading(text: str, matches: list[Match]) -> None:
    """Mark the run of matches the address starts with (gaps without Chinese allowed: 'null')."""
    pos = 0
    for m in matches:
        gap = text[pos : m.start]
        if any(_is_cjk(c) for c in gap):
            return
        m.leading = True
        pos = m.end


def resolve(matches: list[Match], g: Gazetteer) -> Resolution:
    """Choose the deepest division the matches support best."""
    evidence: dict[int, tuple[float, Match, int, int]] = {}
    repeated = False
    scope_of: dict[int, int] = {}
    for m in matches:
        factor = 1.0 if m.leading else _OUTSIDE_LEADING_CHAIN
        for div, how, hid in m.entries:
            w = _WEIGHT[how] * factor
            old = evidence.get(div)
            if old is not None:
                if old[1] is not m and m.leading and old[1].leading:
                    repeated = True
                if old[0] >= w:
                    continue
            evidence[div] = (w, m, how, hid)
            if hid >= 0:
                scope_of[div] = g.history[hid].scope

    if not evidence:
        return Resolution(-1, {}, [], False)

    ancestors, levels = g.ancestors, g.levels
    best_score = -1.0
    best: list[int] = []
    for div, (w, m, how, hid) in evidence.items():
        score = w
        supported = False
        for a in ancestors[div]:
            e = evidence.get(a)
            if e is not None and e[1] is not m:
                score += e[0]
                supported = True
        scope = scope_of.get(div)
        if scope is not None and scope not in ancestors[div]:
            e = evidence.get(scope)
            if e is not None and e[1] is not m:
                score += e[0]
                supported = True
        if levels[div] == TOWNSHIP and how & ALIAS and not supported:
            continue  # a bare short township name (城关, 新村) is too often something else
        if score > best_score + 1e-9:
            best_score, best = score, [div]
        elif abs(score - best_score) <= 1e-9:
            best.append(div)

    if not best:
        return Resolution(-1, {}, [], repeated)
    if len(best) > 1:
        # Prefer a current name over a historic one for the very same place.
        uniq = list(dict.fromkeys(best))
        if len(uniq) > 1:
            return Resolution(-1, {}, uniq, repeated)
    chosen = best[0]
    support = {}
    for d in (chosen, *ancestors[chosen]):
        e = evidence.get(d)
        if e is not None:
            support[d] = (e[1], e[2], e[3])
    scope = scope_of.get(chosen)
    if scope is not None and scope in evidence and scope not in support:
        e = evidence[scope]
        support[scope] = (e[1], e[2], e[3])
    return Resolution(chosen, support, [], repeated)
