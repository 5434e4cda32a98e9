"""Press every ribbon button: on the stand-in live book (through the VBA callback's
Python side, `handlers.dispatch`) and, as ``addrkit run OP``, on a file.

The list of buttons comes from the registry, so a button added later is pressed too;
the checks below say what each press must visibly change.
"""

from __future__ import annotations

import copy

import openpyxl
import pytest
from addrkit.addin import handlers

from addrkit.cli import main
from addrkit.ops import OPERATIONS, ribbon_operations
from addrkit.workbook.changelog import LOG_SHEET, SNAPSHOT_SHEET

from ..workbook.books import ROWS, make_book
from ..workbook.fake_xlwings import Book

DUP_ROWS = [*ROWS, ["C9", "甲公司", "13812345678", None, "老客户"]]

# What a press must leave behind: a sheet it (re)writes, or a header it adds to the table.
WRITES_SHEET = {
    "summary": "汇总 Summary",
    "dedupe": "重复 Duplicates",
    "settings": "设置检查 Settings check",
}
ADDS_HEADER = {"clean": "标准地址", "dedupe": "重复组", "merge": "合并到"}
# An operation that needs another first (merge needs the duplicate groups).
NEEDS_FIRST = {"merge": "dedupe"}


def _order():
    """Ribbon operations in an order where each one's prerequisite ran before it, undo last."""
    names = [op.name for op in ribbon_operations() if op.name != "undo"]
    for name, first in NEEDS_FIRST.items():
        if name in names and first in names:
            names.remove(name)
            names.insert(names.index(first) + 1, name)
    return names + ["undo"]


def _cells(book):
    return {
        s.name: (dict(s.values), dict(s.notes), dict(s.formats), dict(s.colors))
        for s in book.sheets
        if s.name != SNAPSHOT_SHEET
    }


def _headers(book):
    sheet = book.sheets["客户 Customers"]
    return {v for (r, _), v in sheet.values.items() if r == 1}


def test_every_registered_button_is_pressed_here():
    assert set(_order()) == {op.name for op in ribbon_operations()}
    assert set(handlers.HANDLERS) == {op.control_id for op in ribbon_operations()}


def test_every_button_works_on_the_live_book(tmp_path):
    path = make_book(tmp_path / "b.xlsx", rows=DUP_ROWS)
    book = Book.from_openpyxl(openpyxl.load_workbook(path), fullname=tmp_path / "b.xlsx")
    undo_target = None  # the book before the last change: what undo must give back
    for name in _order():
        op = OPERATIONS[name]
        before = copy.deepcopy(_cells(book))
        handlers.dispatch(op.control_id, book)
        sheets = [s.name for s in book.sheets]
        if name in WRITES_SHEET:
            assert WRITES_SHEET[name] in sheets, name
        if name in ADDS_HEADER:
            assert any(str(h).startswith(ADDS_HEADER[name]) for h in _headers(book)), name
        if name == "share":
            shared = openpyxl.load_workbook(tmp_path / "b-share.xlsx")
            assert LOG_SHEET not in shared.sheetnames and "客户 Customers" in shared.sheetnames
            assert _cells(book) == before  # the open book itself is not changed
        elif name == "undo":
            assert _cells(book) == undo_target, "undo must restore the book before the last run"
        else:
            assert _cells(book) != before, f"{name} changed nothing"
            assert SNAPSHOT_SHEET in sheets
            undo_target = before


def test_settings_button_reports_every_bad_value_and_other_buttons_stop(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["设置 Settings"].append(("电话脱敏 Mask phones", "maybe"))
    wb["设置 Settings"].append(("语言 Language", "fr"))
    wb["设置 Settings"].append(("重复阈值 Duplicate threshold", "2"))
    wb["设置 Settings"].append(("保留规则 Survivorship", "最新"))
    wb.save(path)
    book = Book.from_openpyxl(openpyxl.load_workbook(path))
    handlers.dispatch("addrkitSettings", book)
    check = book.sheets["设置检查 Settings check"]
    rows = {}
    for (r, c), v in check.values.items():
        rows.setdefault(r, {})[c] = v
    bad = {row[1]: row.get(5, "") for row in rows.values() if row.get(4) == "错误 Bad value"}
    assert set(bad) == {"电话脱敏 Mask phones", "语言 Language", "重复阈值 Duplicate threshold"}
    assert "threshold must be between 0 and 1" in bad["重复阈值 Duplicate threshold"]
    assert "Mask phones must be yes or no" in bad["电话脱敏 Mask phones"]
    assert "Language must be zh, en or both" in bad["语言 Language"]
    in_effect = {row[1]: row.get(3) for row in rows.values()}
    assert in_effect["语言 Language"] == "both"  # the default stays in effect
    assert in_effect["保留规则 Survivorship"] == "最新"  # a good row of an operation's own
    from addrkit.errors import SettingsError

    with pytest.raises(SettingsError, match="Mask phones"):
        handlers.dispatch("addrkitClean", book)


@pytest.mark.parametrize("name", [n for n in _order() if n != "undo"])
def test_every_operation_runs_on_a_file(tmp_path, capsys, name):
    path = make_book(tmp_path / "b.xlsx", rows=DUP_ROWS)
    first = NEEDS_FIRST.get(name)
    if first:
        assert main(["run", first, str(path), "--quiet"]) == 0
    before = path.read_bytes()
    assert main(["run", name, str(path), "--quiet"]) == 0
    out = capsys.readouterr().out
    if name == "share":
        assert (tmp_path / "b-share.xlsx").stat().st_size > 0
        assert path.read_bytes() == before
        return
    wb = openpyxl.load_workbook(path)
    if name in WRITES_SHEET:
        assert WRITES_SHEET[name] in wb.sheetnames
    if name in ADDS_HEADER:
        headers = [c.value for c in wb["客户 Customers"][1]]
        assert any(str(h).startswith(ADDS_HEADER[name]) for h in headers if h)
    assert "已写入 / Written" in out
    assert main(["run", "undo", str(path)]) == 0
    assert path.read_bytes() == before


def test_settings_on_a_file_prints_the_bad_values(tmp_path, capsys):
    path = make_book(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["设置 Settings"].append(("语言 Language", "fr"))
    wb.save(path)
    assert main(["run", "settings", str(path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "settings: settings 3, bad 1" in out
    assert "Language must be zh, en or both" in out
    assert main(["run", "clean", str(path), "--quiet"]) == 1
