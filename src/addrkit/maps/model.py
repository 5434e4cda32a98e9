"""What a map is drawn from: areas (boundaries) and points, as small frozen values.

The maps know nothing of workbooks or geocoders: an operation hands them boundaries in
WGS-84 longitude/latitude (shapely geometries) and customer points with one category
label each (a region, a tier, any column), and gets pictures back.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Area", "PointSet", "MapPicture", "NO_CATEGORY"]

NO_CATEGORY = "(未分类 none)"


@dataclass(frozen=True, slots=True)
class Area:
    """One division drawn on a map.

    ``geometry`` is a shapely Polygon or MultiPolygon in longitude/latitude;
    ``label_at`` is (lat, lon) where its name goes (a point inside it).
    """

    code: str
    name: str
    level: str
    geometry: Any
    label_at: tuple[float, float] | None = None
    parent_code: str | None = None

    @classmethod
    def from_unit(cls, unit: Any) -> Area:
        """From a boundary unit (``adcode, name, level, parent_adcode, geometry, point``)."""
        return cls(
            str(unit.adcode),
            str(unit.name),
            str(unit.level),
            unit.geometry,
            tuple(unit.point) if unit.point is not None else None,
            getattr(unit, "parent_adcode", None),
        )


def _number(value: Any) -> float:
    """A coordinate from a cell: a number or numeric text, else NaN."""
    if isinstance(value, bool) or value is None:
        return math.nan
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


@dataclass(frozen=True, slots=True, eq=False)
class PointSet:
    """Points to draw: latitudes, longitudes and one category label per point.

    Built with `from_columns`, which keeps only rows with a usable coordinate and
    counts the others in ``unplaced``.

    Examples
    --------
    >>> p = PointSet.from_columns([30.2, None, "31.2"], [120.1, 1.0, "121.5"], ["华东", "华东", None])
    >>> len(p), p.unplaced, p.counts()
    (2, 1, (('华东', 1), ('(未分类 none)', 1)))
    """

    lat: np.ndarray
    lon: np.ndarray
    category: tuple[str, ...]
    unplaced: int = 0
    text: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def from_columns(
        cls,
        lat: Sequence[Any],
        lon: Sequence[Any],
        category: Sequence[Any] | None = None,
        text: Sequence[Any] | None = None,
    ) -> PointSet:
        """Points from three parallel columns; rows without a valid lat/lon are dropped.

        A category that is empty or missing becomes `NO_CATEGORY`; any other value is
        shown as its text, so any categorical column (region, tier, sales rep) works.
        ``text`` (optional) is what the interactive map shows when a point is pointed at.
        """
        lats = np.array([_number(v) for v in lat], dtype=float)
        lons = np.array([_number(v) for v in lon], dtype=float)
        if len(lats) != len(lons):
            raise ValueError(f"lat and lon differ in length: {len(lats)} vs {len(lons)}")
        cats = list(category) if category is not None else [None] * len(lats)
        if len(cats) != len(lats):
            raise ValueError(f"category differs in length: {len(cats)} vs {len(lats)}")
        ok = (np.abs(lats) <= 90) & (np.abs(lons) <= 180)  # NaN compares False
        labels = tuple(
            NO_CATEGORY if c is None or str(c).strip() == "" else str(c).strip()
            for c, keep in zip(cats, ok, strict=True)
            if keep
        )
        texts = ()
        if text is not None:
            if len(text) != len(lats):
                raise ValueError(f"text differs in length: {len(text)} vs {len(lats)}")
            texts = tuple(
                "" if t is None else str(t) for t, keep in zip(text, ok, strict=True) if keep
            )
        return cls(lats[ok], lons[ok], labels, int((~ok).sum()), texts)

    def subset(self, mask: np.ndarray) -> PointSet:
        """The points where `mask` is True (``unplaced`` kept)."""
        category = tuple(c for c, keep in zip(self.category, mask, strict=True) if keep)
        text = (
            tuple(t for t, keep in zip(self.text, mask, strict=True) if keep) if self.text else ()
        )
        return PointSet(self.lat[mask], self.lon[mask], category, self.unplaced, text)

    def __len__(self) -> int:
        return len(self.lat)

    def counts(self) -> tuple[tuple[str, int], ...]:
        """(category, points) most first, `NO_CATEGORY` last."""
        counted = Counter(self.category)
        ordered = sorted(counted.items(), key=lambda kv: (kv[0] == NO_CATEGORY, -kv[1], kv[0]))
        return tuple(ordered)


@dataclass(frozen=True, slots=True)
class MapPicture:
    """A rendered map: the PNG and what was drawn on it (for captions and for tests).

    ``points_drawn`` counts the points actually handed to the plotting layer inside
    the map's frame; ``legend`` is (label, count) as shown.
    """

    png: bytes
    width: int
    height: int
    points_drawn: int
    legend: tuple[tuple[str, int], ...] = ()
    notes: tuple[str, ...] = ()
