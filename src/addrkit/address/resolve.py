"""Find division names in clean text and choose the one hierarchy they describe.

Two steps, both on the gazetteer's integer ids:

1. ``scan`` finds every string in the text that names some division (official,
   short or historic name) and keeps, left to right, the longest at each position.
2. ``resolve`` scores every division named anywhere by the evidence for it: its own
   match plus the matches of its ancestors (a township named with its district and
   city outweighs a stray name). The best-scoring division is the deepest level
   found; ties between unrelated divisions are reported as ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from ..gazetteer.store import (
    ALIAS,
    CITY,
    DISTRICT,
    FULL,
    HISTORIC,
    RENAMED,
    TOWNSHIP,
    WRONG_STATUS,
    ZONE,
    Gazetteer,
)

__all__ = ["Match", "Resolution", "scan", "resolve", "DISTRICT_PLACEHOLDERS", "PHONE", "SEPARATORS"]

# A short name followed by one of these is a road, village or building named after the
# place (中山路, 萧山村, 西湖花园 is still allowed), not the division itself ...
_NOT_DIVISION_AFTER = frozenset("路街道巷弄村组社区小大桥公园广场厦中心站场院馆店楼号")
# ... except right after another division name, where only road words overrule it
# (浙江省平湖大桥小区, 金华义乌站前路: 平湖, 义乌 are divisions; 杭州市西湖路 is a road).
_ROAD_AFTER = frozenset("路街道巷弄")
_DIRECTIONS = frozenset("东西南北中")
_BIG_ROADS = ("大道", "大街")
# A numbered road named after a place: 天府二街, 人民三路, 中山1路, 科华北二路段.
_NUMBERED_ROAD = re.compile(r"[东西南北中]?(?:[一二三四五六七八九十]{1,3}|[0-9]{1,2})(?:路|街|巷|大道|大街)")
# One character before 路 that ends a division or a place word, not a road's name (萧山区路…).
_NOT_ROAD_BODY = frozenset("省市区县旗州盟镇乡村道街")

# Words that glue a short division name into the name of something else: a zone, a lake, a
# park, a building or a housing estate named after the place (松山湖, 兴隆湖, 浦江高科技园区).
# A zone word after a county's name is usually that county's own zone (永康经济开发区 is in 永康):
# a guess worth giving, with a warning. Other words borrow the name (松山湖 is in 东莞, not in
# 赤峰's 松山区; 凤凰创意大厦 is no part of 凤凰县): no guess at all.
ZONE_WORDS = (
    "经济开发区", "经济技术开发区", "开发区", "工业区", "工业园", "工业功能区", "工业基地",
    "国际商贸城", "商贸城", "园区", "创意园", "新区",
)  # fmt: skip
PLACE_WORDS = (
    "湖", "江", "湾", "谷", "高新", "高科技", "新技术", "科技园", "大厦", "小区", "家园", "花园",
    "广场", "国际", "机场", "汽车站", "火车站",
)  # fmt: skip


_GLUE_WORDS = ZONE_WORDS + PLACE_WORDS  # one test before the finer one (most names: none)


def _glued_to(text: str, end: int, found: list) -> str:
    """ "zone" or "place" when a zone or borrowing word follows at ``end``, else ""."""
    for kind, words in (("zone", ZONE_WORDS), ("place", PLACE_WORDS)):
        word = next((w for w in words if text.startswith(w, end)), None)
        if word is not None:
            longer = any(
                s == end and e - s > len(word) and not text.endswith(ZONE_WORDS, s, e)
                for _sid, s, e in found
            )  # (高新技术开发区 is a zone even where a subdistrict is named after it)
            return "" if longer else kind
    return ""


# Evidence weights: an official name, a former official name and a township's other
# status form are equally specific; a short form is weaker (it is more often a word that
# happens to be a place name).
_WEIGHT = {
    FULL: 1.0,
    ALIAS: 0.75,
    HISTORIC: 1.0,
    HISTORIC | ALIAS: 0.7,
    RENAMED: 0.97,
    ALIAS | WRONG_STATUS: 0.75,  # 宁海区: as sure as the short name 宁海, no surer
    ZONE | ALIAS: 0.75,  # 天府新区 for 成都市: a zone in the city, as sure as a short name
}
# A name after the run of division names the address starts with is as often part of a
# building or market name (柯桥轻纺城东区) as a division: it counts less than a leading short form.
_OUTSIDE_LEADING_CHAIN = 0.7


class Match(NamedTuple):
    """One division name found in a text. A plain tuple (made at C speed by ``scan``):
    the scanner makes one per name per address. Matches are told apart by identity
    (``is``, ``id``), never by value."""

    start: int
    end: int
    entries: list  # (division id, how, historic id) from the gazetteer name index
    leading: bool = False  # part of the run of division names the address starts with
    # Part of a longer word: a village (前仓村) or road (百丈东路, 虹梅路) named after the
    # place. Counts as evidence only where something else supports the same place.
    in_word: str = ""  # "road" or "village"; empty when the name stands on its own


# A NamedTuple's own __new__ is a Python function; the tuple's is not (hot path).
_new_match = partial(tuple.__new__, Match)


@dataclass(slots=True)
class Resolution:
    best: int  # division id, or -1 when nothing (or nothing unambiguous) was found
    support: dict  # division id on the chosen path -> (Match, how, historic id)
    candidates: list  # tied division ids when ambiguous
    repeated: bool
    # Only names glued into a zone, lake or building name said anything (义乌国际商贸城): the
    # place they are named after is a guess, not an answer to bet on.
    weak: bool = False


_DIGIT = re.compile(r"\d")
PHONE = re.compile(r"\d{7,}")  # a landline or mobile number; a house number is shorter
SEPARATORS = "-_/"  # typed between the fields a form joins (浙江省-杭州市-西湖区)
_COUNTY_SUFFIX = frozenset("县区市旗")
# Words a county suffix character starts that are not a status (宁海市场: a market).
_NOT_A_STATUS = ("市场", "区域", "市民", "县道")
_HISTORIC_STEM = HISTORIC | ALIAS
_ASCII_DIGIT = re.compile("[0-9]")  # house numbers (full-width ones are half-width by now)
_CJK = re.compile("[\u4e00-\u9fff]")
_START, _END = itemgetter(1), itemgetter(2)  # of a (surface id, start, end) the finder reports


class Scanned(NamedTuple):
    matches: list[Match]
    # What a structure depends on: per match, the unknown words before it inside the
    # leading run, its text, whether it is in that run (the parser's cache key).
    signature: tuple


_NOTHING_FOUND = Scanned([], ())
_new_scanned = partial(tuple.__new__, Scanned)


def scan(text: str, g: Gazetteer) -> Scanned:
    """Every division name in ``text``, longest first at each position, non-overlapping,
    with the run of names the address starts with marked ``leading``."""
    found = g.name_finder.find_matches_as_indexes(text, overlapping=True)
    if not found:
        return _NOTHING_FOUND
    if len(found) > 1:
        # By start, and the longest first at each start (two stable sorts at C speed).
        found.sort(key=_END, reverse=True)
        found.sort(key=_START)
    surface_strict, surface_entries = g.surface_strict, g.surface_entries
    upper_ids = g.upper_surface_ids
    n = len(text)
    matches: list[Match] = []
    signature = []
    leading = True
    # Division names stand before the street and number. Once a name has been found, after
    # the next digit only a full province or prefecture name counts (a second address
    # glued on): a road or building named after a place is not a division. Digits before
    # any name (a phone number typed first) do not count.
    upper_only_from = n
    prev_end = 0
    # max(prev_end, the end of the road word a name starts): no name inside either
    # (文昌东路: no 东路镇). Most candidates are skipped here, so it is one comparison.
    skip_to = 0
    named = False
    for sid, i, end in found:
        if i < skip_to or (i >= upper_only_from and sid not in upper_ids):
            continue
        strict = surface_strict[sid]
        if strict is None:  # first use of this name
            strict = g.strict_entries_of(sid)
        entries = surface_entries[sid]
        in_word = ""
        word_end = end  # where the road or village word the name starts goes on to
        if strict is not entries:
            # Short or historic-short forms, and two-character official names (东区,
            # 城区: words as often as places), only count where a division name can
            # stand: at the start, right after another division, after punctuation ...
            adjacent = i > 0 and i == prev_end
            at_boundary = (
                i == 0
                or adjacent
                or not "\u4e00" <= text[i - 1] <= "\u9fff"
                or (not matches and _misspelt_division(text[:i], entries, g))  # 安微合肥
                or text.endswith(DISTRICT_PLACEHOLDERS, 0, i)  # 杭州市市辖区九堡
            )
            # ... and not before 路, 村, 大厦 … (a road or village named after the place),
            # unless another division's name starts there (四川广元, 黑龙江大庆市; before
            # 路, a full one: 台州路桥区, but 台州路桥头 is a road).
            blocked = end < n and text[end] in (_ROAD_AFTER if adjacent else _NOT_DIVISION_AFTER)
            if blocked:
                shortest = 3 if text[end] in _ROAD_AFTER else 2
                blocked = not any(s == end and e - s >= shortest for _sid, s, e in found)
            if not at_boundary or blocked:
                if not strict:
                    continue
                entries = strict
            # The start of a road's or village's name: 解放东路, 百丈东路, 五常大道, 虹梅路 (of
            # 虹梅路街道; 浦沿街 is 浦沿街道 shortened), 保义镇保义村, 永康市前仓村. The
            # street or detail starts here, and the name counts only with support
            # (百丈东路 in 江东区 is in 百丈街道; 解放东路 alone is not in 解放区).
            if text[end - 1] == "路":
                in_word = "road"
            elif (
                end + 1 < n and text[end] in _DIRECTIONS and text[end + 1] in "路街"
            ) or text.startswith(_BIG_ROADS, end):  # 五常大道, 鄞县大道
                in_word, word_end = "road", end + 2  # 文昌东路: no 东路镇 inside the road
            elif (
                end + 1 < n
                and text[end + 1] in "路街"
                and "\u4e00" <= text[end] <= "\u9fff"
                and text[end] not in _NOT_ROAD_BODY
                # 宁海岔路镇: a town's full name follows (下路 of 下路镇 is too short to say)
                and not any(s == end and e - s >= 3 for _sid, s, e in found)
            ):
                in_word, word_end = "road", end + 2  # 农林下路, 复兴里街: not 农林街道 + 下路
            elif text[end : end + 1] in _DIRECTIONS and text.startswith(_BIG_ROADS, end + 1):
                in_word, word_end = "road", end + 3  # 鼓楼东大街, 凤城西大街
            elif (numbered := _NUMBERED_ROAD.match(text, end)) is not None:
                in_word, word_end = "road", numbered.end()  # 天府二街, 中山一路: not 天府街道 + 二街
            elif adjacent and end < n and text[end] == "村":
                in_word = "village"
            elif text.startswith(_GLUE_WORDS, end):
                if all(g.levels[d] >= DISTRICT for d, _h, _x in entries):
                    # A county's or township's short name glued to a zone word (永康经济开发区)
                    # or to a lake, estate or building (松山湖, 兴隆湖, 东湖高新): a place named
                    # after it, not the place itself. Counts only with support (see resolve) -
                    # unless a longer division name starts there (柯桥湖塘: the town 湖塘).
                    in_word = _glued_to(text, end, found)
                elif any(g.levels[d] == CITY for d, _h, _x in entries):
                    # A city's short name glued to a zone word is the city's zone (绍兴高新区),
                    # not the former county that shared the name (绍兴县, now 柯桥区).
                    entries = [e for e in entries if e[1] != _HISTORIC_STEM] or entries
        if end < n and text[end] in _COUNTY_SUFFIX:
            # A former name's stem with another suffix is another place: 崇安 is 崇安区
            # (now 梁溪区), 崇安县 is not (the whole former name would have matched).
            entries = [e for e in entries if e[1] != _HISTORIC_STEM]
            if not entries:
                continue
            if not in_word and not text.startswith(_NOT_A_STATUS, end):
                # 宁海区 for 宁海县, 夏邑区 for 夏邑县: a county's short name with the wrong
                # status (an official or former name would have matched whole). The
                # suffix belongs to the name as written, not to the street.
                suffix = text[end]
                levels, names = g.levels, g.names
                wrong_status = [
                    (d, ALIAS | WRONG_STATUS, h)
                    for d, how, h in entries
                    if how == ALIAS and levels[d] == DISTRICT and names[d][-1] != suffix
                    and names[d][-1] in _COUNTY_SUFFIX
                ]  # fmt: skip
                if wrong_status:
                    entries = wrong_status
                    end += 1
        if not named and not in_word:  # the first name that is not a road's
            named = True
            digit = _ASCII_DIGIT.search(text, end)
            if digit is not None:
                upper_only_from = digit.start()
        gap = ""
        if in_word:
            leading = False
        elif leading and prev_end != i:
            gap = text[prev_end:i]
            if _CJK.search(gap) is not None and not _may_stand_before(gap, prev_end, entries, g):
                leading = False
                gap = ""
        matches.append(_new_match((i, end, entries, leading, in_word)))
        signature.append((gap, text[i:end], leading, in_word))
        prev_end = end
        skip_to = word_end if word_end > end else end
    return _new_scanned((matches, tuple(signature)))


# Words forms put where the district belongs when none was chosen (old code tables listed
# 市辖区 as a division: "the city's districts"; shops use 其它区 for "other").
DISTRICT_PLACEHOLDERS = ("市辖区", "其它区", "其他区")

# An unknown word shaped like a division name (杭洲市: a typo) does not end the leading run.
DIVISION_SHAPED = re.compile(r"[\u4e00-\u9fff]{1,6}(?:省|市|区|县|州|盟|旗|街道|镇|乡)")


def province_typo(gap: str, g: Gazetteer) -> int:
    """The province a short word one letter away from its name means (安微 → 安徽省), or -1."""
    if not 2 <= len(gap) <= 4:
        return -1
    known = g.memo_table("resolve.province_typos", _MAX_REMEMBERED_WORDS)
    province = known.get(gap)
    if province is None:  # the same label or contact is typed before many addresses
        province = known.remember(gap, _province_one_letter_from(gap, g))
    return province


def _province_one_letter_from(gap: str, g: Gazetteer) -> int:
    return g.province_one_letter_from(gap)  # an index built with the gazetteer


_MAX_REMEMBERED_WORDS = 50_000


# Words shaped like a division name that name a kind of area (滨海园区, 袍江工业区).
AREA_WORDS = ("园区", "工业区", "开发区", "小区", "景区", "社区", "校区", "厂区")


# The longest word DIVISION_SHAPED and province_typo can accept (6 characters + 街道).
_LONGEST_DIVISION_SHAPED = 8


def division_shaped_word(word: str) -> bool:
    """An unknown word that looks like a division name (杭洲市, 欧海区), not an area's."""
    return DIVISION_SHAPED.fullmatch(word) is not None and not word.endswith(AREA_WORDS)


