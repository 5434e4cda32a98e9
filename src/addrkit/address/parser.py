"""parse_address: any cell value in, a validated and standardised ``ParsedAddress`` out.

The pipeline: screen the input (empty, number, Excel error, too long, formula-like) →
clean the text → scan for division names → resolve one hierarchy → fix a typo in
the next division name when exactly one official name is close → split street,
house number and detail → collect issues → build the standard form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..gazetteer.store import (
    TOWNSHIP,
    Gazetteer,
    default_gazetteer,
)
from .confidence import with_confidence
from .contact import split_contact
from .detail import has_address_detail, split_detail
from .english import EnglishRead, read_english
from .issues import Issue, IssueCode, status_for
from .memo import ResultMemo
from .model import ParsedAddress
from .normalize import clean_text
from .resolve import (
    DISTRICT_PLACEHOLDERS,
    PHONE,
    SEPARATORS,
    division_shaped_word,
    province_typo,
    scan,
)
from .structure import Structure, fix_typo

__all__ = [
    "parse_address",
    "parse_many",
    "parse_fresh",
    "result_memo",
    "MAX_ANALYSED_CHARS",
    "EXCEL_ERRORS",
]

MAX_ANALYSED_CHARS = 300  # no real address is longer; a 32,767-char cell is analysed up to here
EXCEL_ERRORS = frozenset(
    "#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #GETTING_DATA #SPILL! #CALC! "
    "#FIELD! #BLOCKED! #CONNECT! #BUSY! #UNKNOWN!".split()
)
_FORMULA_START = "=+-@"
# Text that is a formula, not an address with a stray sign: a function call or DDE link
# (=HYPERLINK(..., =cmd|' /C calc'!A0), a cell reference (=A1) or arithmetic (=1+1).
_FORMULA = re.compile(
    r"[=+\-@][=+\-@\s]*(?:[A-Za-z_][\w.]*\s*[(|!]|\$?[A-Za-z]{1,3}\$?\d+(?![\w.])|[\d.]+\s*[-+*/^&<>=])"
)
_DIGIT = re.compile(r"\d")
# Issues without specifics are immutable and shared: no object built per address.
_TRADITIONAL = Issue(IssueCode.TRADITIONAL)
_NORMALIZED_TEXT = Issue(IssueCode.NORMALIZED_TEXT)
_NO_STREET_DETAIL = Issue(IssueCode.NO_STREET_DETAIL)
_REPEATED_PART = Issue(IssueCode.REPEATED_PART)


def parse_address(value: object, *, gazetteer: Gazetteer | None = None) -> ParsedAddress:
    """Parse, validate and standardise one address. Never raises for any input.

    Parameters
    ----------
    value
        A cell value: text, ``None``, a number, an Excel error value such as ``'#N/A'``.
    gazetteer
        The division data to use (default: the embedded one).

    Returns
    -------
    ParsedAddress
        Current official names per level (``None`` where unknown), the text's own names
        in ``as_written``, street/house number/detail, the adcode of the deepest level,
        the standard form, a status and the issues explaining it.

    Examples
    --------
    >>> a = parse_address("杭州江干区下沙街道文泽路99号")
    >>> (a.district, a.as_written.district, a.township, a.status.value)
    ('钱塘区', '江干区', '下沙街道', 'FIXED')
    >>> parse_address(None).status.value
    'ERROR'
    """
    g = gazetteer or default_gazetteer()
    if value.__class__ is not str:
        return parse_fresh(value, g)
    memo = result_memo(g)
    result = memo.get(value)
    if result is None:
        result = memo.put(value, parse_fresh(value, g))
    return result


def parse_fresh(value: object, g: Gazetteer) -> ParsedAddress:
    """``parse_address`` without the memo of whole results: for callers that keep their
    own (the command line remembers encoded lines instead).

    Examples
    --------
    >>> parse_fresh("宁波市江东区", default_gazetteer()).district
    '鄞州区'
    """
    screened = _screen(value)
    if isinstance(screened, ParsedAddress):
        return screened._replace(confidence=0.0)
    text, issues = screened
    original = value if isinstance(value, str) else text
    contact = split_contact(text)
    if contact is None:
        return with_confidence(_parse_text(text, issues, g, original=original))
    # 王超平 13145920644 辽宁省…: the person and number are kept apart, the rest is the address.
    result = _parse_text(contact.address, issues, g, original=original)
    return with_confidence(result._replace(contact_name=contact.name, contact_phone=contact.phone))


_RESULTS = "parser.results"
_MAX_REMEMBERED_RESULTS = 100_000  # ~700 bytes each: at most ~70 MB, and only while it pays


def result_memo(g: Gazetteer) -> ResultMemo:
    """The gazetteer's memo of whole results by input text (made on first use).

    Kept with the gazetteer like the other derived tables, so it lives and dies with
    the data the results came from (and ``g.memo.clear()`` forgets it too).
    """
    memo = g.memo.get(_RESULTS)
    if memo is None:
        memo = g.memo[_RESULTS] = ResultMemo(_MAX_REMEMBERED_RESULTS)
    return memo


def parse_many(
    values: Iterable[object], *, gazetteer: Gazetteer | None = None
) -> Iterator[ParsedAddress]:
    """Parse a stream of values lazily, in order (constant memory for any length).

    Examples
    --------
    >>> [a.city for a in parse_many(["宁波市江东区", "温州苍南"])]
    ['宁波市', '温州市']
    """
    g = gazetteer or default_gazetteer()
    memo = result_memo(g)
    get, put = memo.get, memo.put
    for value in values:
        if value.__class__ is str:
            result = get(value)
            if result is None:
                result = put(value, parse_fresh(value, g))
            yield result
        else:
            yield parse_fresh(value, g)


# --------------------------------------------------------------------------- screening
def _screen(value: object) -> ParsedAddress | tuple[str, list[Issue]]:
    """Reject what is not address text; otherwise the text to parse and issues so far."""
    if value.__class__ is not str:
        return _screen_other(value)
    text = value.strip()
    if not text:
        return _verdict(value, IssueCode.EMPTY)
    first = text[0]
    if first == "#" and text.upper() in EXCEL_ERRORS:
        return _verdict(value, IssueCode.EXCEL_ERROR, text)
    issues: list[Issue] = []
    if len(text) > MAX_ANALYSED_CHARS:
        issues.append(Issue(IssueCode.TOO_LONG, f"{len(text)} > {MAX_ANALYSED_CHARS}"))
        text = text[:MAX_ANALYSED_CHARS]
    if first in _FORMULA_START:
        if _FORMULA.match(text):
            issues = (Issue(IssueCode.FORMULA_TEXT), Issue(IssueCode.FORMULA))
            return ParsedAddress(input=value, status=status_for(issues), issues=issues)
        issues.append(Issue(IssueCode.FORMULA_TEXT))
        text = text.lstrip(_FORMULA_START + " ")
    return text, issues


def _screen_other(value: object) -> ParsedAddress | tuple[str, list[Issue]]:
    """Anything but a plain ``str``: nothing, a number, an error value, a str subclass."""
    if value is None:
        return _verdict("", IssueCode.EMPTY)
    if isinstance(value, str):
        return _screen(str(value))
    if isinstance(value, bool | int | float):
        return _verdict(str(value), IssueCode.NOT_TEXT, "number")
    text = str(value)
    if text.startswith("#") or "Error" in type(value).__name__:
        return _verdict(text, IssueCode.EXCEL_ERROR)
    return _verdict(text, IssueCode.NOT_TEXT, type(value).__name__)


def _verdict(text: str, code: IssueCode, detail: str = "") -> ParsedAddress:
    issues = (Issue(code, detail),)
    return ParsedAddress(input=text, status=status_for(issues), issues=issues)


# --------------------------------------------------------------------------- parsing
def _parse_text(text: str, issues: list[Issue], g: Gazetteer, original: str) -> ParsedAddress:
    raw = text
    clean = clean_text(text, g.t2s_table, g.traditional_pattern)
    text = clean.text
    if clean.traditional:
        issues.append(_TRADITIONAL)
    if clean.changed_width_or_punct:
        issues.append(_NORMALIZED_TEXT)
    second = _second_address_start(text, g)
    if second > 0:
        # "江苏省无锡市锡山区中国浙江省杭州市临安市沙地路": a region picked from a form's lists,
        # then the address typed in full. The typed one is the address; the other is reported.
        issues.append(Issue(IssueCode.TWO_ADDRESSES, text[: second - len(_COUNTRY)]))
        text = text[second:]
    doubled = _doubled_prefix(text)
    if doubled:
        # "广东省中山市火炬开发区广东省中山市火炬开发区健康花城9栋363": the start typed twice
        # (a form's region fields, then the address in full). One copy is the address.
        text = text[doubled:]
        issues.append(_REPEATED_PART)  # said once, even if the names repeat again after
    matches, signature = scan(text, g)
    if not matches:
        if _CJK.search(text) is None:  # no Chinese: perhaps English or pinyin names
            english = read_english(raw, g) if any(c.isalpha() for c in text) else None
            if english is not None:
                return _from_english(english, issues, g, original)
            code = IssueCode.FOREIGN if any(c.isalpha() for c in text) else IssueCode.NOT_AN_ADDRESS
            issues.append(Issue(code))
            normalized = " ".join(original.split()) if code is IssueCode.FOREIGN else None
            return _finish(original, issues, normalized=normalized)
        code = IssueCode.UNKNOWN_DIVISION if has_address_detail(text) else IssueCode.NOT_AN_ADDRESS
        issues.append(Issue(code))
        street, number, detail = split_detail(text)
        # Nothing to standardise: the standard form is the text as written (cleaned, reported).
        normalized = text if code is IssueCode.UNKNOWN_DIVISION else None
        return _finish(
            original,
            issues,
            street=street,
            house_number=number,
            detail=detail,
            normalized=normalized,
        )

    # Everything that depends only on which names were found, and where they stand in
    # the run, is worked out once per distinct set of names and reused: customer lists
    # repeat the same few hundred division sequences thousands of times.
    cache = g.memo_table("parser.structures", _MAX_CACHED_STRUCTURES)
    structure = cache.get(signature)
    if structure is None:
        structure = cache.remember(signature, Structure.build(text, matches, g))
    if structure.best < 0:
        issues.extend(_once(structure.issues, doubled))
        street, number, detail = split_detail(text[structure.rest_start(matches) :])
        return _finish(
            original,
            issues,
            street=street,
            house_number=number,
            detail=detail,
            normalized=text,  # which place is open: the text is left as written
            **structure.fields,
        )

    rest_start = structure.rest_start(matches)
    # "金华市市辖区吴宁路": a placeholder where a form wanted the district. Not a place:
    # kept as what the text wrote for the district, and out of the street.
    # Separators typed between the divisions and the street ("金华市-吴宁路") are dropped,
    # and said: they were the user's characters.
    divisions_end = rest_start
    rest_start = _skip_separators(text, rest_start)
    placeholder = None
    if text.startswith(DISTRICT_PLACEHOLDERS, rest_start):  # rare: look for which one only then
        placeholder = next(p for p in DISTRICT_PLACEHOLDERS if text.startswith(p, rest_start))
        rest_start = _skip_separators(text, rest_start + len(placeholder))
        if structure.fields["as_written"].district is not None:
            placeholder = None  # the text wrote a district too: nothing to keep
    if structure.deepest_level < TOWNSHIP:
        # Typo in the next division name ("西胡区" after 杭州市): fix only if exactly one is close.
        fixed = fix_typo(text, rest_start, structure.best, g)
        if fixed is not None:
            structure = Structure.build(text, matches, g, typo=fixed, typo_start=rest_start)
            rest_start += len(fixed[1])
            placeholder = None

    head = structure.head
    short = structure.short_township
    street_skip = 0  # characters at the start of the rest that are not the street's
    # Kept division characters (柯桥 of 柯桥联合市场) are no street detail of their own.
    detail_from = rest_start
    if (
        structure.stranger_cut >= 0
        and placeholder is None
        and rest_start == structure.rest_start(matches)
    ):
        # 泗安镇工业区浙江杰夫…: a name of some other place inside the run is a word of the
        # text (工业区), not a division of this address: it stays, with all after it.
        rest_start = structure.stranger_cut
    elif short >= 0 and rest_start == matches[short].end and _runs_on(text, rest_start):
        # 福田市场, 江南春晓, 宁围宁新村, 右安门外大街, 柳市大兴东路, 宁围12号: a township's
        # short name with text after it. The text names no 街道/镇/乡, so it stays exactly
        # as written and the township is inferred (only at the very end nothing else can
        # read the name). Where it plainly stands alone before a whole road's name or a
        # house number, the street field starts after it all the same.
        if not _owned_by_what_follows(text, matches[short].start, rest_start):
            street_skip = rest_start - matches[short].start
        rest_start = matches[short].start
        head = structure.head_without_township
    elif (
        structure.short_last >= 0
        and rest_start == matches[structure.short_last].end
        and _runs_on(text, rest_start)
        and (_CJK.match(text, rest_start) or _DIGIT.match(text, rest_start))
        and not _road_starts(text, rest_start, _ROAD_NAME_MAX)
    ):
        # 柯桥联合市场, 杭州浙江大学, 宁波高新区, 宝安27区: the run ends on a short name
        # running into a word that may own it. The official names stand in front; the
        # characters stay in the text. (杭州文三路: before a road the name is the city.)
        rest_start = matches[structure.short_last].start
    kept_repeat = False
    tail = structure.repeat_tail
    if (
        tail >= 0
        and head is structure.head
        and rest_start == matches[tail].end
        and _CJK.match(text, rest_start)
        and not _road_starts(text, rest_start)
    ):
        # 浙江省杭州市西湖区浙江大学…, 宁波国际会议展览中心: a name repeated at the end of the
        # divisions runs into a word (a university, a hospital, a company): it is that
        # word's, and stays. (临海市临海德仁路: before a road it is a repeat, cut and said.)
        rest_start = matches[structure.repeat_from].start  # with the word's other names
        if structure.repeat_township:
            head = structure.head_without_township
        kept_repeat = True
    rest = _cut_second_address(text[rest_start:], rest_start, matches, issues)
    if rest_start > divisions_end and text[divisions_end] in SEPARATORS:
        _say_normalized(issues)  # 西湖区_西行桥79号: the "_" typed before the street dropped
    dropped = _dropped_between_names(text, matches, divisions_end)
    if dropped:
        issues.append(Issue(IssueCode.DROPPED_TEXT, dropped))
    before = _kept_before(text, matches, structure.fields["as_written"], g)
    issues.extend(_once(structure.issues, doubled or kept_repeat))
    if head is not structure.head:
        _add_inferred(issues, structure.fields["township"])
    street_text = rest[street_skip:]
    if structure.township_match >= 0:
        m = matches[structure.township_match]
        if not m.in_word:  # 前仓村, 百丈东路: the village or road keeps its whole name
            street_text = rest.replace(text[m.start : m.end], "", 1)
    street, number, detail = split_detail(street_text)
    if before:
        detail = before + (detail or "")
    if not has_address_detail(before + rest[max(0, detail_from - rest_start) :]):
        issues.append(_NO_STREET_DETAIL)
    # A guess from a name inside a zone or building name rewrites nothing: the text stays.
    normalized = text if structure.weak else head + before + rest
    result = structure.result(original, street, number, detail, normalized, issues)
    if head is not structure.head:
        result = result._replace(as_written=result.as_written._replace(township=None))
    if placeholder is not None:
        result = result._replace(as_written=result.as_written._replace(district=placeholder))
    return result


_CJK = re.compile("[\u4e00-\u9fff]")
_MAX_CACHED_STRUCTURES = 200_000  # a few hundred bytes each: bounded well under 100 MB


def _skip_separators(text: str, at: int) -> int:
    while at < len(text) and text[at] in SEPARATORS:
        at += 1
    return at


_COUNTRY = "中国"
_DIVISION_ENDINGS = frozenset("省市区县旗州盟")
_DOUBLED_MIN = 4  # characters: 浙江省杭州市 typed twice, not 哈哈


def _once(structure_issues: tuple[Issue, ...], doubled: int) -> tuple[Issue, ...]:
    """The structure's issues, without a second REPEATED_PART when the cut said it."""
    if not doubled:
        return structure_issues
    return tuple(i for i in structure_issues if i.code is not IssueCode.REPEATED_PART)


