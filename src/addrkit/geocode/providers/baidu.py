"""Baidu Maps geocoding API v3, through geopy. Points come in BD-09 (Baidu's own system)."""

from __future__ import annotations

from typing import Any

from geopy.geocoders import BaiduV3

from ..base import GeopyProvider
from ..crs import CRS
from ..result import GeocodeResult, Precision

__all__ = ["Baidu"]

# Baidu's "level" of a result.
_LEVEL = {
    "国家": Precision.COUNTRY,
    "省": Precision.PROVINCE,
    "城市": Precision.CITY,
    "区县": Precision.DISTRICT,
    "乡镇": Precision.TOWNSHIP,
    "村庄": Precision.TOWNSHIP,
    "商圈": Precision.TOWNSHIP,
    "道路": Precision.STREET,
    "道路交叉点": Precision.STREET,
    "门址": Precision.ROOFTOP,
    "地产小区": Precision.ROOFTOP,
    "购物": Precision.ROOFTOP,
    "公司企业": Precision.ROOFTOP,
    "教育": Precision.ROOFTOP,
    "医疗": Precision.ROOFTOP,
    "酒店": Precision.ROOFTOP,
}


class _BaiduV3(BaiduV3):
    """geopy's BaiduV3, except that Baidu's "no result" (status 1, 无相关结果) is no result:
    geopy reads every status 1 as a server error."""

    def _parse_json(self, page, exactly_one=True):
        if (
            isinstance(page, dict)
            and page.get("status") == 1
            and "无相关结果" in str(page.get("msg", ""))
        ):
            return None
        return super()._parse_json(page, exactly_one)


class Baidu(GeopyProvider):
    """Baidu geocoding (BD-09); needs an API key (AK)."""

    name = "baidu"
    crs = CRS.BD09
    needs_key = True

    def _make_geocoder(self, common: dict[str, Any]):
        geocoder = _BaiduV3(self.api_key, **common)
        if self.domain:  # geopy fixes Baidu's host; a test or a proxy server replaces it here
            geocoder.api = f"{geocoder.scheme}://{self.domain}{geocoder.api_path}"
        return geocoder

    def _to_result(self, text: str, location) -> GeocodeResult:
        raw = location.raw
        precision = _LEVEL.get(str(raw.get("level", "")), Precision.TOWNSHIP)
        if precision is Precision.ROOFTOP and not raw.get("precise"):
            precision = Precision.STREET  # a place, but not an exact point on it
        confidence = raw.get("confidence")
        return self.result(
            text, location, precision, None if confidence is None else confidence / 100
        )
