"""Every operation followed by undo gives back the sheet exactly: values, formulas, number
formats, fonts, fills, comments, column widths, sheet list and states — checked cell by
cell, including Merge duplicates (which edits the customer's own cells)."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from addrkit.workbook.run_file import run_file

from .books import make_book

ROWS = [
    ["C1", "杭州云栖科技有限公司", "13805712345", "浙江省杭州市西湖区文三路90号", None],
    ["C2", "杭州云栖科技", "13805712345", "杭州西湖区文三路90号", "老客户"],
    ["C3", "宁波海曙贸易", None, "宁波市海曙区中山西路1号", "=1+1"],
    ["C4", "宁波海曙贸易有限公司", "0574-88886666", None, 3.5],
]


def _book(tmp_path):
    path = make_book(tmp_path / "b.xlsx", rows=ROWS)
    wb = openpyxl.load_workbook(path)
    ws = wb["客户 Customers"]
    ws["G1"] = "合计"
    ws["G2"] = "=LEN(D2)"
    ws["G3"] = "=SUM(1,2)"
    ws["B2"].font = Font(bold=True, color="FF0000")
    ws["D3"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["C2"].number_format = "@"
    ws["B3"].comment = Comment("VIP, call before delivery", "sales")
    ws.column_dimensions["D"].width = 48
    ws.column_dimensions["B"].width = 30
    wb.save(path)
    return path


def snapshot(path) -> dict:
    """Everything a person sees in the book, cell by cell."""
    wb = openpyxl.load_workbook(path)
    out = {"sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets]}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and c.comment is None and not c.has_style:
                    continue
                cells[c.coordinate] = (
                    c.value,
                    c.data_type,
                    c.number_format,
                    c.font.b,
                    c.font.color.rgb if c.font.color is not None else None,
                    c.fill.fgColor.rgb if c.fill.fill_type else None,
                    c.comment.text if c.comment else None,
                )
        widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
        out[ws.title] = (cells, widths, ws.freeze_panes)
    return out


def _diff(a: dict, b: dict) -> list:
    diffs = []
    for key in set(a) | set(b):
        if a.get(key) != b.get(key):
            if isinstance(a.get(key), tuple) and isinstance(b.get(key), tuple):
                ca, cb = a[key][0], b[key][0]
                diffs += [(key, k, ca.get(k), cb.get(k)) for k in set(ca) | set(cb) if ca.get(k) != cb.get(k)]
                diffs += [(key, "layout", a[key][1:], b[key][1:])] if a[key][1:] != b[key][1:] else []
            else:
                diffs.append((key, a.get(key), b.get(key)))
    return diffs


@pytest.mark.parametrize("ops", [["clean"], ["summary"], ["dedupe"], ["clean", "summary", "dedupe"]])
def test_undo_restores_every_cell(tmp_path, ops):
    path = _book(tmp_path)
    before = snapshot(path)
    run_file(ops, path)
    assert _diff(before, snapshot(path))  # the run did change the book
    run_file(["undo"], path)
    assert _diff(before, snapshot(path)) == []


def test_undo_after_merge_restores_the_customer_cells(tmp_path):
    path = _book(tmp_path)
    original = snapshot(path)
    run_file(["dedupe"], path)
    deduped = snapshot(path)
    merged = run_file(["merge"], path)
    after = snapshot(path)
    assert merged.plans[0].edits or _diff(deduped, after)
    run_file(["undo"], path)
    assert _diff(deduped, snapshot(path)) == []
    run_file(["undo"], path)
    assert _diff(original, snapshot(path)) == []
