"""Customer codes: the pattern from the Settings sheet and the check character.

A pattern such as ``{REGION}-{PROV}-{SEQ:05}{CHECK}`` is literal text with parts:

============  ==========================================================  =========
part          what it becomes                                             example
============  ==========================================================  =========
{REGION}      the region's letters (华东 → HD; Regions sheet "… ZJ" → ZJ)  HD
{PROV}        the province's ISO 3166-2:CN letters                         ZJ
{ADCODE:n}    the first n digits of the division code (default all 6)      3301
{TYPE}        the 客户类型 customer-type cell, letters and digits           VIP
{YEAR}        the year the code is issued ({YEAR:2}: two digits)          2026
{SEQ:0n}      a running number per prefix, n digits wide                   00042
{CHECK}       ISO/IEC 7064 MOD 37,36 check character over the code         M
============  ==========================================================  =========

Names may also be written in Chinese (区域 省 代码 类型 年 序号 校验) and in any case.
The sequence counts separately for every prefix (the code with the sequence left out),
so ``HD-ZJ-00001`` and ``HB-BJ-00001`` can both exist. A code is issued once: the
registry (`addrkit.assign.registry`) never hands a number out twice.

The check character follows ISO/IEC 7064:2003, hybrid system MOD 37,36 over the
alphabet 0-9 A-Z: it catches every single wrong character and nearly every swap of two
neighbours (about 1 in 700 slips through). It is computed over the letters and digits of the code; separators
(``-`` ``/`` ``.`` ``_``) do not count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from ..errors import CodePatternError

__all__ = [
    "Part",
    "CodePattern",
    "CodeFields",
    "DEFAULT_CODE_PATTERN",
    "PROVINCE_LETTERS",
    "check_character",
    "check_valid",
]

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(_ALPHABET)}
_NOT_ALPHABET = re.compile("[^0-9A-Z]")  # ASCII ranges: what `ch in _ALPHABET` keeps
_M = 36  # MOD 37,36: modulus 36, the hybrid system's M+1 = 37


def check_character(body: str) -> str:
    """The ISO/IEC 7064 MOD 37,36 check character for the letters and digits of ``body``.

    Examples
    --------
    >>> check_character("A12425GABC1234002")  # the standard's worked example
    'M'
    >>> check_character("HD-ZJ-00001") == check_character("HDZJ00001")
    True
    """
    return _check_of(_letters(body))


def _check_of(letters: str) -> str:
    """`check_character` of text holding only `_ALPHABET`'s characters."""
    return _ALPHABET[(_M + 1 - _steps(_M, letters)) % _M]


def _steps(p: int, letters: str) -> int:
    """MOD 37,36's running value after ``letters`` (only `_ALPHABET`'s), from ``p``."""
    for ch in letters:
        p = (p + _VALUE[ch]) % _M or _M
        p = (p * 2) % (_M + 1)
    return p


_HEAD_STATES: dict[str, tuple[int, int]] = {}  # code text before the sequence → (state, letters)


def check_valid(code: str) -> bool:
    """Whether the last letter or digit of ``code`` is its MOD 37,36 check character.

    Examples
    --------
    >>> check_valid("A12425GABC1234002M"), check_valid("A12425GABC1234020M")
    (True, False)
    """
    letters = _letters(code)
    return len(letters) >= 2 and check_character(letters[:-1]) == letters[-1]


def _letters(text: str) -> str:
    return _NOT_ALPHABET.sub("", unicodedata.normalize("NFKC", text).upper())


