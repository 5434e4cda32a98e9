"""parse_frame: the `addrkit parse` fields as a DataFrame, and the same on a Dask cluster."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import addrkit
from addrkit.frame import PARSE_FRAME_COLUMNS, PARSE_FRAME_META, parse_frame

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.ncap import NcapNotFoundError, Split, read_split  # noqa: E402
from benchmarks.varied import distinct_lines  # noqa: E402

CELLS = [
    "浙江杭州西湖区文三路90号",
    "宁波市江东区航运中心7318",
    "杭州江干区下沙街道文泽路99号",
    "",
    "#N/A",
    "=1+1",
    "杭洲市西湖区",
    "臺北市信義區",
    "北京市朝阳区建国路88号",
]


def test_columns_and_values_are_those_of_addrkit_parse():
    df = pd.DataFrame({"addr": CELLS, "other": range(len(CELLS))}, index=range(100, 109))
    out = parse_frame(df, "addr")
    assert tuple(out.columns) == PARSE_FRAME_COLUMNS
    assert list(out.index) == list(df.index)
    lines = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "parse"],
        input=("\n".join(CELLS) + "\n").encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for row, line in zip(out.to_dict("records"), lines.splitlines(), strict=True):
        expected = json.loads(line)
        assert set(expected) == set(PARSE_FRAME_COLUMNS)
        for name in PARSE_FRAME_COLUMNS:
            value = row[name]
            if name in ("issues", "as_written"):
                value = json.loads(value)
            elif name in ("lat", "lon") and pd.isna(value):
                value = None
            assert value == expected[name], (name, row["input"])


def test_missing_cells_numbers_and_the_public_name():
    df = pd.DataFrame({"a": [None, float("nan"), pd.NA, 5, "温州苍南"]})
    out = addrkit.parse_frame(df, "a")
    assert [json.loads(i)[0]["code"] if i != "[]" else None for i in out["issues"]][:4] == [
        "EMPTY", "EMPTY", "EMPTY", "NOT_TEXT",
    ]  # fmt: skip
    assert out.loc[4, "city"] == "温州市" and out.loc[0, "province"] is None
    assert out.dtypes.equals(PARSE_FRAME_META.dtypes)
    with pytest.raises(KeyError, match="没有此列"):
        parse_frame(df, "地址")


def _addresses(count: int) -> list[str]:
    try:
        texts = [a.text for split in Split for a in read_split(split)]
    except NcapNotFoundError as err:
        pytest.skip(f"the NCAP corpus is needed for real addresses: {err}")
    return distinct_lines(texts, count)


def _engine_loaded() -> int:
    from addrkit.gazetteer import default_gazetteer

    return default_gazetteer.cache_info().currsize


@pytest.mark.slow
def test_dask_cluster_gives_the_single_process_result(tmp_path):
    """A real LocalCluster of worker processes, a Parquet file in partitions: the parsed
    frame equals the one a single process makes. (The suite uses 30,000 rows to stay a
    few seconds; benchmarks/dask_scale.py runs the 1,000,000-row case and its timings.)"""
    dd = pytest.importorskip(
        "dask.dataframe", reason="dask is in the test extra: pip install '.[test]'"
    )
    distributed = pytest.importorskip("distributed", reason="distributed is in the test extra")
    rows = 30_000
    source = pd.DataFrame({"id": range(rows), "地址": _addresses(rows)})
    path = tmp_path / "master.parquet"
    source.to_parquet(path, row_group_size=rows // 6)
    expected = parse_frame(source, "地址")

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        ddf = dd.read_parquet(path).repartition(npartitions=6)
        parsed = ddf.map_partitions(parse_frame, "地址", meta=PARSE_FRAME_META)
        result = parsed.compute()
        # Both workers did part of the work (each partition's task ran somewhere).
        ran_on = client.run(_engine_loaded)
    assert sum(ran_on.values()) == 2  # every worker loaded the engine
    assert len(result) == rows
    pd.testing.assert_frame_equal(result.reset_index(drop=True), expected)
