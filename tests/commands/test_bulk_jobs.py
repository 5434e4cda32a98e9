"""Bulk commands on every core: the same results as one process, in the same order."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from importlib import resources

import openpyxl
import pandas as pd

from addrkit import address, parse_many
from addrkit.address.parallel import PooledParser, parallel_engine
from addrkit.dedupe import find_duplicates
from addrkit.progress import Progress
from addrkit.workbook.run_file import run_file

TEXTS = [
    "浙江杭州西湖区文三路{n}号",
    "宁波市江东区航运中心{n}",
    "",
    "温州苍南龙港镇人民路{n}号",
    "杭洲市西湖区{n}号",
    "#N/A",
]


def values(count: int) -> list:
    out: list = [TEXTS[i % len(TEXTS)].format(n=i) for i in range(count)]
    if count > 11:
        out[7], out[11] = None, 42  # not text: screened, never sent anywhere odd
    return out


def test_pooled_parser_gives_parse_many_results_in_order():
    given = values(3_000)
    with PooledParser(jobs=2, large=0) as parse:
        pooled = list(parse(given))
        assert parse._pool is not None  # workers really ran
        assert list(parse(given[:10])) == pooled[:10]  # the same workers, a second call
    assert pooled == list(parse_many(given))


def test_small_input_stays_in_this_process():
    with PooledParser(jobs=2) as parse:
        assert [a.district for a in parse(values(6))][:2] == ["西湖区", "鄞州区"]
        assert parse._pool is None


def test_dedupe_with_workers_finds_the_same_groups():
    rows = 400
    table = pd.DataFrame(
        {
            "客户名称": [f"客户{i % 150}号公司" for i in range(rows)],
            "地址": [TEXTS[i % 2].format(n=i % 150) for i in range(rows)],
            "电话": [f"1380571{i % 150:04d}" for i in range(rows)],
        }
    )
    alone = find_duplicates(table)
    with PooledParser(jobs=2, large=0) as parse:
        pooled = find_duplicates(table, address_parser=parse)
    assert (pooled.cluster_id == alone.cluster_id).all()
    assert (pooled.match_reason == alone.match_reason).all()
    assert alone.cluster_id.max() > 0  # there were groups to find


def test_dedupe_command_accepts_jobs(tmp_path):
    src, one, two = tmp_path / "in.csv", tmp_path / "one.csv", tmp_path / "two.csv"
    with src.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["客户名称", "地址", "电话"])
        for i in range(60):
            writer.writerow([f"客户{i % 20}", TEXTS[0].format(n=i % 20), f"1380571{i % 20:04d}"])
    for out, jobs in ((one, "1"), (two, "2")):
        subprocess.run(
            [sys.executable, "-m", "addrkit.cli", "dedupe", str(src), str(out), "--jobs", jobs],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    assert one.read_bytes() == two.read_bytes()
    bad = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "dedupe", str(src), str(one), "--jobs", "-1"],
        capture_output=True, timeout=300,
    )  # fmt: skip
    assert bad.returncode != 0 and b"--jobs" in bad.stderr


def _cells(path) -> dict:
    """Every sheet's values; the log's first two columns (when the run happened) left out."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: [
                list(r)[2:] if sheet.title.startswith("日志") else list(r)
                for r in sheet.iter_rows(values_only=True)
            ]
            for sheet in book.worksheets
        }
    finally:
        book.close()


def test_run_with_workers_writes_the_same_workbook(tmp_path):
    sample = resources.files("addrkit.workbook_templates") / "sample_customers.xlsx"
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    shutil.copyfile(sample, tmp_path / "in.xlsx")
    run_file(["clean"], tmp_path / "in.xlsx", one, progress=Progress(None))
    with parallel_engine(2, large=0) as pooled:
        assert address.parse_many is pooled
        run_file(["clean"], tmp_path / "in.xlsx", two, progress=Progress(None))
        assert pooled.seen > 1000 and pooled._pool is not None  # the workers parsed the sheet
    assert address.parse_many is parse_many
    cleaned = _cells(one)
    assert any("标准地址" in str(c) for c in cleaned["客户 Customers"][0])
    assert _cells(two) == cleaned


def test_run_command_accepts_jobs(tmp_path):
    sample = resources.files("addrkit.workbook_templates") / "sample_customers.xlsx"
    shutil.copyfile(sample, tmp_path / "in.xlsx")
    done = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "run", "clean", str(tmp_path / "in.xlsx"),
         "-o", str(tmp_path / "out.xlsx"), "--jobs", "2", "--quiet"],
        capture_output=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _cells(tmp_path / "out.xlsx")["客户 Customers"][1] is not None


def test_a_parse_started_ahead_gives_the_same_results_when_taken():
    given = values(3_000)
    with PooledParser(jobs=2, large=0) as parse:
        started = parse.start(given)
        assert started is not None and parse._pool is not None
        assert list(started) == list(parse_many(given))
    with PooledParser(jobs=2) as parse:  # small: nothing starts, the caller parses later
        assert parse.start(values(6)) is None and parse._pool is None
    with PooledParser(jobs=1, large=0) as parse:  # one core: the same
        assert parse.start(given) is None


def test_assign_has_the_workers_parse_while_it_works_out_tiers(tmp_path, monkeypatch):
    from addrkit.ops import parsing

    taken = []
    collect = parsing._Started.collect
    monkeypatch.setattr(
        parsing._Started, "collect", lambda self, p: taken.append(len(self.rows)) or collect(self, p)
    )
    sample = resources.files("addrkit.workbook_templates") / "sample_customers.xlsx"
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    shutil.copyfile(sample, tmp_path / "in.xlsx")
    run_file(["assign", "code"], tmp_path / "in.xlsx", one, progress=Progress(None), user="t")
    assert taken == []  # one process: nothing started ahead
    with parallel_engine(2, large=0) as pooled:
        run_file(["assign", "code"], tmp_path / "in.xlsx", two, progress=Progress(None), user="t")
        assert pooled._pool is not None
    assert len(taken) == 1 and taken[0] > 1000  # the started parse was the one used
    first, second = _cells(one), _cells(two)
    assert any("区域依据" in str(c) for c in first["客户 Customers"][0])
    assert second["客户 Customers"] == first["客户 Customers"]


def test_a_parse_started_for_other_rows_is_not_taken_for_these():
    from addrkit.ops.base import CustomerTable
    from addrkit.ops.parsing import parse_rows, start_parse_rows
    from addrkit.table import locate_table

    texts = values(600)
    table = CustomerTable.from_rows(locate_table("S", [["名称", "地址"]]), [["x", t] for t in texts])
    with parallel_engine(2, large=0):
        start_parse_rows(table, list(range(0, 600, 2)))
        got = parse_rows(table, list(range(1, 600, 2)), Progress(None))
    assert [got[i].district for i in range(1, 600, 2)] == [
        a.district for a in parse_many(texts[1::2])
    ]