def _misspelt_division(word: str, entries: list, g: Gazetteer) -> bool:
    """A province (安微) or other division name (欧海区) with one letter wrong, that the
    name after it lies in: a prefecture, or an official name, of that province (安微合肥,
    安微凤台县; 浙大紫金 is a university, not 浙江), or a division the name after it lies in
    (欧海区娄桥镇)."""
    if not 2 <= len(word) <= _LONGEST_DIVISION_SHAPED:
        return False  # most texts before a name: neither test below can say yes
    ancestors, levels, names = g.ancestors, g.levels, g.names
    province = province_typo(word, g)
    if province >= 0 and any(
        (levels[d] == CITY or how == FULL) and province in ancestors[d] for d, how, _hid in entries
    ):
        return True
    if not division_shaped_word(word):
        return False
    return any(
        Levenshtein.distance(names[a], word, score_cutoff=1) <= 1  # 台市: 台州市
        for d, _how, _hid in entries
        for a in ancestors[d]  # the place the next name lies in (欧海区娄桥镇)
    )


def _may_stand_before(gap: str, pos: int, entries: list, g: Gazetteer) -> bool:
    """Whether Chinese text before a name still lets the name continue the leading run.

    Gaps without Chinese are always allowed ('null', '-'); so is a division-shaped
    unknown word between names (a typo), a province name with a typo before the first
    name (安微) or another division name with one (欧海区娄桥镇), a label before a full province or prefecture name (收货地址浙江省…), and
    a contact typed before the address: a prefix that holds a phone number ("钟斌强
    19159437545 山东省…") is a name and phone, not a place. Anything else before the
    first name (某某村宁围街道; 扬帆路999弄10号…浙江前程石化: a street and number, the
    name a company's) means the names are not where the address starts, and the text
    is kept as written.
    """
    if pos > 0:
        word = gap.strip(SEPARATORS)
        # 杭洲市 between names: a typo; 市辖区 or 其它区: a form's placeholder
        return word in DISTRICT_PLACEHOLDERS or division_shaped_word(word)
    if PHONE.search(gap) is not None:
        return True
    if _DIGIT.search(gap) is not None:
        return False  # 民和路1023号…杭州市萧山钱江世纪城管委会: the street came first
    return _misspelt_division(gap, entries, g) or any(
        how == FULL and g.levels[d] <= 2 for d, how, _h in entries
    )


