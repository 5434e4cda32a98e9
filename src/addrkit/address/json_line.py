"""One ``ParsedAddress`` as one line of JSON, fast enough for millions of lines.

``addrkit parse`` writes a JSON object per input line. Building the ``to_dict`` dict and
encoding it with ``json`` cost as much as parsing the address. But most of an object is
shared by every address with the same divisions (names, adcode, coordinates, the
names as written) or by every address with the same issues, so those parts are
encoded once and reused; only the text of each address is encoded each time.

The output is byte for byte what ``json.dumps(address.to_dict(), ensure_ascii=False,
separators=(", ", ": "))`` gives (tests compare the two).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # json's own C string encoder (non-ASCII kept)

from ..reuse import ReuseTable
from .model import ParsedAddress

__all__ = ["JsonLineEncoder"]

_MAX_REMEMBERED = 50_000  # per kind of fragment; a few hundred bytes each


class JsonLineEncoder:
    """Encode parsed addresses as JSON lines, remembering the shared fragments.

    Examples
    --------
    >>> from addrkit import parse_address
    >>> line = JsonLineEncoder().encode(parse_address("浙江杭州西湖区文三路90号"))
    >>> json.loads(line)["district"]
    '西湖区'
    """

    def __init__(self) -> None:
        # Bounded: an endless stream of distinct issue sets must not grow memory.
        self._divisions = ReuseTable(_MAX_REMEMBERED)
        self._issues = ReuseTable(_MAX_REMEMBERED)
        self._places = ReuseTable(_MAX_REMEMBERED)

    def encode(self, a: ParsedAddress) -> str:
        """The JSON object for one address (no newline)."""
        divisions = self._divisions.get((a.province, a.city, a.district, a.township))
        if divisions is None:
            divisions = self._divisions.remember(
                (a.province, a.city, a.district, a.township),
                f'"province": {_text(a.province)}, "city": {_text(a.city)}, '
                f'"district": {_text(a.district)}, "township": {_text(a.township)}',
            )
        issues = self._issues.get(a.issues)
        if issues is None:
            issues = self._issues.remember(a.issues, _issues(a))
        place_key = (a.lat, a.lon, a.precision, a.crs, a.as_written)
        place = self._places.get(place_key)
        if place is None:
            place = self._places.remember(place_key, _place(a))
        return (
            f'{{"input": {encode_basestring(a.input)}, {divisions}, '
            f'"street": {_text(a.street)}, "house_number": {_text(a.house_number)}, '
            f'"detail": {_text(a.detail)}, "adcode": {_text(a.adcode)}, '
            f'"normalized": {_text(a.normalized)}, "status": "{a.status.value}", '
            f'"issues": {issues}, {place}, "contact_name": {_text(a.contact_name)}, '
            f'"contact_phone": {_text(a.contact_phone)}, "confidence": {_number(a.confidence)}}}'
        )


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
_float_text = float.__repr__  # what json writes for a finite float


def _number(value: float | None) -> str:
    """json's text for the confidence, without its Python-level encoder per line."""
    if value is None:
        return "null"
    if value.__class__ is float and value - value == 0.0:  # finite (not nan or ±inf)
        return _float_text(value)
    return _dumps(value)


def _issues(a: ParsedAddress) -> str:
    return _dumps([{"code": i.code.value, "message": i.message} for i in a.issues])


def _place(a: ParsedAddress) -> str:
    """The coordinate and names-as-written fields as ``to_dict`` gives them (without
    building the whole dict: its issue messages are the costly part, and unused here)."""
    precision = a.precision.value if a.lat is not None else None
    return (
        f'"lat": {_dumps(a.lat)}, "lon": {_dumps(a.lon)}, "precision": {_dumps(precision)}, '
        f'"crs": {_dumps(a.crs)}, "as_written": {_dumps(a.as_written._asdict())}'
    )
