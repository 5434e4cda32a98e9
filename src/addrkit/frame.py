"""Parse a DataFrame column: the unit of work for pandas, and for Dask past one machine.

``parse_frame(df, column)`` returns one row per input row (same index) with the
fields ``addrkit parse`` writes. A partition of a Dask DataFrame is a pandas one, so
``ddf.map_partitions(parse_frame, column, meta=PARSE_FRAME_META)`` parses a company
master of tens of millions of rows on a cluster, each worker with its own copy of the
engine (see docs/scale.md). Nothing here imports Dask.

The nested fields (``issues``, ``as_written``) are JSON text, exactly as in the
``addrkit parse`` line, so a frame writes to CSV or Parquet as it is.
"""

from __future__ import annotations

import json

import pandas as pd

from .address import ParsedAddress, parse_many
from .reuse import ReuseTable

__all__ = ["PARSE_FRAME_COLUMNS", "PARSE_FRAME_META", "parse_frame"]

PARSE_FRAME_COLUMNS = (
    "input", "province", "city", "district", "township", "street", "house_number",
    "detail", "adcode", "normalized", "status", "issues", "lat", "lon", "precision",
    "crs", "as_written", "contact_name", "contact_phone", "confidence",
)  # fmt: skip
_FLOATS = ("lat", "lon", "confidence")
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
_MAX_REMEMBERED = 50_000  # encoded issue lists and names-as-written: a few hundred bytes each


def _empty_meta() -> pd.DataFrame:
    return pd.DataFrame(
        {
            name: pd.Series([], dtype="float64" if name in _FLOATS else object)
            for name in PARSE_FRAME_COLUMNS
        }
    )


#: An empty frame with ``parse_frame``'s columns and dtypes (Dask's ``meta=``).
PARSE_FRAME_META = _empty_meta()


def _value(cell: object) -> object:
    """A cell as the engine should see it: pandas' missing markers are an empty cell."""
    if cell is None or cell.__class__ is str:
        return cell
    try:
        return None if pd.isna(cell) else cell
    except (TypeError, ValueError):  # a list or another container: not missing
        return cell


def parse_frame(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """Parse ``df[column]``; a DataFrame of the ``addrkit parse`` fields, index kept.

    Parameters
    ----------
    df
        Any DataFrame (a pandas one, or one partition of a Dask DataFrame).
    column
        The address column.

    Returns
    -------
    pandas.DataFrame
        Columns ``PARSE_FRAME_COLUMNS`` (strings, ``None`` where unknown; ``lat``/``lon``
        floats, NaN where unknown; ``issues`` and ``as_written`` as JSON text).

    Examples
    --------
    >>> df = pd.DataFrame({"地址": ["浙江杭州西湖区文三路90号", None]}, index=[10, 11])
    >>> out = parse_frame(df, "地址")
    >>> out.loc[10, "district"], out.loc[11, "status"], list(out.index)
    ('西湖区', 'ERROR', [10, 11])
    >>> import json; json.loads(out.loc[11, "issues"])[0]["code"]
    'EMPTY'
    """
    if column not in df.columns:
        raise KeyError(
            f"no column {column!r} / 没有此列; columns: {', '.join(map(str, df.columns))}"
        )
    parsed = list(parse_many(_value(c) for c in df[column].tolist()))
    columns = _columns(parsed)
    # Object columns keep None for "unknown", as the JSON line has null (pandas would
    # otherwise turn them into NaN in its own string dtype).
    out = pd.DataFrame(columns, index=df.index, columns=list(PARSE_FRAME_COLUMNS), dtype=object)
    return out.astype({name: "float64" for name in _FLOATS})


def _columns(parsed: list[ParsedAddress]) -> dict[str, list]:
    issues_text, written_text = ReuseTable(_MAX_REMEMBERED), ReuseTable(_MAX_REMEMBERED)
    issues, written = [], []
    for a in parsed:
        text = issues_text.get(a.issues)
        if text is None:
            text = issues_text.remember(
                a.issues, _dumps([{"code": i.code.value, "message": i.message} for i in a.issues])
            )
        issues.append(text)
        text = written_text.get(a.as_written)
        if text is None:
            text = written_text.remember(a.as_written, _dumps(a.as_written._asdict()))
        written.append(text)
    return {
        "input": [a.input for a in parsed],
        "province": [a.province for a in parsed],
        "city": [a.city for a in parsed],
        "district": [a.district for a in parsed],
        "township": [a.township for a in parsed],
        "street": [a.street for a in parsed],
        "house_number": [a.house_number for a in parsed],
        "detail": [a.detail for a in parsed],
        "adcode": [a.adcode for a in parsed],
        "normalized": [a.normalized for a in parsed],
        "status": [a.status.value for a in parsed],
        "issues": issues,
        "lat": [a.lat for a in parsed],
        "lon": [a.lon for a in parsed],
        "precision": [a.precision.value if a.lat is not None else None for a in parsed],
        "crs": [a.crs for a in parsed],
        "as_written": written,
        "contact_name": [a.contact_name for a in parsed],
        "contact_phone": [a.contact_phone for a in parsed],
        "confidence": [a.confidence for a in parsed],
    }
