"""What a geocoder returns: a point with its coordinate system, how exact it is, and why.

Frozen value objects, as the address engine's: a :class:`GeoPoint` (lat, lon, crs) and a
:class:`GeocodeResult` around it that says where it came from (``source``), how exact it
is (:class:`Precision`), how sure the provider was (``confidence``, 0–1), the division
code when known, a :class:`GeocodeStatus` and the issues that explain it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum

from ..address.model import Precision
from .crs import CRS, convert

__all__ = [
    "GeoPoint",
    "GeocodeIssue",
    "GeocodeResult",
    "GeocodeStatus",
    "IssueKind",
    "Precision",
    "great_circle_km",
]

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), what great-circle distances use


class GeocodeStatus(StrEnum):
    """Verdict of one lookup."""

    OK = "OK"  # a point was found
    NOT_FOUND = "NOT_FOUND"  # the provider answered and knows no such place
    ERROR = "ERROR"  # the provider failed (after retries), or the input is unusable
    SKIPPED = "SKIPPED"  # not asked: the batch stopped earlier (quota); a rerun resumes


class IssueKind(StrEnum):
    """Stable codes of geocoding issues, each with a Chinese and an English message."""

    EMPTY = "EMPTY"
    NOT_TEXT = "NOT_TEXT"
    EXCEL_ERROR = "EXCEL_ERROR"
    NOT_FOUND = "NOT_FOUND"
    COARSE = "COARSE"
    PROVIDER_ERROR = "PROVIDER_ERROR"
    TIMEOUT = "TIMEOUT"
    QUOTA = "QUOTA"
    AUTH = "AUTH"
    BAD_RESPONSE = "BAD_RESPONSE"
    SKIPPED = "SKIPPED"
    CACHED = "CACHED"

    @property
    def message(self) -> str:
        return _MESSAGES[self]


_MESSAGES = {
    IssueKind.EMPTY: "地址为空 / Address is empty",
    IssueKind.NOT_TEXT: "不是文本地址 / Not a text address",
    IssueKind.EXCEL_ERROR: "单元格是 Excel 错误值 / Cell holds an Excel error value",
    IssueKind.NOT_FOUND: "未找到该地址 / Address not found",
    IssueKind.COARSE: "只定位到较粗的级别 / Placed only at a coarse level",
    IssueKind.PROVIDER_ERROR: "地理编码服务出错 / The geocoding service failed",
    IssueKind.TIMEOUT: "地理编码服务超时 / The geocoding service timed out",
    IssueKind.QUOTA: "超出服务配额或频率限制 / Quota or rate limit of the service exceeded",
    IssueKind.AUTH: "API 密钥无效或无权限 / API key missing, invalid or not allowed",
    IssueKind.BAD_RESPONSE: "服务返回无法解析的结果 / The service returned an unreadable answer",
    IssueKind.SKIPPED: "未查询：批处理已停止，重新运行将继续 / Not looked up: the batch stopped; "
    "run again to resume",
    IssueKind.CACHED: "来自缓存 / From the cache",
}


@dataclass(frozen=True, slots=True)
class GeocodeIssue:
    """One reason behind a result: a stable code and a Chinese / English message."""

    code: str
    message: str

    @classmethod
    def of(cls, kind: IssueKind, detail: str = "") -> GeocodeIssue:
        return cls(kind.value, kind.message + (f" ({detail})" if detail else ""))

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """A point in a named coordinate system.

    Examples
    --------
    >>> p = GeoPoint(30.2741, 120.1551)
    >>> q = p.to("gcj02")
    >>> q.crs.value, round(q.lat, 4)
    ('GCJ-02', 30.2718)
    >>> round(p.distance_km(GeoPoint(31.2304, 121.4737)), 1)  # Hangzhou → Shanghai
    164.9
    """

    lat: float
    lon: float
    crs: CRS = CRS.WGS84

    def to(self, crs: CRS | str) -> GeoPoint:
        """The same place in another coordinate system."""
        crs = CRS.parse(crs)
        if crs is self.crs:
            return self
        lat, lon = convert(self.lat, self.lon, self.crs, crs)
        return GeoPoint(lat, lon, crs)

    def distance_km(self, other: GeoPoint) -> float:
        """Great-circle distance in km (both points taken to WGS-84 first)."""
        a, b = self.to(CRS.WGS84), other.to(CRS.WGS84)
        return great_circle_km(a.lat, a.lon, b.lat, b.lon)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km on a sphere of the Earth's mean radius.

    Examples
    --------
    >>> round(great_circle_km(39.9042, 116.4074, 31.2304, 121.4737))  # Beijing → Shanghai
    1067
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """One address looked up: a point (or none) and the evidence for it.

    Examples
    --------
    >>> r = GeocodeResult("杭州", GeoPoint(30.25, 120.2), Precision.CITY, "offline", 1.0)
    >>> r.to_dict()["crs"], r.in_crs("bd09").crs
    ('WGS-84', 'BD-09')
    """

    input: str
    point: GeoPoint | None = None
    precision: Precision = Precision.NONE
    source: str = ""
    confidence: float | None = None
    adcode: str | None = None
    status: GeocodeStatus = GeocodeStatus.NOT_FOUND
    issues: tuple[GeocodeIssue, ...] = ()
    address: str | None = None  # the provider's own wording of what it found

    @property
    def lat(self) -> float | None:
        return None if self.point is None else self.point.lat

    @property
    def lon(self) -> float | None:
        return None if self.point is None else self.point.lon

    @property
    def crs(self) -> str | None:
        return None if self.point is None else self.point.crs.value

    def in_crs(self, crs: CRS | str) -> GeocodeResult:
        """The same result with its point in another coordinate system."""
        if self.point is None:
            return self
        return replace(self, point=self.point.to(crs))

    def with_issue(self, issue: GeocodeIssue) -> GeocodeResult:
        return replace(self, issues=(*self.issues, issue))

    def to_dict(self) -> dict:
        """The ``addrkit geocode`` JSON object (DESIGN.md contract, plus confidence and
        the provider's address)."""
        return {
            "input": self.input,
            "lat": None if self.point is None else round(self.point.lat, 7),
            "lon": None if self.point is None else round(self.point.lon, 7),
            "crs": self.crs,
            "precision": self.precision.value if self.point is not None else None,
            "source": self.source,
            "confidence": self.confidence,
            "adcode": self.adcode,
            "status": self.status.value,
            "issues": [i.to_dict() for i in self.issues],
            "address": self.address,
        }

    @classmethod
    def from_dict(cls, data: dict) -> GeocodeResult:
        """The result a :meth:`to_dict` object describes (the cache's rows)."""
        point = None
        if data.get("lat") is not None and data.get("lon") is not None:
            point = GeoPoint(float(data["lat"]), float(data["lon"]), CRS.parse(data["crs"]))
        return cls(
            input=data.get("input", ""),
            point=point,
            precision=Precision(data.get("precision") or "none"),
            source=data.get("source", ""),
            confidence=data.get("confidence"),
            adcode=data.get("adcode"),
            status=GeocodeStatus(data.get("status", "NOT_FOUND")),
            issues=tuple(GeocodeIssue(i["code"], i["message"]) for i in data.get("issues", ())),
            address=data.get("address"),
        )
