"""The default provider: the address engine, no network.

An address the engine resolves gets the point of its deepest division that has a
boundary — a point inside that division's current boundary (see
:mod:`addrkit.geocode.boundaries`) — and that division's level as precision. Township
precision is never claimed: no openly licensed township boundaries or coordinates are
shipped, so an address resolved to a township gets its county's point, labelled
``district``. Text the engine cannot place (foreign addresses, unknown names) is
``NOT_FOUND`` with the engine's issues as the reason, except an address abroad that names
its country: it gets the country's point (:mod:`addrkit.geocode.countries`), precision
``country``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from ...address import parse_address
from ...address.issues import IssueCode, Status
from ...address.model import ParsedAddress
from ..base import MAX_QUERY, Provider, clean_query
from ..countries import country_of
from ..crs import CRS
from ..result import GeocodeIssue, GeocodeResult, GeocodeStatus, GeoPoint, IssueKind, Precision

__all__ = ["Offline"]

# How sure the point's division is right, from the engine's verdict on the address.
_CONFIDENCE = {Status.OK: 1.0, Status.FIXED: 0.9, Status.WARNING: 0.7, Status.ERROR: 0.3}
# Cell values that are no address text at all: an error of the input, not a place unknown.
_NO_TEXT = frozenset({IssueCode.EMPTY, IssueCode.NOT_TEXT, IssueCode.EXCEL_ERROR})
_COARSE = frozenset({Precision.COUNTRY, Precision.PROVINCE, Precision.CITY})


@lru_cache(maxsize=4096)
def _issue(issue) -> GeocodeIssue:
    """The engine's issue as a geocoding issue (few distinct ones: converted once each)."""
    return GeocodeIssue(issue.code.value, issue.message)


# What the engine says of text it cannot place in China that may name a foreign country.
_MAYBE_FOREIGN = frozenset({IssueCode.FOREIGN, IssueCode.UNKNOWN_DIVISION})


def _country(a: ParsedAddress):
    """The country a foreign address names (its point stands for the whole country)."""
    if not any(i.code in _MAYBE_FOREIGN for i in a.issues):
        return None
    return country_of(a.input)


class Offline(Provider):
    """Geocode with the embedded gazetteer and boundaries.

    Examples
    --------
    >>> r = Offline().geocode("浙江省杭州市临平区南苑街道")
    >>> r.status.value, r.precision.value, r.adcode[:6], r.crs
    ('OK', 'district', '330113', 'WGS-84')
    >>> r = Offline().geocode("8 Rue de Rivoli, Paris, France")  # a country's point, no more
    >>> r.status.value, r.precision.value, r.address
    ('OK', 'country', '法国 France')
    >>> Offline().geocode("Atlantis").status.value
    'NOT_FOUND'
    """

    name = "offline"
    crs = CRS.WGS84
    online = False

    def _lookup(self, text: str) -> GeocodeResult:
        return self.from_parsed(parse_address(text))

    def geocode(self, query: object) -> GeocodeResult:
        # No pacing or retries: nothing here can time out or be rate limited. The engine
        # says itself what is wrong with a number, an error value or an empty cell.
        return self.from_parsed(parse_address(query))

    def geocode_many(self, queries: Iterable[object]) -> Iterator[GeocodeResult]:
        """One result per query; a text seen before in the batch is not parsed again."""
        seen: dict[str, GeocodeResult] = {}
        for query in queries:
            text = clean_query(query)
            if not text:
                yield self.geocode(query)
                continue
            found = seen.get(text)
            if found is None:
                if len(seen) > 200_000:  # bounded memory on a million distinct rows
                    seen.clear()
                found = seen[text] = self._lookup(text)
            yield found

    def from_parsed(self, a: ParsedAddress) -> GeocodeResult:
        """The result for an address the engine already parsed."""
        issues = tuple(map(_issue, a.issues))
        if a.lat is None or a.lon is None:
            country = _country(a)
            if country is not None:
                return GeocodeResult(
                    a.input[:MAX_QUERY],
                    GeoPoint(country.lat, country.lon, CRS.WGS84),
                    Precision.COUNTRY,
                    self.name,
                    _CONFIDENCE[Status.WARNING],
                    None,
                    GeocodeStatus.OK,
                    (*issues, GeocodeIssue.of(IssueKind.COARSE, Precision.COUNTRY.value)),
                    country.label,
                )
            unusable = any(i.code in _NO_TEXT for i in a.issues)
            return GeocodeResult(
                a.input[:MAX_QUERY],
                source=self.name,
                adcode=a.adcode,
                status=GeocodeStatus.ERROR if unusable else GeocodeStatus.NOT_FOUND,
                issues=issues if unusable else (*issues, GeocodeIssue.of(IssueKind.NOT_FOUND)),
            )
        precision = a.precision
        if precision in _COARSE:
            issues = (*issues, GeocodeIssue.of(IssueKind.COARSE, precision.value))
        return GeocodeResult(
            a.input[:MAX_QUERY],
            GeoPoint(a.lat, a.lon, CRS.parse(a.crs or CRS.WGS84)),
            precision,
            self.name,
            _CONFIDENCE[a.status],
            a.adcode,
            GeocodeStatus.OK,
            issues,
            a.normalized,
        )
