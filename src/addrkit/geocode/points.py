"""A point inside each division's current boundary, without loading the boundaries.

``addrkit/data/division_points.json`` (built with the boundary file by
``scripts/build_boundaries.py``) maps an adcode to ``(lat, lon)`` in WGS-84. The address
parser reads it for its lat/lon; shapely is not needed for that.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from ..errors import DataError

__all__ = ["POINTS_CRS", "division_points", "point_of"]

POINTS_CRS = "WGS-84"
_FILE = "division_points.json"


@lru_cache(maxsize=1)
def division_points() -> dict[str, tuple[float, float]]:
    """Adcode → ``(lat, lon)`` (WGS-84) of every division that has a boundary.

    Examples
    --------
    >>> lat, lon = division_points()["330114"]  # 钱塘区, created in 2021
    >>> 30.2 < lat < 30.4 and 120.3 < lon < 120.8
    True
    """
    try:
        raw = resources.files("addrkit.data").joinpath(_FILE).read_bytes()
        payload = json.loads(raw)
        return {code: (lat, lon) for code, (lat, lon) in payload["points"].items()}
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DataError(
            f"坐标数据无法读取 cannot read the embedded division points ({err}); reinstall addrkit"
        ) from err


def point_of(codes_up: list[str] | tuple[str, ...]) -> tuple[tuple[float, float], int] | None:
    """The point of the first code in ``codes_up`` (deepest first) that has one, with its
    position in the list, or ``None`` when none has.

    Examples
    --------
    >>> (lat, lon), depth = point_of(["330106001", "330106", "330100"])  # a township has none
    >>> depth
    1
    """
    points = division_points()
    for depth, code in enumerate(codes_up):
        found = points.get(code)
        if found is not None:
            return found, depth
    return None