# ISO 3166-2:CN subdivision letters (the part after "CN-"), by short province name.
PROVINCE_LETTERS: Mapping[str, str] = {
    "北京": "BJ", "天津": "TJ", "河北": "HE", "山西": "SX", "内蒙古": "NM", "辽宁": "LN",
    "吉林": "JL", "黑龙江": "HL", "上海": "SH", "江苏": "JS", "浙江": "ZJ", "安徽": "AH",
    "福建": "FJ", "江西": "JX", "山东": "SD", "河南": "HA", "湖北": "HB", "湖南": "HN",
    "广东": "GD", "广西": "GX", "海南": "HI", "重庆": "CQ", "四川": "SC", "贵州": "GZ",
    "云南": "YN", "西藏": "XZ", "陕西": "SN", "甘肃": "GS", "青海": "QH", "宁夏": "NX",
    "新疆": "XJ", "台湾": "TW", "香港": "HK", "澳门": "MO",
}  # fmt: skip


class Part(StrEnum):
    REGION = "REGION"
    PROV = "PROV"
    ADCODE = "ADCODE"
    TYPE = "TYPE"
    YEAR = "YEAR"
    SEQ = "SEQ"
    CHECK = "CHECK"


_PART_NAMES = {
    **{p.value: p for p in Part},
    "PROVINCE": Part.PROV,
    "区域": Part.REGION,
    "大区": Part.REGION,
    "省": Part.PROV,
    "代码": Part.ADCODE,
    "区划代码": Part.ADCODE,
    "类型": Part.TYPE,
    "客户类型": Part.TYPE,
    "年": Part.YEAR,
    "年份": Part.YEAR,
    "序号": Part.SEQ,
    "流水号": Part.SEQ,
    "校验": Part.CHECK,
    "校验位": Part.CHECK,
}
_TOKEN = re.compile(r"\{([^{}:]+)(?::(\d+))?\}")
_LITERAL = re.compile(r"^[A-Za-z0-9\-_/.]*$")


@dataclass(frozen=True, slots=True)
class CodeFields:
    """What one customer's code is made of (None where the customer lacks it)."""

    region: str | None = None  # letters already (see territories.region_code)
    province: str | None = None  # a province name, official or short
    adcode: str | None = None
    customer_type: Any = None
    year: int = 2026


@dataclass(frozen=True, slots=True)
class _Piece:
    part: Part | None  # None: literal text
    text: str = ""
    width: int | None = None


