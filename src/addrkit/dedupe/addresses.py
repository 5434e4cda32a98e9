"""Addresses → the parts a duplicate check compares: district, road + number, the rest.

The address engine (:func:`addrkit.parse_many`) fills the divisions a writer left out and
replaces old names with current ones, so ``杭州西湖区文三路90号`` and
``浙江省杭州市西湖区文三路90号`` reach the comparison as the same district and the same
tail ``文三路90号``. The tail is put in one spelling by :func:`normalize_detail`
(numerals, 栋/幢/号楼, width, script) and its numbers are kept apart: two offices in
one building differ only there, and that difference must count against a match.

Text the address engine cannot place (an English street address) is compared as written,
after the same normalisation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..workers import WorkerPool
from .normalize import basic_text, map_distinct, normalize_detail

__all__ = ["PreparedAddress", "prepare_addresses"]

_ROAD_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12}?(?:大道|路|街|道|巷|弄|胡同|村|里))(\d+)")
_NUMBERS = re.compile(r"\d+")
# Used only when the address engine cannot run: a leading province and city are dropped.
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|"
    "湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_ADMIN_PREFIX = re.compile(
    rf"^(?:(?:{_PROVINCES})(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?)?"
    r"(?:[\u4e00-\u9fff]{2,3}?市)?(?P<district>[\u4e00-\u9fff]{1,3}?(?:区|县))?"
)


# English street words in one spelling: St/Street, Ave/Avenue, N/North, Ste/Suite/Unit/#.
_ENGLISH_WORDS = {
    "st": "street", "str": "street", "rd": "road", "ave": "avenue", "av": "avenue",
    "blvd": "boulevard", "dr": "drive", "ln": "lane", "ct": "court", "pl": "place",
    "cres": "crescent", "cr": "crescent", "hwy": "highway", "pkwy": "parkway", "sq": "square",
    "cir": "circuit", "tce": "terrace", "pde": "parade", "mt": "mount", "ft": "fort",
    "n": "north", "s": "south", "e": "east", "w": "west", "ne": "northeast",
    "nw": "northwest", "se": "southeast", "sw": "southwest",
    "ste": "unit", "suite": "unit", "apt": "unit", "apartment": "unit", "flat": "unit",
    "unit": "unit", "no": "", "fl": "floor", "flr": "floor",
}  # fmt: skip
_ENGLISH_TOKEN = re.compile(r"[a-z]+|\d+")
_ORDINAL_NUMBER = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")


def _english(text: str) -> PreparedAddress:
    """A Latin-script address as words in one spelling; its numbers kept apart."""
    tokens = _ENGLISH_TOKEN.findall(_ORDINAL_NUMBER.sub(r"\1", text))
    words = [_ENGLISH_WORDS.get(t, t) for t in tokens]
    words = [w for w in words if w]
    if not words:
        return _EMPTY
    numbers = tuple(w.lstrip("0") or "0" for w in words if w.isdigit())
    skeleton = " ".join(w for w in words if not w.isdigit())
    first_number = next((w for w in words if w.isdigit()), "")
    road = next((w for w in words if not w.isdigit()), "")
    return PreparedAddress(
        district="",
        tail=" ".join(words),
        skeleton=skeleton,
        numbers=numbers,
        road_key=f"{road} {first_number}" if first_number and road else "",
    )


@dataclass(frozen=True, slots=True)
class PreparedAddress:
    """What of one address takes part in the comparison.

    ``district`` is the current county-level name ('' when unknown); ``tail`` the rest
    below the township in canonical spelling; ``skeleton`` the tail without its numbers;
    ``numbers`` the numbers in order (house, building, unit, room); ``road_key``
    road + house number ('' when the text names no road number); ``city`` the current
    prefecture-level name ('' when unknown): 鼓楼区 of 南京 is not 鼓楼区 of 福州.
    """

    district: str
    tail: str
    skeleton: str
    numbers: tuple[str, ...]
    road_key: str
    city: str = ""

    @property
    def empty(self) -> bool:
        return not self.tail and not self.district


_EMPTY = PreparedAddress("", "", "", (), "")


def _from_parts(
    district: str, tail: str, normalized: bool = False, city: str = ""
) -> PreparedAddress:
    tail = tail if normalized else normalize_detail(tail)
    if not tail and not district:
        return _EMPTY
    road = _ROAD_NUMBER.search(tail)
    return PreparedAddress(
        district=district,
        tail=tail,
        skeleton=_NUMBERS.sub("", tail),
        numbers=tuple(n.lstrip("0") or "0" for n in _NUMBERS.findall(tail)),
        road_key=f"{road.group(1)}{road.group(2)}" if road else "",
        city=city,
    )


@lru_cache(maxsize=8192)
def _normalized_division(name: str) -> str:
    # Division names repeat across a whole customer list: normalise each once.
    return normalize_detail(name)


def _from_parsed(parsed) -> PreparedAddress:
    # The tail is the text as written minus the divisions the engine recognised at its
    # start: the engine's split of what follows (street / number / detail) varies with
    # small typos, the written text does not.
    tail = normalize_detail(parsed.input)
    written = parsed.as_written
    for part in (written.province, written.city, written.district):
        part = _normalized_division(part) if part else ""
        at = tail.find(part) if part else -1
        if 0 <= at <= 12:
            tail = tail[:at] + tail[at + len(part) :]
    if not parsed.district and not parsed.city:
        return _fallback(parsed.input)
    return _from_parts(parsed.district or "", tail, normalized=True, city=parsed.city or "")


def _strip_admin(text: str) -> tuple[str, str]:
    match = _ADMIN_PREFIX.match(text)
    district = match.group("district") or "" if match else ""
    return district, text[match.end() :] if match else text


def _fallback(text: str) -> PreparedAddress:
    plain = basic_text(text)
    if plain.isascii():
        return _english(plain)
    return _from_parts(*_strip_admin(normalize_detail(text)))


def _default_parser() -> Callable[[Iterable[str]], Iterable]:
    from ..address import parse_many

    return parse_many


def prepare_addresses(
    values: Iterable[object],
    *,
    parser: Callable[[Iterable[str]], Iterable] | None = None,
    pool: WorkerPool | None = None,
) -> list[PreparedAddress]:
    """Prepare a column of addresses, parsing each distinct text once.

    Parameters
    ----------
    values
        Address cells (any type; empty and error values give an empty address).
    parser
        ``parse_many``-like callable; default :func:`addrkit.parse_many`.
    pool
        Worker processes that parse and prepare pieces of the distinct texts (used
        with the default parser only).

    Returns
    -------
    list of PreparedAddress, one per value, in order.

    Examples
    --------
    >>> a, b = prepare_addresses(["杭州西湖区文三路90号3号楼", "浙江省杭州市西湖区文三路９０号三幢"])
    >>> a.tail == b.tail, a.numbers
    (True, ('90', '3'))
    """
    values = list(values)
    # Whether a cell holds any text is decided once per distinct cell (a million-row
    # column repeats its addresses).
    texts = map_distinct(values, lambda v: str(v) if basic_text(v) else "")
    distinct = list(dict.fromkeys(t for t in texts if t.strip()))
    if pool is not None and parser is None:
        # Parsed and prepared in the workers: only the small results travel back.
        found = [a for piece in pool.map(prepare_address_piece, _pieces(distinct)) for a in piece]
    else:
        parse = parser or _default_parser()
        found = [_from_parsed(parsed) for parsed in parse(distinct)]
    prepared = dict(zip(distinct, found, strict=True))
    return [prepared.get(t, _EMPTY) for t in texts]


_PIECE = 2_000  # distinct texts per worker task


def _pieces(items: list) -> Iterator[list]:
    for start in range(0, len(items), _PIECE):
        yield items[start : start + _PIECE]


def prepare_address_piece(texts: list[str]) -> list[PreparedAddress]:
    """Parse and prepare a piece of distinct address texts (a worker's task)."""
    return [_from_parsed(parsed) for parsed in _default_parser()(texts)]
