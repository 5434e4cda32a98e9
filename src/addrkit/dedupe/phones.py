"""Phone cells → the set of numbers they hold, in one spelling.

Staff write ``+86 138-0571-2345``, ``0086 13805712345``, ``(0571) 8888 6666``,
``0571-88886666转123`` or two numbers in one cell (``13805712345/0571-88886666``).
Each number comes out as digits only, without the country code; a landline keeps its
area code when one was written. Comparisons also look at the last 8 digits, so a
landline with and without its area code still agree.
"""

from __future__ import annotations

import re

from .normalize import basic_text

__all__ = ["prepare_phones", "local_part"]

_EXTENSION = re.compile(r"(转|ext\.?|x|分机)\s*\d+$")
_COUNTRY = re.compile(r"(?:\+|＋|\b00)\s*86[\s\-]*")
# Separators inside one number: spaces, dashes, dots, brackets.
_JOINER = re.compile(r"(?<=[\d)）])[\s\-–—.()（）]+(?=[\d(（])|^[(（]|(?<=\d)[)）]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_SPLIT = re.compile(r"[,，;；/、|]|或|or|\s{2,}")


def _split_run(digits: str) -> list[str]:
    """A digit run that is several numbers written together → the numbers."""
    if len(digits) <= 12:
        return [digits]
    mobiles = _MOBILE.findall(digits)
    if mobiles and sum(map(len, mobiles)) == len(digits):
        return mobiles
    return [digits]


def prepare_phones(value: object) -> tuple[str, ...]:
    """Every phone number in a cell, digits only, sorted, without duplicates.

    Examples
    --------
    >>> prepare_phones("+86 138-0571-2345")
    ('13805712345',)
    >>> prepare_phones("13805712345 / (0571) 8888-6666转123")
    ('057188886666', '13805712345')
    >>> prepare_phones("310/246-1501")
    ('3102461501',)
    >>> prepare_phones("无")
    ()
    """
    text = basic_text(value)
    if not text:
        return ()
    numbers: set[str] = set()
    text = _COUNTRY.sub("", text)
    pieces = _SPLIT.split(text)
    # "310/246-1501" is one US number written with a slash, not two numbers.
    if len(pieces) > 1 and all(len(re.sub(r"\D", "", p)) < 6 for p in pieces[:-1]):
        pieces = ["".join(pieces)]
    for piece in pieces:
        piece = _EXTENSION.sub("", piece.strip())
        piece = _JOINER.sub("", piece)
        for run in re.findall(r"\d+", piece):
            for number in _split_run(run):
                if number.startswith("86") and len(number) == 13 and number[2] == "1":
                    number = number[2:]
                if len(number) >= 6:
                    numbers.add(number)
    return tuple(sorted(numbers))


def local_part(number: str) -> str:
    """The last 8 digits (7 for short local numbers): a landline with or without area code.

    Examples
    --------
    >>> local_part("057188886666") == local_part("88886666")
    True
    """
    return number[-8:] if len(number) >= 8 else number
