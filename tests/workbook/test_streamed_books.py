"""Big-sheet paths on real files: sheets without a stated size, and notes saved as a stream."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
from openpyxl import Workbook

from addrkit import parse_address
from addrkit.ops.clean import CLEAN_HEADERS
from addrkit.workbook.note_parts import save_with_notes, set_notes
from addrkit.workbook.run_file import _sheet_rows, run_file

ADDRESSES = ["浙江杭州西湖区文三路90号", "杭州市文三路", None, "=1+1", "北京市海淀区中关村大街1号"]


def write_only_book(path, rows: int) -> None:
    """A customer sheet written by a streaming writer: no <dimension> element."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("客户 Customers")
    ws.append(["客户编号", "客户名称", "地址"])
    for i in range(rows):
        ws.append([f"C{i + 1:03d}", f"客户{i + 1}", ADDRESSES[i % len(ADDRESSES)]])
    wb.save(path)


def test_sheet_without_dimension_is_counted_and_streamed_whole(tmp_path):
    path = tmp_path / "b.xlsx"
    write_only_book(path, 40)
    with zipfile.ZipFile(path) as z:
        assert b"<dimension" not in z.read("xl/worksheets/sheet1.xml")
    assert _sheet_rows(path, None) == 41

    result = run_file(
        ["clean"], path, stream_rows=10, now=lambda: dt.datetime(2025, 1, 1), user="t"
    )
    assert result.streamed and result.rows == 40
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    assert tuple(c.value for c in ws[1])[3:] == CLEAN_HEADERS
    for r in range(2, 42):
        expected = parse_address(ADDRESSES[(r - 2) % len(ADDRESSES)])
        status = ws.cell(r, 3 + len(CLEAN_HEADERS))
        assert status.value == expected.status.value, r
        assert (status.comment is not None) == bool(expected.issues), r


def test_sheet_size_is_read_from_its_dimension_without_loading(tmp_path):
    path = tmp_path / "d.xlsx"
    wb = Workbook()
    wb.active.title = "A"
    wb.active["C7"] = 1
    wb.create_sheet("B")["A30"] = 2
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        assert b"<dimension ref=" in z.read("xl/worksheets/sheet1.xml")
    assert (_sheet_rows(path, "A"), _sheet_rows(path, "B"), _sheet_rows(path, None)) == (7, 30, 30)


def test_sheet_without_dimension_below_the_limit_is_loaded(tmp_path):
    path = tmp_path / "b.xlsx"
    write_only_book(path, 5)
    result = run_file(
        ["clean"], path, stream_rows=10, now=lambda: dt.datetime(2025, 1, 1), user="t"
    )
    assert not result.streamed and result.rows == 5


def test_streamed_notes_read_back_with_text_author_and_size(tmp_path):
    path = tmp_path / "n.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    for i in range(3):
        ws.append([f"v{i}", "x"])
    texts = ["a < b & c\nsecond line", "引号 \"'", "plain"]
    set_notes(
        ws,
        [(1, 2, texts[0]), (2, 2, texts[1]), (3, 1, texts[2])],
        author="addrkit",
        size=(120, 320),
    )
    save_with_notes(wb, path)

    back = openpyxl.load_workbook(path)["S"]
    notes = {
        c.coordinate: (c.comment.text, c.comment.author)
        for r in back.iter_rows()
        for c in r
        if c.comment
    }
    assert notes == {
        "B1": (texts[0], "addrkit"),
        "B2": (texts[1], "addrkit"),
        "A3": (texts[2], "addrkit"),
    }
    with zipfile.ZipFile(path) as z:
        vml = z.read("xl/drawings/commentsDrawing1.vml").decode()
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert vml.count("<ns0:shape ") == 3 and "width:320px;height:120px" in vml
    assert "<ns2:Row>2</ns2:Row><ns2:Column>0</ns2:Column>" in vml
    assert 'r:id="anysvml"' in sheet


def test_notes_match_what_openpyxl_writes_for_the_same_cells(tmp_path):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment

    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    a = Workbook(write_only=True)
    wa = a.create_sheet("S")
    wa.append(["h", "x"])
    set_notes(wa, [(1, 2, "MISSING_CITY: 缺少城市\nline")], author="addrkit", size=(120, 320))
    save_with_notes(a, ours)
    b = Workbook(write_only=True)
    wb_ = b.create_sheet("S")
    cell = WriteOnlyCell(wb_, value="x")
    cell.comment = Comment("MISSING_CITY: 缺少城市\nline", "addrkit", height=120, width=320)
    wb_.append(["h", cell])
    b.save(theirs)
    parts = (
        "xl/comments/comment1.xml",
        "xl/drawings/commentsDrawing1.vml",
        "xl/worksheets/_rels/sheet1.xml.rels",
        "[Content_Types].xml",
    )
    with zipfile.ZipFile(ours) as zo, zipfile.ZipFile(theirs) as zt:
        for part in parts:
            assert zo.read(part) == zt.read(part), part


def test_a_whole_sheet_in_markup_is_what_cell_by_cell_markup_gives():
    # The registry's and the log's rows take a fast path for text cells: it must write
    # each as cell_value then cell_xml write it, around every kind of value.
    import enum

    from addrkit.ops.plan import SheetWrite
    from addrkit.workbook import streaming
    from addrkit.workbook.sheet_xml import cell_xml, column_letters

    class Kind(enum.StrEnum):
        A = "甲 kind"

    texts = ["plain", " lead", "trail ", "\tx", "a<b>&c\r", "=1+1", "@SUM(A1)", "-5",
             "bad\x00char", "长" * 40_000, "客户1", "\u3000全角"]  # fmt: skip
    others = [None, "", 0, 7, -1.5, float("nan"), True, dt.date(2025, 3, 1), Kind.A]
    rows = [("编码", "前缀", "序号", "客户", "时间")]
    rows += [tuple(texts[(r + c) % len(texts)] for c in range(5)) for r in range(30)]
    rows += [tuple(others[(r + c) % len(others)] for c in range(5)) for r in range(30)]
    write = SheetWrite("登记", tuple(rows), number_formats=("@", None, "0", None, "0.0%"))

    def reference(ws):  # the cell-by-cell markup, as it was written before the fast path
        styles = streaming._Styles(ws)
        width = max(len(r) for r in rows)
        for r, row in enumerate(rows, start=1):
            cells = []
            for c, value in enumerate(row):
                style = 0
                if r == 1:
                    style = styles.header()
                elif value is not None and value != "":
                    fmt = write.number_format_at(c, value)
                    style = styles.number_format(fmt) if fmt is not None else 0
                value, style = styles.plain(None if value == "" else value, style)
                cells.append(cell_xml(f"{column_letters(c + 1)}{r}", value, style or 0))
            if r == 1:
                cells += [cell_xml(f"{column_letters(c + 1)}1", None, style)
                          for c in range(len(row), width)]  # fmt: skip
            if body := "".join(cells):
                yield f'<row r="{r}">{body}</row>'.encode()

    fast = list(streaming._markup_rows(Workbook(write_only=True).create_sheet("a"), rows, write,
                                       shaded_header=True))  # fmt: skip
    slow = list(reference(Workbook(write_only=True).create_sheet("a")))
    assert fast == slow and len(fast) == 61
    assert any(("长" * 32_767 + "</t>").encode() in row for row in fast)  # cut at Excel's limit