def _doubled_prefix(text: str) -> int:
    """The length of a start typed twice in a row that holds a division word, or 0.

    Examples
    --------
    >>> _doubled_prefix("温州市鹿城区温州市鹿城区人民路1号"), _doubled_prefix("温州市鹿城区人民路1号")
    (6, 0)
    """
    head = text[:_DOUBLED_MIN]
    at = text.find(head, _DOUBLED_MIN)
    while 0 < at <= len(text) - at:
        if text.startswith(text[:at], at) and not _DIVISION_ENDINGS.isdisjoint(text[:at]):
            return at
        at = text.find(head, at + 1)
    return 0


def _second_address_start(text: str, g: Gazetteer) -> int:
    """Where a full address starts after "中国" following division names only, or 0."""
    at = text.find(_COUNTRY, 2)
    if at < 0 or at > 24 or text[at - 1] not in _DIVISION_ENDINGS:
        return 0  # "收货人张三中国浙江省…": a label or a name before, not a region
    if _DIGIT.search(text, 0, at) is not None:
        return 0
    start = at + len(_COUNTRY)
    found = g.name_finder.find_matches_as_indexes(text[start : start + 12], overlapping=True)
    for sid, begin, _end in found:
        if begin == 0 and sid in g.upper_surface_ids:
            return start
    return 0


