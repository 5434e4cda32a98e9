"""The geocoding formulas: GEOCODE and ADDR_DISTANCE.

Both work offline (the address engine and the shipped boundaries): a formula is
recalculated cell by cell, far too often to send addresses to an online service. The
Geocode button uses the provider chosen in Settings.
"""

from __future__ import annotations

from functools import lru_cache

from ..geocode.crs import CRS
from ..geocode.providers.offline import Offline
from ..geocode.result import GeocodeResult, GeocodeStatus, great_circle_km
from .cells import as_grid, collector_paused, fit_cell_text, map_cell_pairs
from .registry import Cells, Value, formula

__all__ = ["GEOCODE", "ADDR_DISTANCE"]

_PRECISION_LABEL = {
    "country": "国家 country",
    "province": "省 province",
    "city": "市 city",
    "district": "区县 district",
    "township": "乡镇 township",
    "street": "街道 street",
    "rooftop": "门牌 rooftop",
}


@lru_cache(maxsize=1)
def _offline() -> Offline:
    return Offline()


def _reason(r: GeocodeResult) -> str:
    status = "未找到 NOT_FOUND" if r.status is GeocodeStatus.NOT_FOUND else "错误 ERROR"
    messages = "; ".join(i.message for i in r.issues if i.code not in ("NO_STREET_DETAIL",))
    return fit_cell_text(f"{status}: {messages}" if messages else status)


def _row(value, crs: CRS) -> list:
    r = _offline().geocode(value)
    if r.point is None:
        return ["", "", _reason(r)]  # empty text, not None: an empty cell in every host
    p = r.point.to(crs)
    return [round(p.lat, 6), round(p.lon, 6), _PRECISION_LABEL[r.precision.value]]


def _crs(value) -> CRS | str:
    try:
        return CRS.parse("wgs84" if value in (None, "") else str(value))
    except ValueError as err:
        return fit_cell_text(f"错误 ERROR: {err}")


@formula(
    addr=Cells("地址：一个单元格或一个区域 / Address: one cell or a range"),
    crs=Value("可选坐标系 Optional coordinate system: wgs84 (default), gcj02, bd09"),
)
def GEOCODE(addr, crs="wgs84"):
    """地址的经纬度和精度（离线）/ Latitude, longitude and precision of an address (offline).

    One row per address cell (a range is read row by row): latitude, longitude and the
    level the point stands for (a point inside that division's current boundary). An
    address that cannot be placed gets empty coordinates and the reason.

    Examples
    --------
    >>> GEOCODE([["浙江省杭州市钱塘区"]])[0][2]
    '区县 district'
    >>> GEOCODE([[None], ["Atlantis"]])[1][2][:13]
    '未找到 NOT_FOUND'
    """
    system = _crs(crs)
    if not isinstance(system, CRS):  # the reason the system was refused
        return [["", "", system]]
    grid = as_grid(addr)
    with collector_paused(sum(len(row) for row in grid)):
        return [_row(cell, system) for row in grid for cell in row]


def _distance(a, b):
    ra, rb = _offline().geocode(a), _offline().geocode(b)
    for r in (ra, rb):
        if r.point is None:
            return _reason(r)
    pa, pb = ra.point.to(CRS.WGS84), rb.point.to(CRS.WGS84)
    return round(great_circle_km(pa.lat, pa.lon, pb.lat, pb.lon), 3)


@formula(
    a=Cells("第一个地址：单元格或区域 / First address: cell or range"),
    b=Cells("第二个地址：单元格或区域 / Second address: cell or range"),
)
def ADDR_DISTANCE(a, b):
    """两个地址之间的球面距离（公里）/ Great-circle distance between two addresses in km.

    Addresses placed at district precision give the distance between their districts'
    points (0 for two addresses in one district), not door to door.

    Examples
    --------
    >>> ADDR_DISTANCE([["北京市东城区"]], [["上海市黄浦区"]]) > 1000
    True
    >>> ADDR_DISTANCE([["北京市东城区"]], [[None]])[:8]
    '错误 ERROR'
    """
    return map_cell_pairs(_distance, a, b)
