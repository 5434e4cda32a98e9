"""Text normalisation shared by every dedupe field: width, script, numerals, building words.

Two entries of one customer differ in ways that carry no meaning: full-width digits
(１２号), traditional characters (杭州市濱江區), Chinese numerals (三号楼 / 3号楼), the
building word chosen (栋 / 幢 / 号楼 / 座), spaces and punctuation. These helpers remove
that noise so the comparisons only see differences that matter.

Traditional → simplified uses the embedded gazetteer's table (OpenCC's characters, minus
those that occur in official division names; see docs/data.md), one ``str.translate``
so a million cells stay fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from ..gazetteer import default_gazetteer

__all__ = [
    "basic_text",
    "to_simplified",
    "chinese_number",
    "numerals_to_digits",
    "normalize_detail",
    "strip_punct",
    "strip_courier_note",
    "map_distinct",
]

# Runs of Chinese numerals followed by a unit of an address (3号楼, 十二层, 二单元).
_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千"
_UNITS = "号楼|号|栋|幢|楼|层|单元|室|座|弄|期|排|组|区|户|间|巷"
_NUMERAL_RUN = re.compile(rf"([{_NUMERAL_CHARS}]+)(?=({_UNITS}))")
# "第三" before a unit as well: 第三栋 → 3栋.
_ORDINAL = re.compile(rf"第([{_NUMERAL_CHARS}\d]+)(?=({_UNITS}))")
_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGIT |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_MULTIPLIER = {"十": 10, "百": 100, "千": 1000}

# A house or room number with Chinese numerals among its digits (八－一一号, 1五7-5号): read
# digit by digit. Runs with 十/百 (三十五号) are counts, handled by _NUMERAL_RUN.
_MIXED_NUMBER = re.compile(
    r"[0-9零〇一二三四五六七八九]+(?:-[0-9零〇一二三四五六七八九]+)*(?=号|栋|幢|单元|室|楼|层)"
)
_DIGIT_CHAR = str.maketrans("零〇一二三四五六七八九", "00123456789")
# A note for the courier appended to an address (门卫代收, 电联, 放快递柜 …): it says nothing
# about where, so the address is cut before it (only after its first few characters).
_COURIER_NOTE = re.compile(
    r"[（(\[【,，;；\s]*(?:门卫室?代收|前台代收|代收|请?电联|电话联系|请?提前联系|送货前|送前|"
    r"放快递柜|快递柜|放驿站|菜鸟驿站|放门口|放前台|到了?打电话|打电话)"
)

# Every way office staff name a building, mapped to one word. Order matters: 号楼 before 号.
_BUILDING = re.compile(r"(\d+)\s*(?:号楼|幢|栋|座|号栋|号幢)")
_ROOM = re.compile(r"(\d+)\s*(?:号室|室|号房|房)")
_UNIT = re.compile(r"(\d+)\s*(?:单元|号单元)")
_PUNCT = re.compile(r"[\s\u3000·•.,，。、;；:：'\"“”‘’()（）\[\]【】<>《》!！?？_—–\-/\\#＃*~～]+")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters → simplified, character by character.

    Examples
    --------
    >>> to_simplified("杭州市濱江區長河路")
    '杭州市滨江区长河路'
    """
    return text.translate(default_gazetteer().t2s_table)


def basic_text(value: object) -> str:
    """Any cell value → clean text: NFKC (full width → half), simplified, lower case, trimmed.

    ``None``, NaN and Excel error values (``#N/A`` ...) give ``''``.

    Examples
    --------
    >>> basic_text("  浙江省杭州市濱江區１２号  ")
    '浙江省杭州市滨江区12号'
    >>> basic_text(float("nan"))
    ''
    """
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.startswith("#") and text.upper() in _EXCEL_ERRORS:
        return ""
    return to_simplified(text).lower()


_EXCEL_ERRORS = {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!"}


def strip_punct(text: str) -> str:
    """Remove spaces and punctuation (ASCII and CJK).

    Examples
    --------
    >>> strip_punct("文三路 90号（东门）")
    '文三路90号东门'
    """
    return _PUNCT.sub("", text)


def chinese_number(text: str) -> int:
    """A run of Chinese numerals → int: 十二 → 12, 二十一 → 21, 一百零五 → 105, 一二三 → 123.

    Examples
    --------
    >>> [chinese_number(t) for t in ("三", "十二", "二十", "一百零五", "一二三", "两千")]
    [3, 12, 20, 105, 123, 2000]
    """
    if not any(ch in _MULTIPLIER for ch in text):
        # Digit by digit, as in a room number read out: 一二三 → 123.
        return int("".join(str(_DIGIT[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _DIGIT:
            current = _DIGIT[ch]
        else:
            total += (current or 1) * _MULTIPLIER[ch]
            current = 0
    return total + current


def _digit_by_digit(match: re.Match) -> str:
    run = match.group(0)
    if run.isascii() or not any(ch.isdigit() or ch == "-" for ch in run):
        return run  # digits alone, or numerals alone (三号, 一二三室: see _NUMERAL_RUN)
    return run.translate(_DIGIT_CHAR)


def strip_courier_note(text: str) -> str:
    """The address without a note for the courier appended to it.

    Examples
    --------
    >>> strip_courier_note("路桥区西路桥大道23号门卫代收")
    '路桥区西路桥大道23号'
    >>> strip_courier_note("文三路90号（送货前电话联系）")
    '文三路90号'
    """
    match = _COURIER_NOTE.search(text, 6)
    return text[: match.start()] if match else text


def numerals_to_digits(text: str) -> str:
    """Chinese numerals that count address units become digits; other numerals stay.

    Only a numeral followed by an address unit (号, 栋, 楼, 层, 单元, 室 ...) is converted,
    so place names such as 三墩镇 or 十里铺 are left alone.

    Examples
    --------
    >>> numerals_to_digits("三墩镇第三栋二单元一零二室")
    '三墩镇3栋2单元102室'
    >>> numerals_to_digits("工业路八-一一号"), numerals_to_digits("工业路1五7-5号")
    ('工业路8-11号', '工业路157-5号')
    """
    text = _ORDINAL.sub(lambda m: m.group(1), text)
    text = _MIXED_NUMBER.sub(_digit_by_digit, text)
    return _NUMERAL_RUN.sub(lambda m: str(chinese_number(m.group(1))), text)


def normalize_detail(value: object) -> str:
    """Address text in one canonical spelling for comparison.

    Width, script and case folded; numerals as digits; 号楼/幢/座 → 栋; 号室/房 → 室;
    spaces and punctuation removed.

    Examples
    --------
    >>> normalize_detail("文三路９０号 三号楼 2单元 301室")
    '文三路90号3栋2单元301室'
    >>> normalize_detail("文三路90號3幢2單元301")
    '文三路90号3栋2单元301'
    """
    text = numerals_to_digits(strip_courier_note(basic_text(value)))
    text = _BUILDING.sub(r"\1栋", text)
    text = _UNIT.sub(r"\1单元", text)
    text = _ROOM.sub(r"\1室", text)
    return strip_punct(text)


def map_distinct(values: Iterable[object], func: Callable[[object], object]) -> list:
    """Apply ``func`` once per distinct value (cells repeat a lot in customer lists)."""
    cache: dict = {}
    out = []
    for value in values:
        key = value if isinstance(value, str | int) else repr(value)
        if key not in cache:
            cache[key] = func(value)
        out.append(cache[key])
    return out
