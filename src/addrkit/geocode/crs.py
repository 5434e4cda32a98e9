"""Coordinate systems used for China: WGS-84, GCJ-02 and BD-09, and conversions between them.

GCJ-02 (国测局坐标, used by AMap and Tencent) is WGS-84 plus a deliberate, position-dependent
offset of a few hundred metres that Chinese law requires of published maps; BD-09 (Baidu)
is GCJ-02 turned once more. The forward formulas are public; there is no closed-form
inverse, so GCJ-02 → WGS-84 and BD-09 → GCJ-02 are solved by fixed-point iteration to well
under a millimetre. The offset is applied only inside the rectangle the published
algorithm defines for China; outside it every system is WGS-84 and nothing moves.

Every function takes and returns ``(lat, lon)`` in degrees, like geopy. The ``*_arrays``
twin of :func:`convert` does the same on numpy arrays (one call for a whole column).
"""

from __future__ import annotations

import math
from enum import StrEnum

import numpy as np

from ..errors import UnknownNameError

__all__ = ["CRS", "convert", "convert_arrays", "inside_china_rectangle"]

# Krasovsky 1940 ellipsoid, as the GCJ-02 algorithm defines it.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
# Iteration stops once a step is below this (degrees, about 0.01 mm); a few steps suffice.
_TOLERANCE = 1e-10
_MAX_STEPS = 30


class CRS(StrEnum):
    """A coordinate reference system; the value is the label written next to coordinates.

    Examples
    --------
    >>> CRS.parse("gcj02"), CRS.parse("WGS-84").value
    (<CRS.GCJ02: 'GCJ-02'>, 'WGS-84')
    """

    WGS84 = "WGS-84"
    GCJ02 = "GCJ-02"
    BD09 = "BD-09"

    @classmethod
    def parse(cls, name: str | CRS) -> CRS:
        """The system a user named (``wgs84``, ``WGS-84``, ``gcj02``, ``bd09`` …).

        Raises
        ------
        UnknownNameError
            Not a known system; the message lists the valid names.
        """
        if isinstance(name, CRS):
            return name
        found = _SPELLINGS.get(name)  # the common spellings without any string work
        if found is not None:
            return found
        key = "".join(ch for ch in str(name).lower() if ch.isalnum())
        for crs in cls:
            if key == crs.name.lower():
                return crs
        raise UnknownNameError(
            f"未知坐标系 Unknown coordinate system {name!r}; "
            f"可选 valid: {', '.join(c.name.lower() for c in cls)}"
        )


_SPELLINGS = {spelling: crs for crs in CRS for spelling in (crs.value, crs.name.lower())}


def inside_china_rectangle(lat, lon):
    """Whether a point is inside the rectangle where GCJ-02 shifts points (works on arrays).

    Examples
    --------
    >>> inside_china_rectangle(30.27, 120.15), inside_china_rectangle(48.85, 2.35)
    (True, False)
    """
    return (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)


def _gcj_offset(lat, lon, sin, cos, sqrt, fabs):
    """(dlat, dlon) that GCJ-02 adds to a WGS-84 point; math or numpy functions passed in."""
    x, y = lon - 105.0, lat - 35.0
    pi = math.pi
    common = (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x)) + common
    dlat += (20.0 * sin(y * pi) + 40.0 * sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * sin(y / 12.0 * pi) + 320.0 * sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x)) + common
    dlon += (20.0 * sin(x * pi) + 40.0 * sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * sin(x / 12.0 * pi) + 300.0 * sin(x / 30.0 * pi)) * 2.0 / 3.0
    rad = lat / 180.0 * pi
    magic = 1.0 - _EE * sin(rad) ** 2
    sqrt_magic = sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * cos(rad) * pi)
    return dlat, dlon


_MATH = (math.sin, math.cos, math.sqrt, math.fabs)
_NUMPY = (np.sin, np.cos, np.sqrt, np.fabs)


def _wgs_to_gcj(lat, lon, fns):
    dlat, dlon = _gcj_offset(lat, lon, *fns)
    return lat + dlat, lon + dlon


