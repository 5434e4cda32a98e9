"""Rows cut from the sheet XML: the same values as openpyxl reads, and a streamed run that
copies the untouched rows byte for byte loses nothing.

The books are real files with the cells that break naive readers and writers: text that
looks like a formula, 32,767-character text, error values, dates, times, numbers stored
as text, booleans, empty rows in the middle, markup characters, real formulas, and (after
a pass through LibreOffice, which writes shared strings as Excel does) rich-text shared
strings. Each is read by `sheet_xml.iter_values` and by openpyxl and compared cell for
cell; the streamed copies are read back by openpyxl and opened by LibreOffice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from addrkit.workbook_templates import layout as L
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font, PatternFill

from addrkit.workbook.files import open_workbook
from addrkit.workbook.run_file import run_file
from addrkit.workbook.sheet_xml import SheetPart, iter_values

SAMPLE = Path(L.__file__).with_name("sample_customers.xlsx")
CUSTOMERS = L.CUSTOMERS.name
LONG = "长" * 32_767
HOSTILE = [
    "=1+1",
    "+86 138",
    "-5",
    "@SUM(A1)",
    "0012",
    "  spaced  ",
    "a<b>&\"c'",
    "line\nbreak",
    "cr\r\nlf",
    LONG,
    "#N/A",
    True,
    False,
    0,
    -1.5,
    1e-7,
    123456789012,
    dt.datetime(2025, 3, 1, 8, 30),
    dt.date(1999, 12, 31),
    dt.time(13, 45),
    None,
]


def _hostile_sheet(ws) -> None:
    ws.append(["kind", "value"])
    for i, value in enumerate(HOSTILE):
        ws.append([f"v{i}", value])
        cell = ws.cell(ws.max_row, 2)
        if isinstance(value, str):
            cell.data_type = "s"  # typed text, never a formula
    ws.append([])  # empty rows in the middle
    ws.append([])
    ws.append(["error", "#DIV/0!"])
    ws.cell(ws.max_row, 2).data_type = "e"
    ws.append(["formula", "=SUM(1,2)"])
    ws.append(["styled", 12.5])
    ws.cell(ws.max_row, 2).number_format = "#,##0.00"
    ws.cell(ws.max_row, 2).font = Font(bold=True, color="FF0000")
    ws.cell(ws.max_row, 2).fill = PatternFill("solid", start_color="FFFF00")
    ws.append(["rich", CellRichText([TextBlock(InlineFont(b=True), "粗"), "体"])])
    ws.cell(ws.max_row + 3, 5, "after a gap, column E")


def _to_excel_form(src: Path, out_dir: Path, libreoffice) -> Path:
    """The book as LibreOffice saves it: shared strings (rich ones too), as Excel writes."""
    _saved_as(libreoffice, src, "xlsx:Calc MS Excel 2007 XML", out_dir)
    return out_dir / src.name


def _saved_as(libreoffice, src: Path, target: str, out_dir: Path) -> None:
    """``src`` opened by a real LibreOffice and saved as ``target`` into ``out_dir``."""
    result = libreoffice.convert(src, target, out_dir)
    if result.returncode != 0 or not any(out_dir.glob(f"{src.stem}*")):
        pytest.fail(f"LibreOffice did not save {src.name} as {target}:\n{result.stderr}")


def _book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    _hostile_sheet(wb.active)
    wb.active.title = "Hostile"
    wb.save(path)
    return path


def _compare_reads(path: Path) -> None:
    wb = open_workbook(path, read_only=True)
    reference = openpyxl.load_workbook(path, read_only=True)
    try:
        for name in wb.sheetnames:
            ws, ref = wb[name], reference[name]
            for bounds in (
                {},
                {"min_row": 2},
                {"min_row": 3, "max_row": 9, "min_col": 2, "max_col": 2},
                {"min_col": 2, "max_col": 7},
                {"max_row": 40, "max_col": 3},
            ):
                fast = iter_values(ws, **bounds)
                assert fast is not None
                got = list(fast)
                want = list(ref.iter_rows(values_only=True, **bounds))
                assert got == want, (name, bounds)
                assert [[type(v) for v in r] for r in got] == [[type(v) for v in r] for r in want]
    finally:
        wb.close()
        reference.close()


def test_values_equal_openpyxls_in_openpyxls_form(tmp_path):
    path = _book(tmp_path / "hostile.xlsx")
    _compare_reads(path)


def test_values_equal_openpyxls_in_excels_form(tmp_path, libreoffice):
    path = _to_excel_form(_book(tmp_path / "hostile.xlsx"), tmp_path / "lo", libreoffice)
    with zipfile.ZipFile(path) as z:
        strings = z.read("xl/sharedStrings.xml")
    assert b"<r>" in strings and b"<rPr>" in strings  # a rich-text shared string
    _compare_reads(path)
    wb = open_workbook(path, read_only=True)
    try:
        values = [r[1] for r in iter_values(wb["Hostile"], min_row=2)]
    finally:
        wb.close()
    assert "=1+1" in values and "0012" in values and LONG in values and "粗体" in values


def test_a_prefixed_sheet_is_left_to_openpyxl(tmp_path):
    path = _book(tmp_path / "hostile.xlsx")
    prefixed = tmp_path / "prefixed.xlsx"
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(prefixed, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(ns, ns.replace(b"xmlns=", b"xmlns:x="))
                data = data.replace(b"<", b"<x:").replace(b"<x:/", b"</x:").replace(b"<x:?", b"<?")
            out.writestr(info, data)
    with zipfile.ZipFile(prefixed) as z:
        assert SheetPart.open(z, "xl/worksheets/sheet1.xml") is None
    wb = open_workbook(prefixed, read_only=True)
    try:
        assert iter_values(wb["Hostile"]) is None
    finally:
        wb.close()


def _customers_with_hostile_cells(path: Path, libreoffice, tmp: Path) -> Path:
    """The sample customers with a hostile sheet, hostile notes in the table, a styled
    cell, and a blank row in the middle of the table."""
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb[CUSTOMERS]
    note_col = [c.value for c in ws[1]].index("备注") + 1  # a column of the table
    for r in range(2, ws.max_row + 1):
        value = HOSTILE[r % len(HOSTILE)]
        ws.cell(r, note_col, value)
        if isinstance(value, str):
            ws.cell(r, note_col).data_type = "s"
    ws["B2"].font = Font(bold=True, italic=True)
    ws["B2"].fill = PatternFill("solid", start_color="CCE5FF")
    for c in range(1, ws.max_column + 1):  # a blank row in the middle of the customers
        ws.cell(40, c).value = None
    _hostile_sheet(wb.create_sheet("Hostile"))
    wb.save(path)
    if libreoffice is None:
        return path
    converted = _to_excel_form(path, tmp / "lo", libreoffice)
    shutil.copy(converted, path)
    return path


def _cells(ws) -> dict[tuple[int, int], tuple]:
    return {
        (c.row, c.column): (c.value, c.data_type, c.number_format)
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


@pytest.mark.parametrize("form", ["openpyxl", "excel"])
def test_streamed_assign_and_code_keep_every_other_cell(tmp_path, form, request):
    libreoffice = request.getfixturevalue("libreoffice") if form == "excel" else None
    book = _customers_with_hostile_cells(tmp_path / "book.xlsx", libreoffice, tmp_path)
    before = openpyxl.load_workbook(book)
    table_width = max(c.column for c in before[CUSTOMERS][1] if c.value is not None)
    assigned, coded = tmp_path / "assigned.xlsx", tmp_path / "coded.xlsx"
    assert run_file(["assign"], book, assigned, stream_rows=10).streamed
    assert run_file(["code"], assigned, coded, stream_rows=10).streamed
    loaded = tmp_path / "loaded.xlsx"  # the same runs on the loaded path: the reference
    run_file(["assign"], book, tmp_path / "loaded-a.xlsx")
    run_file(["code"], tmp_path / "loaded-a.xlsx", loaded)

    after = openpyxl.load_workbook(coded)
    ref = openpyxl.load_workbook(loaded)
    ws_b, ws_a = before[CUSTOMERS], after[CUSTOMERS]
    # Untouched columns of the customer sheet: every cell, value, type and format.
    code_col = 1
    old = {k: v for k, v in _cells(ws_b).items() if k[1] != code_col}
    new = {k: v for k, v in _cells(ws_a).items() if k[1] != code_col and k[1] <= table_width}
    assert new == old
    # Codes only filled in, never changed; the whole sheet equals the loaded path's.
    for r in range(2, ws_b.max_row + 1):
        if ws_b.cell(r, code_col).value is not None:
            assert ws_a.cell(r, code_col).value == ws_b.cell(r, code_col).value
    got = [tuple(r) for r in ws_a.iter_rows(values_only=True)]
    assert got == [tuple(r) for r in ref[CUSTOMERS].iter_rows(values_only=True)]
    assert all(v is None for v in got[39][:table_width])  # the blank row stays blank
    # The styled cell keeps its font and fill (rows are copied as they stand).
    assert ws_a["B2"].font.b and ws_a["B2"].font.i
    assert ws_a["B2"].fill.fgColor.rgb.endswith("CCE5FF")
    # The hostile sheet: every cell as it was.
    assert _cells(after["Hostile"]) == _cells(before["Hostile"])

    def formulas(wb):
        return [c.value for row in wb["Hostile"].iter_rows() for c in row if c.data_type == "f"]

    assert "=SUM(1,2)" in formulas(after) and formulas(after) == formulas(before)
    if form == "excel":  # the rich-text shared string travels with its runs
        with zipfile.ZipFile(coded) as z:
            assert b"<rPr>" in z.read("xl/sharedStrings.xml")
    for w in (before, after, ref):
        w.close()


def test_streamed_copy_opens_in_libreoffice_with_text_kept_as_text(tmp_path, libreoffice):
    book = _customers_with_hostile_cells(tmp_path / "book.xlsx", libreoffice, tmp_path)
    coded = tmp_path / "coded.xlsx"
    run_file(["assign", "code"], book, coded, stream_rows=10)
    out = tmp_path / "csv"
    first_sheet_csv = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1"
    _saved_as(libreoffice, coded, first_sheet_csv, out)
    (exported,) = out.glob("*.csv")  # the first sheet: the customers
    text = exported.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    flat = [v for r in rows for v in r]
    assert "=1+1" in flat and "0012" in flat and "@SUM(A1)" in flat  # text, not computed
    assert any(len(v) == 32_767 for v in flat)
    wb = openpyxl.load_workbook(coded, read_only=True)
    try:
        header = next(wb[CUSTOMERS].iter_rows(max_row=1, values_only=True))
    finally:
        wb.close()
    assert all(h in rows[0] for h in header if h)  # the new columns are there in LibreOffice


def test_splice_row_puts_cells_in_column_order_and_keeps_replaced_styles():
    from addrkit.workbook.sheet_xml import splice_row

    inner = b'<c r="A3" s="2" t="inlineStr"><is><t>x</t></is></c><c r="C3" s="5"/><c r="E3"><v>1</v></c>'
    out = splice_row(3, b' r="3" spans="1:5"', inner, {3: ("=1+1", None), 4: (7, 0), 6: (None, 0)})
    assert out == (
        b'<row r="3"><c r="A3" s="2" t="inlineStr"><is><t>x</t></is></c>'
        b'<c r="C3" s="5" t="inlineStr"><is><t>=1+1</t></is></c><c r="D3"><v>7</v></c>'
        b'<c r="E3"><v>1</v></c></row>'
    )
    # New cells right of the last one are appended; a blank edit removes the old cell.
    assert splice_row(3, b' r="3"', inner, {7: ("a&b<", 4)}).endswith(
        b'<c r="G3" s="4" t="inlineStr"><is><t>a&amp;b&lt;</t></is></c></row>'
    )
    assert b'r="E3"' not in splice_row(3, b' r="3"', inner, {5: (None, None)})


def test_new_cells_built_a_column_at_a_time_equal_the_cell_by_cell_markup():
    """The streamed writer builds the output block a column at a time; every row must be
    byte for byte what the general cell-by-cell splice writes, on values that need care."""
    import datetime as dt
    import math

    from openpyxl import Workbook

    from addrkit.ops.plan import CellHighlight, ChangePlan, Fill, NewColumn
    from addrkit.workbook.layout import BlockLayout
    from addrkit.workbook.sheet_xml import new_row, splice_row
    from addrkit.workbook.streaming import _Overlay, _spliced

    values = [
        "plain",
        " lead",
        "trail\u3000",
        "a&b<c>\r",
        "=1+1",
        "x\x00y",
        "z" * 40_000,
        "",
        None,
        0,
        -1.5,
        math.nan,
        True,
        dt.date(2024, 2, 29),
        dt.datetime(2024, 1, 1, 8, 30),
        Fill.RED,
        12345678901234567890,
        "中文&#20013;",
    ]
    n = len(values)
    first_plan = ChangePlan(
        "assign",
        columns=(NewColumn("甲", tuple(values)), NewColumn("乙", tuple(reversed(values)))),
        highlights=(CellHighlight(3, "甲", Fill.AMBER), CellHighlight(8, "乙", Fill.RED)),
    )
    second_plan = ChangePlan(
        "code", columns=(NewColumn("丙", tuple(values[::2]) + (None,) * (n - n // 2 - n % 2)),)
    )
    blocks = [
        BlockLayout("S", 1, n, 4, ("甲", "乙"), existing=False),
        BlockLayout("S", 1, n, 7, ("丙",), existing=False),
    ]
    edits = {5: {1: "C-0005"}}  # an edit of a customer cell: that row takes the general path

    def overlay():
        ws = Workbook(write_only=True).create_sheet("S")
        return _Overlay(
            [first_plan, second_plan], blocks, ws, {k: dict(v) for k, v in edits.items()}
        )

    rows = []  # the source rows: a header, rows ending before the block, one reaching into it
    for r in range(1, n + 3):
        inner = b'<c r="A%d" t="inlineStr"><is><t>id</t></is></c><c r="B%d"><v>%d</v></c>' % (
            r,
            r,
            r,
        )
        if r == 7:
            inner += b'<c r="E7"><v>9</v></c>'  # a cell where the block goes
        attrs = b' r="%d" spans="1:2"' % r
        rows.append((r, attrs, inner, b"<row" + attrs + b">" + inner + b"</row>"))
    rows[9] = (10, b"", None, b"")  # a row the source leaves out
    def described(markup: bytes, ov) -> bytes:
        """Style ids replaced by what they stand for (ids are numbered in order of first use)."""
        wb = ov.ws.parent

        def style(m):
            st = wb._cell_styles[int(m.group(1))]
            fill = wb._fills[st.fillId].fgColor.rgb
            fmt = wb._number_formats[st.numFmtId - 164] if st.numFmtId >= 164 else st.numFmtId
            return f' s="{fill}|{fmt}|{st.fontId}"'.encode()

        return re.sub(rb' s="(\d+)"', style, markup)

    batch_overlay = overlay()
    batched = described(b"".join(_spliced(batch_overlay, rows)), batch_overlay)
    reference = overlay()
    expected = []
    for r, attrs, inner, whole in rows:
        extra = reference.pop(r)
        if not whole:
            expected.append(new_row(r, extra) if extra else b"")
        else:
            expected.append(splice_row(r, attrs, inner, extra) if extra else whole)
    assert batched == described(b"".join(expected), reference)
    assert b"C-0005" in batched and b'xml:space="preserve"' in batched


def _part(tmp_path: Path, rows: bytes) -> SheetPart:
    """A sheet part of an .xlsx file whose sheetData holds exactly ``rows``."""
    path = tmp_path / f"skip{len(list(tmp_path.iterdir()))}.xlsx"
    xml = b'<worksheet xmlns="m"><sheetData>' + rows + b"</sheetData><pageMargins/></worksheet>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("s.xml", xml)
    return SheetPart.open(zipfile.ZipFile(path), "s.xml")


def _skipped_one_by_one(tmp_path: Path, rows: bytes, first: int) -> tuple[int, list]:
    """What `skip_to` must give: the rows read one by one up to the first numbered
    `first` or more, the highest number passed and the rows from there on."""
    done, out, counter = 0, [], 0
    for attrs, _inner, whole in _part(tmp_path, rows).rows():
        number = re.search(rb'\br="(\d+)"', attrs)
        counter = int(number.group(1)) if number else counter + 1
        if out or counter >= first:
            out.append(whole)
        else:
            done = max(done, counter)
    return done, out


SKIP_FORMS = {
    "in order": b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r)
                         for r in range(1, 400)),
    "gaps, self-closing, blanks": b"".join(
        (b'<row r="%d" spans="1:2"/>' if r % 5 == 0 else b'<row r="%d"><c><v>1</v></c></row>\n')
        % r for r in range(3, 900, 3)),
    "a row out of order": b"".join(b'<row r="%d"><c><v>1</v></c></row>' % r
                                   for r in [*range(1, 50), 300, *range(50, 299), 301]),
}  # fmt: skip


@pytest.mark.parametrize("form", SKIP_FORMS)
@pytest.mark.parametrize("chunk", [7, 64, 1 << 22])
def test_skip_to_passes_the_rows_before_a_piece_as_reading_them_would(
    tmp_path, monkeypatch, form, chunk
):
    from addrkit.workbook import sheet_xml

    monkeypatch.setattr(sheet_xml, "_CHUNK", chunk)  # tags cut at every chunk boundary
    rows = SKIP_FORMS[form]
    for first in (1, 2, 50, 51, 299, 300, 302, 897, 5000):
        done, rest = _skipped_one_by_one(tmp_path, rows, first)
        part = _part(tmp_path, rows)
        assert part.skip_to(first) == done, (form, first)
        assert [whole for _a, _i, whole in part.rows()] == rest, (form, first)
        assert part.tail == b"</sheetData><pageMargins/></worksheet>"


def test_skip_to_gives_up_on_rows_in_another_form(tmp_path):
    # A row without its number, or with another attribute first, is read one by one.
    for rows in (b'<row r="1"/><row><c/></row><row r="3"/>', b'<row r="1"/><row ht="2" r="2"/>'):
        assert _part(tmp_path, rows).skip_to(3) is None
    assert _part(tmp_path, b"").skip_to(3) == 0
