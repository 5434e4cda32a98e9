"""Geocoding: addresses to points and back, offline by default, online providers on request.

Submodules are imported when first used (``addrkit.geocode.boundaries`` needs shapely and
a 3 MB file; the address parser needs only ``addrkit.geocode.points``), so importing this
package costs nothing.
"""

from __future__ import annotations

import importlib

__all__ = [
    "Boundaries",
    "CRS",
    "Unit",
    "convert",
    "load_boundaries",
]

_LAZY = {
    "Boundaries": "boundaries",
    "Unit": "boundaries",
    "load_boundaries": "boundaries",
    "CRS": "crs",
    "convert": "crs",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'addrkit.geocode' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
