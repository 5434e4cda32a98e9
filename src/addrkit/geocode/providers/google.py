"""Google Maps Geocoding API, through geopy.

Google gives GCJ-02 points for mainland China (as its China maps use) and WGS-84
elsewhere; the conversion rules of :mod:`addrkit.geocode.crs` move no point outside
China, so labelling the answers GCJ-02 and converting gives WGS-84 everywhere.
"""

from __future__ import annotations

from typing import Any

from ..base import GeopyProvider
from ..crs import CRS
from ..result import GeocodeResult, Precision

__all__ = ["Google"]

_LOCATION_TYPE = {"ROOFTOP": 1.0, "RANGE_INTERPOLATED": 0.8, "GEOMETRIC_CENTER": 0.6,
                  "APPROXIMATE": 0.4}  # fmt: skip
# Result types, most exact first.
_TYPES = (
    (("street_address", "premise", "subpremise", "point_of_interest", "establishment"),
     Precision.ROOFTOP),
    (("route", "intersection"), Precision.STREET),
    (("sublocality_level_2", "sublocality_level_3", "neighborhood", "postal_code"),
     Precision.TOWNSHIP),
    (("sublocality_level_1", "sublocality", "administrative_area_level_3"), Precision.DISTRICT),
    (("locality", "administrative_area_level_2"), Precision.CITY),
    (("administrative_area_level_1",), Precision.PROVINCE),
    (("country",), Precision.COUNTRY),
)  # fmt: skip


class Google(GeopyProvider):
    """Google geocoding; needs an API key."""

    name = "google"
    crs = CRS.GCJ02
    needs_key = True

    def _make_geocoder(self, common: dict[str, Any]):
        from geopy.geocoders import GoogleV3

        if self.domain:
            common["domain"] = self.domain
        return GoogleV3(api_key=self.api_key, **common)

    def _to_result(self, text: str, location) -> GeocodeResult:
        raw = location.raw
        location_type = raw.get("geometry", {}).get("location_type", "APPROXIMATE")
        types = set(raw.get("types", ()))
        precision = next((p for names, p in _TYPES if types & set(names)), Precision.CITY)
        if location_type == "ROOFTOP":
            precision = Precision.ROOFTOP
        confidence = _LOCATION_TYPE.get(location_type, 0.4) * (
            0.8 if raw.get("partial_match") else 1
        )
        return self.result(text, location, precision, confidence)
