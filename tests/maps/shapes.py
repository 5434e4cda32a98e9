"""Small boundaries made for the map tests: two provinces and a city, in lon/lat."""

from __future__ import annotations

from shapely.geometry import MultiPolygon, Polygon, box

from addrkit.maps import Area

# 浙江 with a hole (a lake) and an island, so holes and multipolygons are drawn too.
ZHEJIANG = Area(
    "330000",
    "浙江省",
    "province",
    MultiPolygon(
        [
            Polygon(
                [(118, 27), (123, 27), (123, 31.2), (118, 31.2)],
                [[(119.5, 29.5), (119.8, 29.5), (119.8, 29.8), (119.5, 29.8)]],
            ),
            box(122.3, 30.0, 122.6, 30.3),
        ]
    ),
    (29.0, 120.0),
)
JIANGSU = Area("320000", "江苏省", "province", box(116, 31.2, 122, 35), (33.0, 119.0))
HANGZHOU = Area("330100", "杭州市", "city", box(118.5, 29.2, 120.8, 30.6), (29.9, 119.6), "330000")
PROVINCES = (ZHEJIANG, JIANGSU)
CITIES = (HANGZHOU,)
