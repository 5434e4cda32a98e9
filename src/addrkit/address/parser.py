"""parse_address: any cell value in, a validated and standardised ``ParsedAddress`` out.

The pipeline: screen the input (empty, number, Excel error, too long, formula-like) →
clean the text → scan for division names → resolve one hierarchy → fix a typo in
the next division name when exactly one official name is close → split street,
house number and detail → collect issues → build the standard form.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Iterator

from rapidfuzz.distance import Levenshtein

from ..gazetteer.store import (
    CITY,
    DISTRICT,
    HISTORIC,
    MUNICIPALITIES,
    PROVINCE,
    TOWNSHIP,
    Gazetteer,
    default_gazetteer,
)
from .detail import has_address_detail, split_detail
from .issues import Issue, IssueCode, status_for
from .model import AsWritten, ParsedAddress, Precision
from .normalize import clean_text
from .resolve import DIVISION_SHAPED, Match, Resolution, province_typo, resolve, scan

__all__ = ["parse_address", "parse_many", "MAX_ANALYSED_CHARS", "EXCEL_ERRORS"]

MAX_ANALYSED_CHARS = 300  # no real address is longer; a 32,767-char cell is analysed up to here
EXCEL_ERRORS = frozenset(
    "#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #GETTING_DATA #SPILL! #CALC! "
    "#FIELD! #BLOCKED! #CONNECT! #BUSY! #UNKNOWN!".split()
)
_FORMULA_START = "=+-@"
_CRS = "GCJ-02"
_PRECISION = {
    PROVINCE: Precision.PROVINCE,
    CITY: Precision.CITY,
    DISTRICT: Precision.DISTRICT,
    TOWNSHIP: Precision.TOWNSHIP,
}
_LEVEL_FIELD = {PROVINCE: "province", CITY: "city", DISTRICT: "district", TOWNSHIP: "township"}
# A division-like token right after the last recognised level: candidates for typo fixing.
_NEXT_DIVISION = {
    CITY: re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:市|地区|州|盟))"),
    DISTRICT: re.compile(r"^([\u4e00-\u9fff]{1,5}?(?:区|县|市|旗))"),
    TOWNSHIP: re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:街道|镇|乡))"),
}
_DIGIT = re.compile(r"\d")
# Issues without specifics are immutable and shared: no object built per address.
_TRADITIONAL = Issue(IssueCode.TRADITIONAL)
_NORMALIZED_TEXT = Issue(IssueCode.NORMALIZED_TEXT)
_NO_STREET_DETAIL = Issue(IssueCode.NO_STREET_DETAIL)


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
    screened = _screen(value)
    if isinstance(screened, ParsedAddress):
        return screened
    text, issues = screened
    return _parse_text(text, issues, g, original=value if isinstance(value, str) else text)


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
    for value in values:
        yield parse_address(value, gazetteer=g)


# --------------------------------------------------------------------------- screening
def _screen(value: object) -> ParsedAddress | tuple[str, list[Issue]]:
    """Reject what is not address text; otherwise the text to parse and issues so far."""
    if value is None:
        return _verdict("", IssueCode.EMPTY)
    if isinstance(value, bool) or isinstance(value, int | float):
        return _verdict(str(value), IssueCode.NOT_TEXT, "number")
    if not isinstance(value, str):
        text = str(value)
        if text.startswith("#") or "Error" in type(value).__name__:
            return _verdict(text, IssueCode.EXCEL_ERROR)
        return _verdict(text, IssueCode.NOT_TEXT, type(value).__name__)
    stripped = value.strip()
    if not stripped:
        return _verdict(value, IssueCode.EMPTY)
    if stripped.upper() in EXCEL_ERRORS:
        return _verdict(value, IssueCode.EXCEL_ERROR, stripped)
    issues: list[Issue] = []
    text = stripped
    if len(text) > MAX_ANALYSED_CHARS:
        issues.append(Issue(IssueCode.TOO_LONG, f"{len(text)} > {MAX_ANALYSED_CHARS}"))
        text = text[:MAX_ANALYSED_CHARS]
    if text[0] in _FORMULA_START:
        issues.append(Issue(IssueCode.FORMULA_TEXT))
        text = text.lstrip(_FORMULA_START + " ")
    return text, issues


def _verdict(text: str, code: IssueCode, detail: str = "") -> ParsedAddress:
    issues = (Issue(code, detail),)
    return ParsedAddress(input=text, status=status_for(issues), issues=issues)


# --------------------------------------------------------------------------- parsing
def _parse_text(text: str, issues: list[Issue], g: Gazetteer, original: str) -> ParsedAddress:
    clean = clean_text(text, g.t2s_table, g.traditional_chars)
    text = clean.text
    if clean.traditional:
        issues.append(_TRADITIONAL)
    if clean.changed_width_or_punct:
        issues.append(_NORMALIZED_TEXT)
    if _CJK.search(text) is None:
        code = IssueCode.FOREIGN if any(c.isalpha() for c in text) else IssueCode.NOT_AN_ADDRESS
        issues.append(Issue(code))
        normalized = " ".join(original.split()) if code is IssueCode.FOREIGN else None
        return _finish(original, issues, normalized=normalized)

    matches = scan(text, g)
    if not matches:
        code = IssueCode.UNKNOWN_DIVISION if has_address_detail(text) else IssueCode.NOT_AN_ADDRESS
        issues.append(Issue(code))
        street, number, detail = split_detail(text)
        return _finish(original, issues, street=street, house_number=number, detail=detail)

    # Everything that depends only on which names were found, and where they stand in
    # the run, is worked out once per distinct set of names and reused: customer lists
    # repeat the same few hundred division sequences thousands of times.
    cache = _STRUCTURES.setdefault(g, {})
    key = _signature(text, matches)
    structure = cache.get(key)
    if structure is None:
        if len(cache) >= _MAX_CACHED_STRUCTURES:
            cache.clear()
        structure = cache[key] = _Structure.build(text, matches, g)
    if structure.best < 0:
        issues.extend(structure.issues)
        street, number, detail = split_detail(text[matches[-1].end :])
        return _finish(
            original, issues, street=street, house_number=number, detail=detail, **structure.fields
        )

    rest_start = structure.rest_start(matches)
    if structure.deepest_level < TOWNSHIP:
        # Typo in the next division name ("西胡区" after 杭州市): fix only if exactly one is close.
        fixed = _fix_typo(text, rest_start, structure.best, g)
        if fixed is not None:
            structure = _Structure.build(text, matches, g, typo=fixed)
            rest_start += len(fixed[1])

    rest = _cut_second_address(text[rest_start:], rest_start, matches, issues)
    issues.extend(structure.issues)
    street_text = rest
    if structure.township_match >= 0:
        m = matches[structure.township_match]
        street_text = rest.replace(text[m.start : m.end], "", 1)
    street, number, detail = split_detail(street_text)
    if not has_address_detail(rest):
        issues.append(_NO_STREET_DETAIL)
    return structure.result(original, street, number, detail, structure.head + rest, issues)


_CJK = re.compile("[\u4e00-\u9fff]")
_MAX_CACHED_STRUCTURES = 200_000  # a few hundred bytes each: bounded well under 100 MB
_STRUCTURES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _signature(text: str, matches: list[Match]) -> tuple:
    """The names found, whether each is in the leading run, and unknown words inside the run."""
    key = []
    pos = 0
    for m in matches:
        key.append((text[pos : m.start] if m.leading else "", text[m.start : m.end], m.leading))
        pos = m.end
    return tuple(key)


class _Structure:
    """What an address's division names say, independent of its street and number."""

    __slots__ = (
        "best", "deepest_level", "rest_match", "township_match", "head",
        "fields", "issues",
    )  # fmt: skip

    def result(self, original, street, number, detail, normalized, issues) -> ParsedAddress:
        """The parsed address for one text with these divisions (built positionally: hot path)."""
        f = self.fields
        frozen = tuple(issues)
        return ParsedAddress(
            original, f["province"], f["city"], f["district"], f["township"], street, number,
            detail, f["adcode"], normalized, status_for(frozen), frozen, f["as_written"],
            f["lat"], f["lon"], f["precision"], f["crs"], f["country"],
        )  # fmt: skip

    def rest_start(self, matches: list[Match]) -> int:
        """Where street and detail begin: after the last leading name on the path."""
        return matches[self.rest_match].end if self.rest_match >= 0 else 0

    @classmethod
    def build(cls, text: str, matches: list[Match], g: Gazetteer, typo=None) -> _Structure:
        self = cls()
        issues: list[Issue] = []
        res = resolve(matches, g)
        self.rest_match = self.township_match = -1
        self.head = ""
        if res.best < 0:
            self.best = self.deepest_level = -1
            self.fields = _unresolved_fields(res, issues, g)
            self.issues = tuple(issues)
            return self

        path = _path(g, res.best)  # level -> division id
        # The divisions end after the last leading name on the chosen path (a repeated
        # "浙江省温州市乐清市浙江省温州市乐清市" ends after the second copy).
        on_path = set(path.values()) | res.support.keys()
        for i, m in enumerate(matches):
            if m.leading and any(e[0] in on_path for e in m.entries):
                self.rest_match = i  # matches are in text order: the last one wins
        rest_start = self.rest_start(matches)

        typo_written = None
        if typo is not None:
            div, token = typo
            issues.append(Issue(IssueCode.TYPO_CORRECTED, f"{token} → {g.names[div]}"))
            path = _path(g, div)
            res.support[div] = (Match(rest_start, rest_start + len(token), [], True), 0, -1)
            res = Resolution(div, res.support, [], res.repeated)
            typo_written = (_LEVEL_FIELD[g.levels[div]], token)
            rest_start += len(token)
        if res.repeated:
            issues.append(Issue(IssueCode.REPEATED_PART))

        explained: set[int] = set()
        written = _as_written(text, res, g, matches, rest_start, issues, explained)
        for level, token in _unknown_tokens_in_run(text, matches, rest_start, g):
            # 浙江省杭洲市西湖区: the run names the city, with a typo, between known names.
            div = path.get(level)
            if div is not None and getattr(written, _LEVEL_FIELD[level]) is None:
                written = written._replace(**{_LEVEL_FIELD[level]: token})
                close = (
                    province_typo(token, g) == div
                    if level == PROVINCE
                    else Levenshtein.distance(g.names[div], token, score_cutoff=1) <= 1
                )
                code = IssueCode.TYPO_CORRECTED if close else IssueCode.HIERARCHY_MISMATCH
                issues.append(Issue(code, f"{token} → {g.names[div]}"))
        if typo_written is not None:
            written = written._replace(**dict([typo_written]))
        _level_issues(path, res, written, issues, g)
        _mismatch_issues(matches, res, rest_start, issues, g, explained)

        # A township named after other words ("XX村宁围街道") stays where it was written.
        township_support = res.support.get(path.get(TOWNSHIP, -2))
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
        coord = g.coordinate_for(res.best)
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


