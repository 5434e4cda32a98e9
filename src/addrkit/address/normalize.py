"""Text clean-up before matching: width, traditional characters, spaces and punctuation.

Everything here is a ``str.translate`` or a precompiled regex: this runs on every
cell, so it must cost a few microseconds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["CleanText", "clean_text", "COUNTRY_PREFIXES"]

# Full-width ASCII (！ to ～) and the ideographic space map to their half-width forms.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
# Characters people type between parts; they carry no address information. Brackets,
# '-', '#' and '/' are kept: they belong to room numbers and notes.
_DROP = " \t\r\n\v\f\u00a0\u200b\u200c\u200d\ufeff,，、。;；:：\"'“”‘’《》<>【】[]{}|\\~`^*!?！？…"
_DROP_TABLE = {ord(c): None for c in _DROP}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f]")
_PARENS = str.maketrans({"（": "(", "）": ")", "－": "-", "—": "-", "–": "-", "＃": "#"})

COUNTRY_PREFIXES = ("中华人民共和国", "中国大陆", "中国")


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    changed_width_or_punct: bool  # NORMALIZED_TEXT
    traditional: bool  # TRADITIONAL
    dropped_country: bool


def clean_text(raw: str, t2s_table: dict[int, str]) -> CleanText:
    """Normalise one address string for matching.

    Examples
    --------
    >>> from addrkit.gazetteer import default_gazetteer
    >>> clean_text("中國 浙江省 杭州市　西湖區文三路９０號", default_gazetteer().t2s_table).text
    '浙江省杭州市西湖区文三路90号'
    """
    text = raw.translate(_WIDTH).translate(_PARENS)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    simplified = text.translate(t2s_table)
    traditional = simplified != text
    text = simplified.translate(_DROP_TABLE)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    if _EMOJI.search(text):
        text = _EMOJI.sub("", text)
    dropped_country = False
    for prefix in COUNTRY_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            dropped_country = True
            break
    changed = text != raw and not traditional and not dropped_country
    if not changed and (traditional or dropped_country):
        # Did anything besides those two change? Compare with only those undone.
        changed = raw.translate(_WIDTH).translate(_DROP_TABLE) != raw
    return CleanText(text, changed, traditional, dropped_country)
