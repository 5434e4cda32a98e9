"""What the division names found in an address say, independent of its street and number.

A `Structure` is worked out once per distinct set of names (see the parser's cache):
the chosen hierarchy, where the divisions end, the names as written, and the issues
that follow from the names alone (inferred, historic, mismatched, typo, ambiguous).
"""

from __future__ import annotations

import re
from functools import partial

from rapidfuzz.distance import Levenshtein

from ..gazetteer.store import (
    ALIAS,
    CITY,
    DISTRICT,
    HISTORIC,
    MUNICIPALITIES,
    OUTSIDE_MAINLAND,
    PROVINCE,
    RENAMED,
    TOWNSHIP,
    WRONG_STATUS,
    ZONE,
    Gazetteer,
)
from ..geocode.points import POINTS_CRS, division_points
from .issues import Issue, IssueCode, status_for
from .model import ADMIN_LEVELS, AsWritten, ParsedAddress, Precision
from .resolve import (
    AREA_WORDS,
    COMMON_NAME_ENTRIES,
    DISTRICT_PLACEHOLDERS,
    DIVISION_SHAPED,
    Match,
    Resolution,
    common_name_index,
    division_shaped_word,
    province_typo,
    resolve,
)

__all__ = ["Structure", "fix_typo"]

_CRS = POINTS_CRS
_PRECISION = {
    PROVINCE: Precision.PROVINCE,
    CITY: Precision.CITY,
    DISTRICT: Precision.DISTRICT,
    TOWNSHIP: Precision.TOWNSHIP,
}
_LEVEL_FIELD = dict(zip((PROVINCE, CITY, DISTRICT, TOWNSHIP), ADMIN_LEVELS, strict=True))
# A division-like token right after the last recognised level: candidates for typo fixing.
_NEXT_DIVISION = {
    CITY: re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:市|地区|州|盟))"),
    DISTRICT: re.compile(r"^([\u4e00-\u9fff]{1,5}?(?:区|县|市|旗))"),
    TOWNSHIP: re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:街道|镇|乡))"),
}


# ParsedAddress from all its fields in order, at C speed: a named tuple's own __new__
# is a Python function, a measurable part of a cached address's cost.
_new_parsed_address = partial(tuple.__new__, ParsedAddress)
assert len(ParsedAddress._fields) == 21  # the order ``Structure.result`` relies on


