"""Pelias (self-hosted or a hosted service), through geopy. WGS-84."""

from __future__ import annotations

from typing import Any

from ...errors import ProviderConfigError
from ..base import GeopyProvider
from ..crs import CRS
from ..result import GeocodeResult, Precision

__all__ = ["Pelias"]

# Pelias layers (https://github.com/pelias/documentation/blob/master/search.md).
_LAYER = {
    "venue": Precision.ROOFTOP,
    "address": Precision.ROOFTOP,
    "street": Precision.STREET,
    "neighbourhood": Precision.TOWNSHIP,
    "microhood": Precision.TOWNSHIP,
    "macrohood": Precision.TOWNSHIP,
    "borough": Precision.DISTRICT,
    "localadmin": Precision.DISTRICT,
    "locality": Precision.CITY,
    "county": Precision.DISTRICT,
    "macrocounty": Precision.CITY,
    "region": Precision.PROVINCE,
    "macroregion": Precision.PROVINCE,
    "country": Precision.COUNTRY,
}


class Pelias(GeopyProvider):
    """Pelias geocoding; ``domain=`` is required (there is no public default server)."""

    name = "pelias"
    crs = CRS.WGS84

    def _make_geocoder(self, common: dict[str, Any]):
        from geopy.geocoders import Pelias as GeopyPelias

        if not self.domain:
            raise ProviderConfigError(
                "pelias 需要服务器地址 / needs the server: pass domain= (e.g. pelias.example.org)"
            )
        return GeopyPelias(self.domain, api_key=self.api_key, **common)

    def _to_result(self, text: str, location) -> GeocodeResult:
        props = location.raw.get("properties", {})
        precision = _LAYER.get(str(props.get("layer", "")), Precision.STREET)
        return self.result(text, location, precision, props.get("confidence"))
