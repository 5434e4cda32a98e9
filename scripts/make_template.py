"""Build workbook_templates/customers.xlsx, the empty customer workbook, from its layout.

The layout (sheet names, headers, settings, regions) lives in
``addrkit.workbook_templates.layout``; this script only gives it Excel form: an Excel table,
drop-downs and checks, header comments with the English names, frozen headers, widths and
a print setup. The file is saved reproducibly: fixed document dates and fixed zip entry
times, so rebuilding gives a byte-identical file and a stale template is easy to spot.

Usage::

    python scripts/make_template.py                # writes workbook_templates/customers.xlsx
    python scripts/make_template.py -o /tmp/t.xlsx
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from addrkit.workbook_templates import layout as L
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "workbook_templates" / "customers.xlsx"

# Every date stored in the file. A fixed value makes rebuilds byte-identical.
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)

# 等线 (DengXian) is the default font of Chinese Office and has every CJK glyph; where it is
# missing (LibreOffice on Linux) the system substitutes a CJK font such as Noto Sans CJK.
FONT_NAME = "等线"
BODY_FONT = Font(name=FONT_NAME, size=11)
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
THIN = Side(style="thin", color="8EA9DB")
HEADER_BORDER = Border(bottom=THIN)
HELP_FONT = Font(name=FONT_NAME, size=10, color="595959")

# Excel's last row; data validation on a whole table column follows the table as it grows.
LAST_ROW = 1_048_576


def build_template() -> Workbook:
    """Return the empty customer workbook described by the layout module.

    Examples
    --------
    >>> wb = build_template()
    >>> wb.sheetnames[0], wb["客户 Customers"]["A1"].value
    ('客户 Customers', '客户编号')
    """
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in L.SHEETS:
        ws = wb.create_sheet(sheet.name)
        write_headers(ws, sheet)
        set_print_setup(ws)
    customers = wb[L.CUSTOMERS.name]
    add_customer_table(customers, last_row=2)
    add_customer_validation(customers)
    customers.freeze_panes = "C2"  # header row plus ID and name stay in view
    fill_settings(wb[L.SETTINGS.name])
    fill_regions(wb[L.REGIONS.name])
    wb.active = 0
    props = wb.properties
    props.title = "客户地址表 Customer addresses"
    props.subject = "addrkit customer workbook"
    props.creator = "addrkit"
    props.keywords = "addrkit; 地址; address"
    props.created = props.modified = FIXED_TIME
    return wb


def write_headers(ws: Worksheet, sheet: L.SheetLayout) -> None:
    """Chinese header text, the English name and help in a comment, widths and formats."""
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.zh)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        note = column.en if not column.help_en else f"{column.en}\n{column.help_en}"
        comment = Comment(note, "addrkit")
        comment.width, comment.height = 220, 60
        cell.comment = comment
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
    ws.row_dimensions[1].height = 20
    if ws.freeze_panes is None:
        ws.freeze_panes = "A2"


def set_print_setup(ws: Worksheet) -> None:
    """Landscape A4, all columns on one page width, header row on every page, gridlines."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.left.text = "&A"
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页  Page &P of &N"


def add_customer_table(ws: Worksheet, last_row: int) -> None:
    """Make A1:<last column><last_row> the Excel table that header detection also finds."""
    last_col = get_column_letter(len(L.CUSTOMERS.columns))
    table = Table(displayName=L.CUSTOMER_TABLE_NAME, ref=f"A1:{last_col}{max(last_row, 2)}")
    table.tableStyleInfo = TableStyleInfo(
        name="TableStyleMedium2", showRowStripes=True, showColumnStripes=False
    )
    ws.add_table(table)
    for index, column in enumerate(L.CUSTOMERS.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].number_format = column.number_format


def _column_range(sheet: L.SheetLayout, zh: str) -> str:
    letter = get_column_letter(sheet.headers.index(zh) + 1)
    return f"{letter}2:{letter}{LAST_ROW}"


def _validation(kind: str, *, prompt: str, error: str, stop: bool = True, **kw) -> DataValidation:
    dv = DataValidation(type=kind, allow_blank=True, **kw)
    dv.promptTitle, dv.prompt = "提示 Hint", prompt
    dv.errorTitle, dv.error = "请检查 Please check", error
    dv.showInputMessage = dv.showErrorMessage = True
    # A warning lets staff keep a value that looks odd (addrkit reports it later) rather
    # than lose it; hard stops only where the value cannot mean anything else.
    dv.errorStyle = "stop" if stop else "warning"
    return dv