class Structure:
    """What an address's division names say, independent of its street and number."""

    __slots__ = (
        "best", "deepest_level", "rest_match", "township_match", "head",
        "fields", "issues", "weak", "short_township", "head_without_township", "repeat_tail",
        "short_last", "stranger_cut",
    )  # fmt: skip

    def result(self, original, street, number, detail, normalized, issues) -> ParsedAddress:
        """The parsed address for one text with these divisions (built positionally: hot path)."""
        f = self.fields
        frozen = tuple(issues)
        return _new_parsed_address((
            original, f["province"], f["city"], f["district"], f["township"], street, number,
            detail, f["adcode"], normalized, status_for(frozen), frozen, f["as_written"],
            f["lat"], f["lon"], f["precision"], f["crs"], f["country"], None, None, None,
        ))  # fmt: skip

    def rest_start(self, matches: list[Match]) -> int:
        """Where street and detail begin: after the last leading name on the path."""
        return matches[self.rest_match].end if self.rest_match >= 0 else 0

    @classmethod
    def build(
        cls, text: str, matches: list[Match], g: Gazetteer, typo=None, typo_start: int = -1
    ) -> Structure:
        """Work out the structure; ``typo`` is (division id, token) when the token at
        ``typo_start`` (default: right after the names) was fixed to that division."""
        self = cls()
        issues: list[Issue] = []
        res = resolve(matches, g)
        if res.best < 0 and res.candidates:
            res = _settled_by_a_typo(text, matches, res, g) or res
        res = _misspelt_child_over_a_stranger(text, matches, res, g) or res
        self.rest_match = self.township_match = self.short_township = self.repeat_tail = -1
        self.short_last = self.stranger_cut = -1
        self.head = self.head_without_township = ""
        self.weak = res.weak
        if res.weak:
            found = res.candidates or ([res.best] if res.best >= 0 else [])
            issues.append(
                Issue(IssueCode.WEAK_EVIDENCE, " | ".join(_full_name(g, c) for c in found[:6]))
            )
        if res.best < 0 and res.weak:
            self.best = self.deepest_level = -1  # 凤凰创意大厦: candidates said, nothing filled
            self.fields = {}
            self.issues = tuple(issues)
            return self
        if res.best < 0:
            self.best = self.deepest_level = -1
            # The street starts after the last leading name among the candidates; a name
            # nothing was made of (中山路 of 中山路街道 in 中山路12号) stays in the street.
            candidates = set(res.candidates)
            for i, m in enumerate(matches):
                if m.leading and _names_one_of(m.entries, candidates, g):
                    self.rest_match = i
            self.fields = _unresolved_fields(res, issues, g, text, matches)
            self.issues = tuple(issues)
            return self

        path = _path(g, res.best)  # level -> division id
        # The divisions end after the last leading name on the chosen path (a repeated
        # "浙江省温州市乐清市浙江省温州市乐清市" ends after the second copy).
        on_path = set(path.values()) | res.support.keys()
        for i, m in enumerate(matches):
            if m.leading and _names_one_of(m.entries, on_path, g) and not _zone(m):
                self.rest_match = i  # matches are in text order: the last one wins
        rest_start = self.rest_start(matches)
        self.repeat_tail = _repeat_tail(matches, self.rest_match, on_path, g)
        # (a repeated run is cut as such: 江都区江都镇江苏省… holds 镇江 across a seam)
        self.stranger_cut = (
            -1 if res.repeated else _stranger_cut(matches, self.rest_match, on_path, g)
        )

        typo_written = None
        explained: set[int] = set()
        if typo is not None:
            div, token = typo
            if typo_start >= 0:
                rest_start = typo_start
            # The name found where the typo is (盘石镇 elsewhere for 乐清's 磐石镇) is the typo.
            explained.update(id(m) for m in matches if m.start == rest_start)
            issues.append(Issue(IssueCode.TYPO_CORRECTED, f"{token} → {g.names[div]}"))
            path = _path(g, div)
            res.support[div] = (Match(rest_start, rest_start + len(token), [], True), 0, -1)
            res = Resolution(div, res.support, [], res.repeated)
            typo_written = (_LEVEL_FIELD[g.levels[div]], token)
            rest_start += len(token)
        if res.repeated:
            issues.append(Issue(IssueCode.REPEATED_PART))

        written = _as_written(text, res, g, matches, rest_start, issues, explained)
        for level, token in _unknown_tokens_in_run(text, matches, rest_start, g):
            # 浙江省杭洲市西湖区: the run names the city, with a typo, between known names.
            div = path.get(level)
            if div is not None and getattr(written, _LEVEL_FIELD[level]) is None:
                written = written._replace(**{_LEVEL_FIELD[level]: token})
                close = (
                    province_typo(token, g) == div
                    if level == PROVINCE
                    else _one_letter_from_a_name_of(token, div, g)
                )
                code = IssueCode.TYPO_CORRECTED if close else IssueCode.HIERARCHY_MISMATCH
                issues.append(Issue(code, f"{token} → {g.names[div]}"))
        if typo_written is not None:
            written = written._replace(**dict([typo_written]))
        township_support = res.support.get(path.get(TOWNSHIP, -2))
        if township_support is not None and township_support[0].in_word:
            # 农林下路, 中山东路: a road named after the township; the text names the road, and
            # the township is inferred from it.
            written = written._replace(township=None)
        _level_issues(path, res, written, issues, g)
        _lone_short_name_issue(res, issues, g)
        _mismatch_issues(matches, res, rest_start, issues, g, explained)

        # A township's short name that ends the run (宁围 in 萧山区宁围…): the parser keeps its
        # characters in the text when another word may read them (see there).
        if (
            township_support is not None
            and township_support[1] == ALIAS
            and typo is None
            and self.rest_match >= 0
            and matches[self.rest_match] is township_support[0]
        ):
            self.short_township = self.rest_match
        elif typo is None and self.rest_match >= 0:
            # The run ends on a short name of another level (柯桥 in 柯桥联合市场, 浙江 in
            # 杭州浙江大学): the parser keeps its characters when a word runs on from it.
            self.short_last = _short_last(matches[self.rest_match], res, self.rest_match)
        # A township named after other words ("XX村宁围街道") stays where it was written.
        if township_support is not None and not township_support[0].leading:
            self.township_match = next(
                (i for i, m in enumerate(matches) if m is township_support[0]), -1
            )

        names = {lvl: g.names[div] for lvl, div in path.items()}
        city = names.get(CITY)
        if city is None and PROVINCE in path and g.codes[path[PROVINCE]] in MUNICIPALITIES:
            city = names[PROVINCE]  # 北京市朝阳区: the municipality is its own city
        in_rest = TOWNSHIP if self.township_match >= 0 else None
        self.head = "".join(
            names[lvl]
            for lvl in (PROVINCE, CITY, DISTRICT, TOWNSHIP)
            if lvl in names and lvl != in_rest
        )
        self.head_without_township = "".join(
            names[lvl] for lvl in (PROVINCE, CITY, DISTRICT) if lvl in names
        )
        coord = _point_inside(g, res.best)
        lon = lat = None
        precision = Precision.NONE
        if coord is not None:
            (lon, lat), level = coord
            precision = _PRECISION[level]
        self.best = res.best
        self.deepest_level = g.levels[res.best]
        self.fields = {
            "province": names.get(PROVINCE),
            "city": city,
            "district": names.get(DISTRICT),
            "township": names.get(TOWNSHIP),
            "adcode": g.codes[res.best],
            "as_written": written,
            "lat": lat,
            "lon": lon,
            "precision": precision,
            "crs": _CRS if coord is not None else None,
            "country": "CN",
        }
        self.issues = tuple(issues)
        return self


