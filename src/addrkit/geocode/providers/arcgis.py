"""Esri's ArcGIS World Geocoding Service (or your own ArcGIS server), through geopy. WGS-84."""

from __future__ import annotations

from typing import Any

from ..base import GeopyProvider
from ..crs import CRS
from ..result import GeocodeResult, Precision

__all__ = ["ArcGIS"]

# Addr_type of a candidate (Esri's "Match_addr" levels).
_ADDR_TYPE = {
    "Subaddress": Precision.ROOFTOP,
    "PointAddress": Precision.ROOFTOP,
    "POI": Precision.ROOFTOP,
    "StreetAddress": Precision.STREET,
    "StreetAddressExt": Precision.STREET,
    "DistanceMarker": Precision.STREET,
    "StreetInt": Precision.STREET,
    "StreetMidBlock": Precision.STREET,
    "StreetBetween": Precision.STREET,
    "StreetName": Precision.STREET,
    "PostalExt": Precision.STREET,
    "PostalLoc": Precision.TOWNSHIP,
    "Postal": Precision.TOWNSHIP,
    "Locality": Precision.CITY,
}


class ArcGIS(GeopyProvider):
    """ArcGIS geocoding; an API key (token) is optional for single lookups."""

    name = "arcgis"
    crs = CRS.WGS84

    def _make_geocoder(self, common: dict[str, Any]):
        from geopy.geocoders import ArcGIS as GeopyArcGIS

        if self.domain:
            common["domain"] = self.domain
        return GeopyArcGIS(**common)

    def _query_options(self) -> dict[str, Any]:
        return {"out_fields": ["Addr_type"]}

    def _to_result(self, text: str, location) -> GeocodeResult:
        raw = location.raw
        addr_type = str(raw.get("attributes", {}).get("Addr_type", ""))
        precision = _ADDR_TYPE.get(addr_type, Precision.CITY)
        score = raw.get("score")
        return self.result(text, location, precision, None if score is None else score / 100)