class Evidence(NamedTuple):
    """The strongest reading of one division: its weight, the match that names it, how
    it was named (FULL, ALIAS, … bits) and its history record (-1: a current name)."""

    weight: float
    match: Match
    how: int
    history: int


_new_evidence = partial(tuple.__new__, Evidence)


def resolve(matches: list[Match], g: Gazetteer) -> Resolution:
    """Choose the deepest division the matches support best."""
    if not matches:
        return Resolution(-1, {}, [], False)
    ancestors, levels, history = g.ancestors, g.levels, g.history
    evidence: dict[int, Evidence] = {}
    repeated = False
    for m in _useful_entries(matches, g):
        factor = 1.0 if m[0].leading else _OUTSIDE_LEADING_CHAIN
        match = m[0]
        for div, how, hid in m[1]:
            w = _WEIGHT[how] * factor
            if hid >= 0 and history[hid].targets[0] != div:
                w -= _SECONDARY_SUCCESSOR  # a split's main successor wins when nothing else decides
            old = evidence.get(div)
            if old is not None:
                if old.match is not match and match.leading and old.match.leading:
                    # (东莞市松山湖: a zone named after its city is no repeat of the city)
                    repeated = repeated or not (how | old.how) & ZONE
                if old.weight >= w:
                    continue
            evidence[div] = _new_evidence((w, match, how, hid))

    scores: dict[int, float] = {}
    for div, (w, m, how, hid) in evidence.items():
        score = w
        supported = False
        for a in ancestors[div]:
            e = evidence.get(a)
            # A road named after a place is in it (梧田瓯海大道: 瓯海区 has 梧田); a village
            # named after one says nothing of it (仁和河南村 is not in 河南省).
            if e is not None and e.match is not m and e.match.in_word not in _SAYS_NOTHING_ABOVE:
                score += e.weight
                supported = True
        if hid >= 0:
            scope = history[hid].scope
            e = evidence.get(scope)
            if e is not None and e.match is not m and scope not in ancestors[div]:
                score += e.weight  # 苍南县龙港镇: the old county supports its successor 龙港市
                supported = True
        if not supported and (
            m.in_word or (levels[div] == TOWNSHIP and how & ALIAS) or _generic(m, div, hid, g)
        ):
            continue  # a bare short township name (城关, 新村) is too often something else
        scores[div] = score
    weak = False
    if not scores:
        glued = {
            d: e
            for d, e in evidence.items()
            if (e.match.in_word in _GLUED and not (levels[d] == TOWNSHIP and e.how & ALIAS))
            or _generic(e.match, d, e.history, g)
        }
        if glued:
            weak = True
            scores = {d: e.weight for d, e in glued.items() if e.match.in_word == "zone"}
            if not scores:  # only borrowed names: the candidates, and no answer
                return Resolution(-1, {}, list(glued), repeated, weak)
    best_score = max(scores.values(), default=-1.0)
    best = [d for d, sc in scores.items() if sc >= best_score - _NEAR]
    if not best:
        return Resolution(-1, {}, [], repeated)
    chosen, tied = (best[0], best) if len(best) == 1 else _break_tie(best, scores, evidence, g)
    if chosen < 0:
        return Resolution(-1, {}, tied, repeated, weak)
    support = {}
    for d in (chosen, *ancestors[chosen]):
        e = evidence.get(d)
        if e is not None:
            support[d] = (e.match, e.how, e.history)
    namesake = _namesake_written_for_prefecture(chosen, evidence, g)
    if namesake is not None:  # 阿克苏市 written for 阿克苏地区: what the text wrote for the city
        e = evidence[namesake]
        support.setdefault(g.parent[namesake], (e.match, e.how, e.history))
    hid = evidence[chosen].history
    if hid >= 0:
        scope = history[hid].scope
        if scope in evidence and scope not in support:
            e = evidence[scope]
            support[scope] = (e.match, e.how, e.history)
    return Resolution(chosen, support, [], repeated, weak)


