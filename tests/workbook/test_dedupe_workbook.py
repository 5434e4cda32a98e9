"""Find and merge duplicates on real .xlsx files, written by addrkit and read back with openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import shutil
import subprocess
import sys
from importlib import resources

import openpyxl
import pytest

from addrkit.errors import InputError
from addrkit.ops.dedupe import DEDUPE_HEADERS, DUPLICATES_SHEET, GROUP_FILLS, SHEET_HEADER
from addrkit.ops.merge import KEPT_MARK, MERGED_HEADER
from addrkit.workbook.run_file import run_file

from .books import HEADERS, ROWS, book_cells, make_book

FIXED_NOW = dt.datetime(2025, 6, 1, 9, 30, 0)
CUSTOMERS = "客户 Customers"
SAMPLE = resources.files("addrkit.workbook_templates")


def run(ops, path, **kw):
    return run_file(ops, path, now=lambda: FIXED_NOW, user="tester", **kw)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """The bundled sample after Find duplicates (run once: it takes a few seconds)."""
    path = tmp_path_factory.mktemp("sample") / "sample.xlsx"
    shutil.copyfile(SAMPLE / "sample_customers.xlsx", path)
    before = book_cells(path)
    run(["dedupe"], path)
    return path, before


def _truth_pairs() -> set[frozenset[int]]:
    """Pairs of Excel rows that are the same customer, by the sample's truth file."""
    parent: dict[int, int] = {}

    def root(r: int) -> int:
        while parent.get(r, r) != r:
            r = parent[r]
        return r

    text = (SAMPLE / "sample_customers_truth.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    for rec in csv.DictReader(lines):
        if rec["duplicate_of_row"]:
            parent[root(int(rec["row"]))] = root(int(rec["duplicate_of_row"]))
    groups: dict[int, list[int]] = {}
    for r in list(parent):
        groups.setdefault(root(r), []).append(r)
    for top, members in groups.items():
        if top not in members:
            members.append(top)
    return {frozenset(p) for m in groups.values() for p in itertools.combinations(m, 2)}


def _headers(ws) -> list:
    return [c.value for c in ws[1]]


def test_sample_duplicates_are_found(sample_run):
    path, _ = sample_run
    ws = openpyxl.load_workbook(path)[CUSTOMERS]
    col = _headers(ws).index(DEDUPE_HEADERS[0]) + 1
    groups: dict[object, list[int]] = {}
    for row in range(2, ws.max_row + 1):
        value = ws.cell(row, col).value
        if value is not None:
            groups.setdefault(value, []).append(row)
    found = {frozenset(p) for m in groups.values() for p in itertools.combinations(m, 2)}
    truth = _truth_pairs()
    assert len(truth) >= 100
    hits = len(found & truth)
    precision, recall = hits / len(found), hits / len(truth)
    print(
        f"\nsample duplicates: {len(truth)} known pairs, {len(found)} found, "
        f"precision {precision:.3f}, recall {recall:.3f}"
    )
    assert precision >= 0.95, (precision, recall)
    assert recall >= 0.75, (precision, recall)


def test_columns_sheet_and_highlights_are_written(sample_run):
    path, before = sample_run
    wb = openpyxl.load_workbook(path)
    ws = wb[CUSTOMERS]
    headers = _headers(ws)
    assert headers[-3:] == list(DEDUPE_HEADERS)
    first = headers.index(DEDUPE_HEADERS[0]) + 1
    # The customer's own cells are as they were.
    own = {k: v for k, v in book_cells(path)[CUSTOMERS][0].items() if k[1] < first}
    assert own == {k: v for k, v in before[CUSTOMERS][0].items() if k[1] < first}
    grouped = [r for r in range(2, ws.max_row + 1) if ws.cell(r, first).value is not None]
    fills = {ws.cell(r, first).fill.fgColor.rgb[-6:] for r in grouped}
    assert fills == {f.value for f in GROUP_FILLS}
    for r in grouped:
        assert 0.9 <= ws.cell(r, first + 1).value <= 1
        reason = ws.cell(r, first + 2)
        assert reason.data_type == "s" and "/" in reason.value
        assert {ws.cell(r, first + j).fill.fgColor.rgb for j in range(3)} == {
            ws.cell(r, first).fill.fgColor.rgb
        }
    ungrouped = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, first).value is None)
    assert ws.cell(ungrouped, first).fill.fill_type is None
    sheet = wb[DUPLICATES_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][: len(SHEET_HEADER)] == SHEET_HEADER
    members = [r for r in rows[1:] if r[0] is not None]
    assert len(members) == len(grouped)
    for _, group in itertools.groupby(members, key=lambda r: r[0]):
        marks = [r[7] for r in group]
        assert sum(m.startswith("✓") for m in marks) == 1, marks


