"""Small real workbooks for the adapter tests (written with openpyxl, read back the same way)."""

from __future__ import annotations

import openpyxl
from openpyxl.worksheet.table import Table

HEADERS = ["客户编号", "客户名称", "电话", "地址", "备注"]
ROWS = [
    ["C1", "甲公司", "13812345678", "浙江杭州西湖区文三路90号", "=1+1"],
    ["C2", "乙公司", "+86 138 1234 5678", "江苏省南京市玄武区中山路1号", "+86 138"],
    ["C3", "丙公司", None, None, "-"],
    ["C4", "丁公司", 13912345678, 12345, "@x"],
    ["C5", "戊公司", "-", "#N/A", None],
    ["C6", "己公司", "@x", "x" * 32767, "备注"],
    ["C7", "庚公司", "0571-8888888", "=1+1", 3.5],
    ["C8", "辛公司", "138", "浙江省杭州市萧山市城厢街道", None],
]


def write_text(ws, row, col, value):
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # the customer typed text that looks like a formula
    return cell


def make_book(
    path,
    *,
    header_row: int = 1,
    first_col: int = 1,
    as_table: bool = False,
    headers=HEADERS,
    rows=ROWS,
    extra_sheets=True,
):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户 Customers"
    if header_row > 1:
        ws.cell(1, 1, "客户名单 2025")
    for j, h in enumerate(headers):
        ws.cell(header_row, first_col + j, h)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            if v is not None:
                write_text(ws, header_row + i, first_col + j, v)
    if as_table:
        from openpyxl.utils import get_column_letter

        ref = f"{get_column_letter(first_col)}{header_row}:{get_column_letter(first_col + len(headers) - 1)}{header_row + len(rows)}"
        ws.add_table(Table(displayName="Customers", ref=ref))
    if extra_sheets:
        s = wb.create_sheet("设置 Settings")
        for r in [
            ("设置项 Setting", "值 Value"),
            ("语言 Language", "both"),
            ("API 密钥位置 API key reference", "env:AMAP_KEY"),
        ]:
            s.append(r)
        log = wb.create_sheet("日志 Log")
        log.append(["时间", "运行编号", "操作", "工作表", "单元格", "原值", "新值", "原因"])
    wb.save(path)
    return path


def grid(ws):
    """Every non-empty cell as {(row, col): (value, data_type)}."""
    return {
        (c.row, c.column): (c.value, c.data_type)
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


def book_cells(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: (grid(ws), ws.sheet_state) for ws in wb.worksheets}