_GLUED = frozenset(("zone", "place"))
# Counties whose official name is a common word for a part of any town (攀枝花's 东区 and 西区,
# 阳泉's 城区, 矿区 and 郊区): written alone (柯桥东区, 东区人民路) they name a block, not the county.
# Like a name borrowed by a building, they count only where the city or province supports them.
_GENERIC_COUNTY_NAMES = frozenset(("东区", "西区", "南区", "北区", "中区", "城区", "郊区", "矿区"))


def _generic(m: Match, div: int, hid: int, g: Gazetteer) -> bool:
    if m.end - m.start != 2:
        return False
    return (g.history[hid].name if hid >= 0 else g.names[div]) in _GENERIC_COUNTY_NAMES


# A village, estate or lake named after a place says nothing of what else lies there (仁和河南村
# is not in 河南省; 小港四方家园 is not Qingdao's 小港街道 because 四方区 was in Qingdao).
_SAYS_NOTHING_ABOVE = frozenset(("village", "place"))
_SECONDARY_SUCCESSOR = 0.02
_NEAR = 0.05  # scores this close are decided by the tie rules, not by the small weight gaps
COMMON_NAME_ENTRIES = 6  # a name shared by more places than this needs other evidence to count


def _useful_entries(matches: list[Match], g: Gazetteer):
    """(match, entries) with very common names (城关镇: hundreds of places) cut down to the
    places that something else in the text supports."""
    if all([len(m.entries) <= COMMON_NAME_ENTRIES for m in matches]):
        return [(m, m.entries) for m in matches]
    named = {e[0] for m in matches if len(m.entries) <= COMMON_NAME_ENTRIES for e in m.entries}
    out = []
    for m in matches:
        entries = m.entries
        if len(entries) > COMMON_NAME_ENTRIES:
            under = common_name_index(entries, g).under
            positions = sorted({p for n in named for p in under.get(n, ())})
            entries = [entries[p] for p in positions] or entries[:COMMON_NAME_ENTRIES]
        out.append((m, entries))
    return out


