"""The faster row writer saves the same sheet markup as openpyxl's own writer."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet._writer import WorksheetWriter

from addrkit.workbook.row_writer import RowWriter


def _sheet():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        ["名称 & <x> \r\n\U0001f600", " leading", "trailing ", "", None, 0, -1.5, 1e-300, 2**70]
    )
    ws.append([True, dt.datetime(2025, 1, 2, 3, 4), dt.date(2025, 1, 2), "=SUM(F1:G1)", "#N/A"])
    ws["C2"].data_type = "s"  # text that looks like a formula, kept as text
    ws["C2"].value = "=1+1"
    ws["C2"].data_type = "s"
    ws["A3"] = "link"
    ws["A3"].hyperlink = "https://example.com"
    ws["B3"] = "bold"
    ws["B3"].font = Font(bold=True)
    ws["C3"].fill = PatternFill("solid", fgColor="FFC7CE")  # styled, no value
    ws["D3"] = "noted"
    ws["D3"].comment = Comment("a note", "someone")
    ws["F3"].comment = Comment("a note on an empty cell", "someone")
    ws["E3"] = "a\nb\tc"
    ws.row_dimensions[3].height = 30
    ws["A5"].number_format = "@"
    ws["A5"] = "text"
    return ws


def _markup(writer_class, ws) -> bytes:
    writer = writer_class(ws)
    writer.write()
    if writer_class is RowWriter:
        with zipfile.ZipFile(io.BytesIO(), "w") as z:
            writer.save_into(z, "sheet.xml")
            xml = z.read("sheet.xml")
    else:
        with open(writer.out, "rb") as f:
            xml = f.read()
    writer.cleanup()
    return xml, [c.ref for c in ws._comments], list(ws._hyperlinks)


def test_rows_are_written_as_openpyxl_writes_them():
    expected = _markup(WorksheetWriter, _sheet())
    got = _markup(RowWriter, _sheet())
    assert b"<sheetData>" in expected[0] and b'xml:space="preserve"' in expected[0]
    assert got[0] == expected[0]
    assert got[1] == expected[1] == ["D3", "F3"]
    assert b'<c r="C3" s="' in got[0] and b'<c r="F3" t="n"></c>' in got[0]
    assert [h.target for h in got[2]] == ["https://example.com"]


def test_a_sheet_without_rows_is_written_as_openpyxl_writes_it():
    def empty():
        return openpyxl.Workbook().active

    assert _markup(RowWriter, empty())[0] == _markup(WorksheetWriter, empty())[0]


def test_text_xml_cannot_hold_is_refused_as_openpyxl_refuses_it():
    ws = openpyxl.Workbook().active
    ws["A1"].value = "ok"
    ws["A1"]._value = "bad \x01"  # past openpyxl's own check, as a careless caller might
    with pytest.raises(ValueError):
        _markup(RowWriter, ws)
