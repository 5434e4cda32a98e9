"""Text clean-up before matching: width, traditional characters, spaces and punctuation.

Everything here is a ``str.translate`` or a precompiled regex: this runs on every
cell, so it must cost a few microseconds.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

__all__ = ["CleanText", "clean_text", "COUNTRY_PREFIXES"]

# Full-width ASCII (！ to ～) and the ideographic space map to their half-width forms.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
# Characters people type between parts; they carry no address information. Brackets,
# '-', '#' and '/' are kept: they belong to room numbers and notes.
_DROP = " \t\r\n\v\f\u00a0\u200b\u200c\u200d\ufeff,，、。;；:：\"'“”‘’《》<>【】[]{}|\\~`^*!?！？…"
_PARENS = {ord("（"): "(", ord("）"): ")", ord("—"): "-", ord("–"): "-"}
_WIDTH_AND_PARENS = {**{k: chr(v) for k, v in _WIDTH.items()}, **_PARENS}
# Dropped: separators, control characters, emoji and pictographs.
_DROP_RE = re.compile(
    "[" + re.escape(_DROP) + "\x00-\x1f\x7f-\x9f\u2600-\u27bf\ufe0f\U0001f000-\U0001faff]+"
)
# Anything that makes the slow path necessary; most cells contain none of it.
_NEEDS_WORK = re.compile(
    "[" + re.escape(_DROP) + "\uff01-\uff5e\u3000（）—–\x00-\x1f\x7f-\x9f\u2600-\u27bf"
    "\ufe0f\U0001f000-\U0001faff\u0300-\u036f]"
)

COUNTRY_PREFIXES = ("中华人民共和国", "中国大陆", "中国")


class CleanText(NamedTuple):
    text: str
    changed_width_or_punct: bool  # NORMALIZED_TEXT
    traditional: bool  # TRADITIONAL
    dropped_country: bool


def clean_text(
    raw: str, t2s_table: dict[int, str], traditional_finder: re.Pattern | None = None
) -> CleanText:
    """Normalise one address string for matching.

    ``traditional_finder`` finds any key of ``t2s_table`` (it may find more); with it,
    text that needs no conversion (nearly all) skips the per-character translation.

    Examples
    --------
    >>> from addrkit.gazetteer import default_gazetteer
    >>> g = default_gazetteer()
    >>> clean_text("中國 浙江省 杭州市　西湖區文三路９０號", g.t2s_table, g.traditional_pattern).text
    '浙江省杭州市西湖区文三路90号'
    """
    text = raw
    changed = False
    if _NEEDS_WORK.search(text):
        text = _DROP_RE.sub("", text.translate(_WIDTH_AND_PARENS))
        # After the drop: a character dropped between a letter and its accent (A:̀) would
        # leave them to be composed by the next cleaning, and cleaning must be idempotent.
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        changed = text != raw
    traditional = False
    if traditional_finder is None or traditional_finder.search(text) is not None:
        simplified = text.translate(t2s_table)
        traditional = simplified != text
        text = simplified
    dropped_country = False
    if text.startswith("中"):
        for prefix in COUNTRY_PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
                dropped_country = True
                break
    return CleanText(text, changed, traditional, dropped_country)
