"""Find and merge duplicates through the live adapter (xlwings stand-in) match the file adapter."""

from __future__ import annotations

import copy
import datetime as dt

import openpyxl
import pytest

from addrkit.ops.dedupe import run_dedupe
from addrkit.ops.merge import KEPT_MARK, run_merge
from addrkit.progress import Progress
from addrkit.settings import Settings
from addrkit.workbook.file_apply import apply_plan
from addrkit.workbook.files import read_customer_table
from addrkit.workbook.live import apply_live, run_operation

from .books import ROWS, make_book
from .fake_xlwings import Book
from .test_live import fake_cells, file_cells

NOW = dt.datetime(2025, 6, 1, 9, 30, 0)
# C1 and C9 are one customer: C9 (as complete, later) survives and takes C1's address.
DUP_ROWS = [[*ROWS[0][:4], None], *ROWS[1:], ["C9", "甲公司", "13812345678", None, "老客户"]]


@pytest.fixture
def pair(tmp_path):
    path = make_book(tmp_path / "b.xlsx", header_row=3, first_col=2, rows=DUP_ROWS)
    return openpyxl.load_workbook(path), Book.from_openpyxl(openpyxl.load_workbook(path))


def test_dedupe_and_merge_give_the_same_cells_through_both_adapters(pair):
    wb, book = pair
    for run in (run_dedupe, run_merge):
        table = read_customer_table(wb)
        plan = run(table, Settings(), Progress())
        apply_plan(wb, plan, table.location, table.row_keys(), when=NOW, user="tester")
        apply_live(book, plan, copy.copy(table), when=NOW, user="tester")
    assert file_cells(wb) == fake_cells(book)
    ws = wb["客户 Customers"]
    assert ws["E12"].value == ROWS[0][3]  # the survivor's address, filled from C1
    assert ws.cell(12, ws.max_column).value == KEPT_MARK
    assert ws.cell(4, ws.max_column).value == "C9"


def test_live_merge_undo_restores_the_book_exactly(pair):
    _, book = pair
    run_operation("dedupe", book, now=lambda: NOW, user="tester")
    after_dedupe = copy.deepcopy(fake_cells(book))
    run_operation("merge", book, now=lambda: NOW, user="tester")
    assert book.sheets["客户 Customers"].values[(12, 5)] == ROWS[0][3]
    run_operation("undo", book)
    assert fake_cells(book) == after_dedupe
    assert (12, 5) not in {k for k, v in book.sheets["客户 Customers"].values.items() if v}