# Labels typed before an address (收货地址：, 收件人) are not part of it.
_LABEL = re.compile(
    r"^(?:(?:收货|收件|收方|寄件|邮寄|送货|联系|详细|通讯|家庭|单位|公司)?地址|收[货件]人)+"
)


def _kept_before(text: str, matches, written, g: Gazetteer) -> str:
    """What was typed before the division names that belongs with the address
    (九龙湖长石三星工业区九龙…, 万丰公司附近台州市…): kept at the front of the detail.
    Not a label, nor a contact's name and phone, nor a misspelt division already
    recorded as written (欧海区娄桥镇)."""
    first = matches[0]
    if not first.leading or first.start == 0:
        return ""
    before = text[: first.start]
    if PHONE.search(before) is not None or before in written:
        return ""
    if division_shaped_word(before) or province_typo(before, g) >= 0:
        return ""  # a misspelt division name (台市椒江区): the official one is in front
    return _LABEL.sub("", before).strip(SEPARATORS + " ")


def _from_english(english: EnglishRead, issues: list[Issue], g: Gazetteer, original: str):
    """No. 1 Century Avenue, Pudong New Area, Shanghai: the divisions parsed from their
    Chinese names, the rest kept as written in the detail and after the standard prefix."""
    a = _parse_text(english.chinese, [], g, original)
    rest = english.rest or None
    found = [i for i in a.issues if not (rest and i.code is IssueCode.NO_STREET_DETAIL)]
    kept = [i for i in issues if i.code is not IssueCode.NORMALIZED_TEXT]
    frozen = (*kept, Issue(IssueCode.ENGLISH_NAMES, english.chinese), *found)
    normalized = a.normalized if rest is None or a.normalized is None else f"{a.normalized} {rest}"
    return a._replace(detail=rest, normalized=normalized, issues=frozen, status=status_for(frozen))


