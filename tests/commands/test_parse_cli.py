"""`addrkit parse`: the JSON-lines contract, order, streaming, bad lines."""

from __future__ import annotations

import json
import subprocess
import sys

CONTRACT = {"input", "province", "city", "district", "township", "street", "detail", "adcode",
            "normalized", "status", "issues", "lat", "lon", "precision", "crs", "as_written"}  # fmt: skip


def run_parse(text: str) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "parse"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=120,
    )
    return [json.loads(line) for line in out.stdout.decode("utf-8").splitlines()]


def test_one_object_per_line_in_order_with_contract_keys():
    lines = ["浙江杭州西湖区文三路90号", "", "朝阳区", "=1+1", "宁波市江东区航运中心7318"]
    rows = run_parse("\n".join(lines) + "\n")
    assert [r["input"] for r in rows] == lines
    for r in rows:
        assert CONTRACT <= set(r)
        assert all("code" in i and "message" in i for i in r["issues"])
    assert rows[0]["normalized"] == "浙江省杭州市西湖区文三路90号"
    assert rows[1]["status"] == "ERROR" and rows[1]["province"] is None
    assert rows[4]["district"] == "鄞州区" and rows[4]["as_written"]["district"] == "江东区"


def test_streams_many_lines():
    n = 20_000
    rows = run_parse("浙江省杭州市西湖区文三路90号\n" * n)
    assert len(rows) == n and rows[-1]["district"] == "西湖区"


def test_windows_line_endings_and_gbk_input():
    out = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "parse", "--encoding", "gb18030"],
        input="浙江省杭州市西湖区\r\n".encode("gb18030"),
        capture_output=True,
        check=True,
    )
    row = json.loads(out.stdout.decode("utf-8"))
    assert row["input"] == "浙江省杭州市西湖区" and row["district"] == "西湖区"