def _unresolved_fields(res: Resolution, issues: list[Issue], g: Gazetteer) -> dict:
    """Fields for names that could not be placed: ambiguous, or nothing usable."""
    if not res.candidates:
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
    return {**shared, "as_written": AsWritten(**shared)}


def _finish(original: str, issues: list[Issue], **fields) -> ParsedAddress:
    frozen = tuple(issues)
    return ParsedAddress(input=original, status=status_for(frozen), issues=frozen, **fields)


# --------------------------------------------------------------------------- helpers
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
        if m.entries:  # typo fixes have no entries; their as-written token is set by the caller
            fields.setdefault(_LEVEL_FIELD[level], text[m.start : m.end])
    # A district written beside a township that has since moved to a neighbour
    # (杭州市余杭区乔司街道 → 临平区): keep what was written and say what changed.
    district = next(
        (d for d in (res.best, *g.ancestors[res.best]) if g.levels[d] == DISTRICT), None
    )
    if district is not None and "district" not in fields:
        used = {id(m) for m, _h, _i in res.support.values()}
        city = g.parent[district]
        for m in matches:
            if m.leading and m.start < rest_start and id(m) not in used:
                if any(g.levels[d] == DISTRICT and g.parent[d] == city for d, _h, _i in m.entries):
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
    for old, new in historic:
        issues.append(Issue(IssueCode.HISTORIC_NAME, f"{old} → {new}"))
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
    if inferred:
        issues.append(Issue(IssueCode.INFERRED_LEVEL, "、".join(inferred)))
    if deepest < DISTRICT:
        has_district_below = any(g.levels[c] == DISTRICT for c in g.children.get(res.best, ()))
        if deepest == PROVINCE:
            issues.append(Issue(IssueCode.MISSING_CITY))
        elif has_district_below:
            issues.append(Issue(IssueCode.MISSING_DISTRICT))