class CommonNameIndex(NamedTuple):
    divisions: frozenset[int]  # every division the name can mean
    under: dict[int, list[int]]  # ancestor id -> positions of the entries below it


def common_name_index(entries: list, g: Gazetteer) -> CommonNameIndex:
    """Look-ups into a name shared by many places (城关镇: hundreds), built once per name.

    Keyed by the identity of the entries list (hashing hundreds of entries would cost
    more than the look-up saves); the list is kept with its index, so its id cannot be
    reused by another list while the entry exists.
    """
    known = g.memo_table("resolve.common_names", _MAX_COMMON_NAME_INDEXES)
    hit = known.get(id(entries))
    if hit is not None and hit[0] is entries:
        return hit[1]
    under: dict[int, list[int]] = {}
    for position, (div, _how, _hid) in enumerate(entries):
        for a in g.ancestors[div]:
            under.setdefault(a, []).append(position)
    index = CommonNameIndex(frozenset(e[0] for e in entries), under)
    known.remember(id(entries), (entries, index))
    return index


_MAX_COMMON_NAME_INDEXES = 20_000  # lists filtered per address could otherwise pile up


def _namesake_of_its_prefecture(d: int, g: Gazetteer) -> bool:
    """A county named like the prefecture it lies in (阿克苏市 in 阿克苏地区, 大理市 in
    大理白族自治州): people write it for the prefecture."""
    name, parent = g.names[d], g.parent[d]
    if g.levels[d] != DISTRICT or parent < 0 or g.levels[parent] != CITY:
        return False
    stem = name[:-1] if name[-1] in _COUNTY_SUFFIX else name
    return len(stem) >= 2 and g.names[parent].startswith(stem)