def _point_inside(g: Gazetteer, i: int) -> tuple[tuple[float, float], int] | None:
    """((lon, lat), level) of a point inside the current boundary of division ``i`` or of
    its nearest ancestor that has a boundary (townships have none: their county's point,
    labelled district). Not the gazetteer's county seats: a seat can lie outside today's
    boundary (余杭区's in today's 临平区) and new counties (钱塘区) have none."""
    points = division_points()
    while i >= 0:
        found = points.get(g.codes[i])
        if found is not None:
            return (found[1], found[0]), g.levels[i]
        i = g.parent[i]
    return None


def _settled_by_a_typo(text: str, matches: list[Match], res: Resolution, g: Gazetteer):
    """An ambiguous name settled by a misspelt division written with it: 杭洲市西湖区 is
    杭州市's 西湖区, not 南昌市's. None when no such word picks exactly one candidate."""
    for level, token in _unknown_tokens_in_run(text, matches, len(text), g):
        fits = [
            c
            for c in res.candidates
            if level in (path := _path(g, c)) and _one_letter_from_a_name_of(token, path[level], g)
        ]
        if len(fits) == 1:
            chosen = fits[0]
            named = next(
                ((m, how, hid) for m in matches for div, how, hid in m.entries if div == chosen),
                None,
            )
            if named is not None:  # every candidate comes from some match's entries
                return Resolution(chosen, {chosen: named}, [], res.repeated)
    return None


def _misspelt_child_over_a_stranger(text: str, matches: list[Match], res: Resolution, g):
    """乐清盘石镇: the 盘石镇 in Guizhou outscores the short 乐清 before it, but 乐清 has a
    磐石镇 one letter away. A name that only stands on its own, right after a leading
    name it does not belong to, is read as a typo of that name's child when there is one:
    resolved without it, so that the typo fix after 乐清市 finds 磐石镇. None otherwise."""
    lead = [m for m in matches if m.leading]
    if res.best < 0 or len(lead) < 2 or lead[1].start != lead[0].end:
        return None
    first, second = lead[0], lead[1]
    supporting = {id(s[0]) for s in res.support.values()}  # by identity: matches are unique
    if id(second) not in supporting or id(first) in supporting:
        return None
    # Only a stranger from another province: in the same one, boundaries move (萧山区义蓬镇
    # is 义蓬街道, now in 钱塘区), and that is not a typo.
    province = _path(g, res.best).get(PROVINCE)
    word = text[second.start : second.end]
    for d, _how, _hid in first.entries:
        if _path(g, d).get(PROVINCE) == province:
            return None
    for d, _how, _hid in first.entries:
        if g.levels[d] <= DISTRICT and _children_one_letter_from(word, d, g):
            return resolve([m for m in matches if m is not second], g)
    return None


