"""The live adapter against an in-memory xlwings stand-in (there is no Excel on these machines).

The same plan is applied to a real openpyxl workbook (file adapter) and to the fake
live book holding the same cells; the resulting cell grids, notes and conditional
formats must be equal. See fake_xlwings.py for the Excel behaviour modelled.
"""

from __future__ import annotations

import copy
import datetime as dt
import io

import openpyxl
import pytest

from addrkit.errors import CancelledError, WorkbookError
from addrkit.ops.clean import run_clean
from addrkit.ops.summary import run_summary
from addrkit.progress import Progress
from addrkit.settings import Settings
from addrkit.workbook.changelog import SNAPSHOT_SHEET
from addrkit.workbook.file_apply import apply_plan
from addrkit.workbook.files import read_customer_table
from addrkit.workbook.live import apply_live, run_operation
from addrkit.workbook.note_parts import save_with_notes

from .books import make_book
from .fake_xlwings import Book

NOW = dt.datetime(2025, 6, 1, 9, 30, 0)


def _norm(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def fake_cells(book):
    return {
        s.name: ({k: _norm(v) for k, v in s.values.items()}, dict(s.notes))
        for s in book.sheets
        if s.name != SNAPSHOT_SHEET
    }


def file_cells(wb):
    """Cells and notes of the workbook as saved (the file adapter writes notes at save)."""
    buffer = io.BytesIO()
    save_with_notes(wb, buffer)
    out = {}
    for ws in openpyxl.load_workbook(buffer).worksheets:
        values = {
            (c.row, c.column): _norm(c.value)
            for r in ws.iter_rows()
            for c in r
            if c.value is not None
        }
        notes = {(c.row, c.column): c.comment.text for r in ws.iter_rows() for c in r if c.comment}
        out[ws.title] = (values, notes)
    return out


def fake_rules(sheet):
    return sorted(
        (ref.replace("$", ""), fc.value, fc.Interior.Color)
        for ref, fcs in sheet.cf.items()
        for fc in fcs
    )


def file_rules(ws):
    found = []
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            rgb = rule.dxf.fill.fgColor.rgb[-6:]
            r, g, b = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
            found.append((str(cf.sqref), "=" + rule.formula[0], r + g * 256 + b * 65536))
    return sorted(found)


@pytest.fixture
def pair(tmp_path):
    path = make_book(tmp_path / "b.xlsx", header_row=3, first_col=2, as_table=True)
    wb = openpyxl.load_workbook(path)
    return wb, Book.from_openpyxl(openpyxl.load_workbook(path))


def test_same_plan_gives_same_cells_through_both_adapters(pair):
    wb, book = pair
    table = read_customer_table(wb)
    plans = [run_clean(table, Settings(), Progress()), run_summary(table, Settings(), Progress())]
    location = table.location
    for plan in plans:
        location = apply_plan(wb, plan, location, table.row_keys(), when=NOW, user="tester")
        apply_live(book, plan, copy.copy(table), when=NOW, user="tester")
    assert file_cells(wb) == fake_cells(book)
    assert fake_rules(book.sheets["客户 Customers"]) == file_rules(wb["客户 Customers"]) != []
    # The summary's shares are numbers shown as percentages in both books.
    summary = wb["汇总 Summary"]
    file_formats = {
        (c.row, c.column): c.number_format
        for r in summary.iter_rows()
        for c in r
        if c.number_format != "General"
    }
    assert book.sheets["汇总 Summary"].formats == file_formats
    assert set(file_formats.values()) == {"0.0%"}
    # Text that looks like a formula stayed text in the live book too.
    sheet = book.sheets["客户 Customers"]
    assert sheet.values[(4, 6)] == "=1+1"
    assert book.sheets["客户 Customers"].tables["Customers"].range.address == "$B$3:$N$11"
    assert wb["客户 Customers"].tables["Customers"].ref == "B3:N11"


def test_live_undo_restores_the_book_exactly(pair):
    _, book = pair
    before = copy.deepcopy(fake_cells(book))
    table_before = book.sheets["客户 Customers"].tables["Customers"].range.address
    run_operation("clean", book, now=lambda: NOW, user="tester")
    assert fake_cells(book) != before
    assert not book.sheets[SNAPSHOT_SHEET].visible
    run_operation("undo", book)
    assert fake_cells(book) == before
    assert book.sheets["客户 Customers"].cf == {}
    assert book.sheets["客户 Customers"].tables["Customers"].range.address == table_before
    assert SNAPSHOT_SHEET not in [s.name for s in book.sheets]
    with pytest.raises(WorkbookError, match="Nothing to undo"):
        run_operation("undo", book)


def test_live_undo_after_a_rerun_restores_the_first_run(pair):
    _, book = pair
    run_operation("clean", book, now=lambda: NOW, user="tester")
    after_first = copy.deepcopy(fake_cells(book))
    rules_first = fake_rules(book.sheets["客户 Customers"])
    run_operation("summary", book, now=lambda: NOW, user="tester")
    run_operation("undo", book)
    assert fake_cells(book) == after_first
    assert fake_rules(book.sheets["客户 Customers"]) == rules_first


def test_status_bar_shows_progress_and_is_given_back(pair):
    _, book = pair
    run_operation("clean", book, now=lambda: NOW, user="tester")
    assert any(isinstance(v, str) and "地址工具" in v and "100%" in v for v in book.app.history)
    assert book.app.status_bar is False


def test_cancel_flag_stops_before_anything_is_written(pair):
    _, book = pair
    before = copy.deepcopy(fake_cells(book))
    book.names["addrkit_cancel"] = type("Name", (), {"refers_to": "=TRUE"})()
    with pytest.raises(CancelledError):
        run_operation("clean", book, now=lambda: NOW, user="tester")
    assert fake_cells(book) == before
    assert book.app.status_bar is False