def _dropped_between_names(text: str, matches, end: int) -> str:
    """Letters, digits or marks typed between two division names (拱墅区d上塘): the official
    names stand for the whole run, so they go, and are said, since they were the user's.
    Separators and spaces are not worth saying; Chinese words there are read as typos or
    mismatches and said as such."""
    dropped = []
    prev = -1
    for m in matches:
        if m.start >= end:
            break
        if prev >= 0 and m.start > prev:
            stray = "".join(
                c for c in text[prev : m.start]
                if not c.isspace() and c not in SEPARATORS and not _CJK.match(c)
            )  # fmt: skip
            if stray:
                dropped.append(stray)
        prev = max(prev, m.end)
    return " ".join(dropped)


def _runs_on(text: str, at: int) -> bool:
    """Whether text that a name could own follows at ``at`` (not the end, not a separator)."""
    return at < len(text) and text[at] not in SEPARATORS and not text[at].isspace()


def _say_normalized(issues: list[Issue]) -> None:
    if _NORMALIZED_TEXT not in issues:
        issues.append(_NORMALIZED_TEXT)


_NUMBERED_PLACE = re.compile(r"\d+号?(?:区|路|街|大街|大道)")  # 下沙20号大街, 江南4区
_STUMP = re.compile(r"[\u4e00-\u9fff]?[东西南北中内外]?(?:路|街|大街|大道)")  # 外大街, 里街, 中路