def _repeat_tail(matches: list[Match], last: int, on_path: set[int], g: Gazetteer) -> int:
    """``last`` when it is the one name that repeats a division named before it in the run
    (浙江省杭州市西湖区浙江…: 浙江 again), else -1. The parser keeps such a name in the text
    when a word runs on from it (浙江大学 is a university, not 浙江 twice)."""
    if last <= 0:
        return -1
    named: list[set[int]] = [
        {d for d, _h, _x in m.entries if d in on_path}
        for m in matches[:last]
        if m.leading and len(m.entries) <= COMMON_NAME_ENTRIES
    ]
    seen: set[int] = set()
    for divisions in named:
        if divisions & seen:
            return -1  # another repeat before: the text is a repeated run, cut as such
        seen |= divisions
    tail = {d for d, _h, _x in matches[last].entries if d in on_path}
    return last if tail & seen else -1


def _stranger_cut(matches: list[Match], last: int, on_path: set[int], g: Gazetteer) -> int:
    """Where the divisions end when a word that merely names some other place stands in the
    run (泗安镇工业区浙江杰夫…, 临浦镇柏山陈村杭州发达…): the end of the path's names before
    it, so the word and what follows stay in the text; -1 when there is none.

    Only a short name or a township's name counts as such a word, and only when the path's
    names after it say nothing new (浙江, 杭州 again, inside a company's name). A county or
    prefecture written in full (余杭区乔司街道: 乔司 is in 临平区 now) is a division of the
    address, replaced by the official names as usual."""
    if last <= 0:
        return -1
    end, deepest, stranger = 0, 0, -1
    levels = g.levels
    for m in matches[: last + 1]:
        if not m.leading:
            continue
        path = [d for d, _h, _x in m.entries if d in on_path]
        if stranger < 0 and not path:
            if not all(how & ALIAS or levels[d] == TOWNSHIP for d, how, _h in m.entries):
                return -1
            stranger = end
        elif stranger < 0:
            end = m.end
            deepest = max(deepest, *(levels[d] for d in path))
        elif path and min(levels[d] for d in path) > deepest:
            # 杭州阜阳灵桥镇: the town after the stray name is news, not a repeat - unless
            # the text starts with the stray word and a two-character name follows inside
            # the same word (青口北区, 锦绣江南: an estate, kept whole after the official names)
            if end > 0 or m.end - m.start > 2:
                return -1
    return stranger


def _short_last(last: Match, res: Resolution, index: int) -> int:
    """``index`` when the name ``last`` was read on the chosen path in a short form only
    (柯桥, 浙江: not 柯桥区, 浙江省), else -1."""
    hows = [how for m, how, _h in res.support.values() if m is last]
    plain = [how & ALIAS and not how & (ZONE | WRONG_STATUS) for how in hows]
    return index if plain and all(plain) else -1  # (宁海区 for 宁海县 is written with its 区)


def _zone(m: Match) -> bool:
    """A zone's or new area's name (天府新区): evidence for its city; its text stays."""
    return all(how & ZONE for _d, how, _h in m.entries)


def _names_one_of(entries: list, divisions: set[int], g: Gazetteer) -> bool:
    if len(entries) > COMMON_NAME_ENTRIES:
        return not divisions.isdisjoint(common_name_index(entries, g).divisions)
    return any(e[0] in divisions for e in entries)


def _unresolved_fields(
    res: Resolution, issues: list[Issue], g: Gazetteer, text: str, matches: list[Match]
) -> dict:
    """Fields for names that could not be placed: ambiguous, or nothing usable."""
    if not res.candidates:
        roads = _named_by_roads(matches, g)
        if roads:
            # 余杭塘路, 滨海四路: a road named after a place is no proof the address is
            # there. Nothing is filled in, but the places it may mean are said.
            issues.append(Issue(IssueCode.ROAD_NAME_ONLY, roads))
        else:
            issues.append(Issue(IssueCode.UNKNOWN_DIVISION))
        return {}
    # Same name in several places and nothing in the text to choose: say which.
    issues.append(
        Issue(IssueCode.AMBIGUOUS, " | ".join(_full_name(g, c) for c in res.candidates[:6]))
    )
    shared = {}
    for level in (TOWNSHIP, DISTRICT, CITY, PROVINCE):
        names = {
            g.names[p[level]] if level in p else None for p in (_path(g, c) for c in res.candidates)
        }
        if len(names) == 1 and None not in names:
            shared[_LEVEL_FIELD[level]] = names.pop()
    return {**shared, "as_written": AsWritten(**(shared | _written_level(res, text, matches, g)))}