def _namesake_written_for_prefecture(chosen: int, evidence: dict, g: Gazetteer) -> int | None:
    """The county named like the prefecture, written before ``chosen`` and off its line
    (大理市宾川县金牛镇: 大理市 stands for 大理白族自治州), or None."""
    line = (chosen, *g.ancestors[chosen])
    start = evidence[chosen].match.start
    for d, e in evidence.items():
        if (
            e.match.start < start
            and d not in line
            and g.parent[d] in line
            and _namesake_of_its_prefecture(d, g)
        ):
            return d
    return None


def _break_tie(
    tied: list[int], scores: dict, evidence: dict, g: Gazetteer
) -> tuple[int, list[int]]:
    """One of several (nearly) equally supported divisions, or -1 and the tied ones when
    the text cannot tell.

    - All on one line of descent (恩施: 恩施州 and its 恩施市): the deepest, which
      implies the others.
    - All within one prefecture: the deepest named in full wins. A township names its
      current district better than the district written beside it (余杭区乔司街道: 乔司
      is in 临平区 since 2021), so boundary changes resolve through the township.
      Of two counties, one written after a county named like the prefecture wins: that
      one stands for the prefecture (阿克苏市新和县 is 新和县 in 阿克苏地区).
    - Otherwise the best score, if one is strictly best (an exact official name beats a
      township's former status form: 长河街道 is 长河街道, not a former 长河镇).
    - Otherwise the one whose own name comes first in the text (柯桥区马鞍镇: the district
      is what the address starts with; a 马鞍镇 elsewhere is a coincidence).
    - Same name, same place in the text (朝阳区 alone): ambiguous.
    """
    levels, ancestors = g.levels, g.ancestors

    def prefecture(d: int) -> int:
        chain = (d, *ancestors[d])
        for a in chain:
            if levels[a] == 2:
                return a
        return chain[-1]  # municipalities and province-administered counties

    # One written name read several ways (临平街道: this one, or a 临平镇 elsewhere in its
    # former status form; 星桥镇: one elsewhere, or 星桥街道 in its former form): the
    # readings in the prefecture another name of the text is in are the ones that tie.
    where = {d: (id(evidence[d].match), prefecture(d)) for d in tied}
    coherent = {
        d
        for d in tied
        if any(where[o][1] == where[d][1] and where[o][0] != where[d][0] for o in tied)
    }
    if coherent:
        read = {where[d][0] for d in coherent}
        tied = [d for d in tied if d in coherent or where[d][0] not in read]
        if len(tied) == 1:
            return tied[0], tied
    deepest = max(tied, key=levels.__getitem__)
    if all(d == deepest or d in ancestors[deepest] for d in tied):
        return deepest, tied  # 恩施: the city 恩施市 inside the prefecture 恩施州 says both

    specific = [d for d in tied if not evidence[d].how & ALIAS]
    if specific and len({prefecture(d) for d in tied}) == 1:
        deepest = max(levels[d] for d in specific)
        deep = [d for d in specific if levels[d] == deepest]
        if len(deep) == 1:
            return deep[0], deep
        tied = deep
        after_namesake = [
            d
            for d in tied
            if not _namesake_of_its_prefecture(d, g)
            and _namesake_written_for_prefecture(d, evidence, g) is not None
        ]
        if len(after_namesake) == 1:
            return after_namesake[0], tied
    top = max(scores[d] for d in tied)
    tied = [d for d in tied if scores[d] > top - 1e-9]
    if len(tied) == 1:
        return tied[0], tied
    starts = sorted((evidence[d].match.start, d) for d in tied)
    if starts[0][0] < starts[1][0]:
        return starts[0][1], tied
    return -1, tied