def _owned_by_what_follows(text: str, start: int, at: int) -> bool:
    """Whether the text after a township's short name (``text[start:at]``) may own it: a
    word runs on (福田市场), a road's stump follows (右安门外大街), a numbered road or area
    (下沙20号大街), or the name is a street's (五马街936号: 街 read as 街道)."""
    if _DIGIT.match(text, at):
        return text[at - 1] == "街" or _NUMBERED_PLACE.match(text, at) is not None
    if not _CJK.match(text, at):
        return False
    if not _road_starts(text, at):
        return True
    street = split_detail(text[at : at + 24])[0] or ""
    return _STUMP.fullmatch(street) is not None


_ROAD_NAME_MAX = 6  # 文三路, 解放东路, 凤起路: a road named right after a city is short


def _road_starts(text: str, at: int, longest: int = 24) -> bool:
    street = split_detail(text[at : at + 24])[0]
    return street is not None and len(street) <= longest and text.startswith(street, at)


def _add_inferred(issues: list[Issue], name: str) -> None:
    """Say ``name`` was inferred: in the one INFERRED_LEVEL issue, made if there is none."""
    for i, issue in enumerate(issues):
        if issue.code is IssueCode.INFERRED_LEVEL:
            issues[i] = Issue(IssueCode.INFERRED_LEVEL, f"{issue.detail}、{name}")
            return
    issues.append(Issue(IssueCode.INFERRED_LEVEL, name))


def _finish(original: str, issues: list[Issue], **fields) -> ParsedAddress:
    frozen = tuple(issues)
    return ParsedAddress(input=original, status=status_for(frozen), issues=frozen, **fields)


# --------------------------------------------------------------------------- helpers
def _cut_second_address(rest: str, offset: int, matches, issues: list[Issue]) -> str:
    """'...90号浙江省宁波市...': keep the first address, report the second."""
    if matches[-1].start < offset or matches[-1].leading or not _DIGIT.search(rest):
        return rest
    later = [m for m in matches if m.start >= offset and not m.leading]
    for a, b in zip(later, later[1:], strict=False):
        if b.start != a.end:
            continue
        if any(how == 0 and len(rest) > 0 for _d, how, _h in a.entries) and a.end - a.start >= 3:
            cut = a.start - offset
            # Both parts need a number: "…55杭州市余杭区人民法院塘栖人民法庭" names an
            # institution after the street, not a second address.
            if _DIGIT.search(rest[:cut]) and _DIGIT.search(rest, b.end - offset):
                issues.append(Issue(IssueCode.TWO_ADDRESSES, rest[cut:][:40]))
                return rest[:cut]
    return rest