def _gcj_to_bd(lat, lon, fns):
    sin, cos, sqrt, _ = fns
    atan2 = math.atan2 if fns is _MATH else np.arctan2
    z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * _X_PI)
    theta = atan2(lat, lon) + 0.000003 * cos(lon * _X_PI)
    return z * sin(theta) + 0.006, z * cos(theta) + 0.0065


def _invert(forward, lat, lon, fns):
    """The point that ``forward`` maps to (lat, lon): x ← x − (f(x) − target), which
    converges because both offsets change slowly with position."""
    glat, glon = lat, lon
    for _ in range(_MAX_STEPS):
        flat, flon = forward(glat, glon, fns)
        dlat, dlon = flat - lat, flon - lon
        glat, glon = glat - dlat, glon - dlon
        if fns is _MATH:
            if abs(dlat) < _TOLERANCE and abs(dlon) < _TOLERANCE:
                break
        elif np.all(np.abs(dlat) < _TOLERANCE) and np.all(np.abs(dlon) < _TOLERANCE):
            break
    return glat, glon


def _gcj_to_wgs(lat, lon, fns):
    return _invert(_wgs_to_gcj, lat, lon, fns)


def _bd_to_gcj(lat, lon, fns):
    return _invert(_gcj_to_bd, lat, lon, fns)


# Each step between neighbouring systems, in the order WGS-84 → GCJ-02 → BD-09.
_STEPS = {
    (CRS.WGS84, CRS.GCJ02): (_wgs_to_gcj,),
    (CRS.GCJ02, CRS.BD09): (_gcj_to_bd,),
    (CRS.WGS84, CRS.BD09): (_wgs_to_gcj, _gcj_to_bd),
    (CRS.GCJ02, CRS.WGS84): (_gcj_to_wgs,),
    (CRS.BD09, CRS.GCJ02): (_bd_to_gcj,),
    (CRS.BD09, CRS.WGS84): (_bd_to_gcj, _gcj_to_wgs),
}


def convert(lat: float, lon: float, src: CRS | str, dst: CRS | str) -> tuple[float, float]:
    """One point from one system to another; points outside China do not move.

    Parameters
    ----------
    lat, lon : float
        Degrees in ``src``.
    src, dst : CRS or str
        Systems (``CRS.WGS84`` or a name such as ``"gcj02"``).

    Returns
    -------
    tuple of float
        ``(lat, lon)`` in ``dst``.

    Examples
    --------
    >>> lat, lon = convert(30.2741, 120.1551, "wgs84", "gcj02")
    >>> round(lat, 5), round(lon, 5)
    (30.27177, 120.15979)
    >>> back = convert(lat, lon, "gcj02", "wgs84")
    >>> round(back[0], 7), round(back[1], 7)
    (30.2741, 120.1551)
    >>> convert(48.8566, 2.3522, "wgs84", "bd09")
    (48.8566, 2.3522)
    """
    src, dst = CRS.parse(src), CRS.parse(dst)
    if src is dst or not inside_china_rectangle(lat, lon):
        return lat, lon
    for step in _STEPS[(src, dst)]:
        lat, lon = step(lat, lon, _MATH)
    return lat, lon


def convert_arrays(lat, lon, src: CRS | str, dst: CRS | str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`convert` on whole arrays at once (points outside China unchanged).

    Returns
    -------
    tuple of numpy.ndarray
        ``(lat, lon)`` float64 arrays in ``dst``, the shape of the input.

    Examples
    --------
    >>> lat, lon = convert_arrays([30.2741, 48.8566], [120.1551, 2.3522], "wgs84", "gcj02")
    >>> lat.round(5).tolist(), lon.round(5).tolist()
    ([30.27177, 48.8566], [120.15979, 2.3522])
    """
    src, dst = CRS.parse(src), CRS.parse(dst)
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    if src is dst:
        return lat.copy(), lon.copy()
    inside = inside_china_rectangle(lat, lon)
    out_lat, out_lon = lat.copy(), lon.copy()
    ilat, ilon = lat[inside], lon[inside]
    for step in _STEPS[(src, dst)]:
        ilat, ilon = step(ilat, ilon, _NUMPY)
    out_lat[inside], out_lon[inside] = ilat, ilon
    return out_lat, out_lon