_MAX_LISTED = 6  # candidates named in an issue; more are counted


def _named_by_roads(matches: list[Match], g: Gazetteer) -> str:
    """The places the road names of the text are named after ("" when no road is): county
    level and up first (余杭塘路: 杭州市余杭区), then townships, at most six and a count."""
    found = {d for m in matches if m.in_word == "road" for d, _how, _h in m.entries}
    if not found:
        return ""
    ordered = sorted(found, key=lambda d: (g.levels[d], _full_name(g, d)))
    listed = " | ".join(_full_name(g, d) for d in ordered[:_MAX_LISTED])
    more = len(ordered) - _MAX_LISTED
    return f"{listed} | … (+{more})" if more > 0 else listed


def _written_level(res: Resolution, text: str, matches: list[Match], g: Gazetteer) -> dict:
    """What the text wrote, when one name means every candidate at one level: 江北区 is a
    district in Ningbo and Chongqing's former one. Which place is open; the text is not."""
    candidates = set(res.candidates)
    for m in matches:
        levels = {
            g.history[hid].level if how & HISTORIC else g.levels[div]
            for div, how, hid in m.entries
            if div in candidates
        }
        if len(levels) == 1 and candidates <= {div for div, _how, _hid in m.entries}:
            return {_LEVEL_FIELD[levels.pop()]: text[m.start : m.end]}
    return {}


def _path(g: Gazetteer, div: int) -> dict[int, int]:
    path = {g.levels[div]: div}
    for a in g.ancestors[div]:
        path[g.levels[a]] = a
    return path


def _full_name(g: Gazetteer, div: int) -> str:
    return "".join(g.names[a] for a in reversed(g.ancestors[div])) + g.names[div]


def _as_written(
    text: str, res: Resolution, g: Gazetteer, matches, rest_start, issues, explained: set
) -> AsWritten:
    fields = {}
    for div, (m, how, hid) in res.support.items():
        level = g.history[hid].level if how & HISTORIC else g.levels[div]
        # Typo fixes have no entries (their as-written token is set by the caller); a zone's
        # name (天府新区) is no division's name: the city is inferred from it.
        if m.entries and not how & ZONE:
            fields.setdefault(_LEVEL_FIELD[level], text[m.start : m.end])
    # A district written beside a township that has since moved to a neighbour
    # (杭州市余杭区乔司街道 → 临平区): keep what was written and say what changed. The
    # official name counts over a short form of the new district written after it
    # (余杭区临平南苑街道: 临平 was a place in 余杭区 when this was written).
    district = next(
        (d for d in (res.best, *g.ancestors[res.best]) if g.levels[d] == DISTRICT), None
    )
    support = res.support.get(district)
    before, official_only = rest_start, False
    if support is not None and support[1] & ALIAS:
        before, official_only = support[0].start, True
    if district is not None and ("district" not in fields or official_only):
        used = {id(m) for m, _h, _i in res.support.values()}
        city = g.parent[district]
        for m in matches:
            if m.leading and m.start < before and id(m) not in used:
                if any(
                    g.levels[d] == DISTRICT and g.parent[d] == city and not (official_only and how)
                    for d, how, _h in m.entries
                ):
                    explained.add(id(m))  # not a mismatch: the boundary moved
                    fields["district"] = text[m.start : m.end]
                    issues.append(
                        Issue(
                            IssueCode.HISTORIC_NAME, f"{fields['district']} → {g.names[district]}"
                        )
                    )
                    break
    return AsWritten(**fields)


