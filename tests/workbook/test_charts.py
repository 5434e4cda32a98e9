"""Native charts on the 汇总 Summary sheet: in the file's chart XML (loaded and streamed
writers), kept by later runs, and drawn the same way by the live adapter."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from addrkit.ops.plan import ChartKind, ChartSpec
from addrkit.workbook.live import run_operation
from addrkit.workbook.run_file import run_file

from .books import make_book
from .fake_xlwings import Book

NOW = dt.datetime(2025, 6, 1, 9, 30, 0)
PACKAGE_DIR = Path(__file__).resolve().parents[2] / "workbook_templates"


NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}


def _title(chart) -> str:
    return "".join(t.text for t in chart.find("c:chart/c:title", NS).iter(f"{{{NS['a']}}}t"))


def _chart_parts(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")}


def _summary_pictures(path) -> list[bytes]:
    with zipfile.ZipFile(path) as z:
        media = [z.read(n) for n in z.namelist() if n.startswith("xl/media/")]
    assert all(m[:4] == b"\x89PNG" for m in media)
    return media


def _summary_drawing_charts(path) -> int:
    """Charts hanging off the Summary sheet's drawing (not just somewhere in the zip)."""
    wb = openpyxl.load_workbook(path)
    return len(wb["汇总 Summary"]._charts)


@pytest.mark.parametrize("stream_rows", [200_000, 1], ids=["loaded", "streamed"])
def test_summary_file_has_a_status_pie_and_a_province_bar_chart(tmp_path, stream_rows):
    path = make_book(tmp_path / "b.xlsx")
    result = run_file(["summary"], path, stream_rows=stream_rows, now=lambda: NOW, user="t")
    assert result.streamed is (stream_rows == 1)
    parts = [ElementTree.fromstring(x) for x in _chart_parts(path).values()]
    assert len(parts) == 3
    pie = next(x for x in parts if x.find(".//c:pieChart", NS) is not None)
    bar = next(x for x in parts if _title(x) == "各省客户数 Customers by province")
    cross = next(x for x in parts if _title(x) == "区域 × 分级 Customers by region and tier")
    assert cross.find(".//c:barDir", NS).get("val") == "bar"  # a bar per tier, names level
    assert len(cross.findall(".//c:ser", NS)) >= 1
    # The picture of the same counts sits on the sheet too, a PNG.
    assert len(_summary_pictures(path)) == 1
    assert _title(pie) == "状态占比 Status shares"
    assert pie.find(".//c:dLbls/c:showPercent", NS).get("val") == "1"
    assert _title(bar) == "各省客户数 Customers by province"
    assert bar.find(".//c:barDir", NS).get("val") == "bar"
    assert bar.find(".//c:catAx/c:scaling/c:orientation", NS).get("val") == "maxMin"
    assert {a.get("val") for a in bar.findall(".//c:delete", NS)} == {"0"}  # axes shown
    # The series point at the sheet's cells, categories as text: the chart stays live.
    assert pie.find(".//c:val/c:numRef/c:f", NS).text == "'汇总 Summary'!$B$5:$B$8"
    assert pie.find(".//c:cat/c:strRef/c:f", NS).text == "'汇总 Summary'!$A$5:$A$8"
    assert re.fullmatch(
        r"'汇总 Summary'!\$B\$11:\$B\$\d+", bar.find(".//c:val/c:numRef/c:f", NS).text
    )
    assert _summary_drawing_charts(path) == 3


def _cross_chart_and_tiers(path) -> tuple[ElementTree.Element, list[str]]:
    """The region × tier chart's XML, and the tiers as the table's header row has them."""
    parts = [ElementTree.fromstring(x) for x in _chart_parts(path).values()]
    cross = next(x for x in parts if _title(x) == "区域 × 分级 Customers by region and tier")
    ws = openpyxl.load_workbook(path)["汇总 Summary"]
    header = [c.value for c in ws[5]][5:]  # from column F: 区域 Region, tiers..., total
    tiers = [str(v) for v in header[1 : header.index("合计 Total")]]
    return cross, tiers