def test_merge_then_undo_restores_the_file_exactly(sample_run, tmp_path):
    path = tmp_path / "b.xlsx"
    shutil.copyfile(sample_run[0], path)
    original, cells = path.read_bytes(), book_cells(path)
    result = run(["merge"], path)
    wb = openpyxl.load_workbook(path)
    ws = wb[CUSTOMERS]
    headers = _headers(ws)
    assert headers[-1] == MERGED_HEADER and ws.max_row == 2001  # no row deleted
    merged = [ws.cell(r, len(headers)).value for r in range(2, ws.max_row + 1)]
    assert merged.count(KEPT_MARK) == dict(result.plans[0].summary)["groups"] > 50
    # Every filled cell is in the log with the value it had (empty) and the one it got.
    log = wb["日志 Log"]
    log_head = _headers(log)
    edits = [
        dict(zip(log_head, r, strict=False))
        for r in log.iter_rows(min_row=2, values_only=True)
        if r[log_head.index("原因")] and str(r[log_head.index("原因")]).startswith("合并自")
    ]
    assert len(edits) == len(result.plans[0].edits) > 0
    for e in edits:
        assert cells[CUSTOMERS][0].get(_cell_key(e["单元格"])) is None
        assert ws[e["单元格"]].value == e["新值"]
    run(["undo"], path)
    assert book_cells(path) == cells
    assert path.read_bytes() == original


def _cell_key(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(ref)
    return row, column_index_from_string(letters)


def test_text_is_never_written_as_formula_and_bad_cells_survive(tmp_path):
    rows = [*ROWS, ["C9", "甲公司", "13812345678", None, None]]
    path = make_book(tmp_path / "b.xlsx", rows=rows)
    run(["dedupe"], path)
    run(["merge"], path)
    ws = openpyxl.load_workbook(path)[CUSTOMERS]
    # C1 and C9 (same name and phone) form a group; C1 is fuller and takes nothing,
    # C9 is marked as merged into C1.
    headers = _headers(ws)
    assert headers[len(HEADERS) :] == [*DEDUPE_HEADERS, MERGED_HEADER]
    merged = headers.index(MERGED_HEADER) + 1
    assert ws.cell(10, merged).value == "C1" and ws.cell(2, merged).value == KEPT_MARK
    assert (ws["E2"].value, ws["E2"].data_type) == ("=1+1", "s")
    assert (ws["D8"].value, ws["D8"].data_type) == ("=1+1", "s")
    assert (ws["D7"].value, ws["D7"].data_type) == ("x" * 32767, "s")
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                assert cell.data_type == "s"


@pytest.mark.parametrize("op", ["dedupe", "merge"])
def test_bad_tables_are_clear_errors_and_leave_the_file_alone(tmp_path, op):
    empty = make_book(tmp_path / "empty.xlsx", rows=[])
    no_name = make_book(
        tmp_path / "noname.xlsx", headers=["电话", "地址"], rows=[r[2:4] for r in ROWS]
    )
    for path, message in ((empty, "no rows"), (no_name, "name column")):
        original = path.read_bytes()
        with pytest.raises(InputError, match=message):
            run([op], path)
        assert path.read_bytes() == original


def test_cli_runs_dedupe(tmp_path):
    path = make_book(tmp_path / "b.xlsx", rows=[*ROWS, ["C9", "甲公司", "13812345678", None, None]])
    done = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "run", "dedupe", str(path), "--quiet"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert done.returncode == 0, done.stderr
    assert "dedupe: rows 9, groups 1, rows in groups 2" in done.stdout
    assert DUPLICATES_SHEET in openpyxl.load_workbook(path).sheetnames


def test_a_streamed_sheet_is_deduped_and_merged(tmp_path):
    # C9 survives (as complete as C1, later) and takes C1's address.
    rows = [[*ROWS[0][:4], None], *ROWS[1:], ["C9", "甲公司", "13812345678", None, "老客户"]]
    path = make_book(tmp_path / "b.xlsx", rows=rows)
    run(["dedupe"], path, stream_rows=1)
    headers = _headers(openpyxl.load_workbook(path)[CUSTOMERS])
    assert headers[len(HEADERS) :] == list(DEDUPE_HEADERS)
    result = run(["merge"], path, stream_rows=1)  # the streamed copy writes edits as rows pass
    assert result.streamed and result.plans[0].edits
    ws = openpyxl.load_workbook(path)[CUSTOMERS]
    survivor = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "C9"][0]
    assert survivor[3] == ROWS[0][3]