def _level_issues(path, res, written: AsWritten, issues: list[Issue], g: Gazetteer) -> None:
    historic = [
        (text_name, g.names[div])
        for div, (m, how, hid) in res.support.items()
        if how & HISTORIC and (text_name := g.history[hid].name)
    ]
    # A former status form (兰溪县 for 兰溪市, 九堡镇 for 九堡街道): the place is certain,
    # the official name has changed.
    historic += [
        (getattr(written, _LEVEL_FIELD[g.levels[div]]), g.names[div])
        for div, (m, how, hid) in res.support.items()
        if how == RENAMED
    ]
    for old, new in historic:
        issues.append(Issue(IssueCode.HISTORIC_NAME, f"{old} → {new}"))
    # A split unit (江干区 → 上城区 or 钱塘区) names one of several places; only a township
    # written below it says which. Without one, the main successor is a guess.
    if g.levels[res.best] <= DISTRICT:
        for _m, how, hid in res.support.values():
            if how & HISTORIC and len(targets := g.history[hid].targets) > 1:
                split = " | ".join(g.names[t] for t in targets)
                issues.append(Issue(IssueCode.AMBIGUOUS, f"{g.history[hid].name} → {split}"))
    for div, (_m, how, _hid) in res.support.items():
        if how & WRONG_STATUS:
            old, new = getattr(written, _LEVEL_FIELD[g.levels[div]]), g.names[div]
            # Counties and county-level cities become districts (江津市 → 江津区, 满城县 →
            # 满城区), never the other way: 宁海区 for 宁海县 is a mistyped status.
            former = old[-1] in "县市" and new[-1] == "区"
            code = IssueCode.HISTORIC_NAME if former else IssueCode.TYPO_CORRECTED
            issues.append(Issue(code, f"{old} → {new}"))
    deepest = g.levels[res.best]
    inferred = []
    for level in (PROVINCE, CITY, DISTRICT):
        if level >= deepest:
            break
        div = path.get(level)
        if div is None:
            continue  # e.g. no prefecture above a province-administered county
        if getattr(written, _LEVEL_FIELD[level]) is None:
            inferred.append(g.names[div])
    if deepest == TOWNSHIP and written.township is None:
        inferred.append(g.names[res.best])  # from a road named after it
    if inferred:
        issues.append(Issue(IssueCode.INFERRED_LEVEL, "、".join(inferred)))
    if deepest < DISTRICT:
        has_district_below = any(g.levels[c] == DISTRICT for c in g.children.get(res.best, ()))
        if g.codes[path[PROVINCE]] in OUTSIDE_MAINLAND:
            # 台北市信义区…: the data has no districts here; the text is not missing one.
            issues.append(Issue(IssueCode.OUTSIDE_MAINLAND))
        elif deepest == PROVINCE and g.codes[res.best] in MUNICIPALITIES:
            issues.append(Issue(IssueCode.MISSING_DISTRICT))  # 北京市: its own city
        elif deepest == PROVINCE:
            issues.append(Issue(IssueCode.MISSING_CITY))
        elif has_district_below:
            issues.append(Issue(IssueCode.MISSING_DISTRICT))


# A county's short name alone that as many towns elsewhere are also called (凤凰: 凤凰县 and
# dozens of 凤凰镇) is a guess, not an answer: 凤凰创意大厦 is as likely a building anywhere.
_NAMESAKE_TOWNS = 3


def _lone_short_name_issue(res: Resolution, issues: list[Issue], g: Gazetteer) -> None:
    """AMBIGUOUS when one name alone decided and many places share it: a county's short
    name that towns elsewhere also bear (凤凰创意大厦), or a town's name shared by dozens
    (和平镇). The first reading is kept; the candidates are said."""
    if len(res.support) != 1 or g.levels[res.best] < DISTRICT:
        return
    m, how, _hid = res.support[res.best]
    level = g.levels[res.best]
    elsewhere = [
        d
        for d, _h, _x in m.entries
        if d != res.best and g.levels[d] == TOWNSHIP and res.best not in g.ancestors[d]
    ]
    if (level == DISTRICT and how == ALIAS and len(elsewhere) >= _NAMESAKE_TOWNS) or (
        level == TOWNSHIP and len(m.entries) > COMMON_NAME_ENTRIES
    ):
        names = " | ".join(_full_name(g, d) for d in (res.best, *elsewhere[:4]))
        issues.append(Issue(IssueCode.AMBIGUOUS, f"{names} …"))


