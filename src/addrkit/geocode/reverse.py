"""Reverse geocoding offline: a point → the province, city and district it lies in.

Uses the shipped boundaries and one STRtree per level
(:meth:`~addrkit.geocode.boundaries.Boundaries.locate`); a point in GCJ-02 or BD-09 is
converted to WGS-84 first. ``reverse_many`` answers whole columns at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .boundaries import MUNICIPALITIES, Boundaries, load_boundaries
from .crs import CRS, convert, convert_arrays

__all__ = ["Place", "reverse", "reverse_many"]


@dataclass(frozen=True, slots=True)
class Place:
    """Divisions containing a point; ``None`` where none does (at sea, abroad)."""

    province: str | None
    city: str | None
    district: str | None
    adcode: str | None  # the deepest division found

    @property
    def found(self) -> bool:
        return self.adcode is not None


def reverse(
    lat: float, lon: float, crs: CRS | str = CRS.WGS84, *, boundaries: Boundaries | None = None
) -> Place:
    """The divisions a point lies in.

    Examples
    --------
    >>> reverse(30.42, 120.30)
    Place(province='浙江省', city='杭州市', district='临平区', adcode='330113')
    >>> reverse(30.4176, 120.3055, "gcj02").district  # the same place as AMap gives it
    '临平区'
    >>> reverse(48.85, 2.35).found
    False
    """
    b = boundaries or load_boundaries()
    lat, lon = convert(float(lat), float(lon), crs, CRS.WGS84)
    province, city, district = b.locate(lat, lon)
    deepest = district or city or province
    return Place(
        province and province.name,
        city and city.name,
        district and district.name,
        deepest and deepest.adcode,
    )


def reverse_many(lat, lon, crs: CRS | str = CRS.WGS84, *, boundaries: Boundaries | None = None):
    """Division codes for many points at once.

    Returns
    -------
    dict
        ``{"province": codes, "city": codes, "district": codes}``: object arrays the
        length of the input, ``None`` where no division contains the point. A
        municipality's districts have the municipality as their city.

    Examples
    --------
    >>> reverse_many([30.42, 39.99], [120.30, 116.48])["city"].tolist()
    ['330100', '110000']
    """
    b = boundaries or load_boundaries()
    lat, lon = convert_arrays(lat, lon, crs, CRS.WGS84)
    found = b.locate_many(lat, lon)
    province, city = found["province"], found["city"]
    municipal = np.isin(province, list(MUNICIPALITIES)) & (city == None)  # noqa: E711
    found["city"] = np.where(municipal, province, city)
    return found
