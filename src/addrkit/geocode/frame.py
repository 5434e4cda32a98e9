"""Geocode a DataFrame column: the unit of work for a Dask partition or a workbook table.

Examples
--------
>>> import pandas as pd
>>> out = geocode_frame(pd.DataFrame({"地址": ["浙江省杭州市钱塘区", None]}), "地址", crs="gcj02")
>>> out["status"].tolist(), out.loc[0, "crs"], out.loc[0, "precision"], out.loc[1, "issues"]
(['OK', 'ERROR'], 'GCJ-02', 'district', 'EMPTY')
"""

from __future__ import annotations

from ..errors import InputError
from .base import Provider
from .batch import geocode_batch
from .cache import GeocodeCache
from .crs import CRS
from .registry import get_provider

__all__ = ["FRAME_COLUMNS", "geocode_frame"]

FRAME_COLUMNS = ("input", "lat", "lon", "crs", "precision", "source", "confidence", "adcode",
                 "status", "issues")  # fmt: skip


def geocode_frame(
    frame,
    column: str,
    *,
    provider: Provider | str = "offline",
    crs: CRS | str | None = CRS.WGS84,
    cache: GeocodeCache | None = None,
):
    """One row of results per row of ``frame``, same index.

    Parameters
    ----------
    frame : pandas.DataFrame
    column : str
        The address column.
    provider, crs, cache
        As for :func:`addrkit.geocode.batch.geocode_batch` (a provider name is looked up).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FRAME_COLUMNS`; ``issues`` holds the issue codes joined by ``;``.

    Raises
    ------
    InputError
        ``column`` is not in the frame.
    """
    import pandas as pd

    if column not in frame.columns:
        raise InputError(
            f"没有这一列 / no column {column!r}; columns: {', '.join(map(str, frame.columns))}"
        )
    if isinstance(provider, str):
        provider = get_provider(provider)
    values = [None if pd.isna(v) else v for v in frame[column].tolist()]
    rows = [
        {**(d := r.to_dict()), "issues": ";".join(i["code"] for i in d["issues"])}
        for r in geocode_batch(values, provider, cache=cache, crs=crs)
    ]
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS), index=frame.index)