@pytest.mark.parametrize("stream_rows", [200_000, 1], ids=["loaded", "streamed"])
def test_region_tier_legend_lists_the_tiers_in_table_order(tmp_path, stream_rows):
    """A horizontal bar chart's legend lists its series bottom up: the series go last
    tier first, so the legend reads A, B, C … top down, as the table's columns."""
    path = tmp_path / "sample.xlsx"  # revenue and credit columns: tiers A to D
    shutil.copy(PACKAGE_DIR / "sample_customers.xlsx", path)
    run_file(["summary"], path, stream_rows=stream_rows, now=lambda: NOW, user="t")
    cross, tiers = _cross_chart_and_tiers(path)
    assert len(tiers) >= 2
    assert cross.find(".//c:legend/c:legendPos", NS).get("val") == "r"  # a vertical legend
    names = [ser.find("c:tx/c:strRef/c:f", NS).text for ser in cross.findall(".//c:ser", NS)]
    columns = [re.fullmatch(r"'汇总 Summary'!\$?([A-Z]+)\$?5", n).group(1) for n in names]
    tier_columns = [openpyxl.utils.get_column_letter(7 + i) for i in range(len(tiers))]
    assert columns == tier_columns[::-1]  # listed bottom up: the first tier on top
    orders = [int(ser.find("c:order", NS).get("val")) for ser in cross.findall(".//c:ser", NS)]
    assert orders == list(range(len(tiers)))  # Excel follows c:order, LibreOffice the list


def test_charts_survive_a_later_run_and_are_replaced_not_doubled_by_a_rerun(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    run_file(["summary"], path, now=lambda: NOW, user="t")
    run_file(["clean"], path, now=lambda: NOW, user="t")
    assert _summary_drawing_charts(path) == 3
    run_file(["summary"], path, now=lambda: NOW, user="t")
    assert _summary_drawing_charts(path) == 3
    assert len(_chart_parts(path)) == 3
    assert len(_summary_pictures(path)) == 1


def test_live_book_gets_the_same_charts_drawn_by_excel(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    book = Book.from_openpyxl(openpyxl.load_workbook(path), fullname=path)
    run_operation("summary", book, now=lambda: NOW, user="t")
    charts = {c.name: c for c in book.sheets["汇总 Summary"].charts}
    assert set(charts) == {
        "状态占比 Status shares",
        "各省客户数 Customers by province",
        "区域 × 分级 Customers by region and tier",
    }
    pie, bar = charts["状态占比 Status shares"], charts["各省客户数 Customers by province"]
    assert (pie.chart_type, pie.source) == ("pie", "A4:B8")
    # Right of the region × tier table that starts in column F: no chart covers a table.
    assert pie.anchor.endswith("2") and len(pie.anchor) == 2 and pie.anchor[0] > "H"
    assert pie.api[1].ChartTitle.Text == "状态占比 Status shares" and pie.api[1].HasTitle
    assert pie.api[1].series.labels == 3  # share of each slice
    assert bar.chart_type == "bar_clustered" and bar.api[1].category_axis.ReversePlotOrder
    assert round(pie.width / (72 / 2.54), 1) == 15.0
    # A rerun replaces the sheet (the old one kept for undo): no doubled charts.
    run_operation("summary", book, now=lambda: NOW, user="t")
    assert len(book.sheets["汇总 Summary"].charts) == 3
    run_operation("undo", book)
    assert len(book.sheets["汇总 Summary"].charts) == 3


def test_live_region_tier_chart_lists_the_tiers_in_order_and_prints_whole(tmp_path):
    path = tmp_path / "sample.xlsx"  # revenue and credit columns: tiers A to D
    shutil.copy(PACKAGE_DIR / "sample_customers.xlsx", path)
    book = Book.from_openpyxl(openpyxl.load_workbook(path), fullname=path)
    run_operation("summary", book, now=lambda: NOW, user="t")
    ws = book.sheets["汇总 Summary"]
    chart = next(c for c in ws.charts if c.name == "区域 × 分级 Customers by region and tier")
    cross = chart.api[1]
    header = [ws.values.get((5, c)) for c in range(7, 7 + len(cross.series_list))]
    assert len(header) >= 4 and header[0] == "A"
    # Plotted last tier first: the legend, which lists bars bottom up, reads A, B, C …
    assert [s.Name for s in cross.series_list] == header[::-1]
    assert all(s.HasDataLabels for s in cross.series_list)
    # Printed as the file writers print it: a fixed zoom, page breaks by rows and columns.
    assert ws.api.PageSetup.Orientation == 2 and 10 <= ws.api.PageSetup.Zoom < 100
    assert ws.api.HPageBreaks.rows and ws.api.VPageBreaks.rows


def test_a_chart_spec_refuses_a_source_excel_cannot_take():
    with pytest.raises(ValueError, match="follow the label column"):
        ChartSpec("x", ChartKind.COLUMN, 1, 2, 5, label_col=1, value_cols=(3,), anchor="F2")
    with pytest.raises(ValueError, match="chart rows"):
        ChartSpec("x", ChartKind.PIE, 5, 2, 4, label_col=1, value_cols=(2,), anchor="F2")
    several = ChartSpec(
        "x", ChartKind.COLUMN, 1, 2, 5, label_col=1, value_cols=(2, 3, 4), anchor="F2"
    )
    assert several.values_refs == ("B1:B5", "C1:C5", "D1:D5") and several.source_ref == "A1:D5"
