"""The file adapter end to end: real .xlsx files written by addrkit and read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile

import openpyxl
import pytest

from addrkit import parse_address
from addrkit.errors import CancelledError, TableNotFoundError, WorkbookError
from addrkit.ops.clean import CLEAN_HEADERS
from addrkit.progress import Progress
from addrkit.workbook.backup import latest_backup
from addrkit.workbook.run_file import run_file

from .books import HEADERS, ROWS, book_cells, grid, make_book

FIXED_NOW = dt.datetime(2025, 6, 1, 9, 30, 0)


def run(ops, path, **kw):
    return run_file(ops, path, now=lambda: FIXED_NOW, user="tester", **kw)


def sheet_xml(path, title):
    wb = openpyxl.load_workbook(path)
    index = wb.sheetnames.index(title) + 1
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode()


def test_clean_writes_block_beside_table_and_keeps_originals(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    before = grid(openpyxl.load_workbook(path)["客户 Customers"])
    result = run(["clean"], path)
    assert result.backup is not None and result.backup.exists()
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    headers = [c.value for c in ws[1]]
    assert headers[: len(HEADERS)] == HEADERS
    assert tuple(headers[len(HEADERS) :]) == CLEAN_HEADERS
    # Original columns are untouched, cell for cell (value and type).
    after = grid(ws)
    assert {k: v for k, v in after.items() if k[1] <= len(HEADERS)} == before
    # Values are the engine's, row by row.
    for i, row in enumerate(ROWS, start=2):
        expected = parse_address(row[3])
        status = ws.cell(i, len(HEADERS) + 8)
        assert status.value == expected.status.value
        assert ws.cell(i, len(HEADERS) + 1).value == expected.normalized
        assert ws.cell(i, len(HEADERS) + 7).value == expected.adcode
        if expected.issues:
            assert status.comment is not None
            for issue in expected.issues:
                assert issue.code.value in status.comment.text
        else:
            assert status.comment is None
    assert ws.cell(2, len(HEADERS) + 2).value == "浙江省"


def test_status_column_has_four_conditional_formats(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    run(["clean"], path)
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    found = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            found[rule.formula[0]] = (
                str(cf.sqref),
                rule.dxf.fill.fgColor.rgb[-6:]
                if rule.dxf.fill.fgColor.rgb
                else rule.dxf.fill.bgColor.rgb[-6:],
            )
    status_ref = f"M2:M{len(ROWS) + 1}"
    assert found == {
        '"OK"': (status_ref, "C6EFCE"),
        '"FIXED"': (status_ref, "DDEBF7"),
        '"WARNING"': (status_ref, "FFEB9C"),
        '"ERROR"': (status_ref, "FFC7CE"),
    }


def test_text_is_never_written_as_formula(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    run(["clean"], path)
    xml = sheet_xml(path, "客户 Customers")
    assert "<f>" not in xml and "<f " not in xml
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    assert (ws["E2"].value, ws["E2"].data_type) == ("=1+1", "s")
    assert (ws["D8"].value, ws["D8"].data_type) == ("=1+1", "s")
    assert (ws["D7"].value, ws["D7"].data_type) == ("x" * 32767, "s")
    assert (ws["D6"].value, ws["D6"].data_type) == ("#N/A", "e")
    # Every string in the output block is a string cell.
    for row in ws.iter_rows(min_col=len(HEADERS) + 1, max_col=len(HEADERS) + 8):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"


def test_rerun_fills_the_same_block(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    run(["clean"], path)
    first = grid(openpyxl.load_workbook(path)["客户 Customers"])
    run(["clean"], path)
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    assert ws.max_column == len(HEADERS) + len(CLEAN_HEADERS)
    assert grid(ws) == first


def test_log_rows_record_the_run(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    run(["clean"], path)
    log = openpyxl.load_workbook(path)["日志 Log"]
    header = [c.value for c in log[1]]
    assert header[:8] == ["时间", "运行编号", "操作", "工作表", "单元格", "原值", "新值", "原因"]
    assert {"用户", "行标识", "列名"} <= set(header)
    rows = [dict(zip(header, r, strict=False)) for r in log.iter_rows(min_row=2, values_only=True)]
    filled = [r for r in rows if r["列名"] == "标准地址"]
    assert filled and filled[0]["用户"] == "tester" and filled[0]["操作"] == "clean"
    assert filled[0]["时间"] == FIXED_NOW
    assert filled[0]["单元格"] == f"F2:F{len(ROWS) + 1}"


def test_undo_restores_the_workbook_exactly(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    original = path.read_bytes()
    cells = book_cells(path)
    run(["clean", "summary"], path)
    assert book_cells(path) != cells
    result = run(["undo"], path)
    assert book_cells(path) == cells
    assert path.read_bytes() == original
    assert result.undone_copy.exists()
    assert latest_backup(path) is None
    with pytest.raises(WorkbookError, match="Nothing to undo"):
        run(["undo"], path)


def test_undo_steps_back_one_run_at_a_time(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    run(["clean"], path)
    after_clean = book_cells(path)
    run(["summary"], path)
    run(["undo"], path)
    assert book_cells(path) == after_clean


def test_cancel_leaves_the_file_untouched(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    original = path.read_bytes()
    with pytest.raises(CancelledError):
        run(["clean"], path, progress=Progress(cancelled=lambda: True, interval=0))
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx"]


def test_keyboard_interrupt_while_saving_leaves_no_partial_file(tmp_path, monkeypatch):
    path = make_book(tmp_path / "b.xlsx")
    original = path.read_bytes()
    out = tmp_path / "out.xlsx"

    def interrupted(self):  # the zip is open and half written when Ctrl-C comes
        self._archive.writestr("half", b"PK half")
        raise KeyboardInterrupt

    monkeypatch.setattr(openpyxl.writer.excel.ExcelWriter, "save", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(["clean"], path, out=out)
    assert path.read_bytes() == original
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx"]


@pytest.mark.parametrize("content", [b"not a zip at all", None])
def test_broken_workbook_gives_workbook_error(tmp_path, content):
    path = tmp_path / "broken.xlsx"
    if content is None:  # a real workbook cut short
        good = make_book(tmp_path / "good.xlsx")
        content = good.read_bytes()[: len(good.read_bytes()) // 2]
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match="damaged or truncated"):
        run(["clean"], path)


def test_missing_table_is_a_clear_error(tmp_path):
    path = make_book(
        tmp_path / "b.xlsx", headers=["Revenue", "Orders"], rows=[[1, 2]], extra_sheets=False
    )
    with pytest.raises(TableNotFoundError) as err:
        run(["clean"], path)
    assert "未找到客户表" in str(err.value) and "No customer table found" in str(err.value)


def test_offset_headers_and_excel_table_are_found_and_extended(tmp_path):
    path = make_book(tmp_path / "b.xlsx", header_row=4, first_col=2, as_table=True)
    run(["clean"], path)
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    assert ws.cell(4, 2 + len(HEADERS)).value == "标准地址"
    assert ws.cell(5, 2 + len(HEADERS)).value == parse_address(ROWS[0][3]).normalized
    table = ws.tables["Customers"]
    assert (
        table.ref == f"B4:{openpyxl.utils.get_column_letter(1 + len(HEADERS) + 8)}{4 + len(ROWS)}"
    )
    assert [c.name for c in table.tableColumns][-8:] == list(CLEAN_HEADERS)


def test_output_headers_never_repeat_input_headers(tmp_path):
    headers = ["名称", "省", "市", "地址"]
    rows = [["甲", "浙江", "杭州", "西湖区文三路90号"]]
    path = make_book(tmp_path / "b.xlsx", headers=headers, rows=rows, extra_sheets=False)
    run(["clean"], path)
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    assert [c.value for c in ws[1]][4:7] == ["标准地址", "省 (标准)", "市 (标准)"]
    assert ws["E2"].value == "浙江省杭州市西湖区文三路90号"
    run(["clean"], path)  # a re-run finds its own block, not the customer's 省 column
    assert openpyxl.load_workbook(path)["客户 Customers"].max_column == 4 + 8


def test_streaming_path_writes_the_same_cells(tmp_path):
    normal = make_book(tmp_path / "n.xlsx")
    streamed = make_book(tmp_path / "s.xlsx")
    run(["clean", "summary"], normal)
    result = run(["clean", "summary"], streamed, stream_rows=0)
    assert result.streamed
    a, b = openpyxl.load_workbook(normal), openpyxl.load_workbook(streamed)
    assert a.sheetnames == b.sheetnames
    for title in a.sheetnames:
        assert grid(a[title]) == grid(b[title]), title

    def comments(ws):
        return {c.coordinate: c.comment.text for r in ws.iter_rows() for c in r if c.comment}

    assert comments(a["客户 Customers"]) == comments(b["客户 Customers"])

    def rules(ws):
        return sorted(
            (str(cf.sqref), r.formula[0]) for cf in ws.conditional_formatting for r in cf.rules
        )

    assert rules(a["客户 Customers"]) == rules(b["客户 Customers"]) != []
    assert "<f>" not in sheet_xml(streamed, "客户 Customers")


def test_streamed_summary_is_laid_out_as_the_loaded_one(tmp_path):
    # Streaming left Excel's narrow default widths ("状态 Status" ran into "数量 Count"),
    # a plain header row and portrait pages.
    normal, streamed = make_book(tmp_path / "n.xlsx"), make_book(tmp_path / "s.xlsx")
    run(["summary"], normal)
    run(["summary"], streamed, stream_rows=0)

    def layout(path):
        ws = openpyxl.load_workbook(path)["汇总 Summary"]
        return (
            [ws.column_dimensions[c].width for c in "ABCD"],
            [(c.font.bold, c.fill.fgColor.rgb) for c in ws[1]],
            (ws.freeze_panes, ws.auto_filter.ref, ws.page_setup.orientation),
            # printed at a fixed zoom, tables and drawings on pages of their own
            (ws.sheet_properties.pageSetUpPr.fitToPage, ws.page_setup.scale),
            ([b.id for b in ws.row_breaks.brk], [b.id for b in ws.col_breaks.brk]),
        )

    assert layout(streamed) == layout(normal)
    assert layout(normal)[0] == [28, 12, 12, 60]
    assert layout(normal)[3][0] is False and 10 <= layout(normal)[3][1] < 100
    assert layout(normal)[4][1] != []  # the charts' column prints apart from the tables


def test_summary_sheet_counts(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    run(["summary"], path)
    ws = openpyxl.load_workbook(path)["汇总 Summary"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:2] == ("客户数 Customers", len(ROWS))
    statuses = [parse_address(r[3]).status.value for r in ROWS]
    by_label = {r[0]: r[1] for r in rows if r[0]}
    for status in ("OK", "FIXED", "WARNING", "ERROR"):
        key = next(k for k in by_label if k.startswith(status + " "))
        assert by_label[key] == statuses.count(status)
    assert by_label["浙江省"] == sum(1 for r in ROWS if parse_address(r[3]).province == "浙江省")


@pytest.mark.parametrize("stream_rows", [None, 0], ids=["loaded", "streamed"])
def test_summary_shares_are_numbers_shown_as_percentages(tmp_path, stream_rows):
    # A share written as text ("39.0%") cannot be sorted or summed and sits left-aligned
    # against its count; a number with Excel's 0.0% format reads the same and stays usable.
    path = make_book(tmp_path / "b.xlsx")
    kwargs = {} if stream_rows is None else {"stream_rows": stream_rows}
    run(["summary"], path, **kwargs)
    ws = openpyxl.load_workbook(path)["汇总 Summary"]
    total = ws["B2"].value
    rows = [r for r in ws.iter_rows(min_row=4) if len(r) >= 3]
    counted = [r for r in rows if isinstance(r[1].value, int)]
    issue_rows = [r for r in counted if len(r) >= 4 and r[3].value]
    assert len(counted) - len(issue_rows) >= 4 + 1  # the four statuses and a province
    assert issue_rows  # the test book has addresses with issues
    for _label, count, share, *_ in counted:
        assert isinstance(share.value, int | float) and share.number_format == "0.0%"
        assert share.value == pytest.approx(count.value / total)
    # The descriptions are text in a column of their own, never formatted as numbers.
    assert all(isinstance(r[3].value, str) and r[3].number_format == "General" for r in issue_rows)


def test_share_copy_has_no_secrets_and_masks_phones(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["设置 Settings"]["D1"] = "=SUM(1,2)"  # a real formula (never calculated: openpyxl wrote it)
    wb.save(path)
    run(["clean"], path)
    before = path.read_bytes()
    result = run(["share"], path)
    assert path.read_bytes() == before
    assert result.path == tmp_path / "b-share.xlsx"
    assert result.share.formulas == 1 and result.share.uncalculated == 1
    copy = openpyxl.load_workbook(result.path)
    assert "日志 Log" not in copy.sheetnames
    ws = copy["客户 Customers"]
    assert ws["C2"].value == "138****5678"
    assert ws["C3"].value == "+86 138 **** 5678"
    assert ws["C9"].value == "138"
    assert ws["E2"].value == "=1+1" and ws["E2"].data_type == "s"
    settings = {r[0]: r[1] for r in copy["设置 Settings"].iter_rows(values_only=True)}
    assert settings["API 密钥位置 API key reference"] is None
    with zipfile.ZipFile(result.path) as z:
        names = z.namelist()
        assert not any("externalLink" in n for n in names)
        assert not any(
            re.search(rb"<f[ >]", z.read(n)) for n in names if n.startswith("xl/worksheets/")
        )


def test_no_stray_temp_files_after_a_run(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    run(["clean"], path, out=tmp_path / "o.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xlsx", "o.xlsx"]
    assert not any(n.startswith(".") for n in os.listdir(tmp_path))


def test_widened_sheet_prints_legibly(tmp_path):
    # 30 columns fitted to one page print too small to read: spread over landscape
    # pages with the header row and the first two columns repeated on each.
    path = make_book(tmp_path / "b.xlsx")
    run(["clean"], path)
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == -(-ws.max_column // 12) > 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_title_cols == "$A:$B"


def test_output_sheets_read_well_on_screen_and_paper(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    run(["summary"], path)
    wb = openpyxl.load_workbook(path)
    ws = next(wb[n] for n in wb.sheetnames if "Summary" in n or "汇总" in n)
    assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    # widths follow the content: no column left at Excel's narrow default
    assert all(ws.column_dimensions[c].width >= 8 for c in "AB")