def add_customer_validation(ws: Worksheet) -> None:
    """Drop-down for the tier, plausibility checks for phone, numbers and duplicate IDs."""
    sheet = L.CUSTOMERS
    rules = [
        (
            "客户编号",
            _validation(
                "custom",
                formula1="COUNTIF($A:$A,A2)<=1",
                prompt="每位客户一个编号。One ID per customer.",
                error="此编号已存在。This ID is already used.",
                stop=False,
            ),
        ),
        (
            "电话",
            _validation(
                "textLength",
                operator="between",
                formula1="7",
                formula2="40",
                prompt="手机或座机，可带区号/+86。Mobile or landline, area code or +86 allowed.",
                error="电话长度应为 7–40 个字符。A phone number has 7-40 characters.",
                stop=False,
            ),
        ),
        (
            "客户等级",
            _validation(
                "list",
                formula1='"' + ",".join(L.TIERS) + '"',
                prompt="A / B / C / D，可由“客户等级”功能自动计算。Or let Tiers & regions fill it.",
                error="请选择 A、B、C 或 D。Choose A, B, C or D.",
            ),
        ),
        (
            "年销售额",
            _validation(
                "decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                prompt="元/年。Yuan per year.",
                error="请输入不小于 0 的数字。Enter a number of 0 or more.",
            ),
        ),
        (
            "订单数",
            _validation(
                "whole",
                operator="greaterThanOrEqual",
                formula1="0",
                prompt="整数。Whole number.",
                error="请输入不小于 0 的整数。Enter a whole number of 0 or more.",
            ),
        ),
        (
            "合作年限",
            _validation(
                "whole",
                operator="between",
                formula1="0",
                formula2="100",
                prompt="年。Years.",
                error="请输入 0–100 的整数。Enter a whole number from 0 to 100.",
            ),
        ),
        (
            "信用",
            _validation(
                "whole",
                operator="between",
                formula1="0",
                formula2="100",
                prompt="信用分 0–100。Credit score 0-100.",
                error="请输入 0–100 的整数。Enter a whole number from 0 to 100.",
            ),
        ),
    ]
    for zh, dv in rules:
        dv.add(_column_range(sheet, zh))
        ws.add_data_validation(dv)


def fill_settings(ws: Worksheet) -> None:
    """One row per setting: bilingual name (what addrkit reads), value, help in both languages."""
    for row, setting in enumerate(L.SETTING_ROWS, start=2):
        values = (setting.label, setting.value, f"{setting.help_zh}\n{setting.help_en}")
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = HELP_FONT if col == 3 else BODY_FONT
            cell.alignment = Alignment(vertical="top", horizontal="left", wrap_text=col == 3)
        value_cell = ws.cell(row=row, column=2)
        if isinstance(setting.value, str):
            value_cell.number_format = "@"
        if setting.choices:
            dv = _validation(
                "list",
                formula1='"' + ",".join(setting.choices) + '"',
                prompt=" / ".join(setting.choices),
                error="请从列表中选择。Choose a value from the list.",
            )
            dv.add(value_cell.coordinate)
            ws.add_data_validation(dv)
        ws.row_dimensions[row].height = 52


def fill_regions(ws: Worksheet) -> None:
    """The default scheme (seven regions + 港澳台), one row per province; city/district rows refine it."""
    for row, (province, region) in enumerate(L.PROVINCE_REGIONS, start=2):
        ws.cell(row=row, column=1, value=province).font = BODY_FONT
        ws.cell(row=row, column=4, value=region.value).font = BODY_FONT
    dv = _validation(
        "list",
        formula1='"' + ",".join(r.value for r in L.Region) + '"',
        prompt="默认区域之一，或自定名称（末尾可加字母代码，如“浙江大区 ZJ”）。"
        "A default region, or a name of your own (letters at the end for codes: 浙江大区 ZJ).",
        error="不在默认区域中；仍可保留。Not a default region; you may keep it.",
        stop=False,
    )
    dv.add(_column_range(L.REGIONS, "区域"))
    ws.add_data_validation(dv)
    ws.page_setup.orientation = "portrait"  # five narrow columns: one portrait page


def save_reproducibly(wb: Workbook, path: Path) -> None:
    """Save ``wb`` to ``path`` atomically with fixed dates, so equal books give equal bytes.

    openpyxl stamps the save time into docProps/core.xml and the zip stamps every entry;
    both are replaced by ``FIXED_TIME``.
    """
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rf"\g<1>{stamp}\g<3>",
                    text,
                )
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".xlsx")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(out.getvalue())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a template is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    save_reproducibly(build_template(), args.output)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