def _mismatch_issues(
    matches, res: Resolution, rest_start: int, issues: list[Issue], g, explained: set
) -> None:
    """An official name in the leading run that the chosen hierarchy does not contain."""
    used = {id(m) for m, _h, _i in res.support.values()} | explained
    for m in matches:
        if not m.leading or m.start >= rest_start or id(m) in used:
            continue
        full = [div for div, how, _hid in m.entries if how == 0]
        if full and not any(div in res.support for div, _h, _i in m.entries):
            issues.append(Issue(IssueCode.HIERARCHY_MISMATCH, g.names[full[0]]))
            return


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
        if pos == 0 and gap and province_typo(gap, g) >= 0:
            yield PROVINCE, gap
        elif pos > 0 and gap and DIVISION_SHAPED.fullmatch(gap):
            if gap.endswith("市"):
                # 市 names a prefecture before a district, a county-level city otherwise.
                next_level = min(g.levels[d] for d, _how, _hid in m.entries)
                level = CITY if next_level >= DISTRICT else DISTRICT
            elif gap.endswith(("街道", "镇", "乡")):
                level = TOWNSHIP
            else:
                level = _SUFFIX_LEVEL[gap[-1]]
            yield level, gap
        pos = m.end


def _fix_typo(text: str, start: int, parent: int, g: Gazetteer) -> tuple[int, str] | None:
    level = g.levels[parent] + 1
    pattern = _NEXT_DIVISION.get(level)
    if pattern is None:
        return None
    m = pattern.match(text[start : start + 8])
    if m is None:
        return None
    token = m.group(1)
    if len(token) < 3:
        return None
    close = [
        c
        for c in g.children.get(parent, ())
        if len(g.names[c]) == len(token)
        and Levenshtein.distance(g.names[c], token, score_cutoff=1) == 1
    ]
    return (close[0], token) if len(close) == 1 else None


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
            if _DIGIT.search(rest[:cut]):
                issues.append(Issue(IssueCode.TWO_ADDRESSES, rest[cut:][:40]))
                return rest[:cut]
    return rest
