"""Tiers & regions and Customer codes on real workbooks: written, read back, rendered."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from addrkit.workbook_templates import layout as L

from addrkit.assign.codes import CodePattern
from addrkit.assign.registry import REGISTRY_SHEET
from addrkit.errors import CodePatternError, RegistryError
from addrkit.ops.assign import ASSIGN_HEADERS
from addrkit.ops.code import CODE_HEADER
from addrkit.workbook.run_file import run_file

SAMPLE = Path(L.__file__).with_name("sample_customers.xlsx")
CUSTOMERS = L.CUSTOMERS.name


def _set_setting(path: Path, label: str, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    for row in wb[L.SETTINGS.name].iter_rows(min_row=2):
        if row[0].value and label in row[0].value:
            row[1].value = value
    wb.save(path)


def _columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


def _values(ws, header: str) -> list:
    col = _columns(ws)[header]
    return [ws.cell(r, col).value for r in range(2, ws.max_row + 1)]


@pytest.fixture
def sample(tmp_path) -> Path:
    path = tmp_path / "book.xlsx"
    shutil.copy(SAMPLE, path)
    return path


def test_assign_on_the_sample_agrees_with_its_reps_and_tiers(sample):
    run_file(["assign"], sample)
    ws = openpyxl.load_workbook(sample)[CUSTOMERS]
    cols = _columns(ws)
    assert all(h in cols for h in ASSIGN_HEADERS)
    tiers, reasons = _values(ws, "客户分级"), _values(ws, "分级依据")
    regions, reps, why = _values(ws, "销售区域"), _values(ws, "区域销售"), _values(ws, "区域依据")
    assert len(tiers) == 2000 and all(reasons) and all(why)  # every row says why
    # The sample's own tier column was filled by the same rules (where a person filled it).
    theirs = _values(ws, "客户等级")
    both = [(a, b) for a, b in zip(tiers, theirs, strict=True) if a and b]
    assert len(both) > 1200
    assert sum(a == b for a, b in both) / len(both) > 0.97
    # The sample's reps follow its Regions sheet (city rows for 杭州, 宁波, 深圳).
    own = _values(ws, "销售")
    pairs = [(a, b) for a, b in zip(reps, own, strict=True) if a and b]
    assert len(pairs) > 1500 and sum(a == b for a, b in pairs) / len(pairs) > 0.95
    assert "刘洋" in reps and "周婷" in reps  # the city rows won over the province rows
    # Rows left without a tier or region are empty, amber and explained; nothing guessed.
    for i, region in enumerate(regions):
        cell = ws.cell(i + 2, cols["销售区域"])
        if region is None:
            assert cell.fill.fgColor.rgb.endswith("FFEB9C")
            assert "no region" in why[i]
    assert regions.count(None) < 100
    untiered = [r for t, r in zip(tiers, reasons, strict=True) if t is None]
    assert untiered and all("not tiered" in r for r in untiered)


def test_abc_rules_from_settings_and_text_revenue(tmp_path):
    path = tmp_path / "abc.xlsx"
    shutil.copy(SAMPLE, path)
    _set_setting(path, "Tier rules", "ABC A=80% B=95%")
    wb = openpyxl.load_workbook(path)
    ws = wb[CUSTOMERS]
    revenue_col = _columns(ws)["年销售额"]
    ws.cell(
        2, revenue_col
    ).value = "１,２００,０００,０００"  # full width, as text: the biggest customer
    ws.cell(3, revenue_col).value = "=SUM(1,2)"
    ws.cell(3, revenue_col).data_type = "s"
    wb.save(path)
    run_file(["assign"], path)
    ws = openpyxl.load_workbook(path)[CUSTOMERS]
    tiers, reasons = _values(ws, "客户分级"), _values(ws, "分级依据")
    assert tiers[0] == "A" and "ranks 1," in reasons[0]
    assert tiers[1] is None and "not a number" in reasons[1]
    counts = Counter(tiers)
    assert set(counts) <= {"A", "B", "C", None}
    assert counts["A"] < counts["C"]  # Pareto: few customers make most revenue


def test_codes_fill_only_empty_ids_and_are_never_reused(sample):
    before = openpyxl.load_workbook(sample)[CUSTOMERS]
    ids_before = _values(before, "客户编号")
    assert None in ids_before
    run_file(["code"], sample)
    wb = openpyxl.load_workbook(sample)
    ws = wb[CUSTOMERS]
    ids = _values(ws, "客户编号")
    notes = _values(ws, CODE_HEADER)
    pattern = CodePattern.parse("{REGION}-{PROV}-{SEQ:05}{CHECK}")
    for old, new, note in zip(ids_before, ids, notes, strict=True):
        if old is not None:
            assert new == old  # never changed
        elif new is not None:
            assert pattern.split(new) is not None and "new code" in note
        else:
            assert note.startswith("未编码") and "/" in note  # why not, in both languages
    new_codes = [n for o, n in zip(ids_before, ids, strict=True) if o is None and n]
    assert len(new_codes) > 50 and len(set(new_codes)) == len(new_codes)
    assert not set(new_codes) & {str(v) for v in ids_before if v}
    registry = wb[REGISTRY_SHEET]
    assert registry.sheet_state == "hidden"
    recorded = [r[0] for r in registry.iter_rows(min_row=2, values_only=True)]
    assert set(new_codes) <= set(recorded)

    # Delete the rows of the newest codes, add a customer: its number is a new one.
    highest = max(new_codes, key=lambda c: pattern.split(c)[1])
    prefix = pattern.split(highest)[0]
    row = ids.index(highest) + 2
    ws.cell(row, _columns(ws)["客户编号"]).value = None  # the customer left, the code stays issued
    wb.save(sample)
    run_file(["code"], sample)
    ws = openpyxl.load_workbook(sample)[CUSTOMERS]
    again = ws.cell(row, _columns(ws)["客户编号"]).value
    assert again != highest and pattern.split(again)[0] == prefix
    assert pattern.split(again)[1] > pattern.split(highest)[1]
    # A second run with every row coded adds nothing.
    result = run_file(["code"], sample)
    assert result.plans[0].edits == () or all(e.value for e in result.plans[0].edits)


def test_duplicate_codes_in_the_sheet_are_reported(sample):
    wb = openpyxl.load_workbook(sample)
    ws = wb[CUSTOMERS]
    col = _columns(ws)["客户编号"]
    first = ws.cell(2, col).value
    ws.cell(5, col).value = first
    wb.save(sample)
    run_file(["code"], sample)
    ws = openpyxl.load_workbook(sample)[CUSTOMERS]
    notes = _values(ws, CODE_HEADER)
    assert "duplicate code, also on row 5" in notes[0]
    assert "duplicate code, also on row 2" in notes[3]
    assert ws.cell(2, col).value == ws.cell(5, col).value == first  # reported, not changed
    assert ws.cell(5, _columns(ws)[CODE_HEADER]).fill.fgColor.rgb.endswith("FFC7CE")


def test_unreachable_registry_assigns_nothing(sample, tmp_path):
    _set_setting(sample, "Registry", f"sqlite:{tmp_path / 'not-mounted' / 'codes.db'}")
    before = sample.read_bytes()
    with pytest.raises(RegistryError, match="no code was assigned"):
        run_file(["code"], sample)
    assert sample.read_bytes() == before
    out = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "run", "code", str(sample)],
        capture_output=True,
        text=True,
    )
    assert (
        out.returncode != 0 and "无法连接编码登记簿" in out.stderr and "Cannot reach" in out.stderr
    )
    assert sample.read_bytes() == before


def test_a_pattern_too_small_for_the_rows_is_an_error(sample):
    _set_setting(sample, "Code pattern", "{REGION}{SEQ:1}")
    before = sample.read_bytes()
    with pytest.raises(CodePatternError, match="widen"):
        run_file(["code"], sample)
    assert sample.read_bytes() == before


def test_shared_sqlite_registry_across_two_copies(sample, tmp_path):
    """Two teammates code their own copies against one shared file: no code is issued twice."""
    shared = tmp_path / "share" / "codes.db"
    shared.parent.mkdir()
    _set_setting(sample, "Registry", f"sqlite:{shared}")
    copy = tmp_path / "copy.xlsx"
    shutil.copy(sample, copy)
    run_file(["code"], sample)
    run_file(["code"], copy)
    a = _values(openpyxl.load_workbook(sample)[CUSTOMERS], "客户编号")
    b = _values(openpyxl.load_workbook(copy)[CUSTOMERS], "客户编号")
    original = set(_values(openpyxl.load_workbook(SAMPLE)[CUSTOMERS], "客户编号"))
    new_a = {c for c in a if c not in original}
    new_b = {c for c in b if c not in original}
    assert new_a and new_b and not new_a & new_b
    assert REGISTRY_SHEET not in openpyxl.load_workbook(sample).sheetnames


def test_undo_takes_the_codes_back_out(sample):
    before = _values(openpyxl.load_workbook(sample)[CUSTOMERS], "客户编号")
    run_file(["code"], sample)
    run_file(["undo"], sample)
    assert _values(openpyxl.load_workbook(sample)[CUSTOMERS], "客户编号") == before


def test_summary_region_by_tier_renders(sample, libreoffice):
    run_file(["assign", "summary"], sample)
    ws = openpyxl.load_workbook(sample)[L.SUMMARY.name]
    cells = {
        (c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None
    }
    assert cells[(4, 6)] == "区域 × 分级 Region × tier"
    header = [cells.get((5, c)) for c in range(6, 13)]
    assert header[0] == "区域 Region" and "A" in header and "合计 Total" in header
    total_row = next(r for (r, c), v in cells.items() if c == 6 and v == "合计 Total")
    total_col = 6 + header.index("合计 Total")
    assert cells[(total_row, total_col)] == 2000
    pdf = libreoffice.to_pdf(sample)
    text = libreoffice.text(pdf)
    assert "Region × tier" in text and "华东 East China" in text
    png = libreoffice.to_png(pdf, 1)
    assert png.stat().st_size > 10_000


def test_two_copies_coded_apart_collide_and_are_reported(sample, tmp_path):
    copy = tmp_path / "copy.xlsx"
    shutil.copy(sample, copy)
    # Each teammate renames one blank row's customer, then codes the copy alone.
    for path, name in ((sample, "甲新客户有限公司"), (copy, "乙新客户有限公司")):
        wb = openpyxl.load_workbook(path)
        ws = wb[CUSTOMERS]
        cols = _columns(ws)
        row = next(
            r for r in range(2, ws.max_row + 1) if ws.cell(r, cols["客户编号"]).value is None
        )
        ws.cell(row, cols["客户名称"]).value = name
        wb.save(path)
        run_file(["code"], path)
    out = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "codes", "compare", str(sample), str(copy), "--json"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 3, out.stderr
    import json

    found = [json.loads(line) for line in out.stdout.splitlines()]
    assert any(
        {"甲新客户有限公司"} == {u["customer"] for u in f["left"]}
        and {"乙新客户有限公司"} == {u["customer"] for u in f["right"]}
        for f in found
    )
    # Codes the two copies gave the same customers are not reported.
    assert len(found) == 1
    # A book compared with itself has no collision.
    same = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "codes", "compare", str(sample), str(sample)],
        capture_output=True,
        text=True,
    )
    assert same.returncode == 0 and "0 colliding codes" in same.stderr


def test_a_sheet_too_large_to_load_is_coded_on_the_streamed_path(sample, tmp_path):
    shared = tmp_path / "codes.db"
    _set_setting(sample, "Registry", f"sqlite:{shared}")
    result = run_file(["code"], sample, stream_rows=100)  # streamed: codes written as rows pass
    assert result.streamed
    new = {e.value for e in result.plans[0].edits}
    ws = openpyxl.load_workbook(sample)[CUSTOMERS]
    assert len(new) > 50 and new <= set(_values(ws, "客户编号"))
    import sqlite3

    with sqlite3.connect(shared) as db:  # the shared registry holds every code written
        assert new <= {r[0] for r in db.execute("SELECT code FROM addrkit_codes")}