@dataclass(frozen=True, slots=True)
class CodePattern:
    """A parsed code pattern: a customer's `prefix` plus a sequence number make a code.

    Examples
    --------
    >>> p = CodePattern.parse("{REGION}-{PROV}-{SEQ:05}{CHECK}")
    >>> key = p.prefix(CodeFields(region="HD", province="浙江省"))
    >>> key, p.render(key, 42)
    ('HD-ZJ-#', 'HD-ZJ-00042X')
    >>> p.split("HD-ZJ-00042X"), p.capacity
    (('HD-ZJ-#', 42), 99999)
    >>> p.split("HD-ZJ-00042Y") is None  # wrong check character: not one of ours
    True
    """

    text: str
    pieces: tuple[_Piece, ...]

    @classmethod
    def parse(cls, text: Any) -> CodePattern:
        """Read the Code pattern setting; empty gives `DEFAULT_CODE_PATTERN`."""
        raw = unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()
        if not raw:
            return DEFAULT_CODE_PATTERN
        pieces: list[_Piece] = []
        at = 0
        for match in _TOKEN.finditer(raw):
            cls._literal(raw[at : match.start()], pieces, raw)
            part = _PART_NAMES.get(match.group(1).strip().upper())
            if part is None:
                valid = " ".join("{" + p.value + "}" for p in Part)
                raise CodePatternError(
                    f"编码规则中的 {match.group(0)} 无法识别，可用：{valid} / Unknown part "
                    f"{match.group(0)} in code pattern {raw!r}; valid: {valid}"
                )
            width = int(match.group(2)) if match.group(2) else None
            pieces.append(_Piece(part, width=width))
            at = match.end()
        cls._literal(raw[at:], pieces, raw)
        parts = [p.part for p in pieces if p.part is not None]
        if parts.count(Part.SEQ) != 1:
            raise CodePatternError(
                f"编码规则必须含一个 {{SEQ}} 序号，编码才不会重复 / A code pattern needs exactly "
                f"one {{SEQ}} so codes never repeat: {raw!r}"
            )
        if Part.CHECK in parts and (parts[-1] is not Part.CHECK or parts.count(Part.CHECK) > 1):
            raise CodePatternError(
                f"{{CHECK}} 校验位只能放在最后 / {{CHECK}} must be the last part: {raw!r}"
            )
        seq = next(p for p in pieces if p.part is Part.SEQ)
        if seq.width is not None and not 1 <= seq.width <= 12:
            raise CodePatternError(f"序号位数应为 1–12 / SEQ width must be 1-12: {raw!r}")
        return cls(raw, tuple(pieces))

    @staticmethod
    def _literal(text: str, pieces: list[_Piece], raw: str) -> None:
        if not text:
            return
        if not _LITERAL.match(text):
            raise CodePatternError(
                f"编码规则中只能用字母、数字和 - _ / . / A code pattern may contain only letters, "
                f"digits and - _ / . besides its parts: {text!r} in {raw!r}"
            )
        pieces.append(_Piece(None, text.upper()))

    def __str__(self) -> str:
        return self.text

    @property
    def parts(self) -> frozenset[Part]:
        return frozenset(p.part for p in self.pieces if p.part is not None)

    @property
    def capacity(self) -> int | None:
        """The largest sequence number the pattern can hold (None: unlimited)."""
        width = next(p.width for p in self.pieces if p.part is Part.SEQ)
        return None if width is None else 10**width - 1

    def prefix(self, fields: CodeFields) -> str:
        """The code with ``{SEQ}`` kept as a marker: the key the sequence counts under.

        Raises
        ------
        CodePatternError
            The customer lacks a part the pattern needs (the message says which).
        """
        out = []
        for piece in self.pieces:
            if piece.part is None:
                out.append(piece.text)
            elif piece.part is Part.SEQ:
                out.append("#")
            elif piece.part is not Part.CHECK:
                out.append(self._value(piece, fields))
        return "".join(out)

    def _value(self, piece: _Piece, fields: CodeFields) -> str:
        part = piece.part
        if part is Part.REGION:
            value = fields.region
            missing = ("区域（或区域没有字母代码）", "region (or the region has no letter code)")
        elif part is Part.PROV:
            from .regions import short_name

            value = PROVINCE_LETTERS.get(short_name(fields.province or "").strip())
            missing = ("省份", "province")
        elif part is Part.ADCODE:
            digits = re.sub(r"\D", "", str(fields.adcode or ""))
            value = digits[: piece.width] if piece.width else digits
            if piece.width and len(value) < piece.width:
                value = ""
            missing = ("行政区划代码", "division code")
        elif part is Part.TYPE:
            value = _letters(str(fields.customer_type)) if fields.customer_type is not None else ""
            missing = ("客户类型（字母或数字）", "customer type (letters or digits)")
        else:  # YEAR
            value = str(fields.year)[-piece.width :] if piece.width else str(fields.year)
            missing = ("年份", "year")
        if not value:
            raise CodePatternError(
                f"缺少{missing[0]}，无法编码 / No {missing[1]}: cannot make a code"
            )
        return value

    def render(self, key: str, seq: int) -> str:
        """The code for sequence number ``seq`` under ``key`` (a `prefix`), check included.

        Raises
        ------
        CodePatternError
            ``seq`` does not fit the width of ``{SEQ}``.
        """
        cap = self.capacity
        if seq < 1 or (cap is not None and seq > cap):
            raise CodePatternError(
                f"编码规则 {self.text} 的序号最多 {cap}，{key.replace('#', '…')} 下已用完，请加宽 "
                f"{{SEQ}} / Code pattern {self.text} holds sequence numbers up to {cap}: "
                f"{key.replace('#', '…')} has run out; widen {{SEQ}}"
            )
        width = next(p.width for p in self.pieces if p.part is Part.SEQ)
        body = key.replace("#", str(seq).zfill(width or 1), 1)
        return body + check_character(body) if Part.CHECK in self.parts else body

    def _regex(self) -> re.Pattern[str]:
        return _pattern_regex(self.text)  # keyed by text: hashing the parts costs more

    def _build_regex(self) -> re.Pattern[str]:
        out = []
        for piece in self.pieces:
            if piece.part is None:
                out.append(re.escape(piece.text))
            elif piece.part is Part.SEQ:
                out.append(rf"(?P<seq>\d{{{piece.width}}})" if piece.width else r"(?P<seq>\d+)")
            elif piece.part is Part.CHECK:
                out.append(r"(?P<check>[0-9A-Z])")
            elif piece.part in (Part.ADCODE, Part.YEAR) and piece.width:
                out.append(rf"\d{{{piece.width}}}")
            elif piece.part is Part.YEAR:
                out.append(r"\d{4}")
            elif piece.part is Part.ADCODE:
                out.append(r"\d{6}")
            else:
                out.append(r"[0-9A-Z]+?")
        return re.compile("^" + "".join(out) + "$")

    def split(self, code: Any) -> tuple[str, int] | None:
        """(prefix, sequence) of a code made by this pattern, or None if it is not one.

        A code whose check character is wrong is not one of ours either.
        """
        if code is None or isinstance(code, bool):
            return None
        return self.split_folded(unicodedata.normalize("NFKC", str(code)).strip().upper())

    def split_folded(self, text: str) -> tuple[str, int] | None:
        """`split` of a code already folded as it folds one (NFKC, stripped, upper case):
        a sheet's million codes are folded once, not twice."""
        match = self._regex().match(text)
        if not match:
            return None
        start, end = match.span("seq")
        if Part.CHECK in self.parts:  # the check character ends the code (see parse)
            # NFKC and upper case already: only the letters and digits are dropped, as
            # `_letters` drops them. The state after the text before the sequence is the
            # same for every code of a prefix: worked out once per prefix.
            head = text[:start]
            known = _HEAD_STATES.get(head)
            if known is None:
                letters = _NOT_ALPHABET.sub("", head)
                known = (_steps(_M, letters), len(letters))
                if len(_HEAD_STATES) < 4096:  # a sheet has a few prefixes; keep it bounded
                    _HEAD_STATES[head] = known
            rest = _NOT_ALPHABET.sub("", text[start:-1])
            if known[1] + len(rest) < 1:  # nothing for the check character to check
                return None
            if _ALPHABET[(_M + 1 - _steps(known[0], rest)) % _M] != text[-1]:
                return None
            text = text[:-1]
        return text[:start] + "#" + text[end:], int(match.group("seq"))

    def explain(self, code: Any) -> tuple[bool, str, str]:
        """(valid, reason_zh, reason_en) for CODE_VALID."""
        text = "" if code is None else unicodedata.normalize("NFKC", str(code)).strip().upper()
        if not text:
            return False, "编码为空", "code is empty"
        if self._regex().match(text) is None:
            return (
                False,
                f"不符合编码规则 {self.text}",
                f"does not match the code pattern {self.text}",
            )
        if Part.CHECK in self.parts and not check_valid(text):
            expected = check_character(_letters(text)[:-1])
            return False, f"校验位应为 {expected}", f"check character should be {expected}"
        return True, "符合编码规则", f"matches {self.text}"


@lru_cache(maxsize=64)
def _pattern_regex(text: str) -> re.Pattern[str]:
    """The compiled reader of a pattern's codes, built once per pattern text."""
    return CodePattern.parse(text)._build_regex()


DEFAULT_CODE_PATTERN = CodePattern.parse("{REGION}-{PROV}-{SEQ:05}{CHECK}")
