"""Notes added to a sheet held in memory are saved as a stream beside the sheet's own notes."""

from __future__ import annotations

import zipfile

import openpyxl
from openpyxl.comments import Comment

from addrkit.workbook.note_parts import add_notes, save_with_notes


def _notes(path):
    ws = openpyxl.load_workbook(path).active
    return {
        c.coordinate: (c.comment.text, c.comment.author)
        for row in ws.iter_rows()
        for c in row
        if c.comment
    }


def _vml(path):
    with zipfile.ZipFile(path) as z:
        return z.read("xl/drawings/commentsDrawing1.vml").decode()


def test_added_notes_join_the_notes_a_loaded_sheet_has(tmp_path):
    path = tmp_path / "b.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "名称"
    ws["A1"].comment = Comment("客户自己的批注 & <note>", "Alice", height=60, width=90)
    ws["B2"] = "x"
    ws["B2"].comment = Comment("to be replaced", "Bob")
    wb.save(path)

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    add_notes(
        ws,
        [(2, 2, "MISSING_CITY: 缺少城市"), (5, 3, "EMPTY\nline 2")],
        author="addrkit",
        size=(120, 320),
    )
    save_with_notes(wb, path)

    assert _notes(path) == {
        "A1": ("客户自己的批注 & <note>", "Alice"),
        "B2": ("MISSING_CITY: 缺少城市", "addrkit"),
        "C5": ("EMPTY\nline 2", "addrkit"),
    }
    ws = openpyxl.load_workbook(path).active
    assert ws["B2"].value == "x" and ws["C5"].value is None
    assert _vml(path).count("<ns0:shape ") == 3


def test_notes_added_in_two_steps_and_sizes_are_all_kept(tmp_path):
    path = tmp_path / "b.xlsx"
    wb = openpyxl.Workbook()
    add_notes(wb.active, [(1, 1, "a")], author="addrkit", size=(120, 320))
    add_notes(wb.active, [(2, 1, "b")], author="addrkit", size=(120, 320))
    add_notes(wb.active, [(3, 1, "c")], author="other", size=(50, 50))
    save_with_notes(wb, path)
    assert _notes(path) == {"A1": ("a", "addrkit"), "A2": ("b", "addrkit"), "A3": ("c", "other")}
    vml = _vml(path)  # openpyxl does not read box sizes back; the drawing holds them
    assert vml.count("width:320px;height:120px") == 2 and vml.count("width:50px;height:50px") == 1
