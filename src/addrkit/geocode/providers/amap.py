"""AMap (高德地图) geocoding, which geopy lacks, written as a geopy geocoder.

:class:`AMapGeocoder` is a ``geopy.geocoders.base.Geocoder`` like geopy's own classes
(its HTTP adapter, timeouts, error mapping of HTTP codes), so :class:`AMap` is a provider
of the same shape as the others. AMap answers HTTP 200 with a status and an ``infocode``;
those codes are mapped to geopy's errors here. Points are GCJ-02.
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderParseError,
    GeocoderQueryError,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderUnavailable,
)
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from ..base import GeopyProvider
from ..crs import CRS
from ..result import GeocodeResult, Precision

__all__ = ["AMap", "AMapGeocoder"]

# infocode → geopy error (https://lbs.amap.com/api/webservice/guide/tools/info).
_INFOCODES = {
    "10001": GeocoderAuthenticationFailure,  # INVALID_USER_KEY
    "10002": GeocoderAuthenticationFailure,  # SERVICE_NOT_AVAILABLE (for this key)
    "10003": GeocoderQuotaExceeded,  # DAILY_QUERY_OVER_LIMIT
    "10004": GeocoderRateLimited,  # ACCESS_TOO_FREQUENT
    "10005": GeocoderAuthenticationFailure,  # INVALID_USER_IP
    "10006": GeocoderAuthenticationFailure,  # INVALID_USER_DOMAIN
    "10007": GeocoderAuthenticationFailure,  # INVALID_USER_SIGNATURE
    "10009": GeocoderAuthenticationFailure,  # USERKEY_PLAT_NOMATCH
    "10010": GeocoderRateLimited,  # IP_QUERY_OVER_LIMIT
    "10014": GeocoderRateLimited,  # QPS_HAS_EXCEEDED_THE_LIMIT
    "10016": GeocoderUnavailable,  # SERVER_IS_BUSY
    "10019": GeocoderRateLimited,  # CUQPS_HAS_EXCEEDED_THE_LIMIT
    "10020": GeocoderRateLimited,  # CKQPS_HAS_EXCEEDED_THE_LIMIT
    "10021": GeocoderRateLimited,  # CUQPS_HAS_EXCEEDED_THE_LIMIT
    "10044": GeocoderQuotaExceeded,  # USER_DAILY_QUERY_OVER_LIMIT
    "10045": GeocoderQuotaExceeded,  # USER_ABROAD_DAILY_QUERY_OVER_LIMIT
    "20000": GeocoderQueryError,  # INVALID_PARAMS
    "20001": GeocoderQueryError,  # MISSING_REQUIRED_PARAMS
    "20003": GeocoderServiceError,  # UNKNOWN_ERROR
}

_LEVEL = {
    "国家": Precision.COUNTRY,
    "省": Precision.PROVINCE,
    "市": Precision.CITY,
    "区县": Precision.DISTRICT,
    "开发区": Precision.DISTRICT,
    "乡镇": Precision.TOWNSHIP,
    "村庄": Precision.TOWNSHIP,
    "热点商圈": Precision.TOWNSHIP,
    "道路": Precision.STREET,
    "道路交叉路口": Precision.STREET,
    "兴趣点": Precision.ROOFTOP,
    "门牌号": Precision.ROOFTOP,
    "门址": Precision.ROOFTOP,
    "单元号": Precision.ROOFTOP,
    "楼栋": Precision.ROOFTOP,
    "公交站台、地铁站": Precision.ROOFTOP,
}


class AMapGeocoder(Geocoder):
    """geopy-style geocoder for AMap's web service ``/v3/geocode/geo``."""

    api_path = "/v3/geocode/geo"

    def __init__(
        self,
        api_key: str,
        *,
        domain: str = "restapi.amap.com",
        scheme=None,
        timeout=DEFAULT_SENTINEL,
        proxies=DEFAULT_SENTINEL,
        user_agent=None,
        ssl_context=DEFAULT_SENTINEL,
        adapter_factory=None,
    ) -> None:
        super().__init__(
            scheme=scheme,
            timeout=timeout,
            proxies=proxies,
            user_agent=user_agent,
            ssl_context=ssl_context,
            adapter_factory=adapter_factory,
        )
        self.api_key = api_key
        self.api = f"{self.scheme}://{domain.strip('/')}{self.api_path}"

    def geocode(self, query, *, exactly_one=True, city=None, timeout=DEFAULT_SENTINEL):
        """Location of an address (``city`` narrows the search to a city or adcode)."""
        params = {"key": self.api_key, "address": query, "output": "JSON"}
        if city:
            params["city"] = city
        url = f"{self.api}?{urlencode(params)}"
        callback = partial(self._parse_json, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout)

    def _parse_json(self, page, exactly_one=True):
        if not isinstance(page, dict):
            raise GeocoderParseError(f"AMap answered {type(page).__name__}, not an object")
        if str(page.get("status")) != "1":
            code = str(page.get("infocode", ""))
            error = _INFOCODES.get(code, GeocoderServiceError)
            message = f"AMap {code} {page.get('info', '')}".strip()
            if error is GeocoderRateLimited:
                raise GeocoderRateLimited(message)
            raise error(message)
        places = [p for p in page.get("geocodes") or () if _text(p.get("location"))]
        if not places:
            return None
        found = [self._location(p) for p in places]
        return found[0] if exactly_one else found

    @staticmethod
    def _location(place: dict) -> Location:
        lon, lat = (float(v) for v in _text(place["location"]).split(","))
        return Location(_text(place.get("formatted_address")), (lat, lon), place)


def _text(value) -> str:
    """AMap writes an empty field as ``[]``; a present one as text."""
    return value if isinstance(value, str) else ""


class AMap(GeopyProvider):
    """AMap geocoding (GCJ-02); needs a web-service key."""

    name = "amap"
    crs = CRS.GCJ02
    needs_key = True

    def _make_geocoder(self, common: dict[str, Any]):
        if self.domain:
            common["domain"] = self.domain
        return AMapGeocoder(self.api_key, **common)

    def _to_result(self, text: str, location) -> GeocodeResult:
        raw = location.raw
        precision = _LEVEL.get(_text(raw.get("level")), Precision.CITY)
        adcode = _text(raw.get("adcode")) or None
        return self.result(text, location, precision, None, adcode)
