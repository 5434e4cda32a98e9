"""An interactive map in one self-contained HTML file: no network, no CDN, no library.

Everything is inside the file: the boundaries, the points and about a hundred lines of
plain JavaScript that draw them on a canvas with pan (drag), zoom (wheel, buttons),
a tooltip for the nearest customer and a legend that hides or shows a category.

Text from the workbook never becomes markup or code. The data travels as JSON in a
``<script type="application/json">`` element with ``<``, ``>`` and ``&`` written as
``\\u003c``/``\\u003e``/``\\u0026`` (so ``</script>`` in a customer's name cannot end
the element), and the page puts it on screen with ``textContent`` and canvas
``fillText`` only, never ``innerHTML``.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

from .draw import short_name
from .model import NO_CATEGORY, Area, PointSet
from .picture import NONE_COLOUR, PALETTE

__all__ = ["html_map", "DATA_ELEMENT_ID", "embedded_data"]

DATA_ELEMENT_ID = "addrkit-map-data"
SIMPLIFY = {"province": 0.01, "city": 0.005, "district": 0.002}  # degrees (~1 km, 500 m, 200 m)
_SCALE = 1000  # boundary coordinates as integers of a thousandth of a degree (~100 m)
_POINT_SCALE = 100_000  # point coordinates to a hundred-thousandth (~1 m)


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside a <script> element: no "<", ">" or "&" left in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _rings(area: Area) -> list[list[int]]:
    geometry = area.geometry
    if geometry is None or geometry.is_empty:
        return []
    tolerance = SIMPLIFY.get(area.level, 0.005)
    simple = geometry.simplify(tolerance, preserve_topology=True)
    parts = [simple] if simple.geom_type == "Polygon" else list(getattr(simple, "geoms", ()))
    rings = []
    for polygon in parts:
        if polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.round(np.asarray(ring.coords)[:, :2] * _SCALE).astype(np.int64)
            if len(xy) >= 3:
                rings.append(xy.ravel().tolist())
    return rings


def _area_data(area: Area, short: bool) -> dict[str, Any]:
    label = None
    if area.label_at is not None:
        lat, lon = area.label_at
        label = [round(lon * _SCALE), round(lat * _SCALE)]
    return {
        "name": short_name(area.name) if short else area.name,
        "level": area.level,
        "rings": _rings(area),
        "label": label,
    }


def embedded_data(page: str) -> dict[str, Any]:
    """The data a page made by `html_map` carries (for tests and tools).

    Examples
    --------
    >>> pts = PointSet.from_columns([30.25], [120.17], ["华东"], text=["</script>"])
    >>> embedded_data(html_map(pts, []))["points"]["text"]
    ['</script>']
    """
    start_tag = f'<script type="application/json" id="{DATA_ELEMENT_ID}">'
    start = page.index(start_tag) + len(start_tag)
    return json.loads(page[start : page.index("</script>", start)])


def html_map(
    points: PointSet,
    provinces: Sequence[Area],
    *,
    cities: Sequence[Area] = (),
    title: str = "客户分布 Customers",
    colour_title: str = "区域 Region",
) -> str:
    """The interactive map as one HTML document (UTF-8 text), working offline.

    Parameters
    ----------
    points : customers; ``points.text`` is shown when one is pointed at.
    provinces, cities : boundaries; cities are drawn once the user zooms in.

    Returns
    -------
    str
        A complete HTML page with its data and script inline.

    Examples
    --------
    >>> page = html_map(PointSet.from_columns([30.25], [120.17], ["华东"]), [])
    >>> page.startswith("<!DOCTYPE html>"), "http" in page.split("<script>")[1]
    (True, False)
    """
    counts = points.counts()
    index = {label: i for i, (label, _) in enumerate(counts)}
    categories = [
        {
            "label": label,
            "count": n,
            "colour": NONE_COLOUR if label == NO_CATEGORY else PALETTE[i % len(PALETTE)],
        }
        for i, (label, n) in enumerate(counts)
    ]
    lat = points.lat if len(points) else np.array([35.0])
    data = {
        "title": title,
        "subtitle": f"{len(points):,} 位客户 customers"
        + (f" · {points.unplaced:,} 未定位 not placed" if points.unplaced else ""),
        "legendTitle": colour_title,
        "scale": _SCALE,
        "pointScale": _POINT_SCALE,
        "cos": max(0.2, math.cos(math.radians(float(np.median(lat))))),
        "categories": categories,
        "provinces": [_area_data(a, short=True) for a in provinces],
        "cities": [_area_data(a, short=False) for a in cities],
        "points": {
            "lon": np.round(points.lon * _POINT_SCALE).astype(np.int64).tolist(),
            "lat": np.round(points.lat * _POINT_SCALE).astype(np.int64).tolist(),
            "cat": [index[c] for c in points.category],
            "text": list(points.text) if points.text else [],
        },
    }
    script = resources.files("addrkit.maps").joinpath("map.js").read_text(encoding="utf-8")
    style = resources.files("addrkit.maps").joinpath("map.css").read_text(encoding="utf-8")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # No request may leave the page: scripts and styles inline only, images from data.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{html.escape(title)}</title>\n<style>\n{style}</style>\n</head>\n<body>\n"
        '<div id="panel"><h1 id="title"></h1><p id="subtitle"></p>'
        '<div id="legend"></div><p class="hint">拖动平移、滚轮缩放 / drag to pan, wheel to zoom</p>'
        "</div>\n"
        '<div id="zoom"><button id="zoom-in" title="放大 Zoom in">+</button>'
        '<button id="zoom-out" title="缩小 Zoom out">&#8722;</button>'
        '<button id="zoom-reset" title="复位 Reset">&#8962;</button></div>\n'
        '<div id="tip" hidden></div>\n<canvas id="map"></canvas>\n'
        f'<script type="application/json" id="{DATA_ELEMENT_ID}">{_json_for_script(data)}</script>\n'
        f"<script>\n{script}</script>\n</body>\n</html>\n"
    )
