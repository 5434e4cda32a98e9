"""Find customers entered twice: prepare → block → score → cluster → explain.

Examples
--------
>>> import pandas as pd
>>> from addrkit.dedupe import find_duplicates
>>> df = pd.DataFrame({"名称": ["云栖科技有限公司", "云栖科技"], "电话": ["0571-88886666", "88886666"]})
>>> find_duplicates(df).cluster_id.tolist()
[1, 1]
"""

from __future__ import annotations

from .model import (
    DEFAULT_THRESHOLD,
    Cluster,
    ColumnRole,
    DedupeSettings,
    Evidence,
    MatchPair,
    StageStats,
    Survivorship,
)
from .pipeline import RESULT_COLUMNS, DedupeResult, find_duplicates
from .roles import detect_roles

__all__ = [
    "DEFAULT_THRESHOLD",
    "Cluster",
    "ColumnRole",
    "DedupeResult",
    "DedupeSettings",
    "Evidence",
    "MatchPair",
    "RESULT_COLUMNS",
    "StageStats",
    "Survivorship",
    "detect_roles",
    "find_duplicates",
]
