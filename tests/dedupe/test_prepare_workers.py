"""A large list prepared in worker processes gives exactly what one process gives."""

from __future__ import annotations

import numpy as np
import pandas as pd

from addrkit.dedupe import prepare as prepare_module
from addrkit.dedupe.model import ColumnRole, DedupeSettings
from addrkit.dedupe.pipeline import find_duplicates
from addrkit.dedupe.prepare import prepare

NAMES = ["杭州云栖科技有限公司", "杭州雲棲科技", "张伟", "Lucy Cla Rke", None, float("nan"), 12345]
PHONES = ["+86 138-0571-2345", "0571-88886666/13900000001", "", None, 13805712345.0]
ADDRESSES = [
    "浙江省杭州市西湖区文三路90号3号楼301室",
    "杭州市西湖区文三路９０号三幢",
    "147 hopkins street locn 3439 gorokan 2576 qld",
    "",
    None,
    "宁波市鄞州区天童南路588号",
]
ROLES = {"n": ColumnRole.NAME, "p": ColumnRole.PHONE, "a": ColumnRole.ADDRESS}


def _frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    return pd.DataFrame(
        {
            "n": [NAMES[i] if i < len(NAMES) else f"客户{i}" for i in rng.integers(0, 40, rows)],
            "p": [PHONES[i] for i in rng.integers(0, len(PHONES), rows)],
            "a": [
                ADDRESSES[i] if i < len(ADDRESSES) else f"杭州市滨江区长河路{i}号"
                for i in rng.integers(0, 30, rows)
            ],
        },
        dtype=object,
    )


def test_workers_prepare_what_one_process_prepares(monkeypatch):
    frame = _frame(400)
    alone = prepare(frame, ROLES, jobs=1)
    monkeypatch.setattr(prepare_module, "LARGE_LIST", 100)
    monkeypatch.setattr(prepare_module, "_PIECE", 7)  # many pieces, out of order in flight
    pooled = prepare(frame, ROLES, jobs=2)
    for field in ("name_core", "name_branch", "name_kind", "name_form", "phones", "address"):
        assert getattr(pooled, field).tolist() == getattr(alone, field).tolist(), field
    assert (alone.name_core == "杭州云栖科技").any() and (alone.name_core == "").any()


def test_find_duplicates_with_workers_groups_as_without(monkeypatch):
    frame = _frame(300)
    alone = find_duplicates(frame, ROLES)
    monkeypatch.setattr(prepare_module, "LARGE_LIST", 100)
    pooled = find_duplicates(frame, ROLES, settings=DedupeSettings(jobs=2))
    assert pooled.cluster_id.tolist() == alone.cluster_id.tolist()
    assert pooled.match_reason.tolist() == alone.match_reason.tolist()
    assert alone.cluster_id.max() > 0
