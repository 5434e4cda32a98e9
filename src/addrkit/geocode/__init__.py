"""Geocoding: addresses to points and back, offline by default, online providers on request.

Examples
--------
>>> from addrkit.geocode import get_provider, geocode_batch
>>> [r.precision.value for r in geocode_batch(["浙江省杭州市钱塘区"], get_provider())]
['district']

Submodules are imported when first used (``addrkit.geocode.boundaries`` needs shapely and
a 3 MB file; the address parser needs only ``addrkit.geocode.points``), so importing this
package costs nothing.
"""

from __future__ import annotations

import importlib

__all__ = [
    "Boundaries",
    "CRS",
    "GeoPoint",
    "GeocodeCache",
    "GeocodeResult",
    "GeocodeStatus",
    "Place",
    "Precision",
    "Provider",
    "Unit",
    "convert",
    "geocode_batch",
    "get_provider",
    "load_boundaries",
    "provider_names",
    "reverse",
    "reverse_many",
]

_LAZY = {
    "Boundaries": "boundaries",
    "Unit": "boundaries",
    "load_boundaries": "boundaries",
    "CRS": "crs",
    "convert": "crs",
    "GeoPoint": "result",
    "GeocodeResult": "result",
    "GeocodeStatus": "result",
    "Precision": "result",
    "GeocodeCache": "cache",
    "Provider": "base",
    "geocode_batch": "batch",
    "get_provider": "registry",
    "provider_names": "registry",
    "Place": "reverse",
    "reverse": "reverse",
    "reverse_many": "reverse",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'addrkit.geocode' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return sorted(__all__)
