"""Maps of customers: PNG pictures for the workbook and an offline interactive HTML map.

The pictures need matplotlib (imported only when a map is drawn); the HTML map needs
nothing but the standard library and numpy. Boundaries come in as `Area` values
(shapely geometries in WGS-84 longitude/latitude), customers as a `PointSet`.

Examples
--------
>>> from addrkit.maps import PointSet, render_points
>>> pic = render_points(PointSet.from_columns([30.25], [120.17], ["华东"]), [])
>>> pic.points_drawn, pic.width
(1, 960)
"""

from __future__ import annotations

from .draw import Frame, short_name
from .fonts import FontChoice, find_cjk_font
from .html_map import html_map
from .model import NO_CATEGORY, Area, MapPicture, PointSet
from .picture import render_choropleth, render_points

__all__ = [
    "Area",
    "PointSet",
    "MapPicture",
    "Frame",
    "FontChoice",
    "NO_CATEGORY",
    "find_cjk_font",
    "render_points",
    "render_choropleth",
    "html_map",
    "short_name",
]
