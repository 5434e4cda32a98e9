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

from ..gazetteer import default_gazetteer

__all__ = [
    "basic_text",
    "to_simplified",
    "chinese_number",
    "numerals_to_digits",
    "normalize_detail",
    "strip_punct",
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


def numerals_to_digits(text: str) -> str:
    """Chinese numerals that count address units become digits; other numerals stay.

    Only a numeral followed by an address unit (号, 栋, 楼, 层, 单元, 室 ...) is converted,
    so place names such as 三墩镇 or 十里铺 are left alone.

    Examples
    --------
    >>> numerals_to_digits("三墩镇第三栋二单元一零二室")
    '三墩镇3栋2单元102室'
    """
    text = _ORDINAL.sub(lambda m: m.group(1), text)
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
    text = numerals_to_digits(basic_text(value))
    text = _BUILDING.sub(r"\1栋", text)
    text = _UNIT.sub(r"\1单元", text)
    text = _ROOM.sub(r"\1室", text)
    return strip_punct(text)
