"""Photon (komoot's OpenStreetMap geocoder), usually self-hosted, through geopy. WGS-84."""

from __future__ import annotations

from typing import Any

from ..base import GeopyProvider
from ..crs import CRS
from ..result import GeocodeResult, Precision

__all__ = ["Photon"]

_TYPE = {
    "house": Precision.ROOFTOP,
    "street": Precision.STREET,
    "locality": Precision.TOWNSHIP,
    "district": Precision.TOWNSHIP,
    "city": Precision.CITY,
    "county": Precision.DISTRICT,
    "state": Precision.PROVINCE,
    "country": Precision.COUNTRY,
}


class Photon(GeopyProvider):
    """Photon geocoding; ``domain=`` (and ``scheme="http"``) for your own server."""

    name = "photon"
    crs = CRS.WGS84

    def _make_geocoder(self, common: dict[str, Any]):
        from geopy.geocoders import Photon as GeopyPhoton

        if self.domain:
            common["domain"] = self.domain
        return GeopyPhoton(**common)

    def _to_result(self, text: str, location) -> GeocodeResult:
        props = location.raw.get("properties", {})
        precision = _TYPE.get(str(props.get("type", "")))
        if precision is None:  # a named place (a shop, a station): as exact as a house
            precision = Precision.ROOFTOP if props.get("housenumber") else Precision.STREET
        return self.result(text, location, precision)