def _mismatch_issues(
    matches, res: Resolution, rest_start: int, issues: list[Issue], g, explained: set
) -> None:
    """An official name in the leading run that the chosen hierarchy does not contain."""
    used = {id(m) for m, _h, _i in res.support.values()} | explained
    for m in matches:
        if not m.leading or m.start >= rest_start or id(m) in used:
            continue
        full = [div for div, how, _hid in m.entries if how == 0]
        if not full and m.entries[0][1] & WRONG_STATUS:  # 菏泽市鄂城县: as sure as a full name
            full = [m.entries[0][0]]
        if full and not any(div in res.support for div, _h, _i in m.entries):
            issues.append(Issue(IssueCode.HIERARCHY_MISMATCH, g.names[full[0]]))
            return


def _one_letter_from_a_name_of(token: str, div: int, g: Gazetteer) -> bool:
    """Whether ``token`` is one letter from the division's name or a former name of it
    (丰化市: 奉化市, since 2016 奉化区)."""
    names = [g.names[div], *(h.name for h in g.history if div in h.targets)]
    return any(Levenshtein.distance(name, token, score_cutoff=1) <= 1 for name in names)


_SUFFIX_LEVEL = {
    "省": PROVINCE,
    "州": CITY,
    "盟": CITY,
    "区": DISTRICT,
    "县": DISTRICT,
    "旗": DISTRICT,
}


def _unknown_tokens_in_run(text: str, matches, rest_start: int, g: Gazetteer):
    """(level, token) for division-shaped unknown words between the leading names."""
    pos = 0
    for m in matches:
        if not m.leading or m.start >= rest_start:
            break
        gap = text[pos : m.start]
        province = province_typo(gap, g) if pos == 0 and gap else -1
        if province >= 0 and any(province in g.ancestors[d] for d, _how, _hid in m.entries):
            yield PROVINCE, gap  # 安微合肥 (台市椒江区 is 台州市's, not 台湾's)
        elif (
            gap
            and gap not in DISTRICT_PLACEHOLDERS
            and DIVISION_SHAPED.fullmatch(gap)
            and (pos > 0 or division_shaped_word(gap))
        ):
            if gap.endswith("市"):
                # 市 names a prefecture before a district (杭洲市西湖区), a county-level
                # city before a township (义务市江东街道).
                next_level = min(g.levels[d] for d, _how, _hid in m.entries)
                level = CITY if next_level <= DISTRICT else DISTRICT
            elif gap.endswith(("街道", "镇", "乡")):
                level = TOWNSHIP
            else:
                level = _SUFFIX_LEVEL[gap[-1]]
            yield level, gap
        pos = m.end


def fix_typo(text: str, start: int, parent: int, g: Gazetteer) -> tuple[int, str] | None:
    level = g.levels[parent] + 1
    pattern = _NEXT_DIVISION.get(level)
    if pattern is None:
        return None
    window = text[start : start + 8]
    known = g.memo_table("structure.typos", _MAX_REMEMBERED_TYPOS)
    key = (parent, window)
    if key in known:  # the same road or village word follows the same place again and again
        return known[key]
    return known.remember(key, _closest_child(window, parent, pattern, g))


# A development zone or area is no misspelt division: 西安市高新区 is the high-tech zone, not
# a typo of 高陵区.
_ZONE_WORDS = (*AREA_WORDS, "高新区", "经开区", "保税区")


def _closest_child(window: str, parent: int, pattern: re.Pattern, g: Gazetteer):
    m = pattern.match(window)
    if m is None:
        return None
    token = m.group(1)
    if len(token) < 3 or token.endswith(_ZONE_WORDS) or token in former_names(g):
        return None  # a former name (平江区, now 姑苏区) is no typo of a live one (吴江区)
    close = _children_one_letter_from(token, parent, g)
    return (close[0], token) if len(close) == 1 else None


def _children_one_letter_from(word: str, parent: int, g: Gazetteer) -> list[int]:
    """The divisions directly under ``parent`` whose name differs from ``word`` in one
    letter (same length: 西胡区 for 西湖区, 盘石镇 for 磐石镇)."""
    return [
        c
        for c in g.children.get(parent, ())
        if len(g.names[c]) == len(word)
        and Levenshtein.distance(g.names[c], word, score_cutoff=1) == 1
    ]


_MAX_REMEMBERED_TYPOS = 100_000


def former_names(g: Gazetteer) -> frozenset[str]:
    """Every former division name the gazetteer records, anywhere (made once per gazetteer)."""
    return g.former_names  # built with the gazetteer
