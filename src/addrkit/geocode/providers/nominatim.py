"""OpenStreetMap's Nominatim (public server or your own), through geopy.

The public server allows one request a second and needs an identifying user agent
(its usage policy); a self-hosted one is reached with ``domain=`` and ``scheme=``.
Points are WGS-84.
"""

from __future__ import annotations

from typing import Any

from ..base import GeopyProvider
from ..crs import CRS
from ..result import GeocodeResult, Precision

__all__ = ["Nominatim", "precision_from_rank"]

# Nominatim's addresstype → precision (https://nominatim.org/release-docs/latest/api/Output/).
_ADDRESSTYPE = {
    "country": Precision.COUNTRY,
    "state": Precision.PROVINCE,
    "province": Precision.PROVINCE,
    "region": Precision.PROVINCE,
    "city": Precision.CITY,
    "municipality": Precision.CITY,
    "county": Precision.DISTRICT,
    "district": Precision.DISTRICT,
    "city_district": Precision.DISTRICT,
    "borough": Precision.DISTRICT,
    "town": Precision.TOWNSHIP,
    "village": Precision.TOWNSHIP,
    "suburb": Precision.TOWNSHIP,
    "quarter": Precision.TOWNSHIP,
    "hamlet": Precision.TOWNSHIP,
    "neighbourhood": Precision.TOWNSHIP,
    "road": Precision.STREET,
}


def precision_from_rank(rank: int) -> Precision:
    """Precision for Nominatim's ``place_rank`` (4 country … 30 a house).

    Examples
    --------
    >>> precision_from_rank(30).value, precision_from_rank(26).value, precision_from_rank(8).value
    ('rooftop', 'street', 'province')
    """
    for upto, precision in (
        (4, Precision.COUNTRY),
        (9, Precision.PROVINCE),
        (11, Precision.CITY),
        (15, Precision.DISTRICT),
        (25, Precision.TOWNSHIP),
        (27, Precision.STREET),
    ):
        if rank <= upto:
            return precision
    return Precision.ROOFTOP


class Nominatim(GeopyProvider):
    """Nominatim geocoding (WGS-84); ``domain=`` for a self-hosted server."""

    name = "nominatim"
    crs = CRS.WGS84
    min_delay = 1.0  # the public server's usage policy: at most one request a second

    def _make_geocoder(self, common: dict[str, Any]):
        from geopy.geocoders import Nominatim as GeopyNominatim

        if self.domain:
            common["domain"] = self.domain
        return GeopyNominatim(**common)

    def _to_result(self, text: str, location) -> GeocodeResult:
        raw = location.raw
        precision = _ADDRESSTYPE.get(str(raw.get("addresstype", "")))
        if precision is None:
            precision = precision_from_rank(int(raw.get("place_rank", 30)))
        return self.result(text, location, precision, raw.get("importance"))
