"""Geocode and Map on real workbooks: run from the command line's engine, read back with
openpyxl and as a zip, rerun, and with the text users really type."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from PIL import Image

from addrkit.errors import InputError
from addrkit.maps.html_map import embedded_data
from addrkit.ops import OPERATIONS, get_operation
from addrkit.ops.base import CustomerTable
from addrkit.ops.geocode import GEOCODE_HEADERS, GEOCODED_SHEET, SHEET_HEADER, GeoStatus
from addrkit.ops.map import HTML_SUFFIX, MAP_SHEET, run_map
from addrkit.progress import Progress
from addrkit.settings import Settings
from addrkit.table import locate_table
from addrkit.workbook.run_file import run_file

HEADERS = ["客户编号", "客户名称", "地址", "客户等级", "年销售额"]
ROWS = [
    ["C1", "甲公司", "浙江杭州西湖区文三路90号", "A", 1000],
    ["C2", "</script><script>alert(1)</script>", "江苏省南京市玄武区中山路1号", "B", 200],
    ["C3", "丙公司", None, "C", None],
    ["C4", "丁公司", 12345, "A", "n/a"],
    ["C5", "戊公司", "#N/A", None, 5],
    ["C6", "己公司", "=cmd|' /C calc'!A0", "B", 7],
    ["C7", "庚公司", "廣東省廣州市天河區體育西路１０號", "A", 30],
    ["C8", "辛公司", "浙江", "C", 1],
    ["C9", '"引号" & <b>', "x" * 32767, "D", 2],
    ["C10", "壬公司", "北京市海淀区中关村大街1号", "+1", 9],
]


def _book(path, rows=ROWS, settings=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户 Customers"
    ws.append(HEADERS)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"  # typed text, even when it looks like a formula
    s = wb.create_sheet("设置 Settings")
    s.append(("设置项 Setting", "值 Value"))
    for row in settings:
        s.append(row)
    wb.save(path)
    return path


def test_operations_are_registered():
    assert get_operation("geocode").label == "地理编码 Geocode"
    assert get_operation("map").label == "地图 Map"
    assert {"geocode", "map"} <= set(OPERATIONS)


def test_geocode_writes_columns_and_the_geocoded_sheet(tmp_path):
    book = _book(tmp_path / "b.xlsx")
    result = run_file(["geocode"], book, progress=Progress())
    wb = openpyxl.load_workbook(result.path)
    ws = wb["客户 Customers"]
    header = [c.value for c in ws[1]]
    assert header[len(HEADERS) :] == list(GEOCODE_HEADERS)
    lat_col = header.index("纬度") + 1
    status_col = header.index("定位状态") + 1
    lat = ws.cell(2, lat_col).value
    assert isinstance(lat, float) and 30.0 < lat < 30.5  # 西湖区, Hangzhou
    statuses = [ws.cell(r, status_col).value for r in range(2, len(ROWS) + 2)]
    assert statuses[0] == GeoStatus.PLACED.value
    assert statuses[2] == statuses[3] == statuses[4] == GeoStatus.NOT_PLACED.value
    assert statuses[6] == GeoStatus.PLACED.value  # traditional and full-width characters
    assert statuses[7] == GeoStatus.COARSE.value
    # The customer's own cells are as they were: typed text stays text.
    assert ws.cell(7, 3).value == "=cmd|' /C calc'!A0" and ws.cell(7, 3).data_type == "s"

    sheet = wb[GEOCODED_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == SHEET_HEADER
    assert len(rows) == len(ROWS) + 1
    why = {r[0]: r[-1] for r in rows[1:]}
    assert why["C3"].startswith("地址为空")
    assert why["C4"].startswith("不是地址") and why["C5"].startswith("不是地址")
    assert why["C1"] is None
    assert rows[10][3] == "北京市海淀区中关村大街1号"
    # Formula-looking text from the customer is written back as text, never a formula.
    formula_like = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)


def test_map_puts_pictures_in_the_map_sheet_and_replaces_them_on_rerun(tmp_path):
    book = _book(tmp_path / "b.xlsx")
    first = run_file(["map"], book, progress=Progress())
    run_file(["map"], book, progress=Progress())
    wb = openpyxl.load_workbook(book)
    ws = wb[MAP_SHEET]
    first_plan = first.plans[0]
    assert len(ws._images) == len(first_plan.images)  # replaced, not stacked
    # Under the legend table (header, 3 regions, total, not placed: 6 rows), a blank row
    anchor = ws._images[0].anchor._from
    assert (anchor.col, anchor.row + 1) == (0, 8)
    media = [n for n in zipfile.ZipFile(book).namelist() if n.startswith("xl/media/")]
    assert len(media) == len(first_plan.images)
    png = zipfile.ZipFile(book).read(media[0])
    assert Image.open(io.BytesIO(png)).size == (960, 720)
    legend = list(ws.iter_rows(values_only=True))
    on_map = dict(first_plan.summary)["on map"]
    assert on_map == 5  # C1 C2 C7 C10 at district precision, C8 province only
    total = next(r for r in legend if str(r[0]).startswith("合计"))
    assert total[1] == on_map
    assert (
        sum(r[1] for r in legend[1:] if r[0] and not str(r[0]).startswith(("合计", "未定位")))
        == on_map
    )

    html = book.with_name(book.stem + HTML_SUFFIX)
    assert first.side_files == (html,)
    page = html.read_text(encoding="utf-8")
    data = embedded_data(page)
    assert len(data["points"]["lat"]) == on_map
    assert any("</script><script>alert(1)</script>" in t for t in data["points"]["text"])
    assert page.count("<script") == 2


def test_map_colours_by_the_column_settings_names(tmp_path):
    book = _book(tmp_path / "b.xlsx", settings=[("地图着色 Map colour", "客户等级")])
    plan = run_file(["map"], book, progress=Progress()).plans[0]
    assert dict(plan.summary)["colour"] == "客户等级"
    legend = list(openpyxl.load_workbook(book)[MAP_SHEET].iter_rows(values_only=True))
    labels = [r[0] for r in legend[1:] if r[0] and not str(r[0]).startswith(("合计", "未定位"))]
    assert set(labels) <= {"A", "B", "C", "D", "+1", "(未分类 none)"} and "A" in labels
    # "+1" is a tier someone typed: stays text in the legend, not a formula
    ws = openpyxl.load_workbook(book)[MAP_SHEET]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_an_unknown_colour_column_is_a_clear_error():
    loc = locate_table("S", [HEADERS])
    table = CustomerTable.from_rows(loc, [ROWS[0]])
    with pytest.raises(InputError, match="Map colour column '销售' is not in the customer table"):
        run_map(table, Settings(extra={"地图着色 Map colour": "销售"}), Progress())


def test_geocode_then_map_in_one_run_shares_the_points(tmp_path):
    book = _book(tmp_path / "b.xlsx")
    result = run_file(["geocode", "map"], book, progress=Progress())
    geocode, drawn = result.plans
    assert (
        dict(geocode.summary)["placed"] + dict(geocode.summary)["province only"]
        == dict(drawn.summary)["on map"]
    )


def test_a_picture_placed_again_at_its_anchor_replaces_the_old_one(tmp_path):
    """Without a sheet rewrite: the adapter itself replaces the picture at the anchor."""
    import datetime as dt

    from addrkit.ops.plan import ChangePlan, ImagePlacement
    from addrkit.workbook.file_apply import apply_plan

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    plan = ChangePlan("map", images=(ImagePlacement(MAP_SHEET, "A8", buffer.getvalue(), "m"),))
    path = tmp_path / "p.xlsx"
    openpyxl.Workbook().save(path)
    for _ in range(2):
        wb = openpyxl.load_workbook(path)
        apply_plan(wb, plan, None, [], when=dt.datetime(2026, 1, 1), user="u")
        wb.save(path)
    assert len(openpyxl.load_workbook(path)[MAP_SHEET]._images) == 1


def test_a_streamed_book_gets_the_pictures_and_the_html_map_too(tmp_path):
    book = _book(tmp_path / "b.xlsx")
    result = run_file(["geocode", "map"], book, progress=Progress(), stream_rows=5)
    assert result.streamed
    wb = openpyxl.load_workbook(book)
    assert len(wb[MAP_SHEET]._images) == len(result.plans[1].images) >= 1
    assert [c.value for c in wb["客户 Customers"][1]][len(HEADERS) :] == list(GEOCODE_HEADERS)
    assert result.side_files[0].exists()


@pytest.mark.parametrize("streamed", [False, True])
def test_a_hidden_sheet_of_a_plan_is_hidden(tmp_path, streamed):
    import datetime as dt

    from addrkit.ops.plan import ChangePlan, SheetWrite
    from addrkit.workbook.file_apply import apply_plan
    from addrkit.workbook.files import open_workbook, read_customer_table
    from addrkit.workbook.streaming import stream_apply

    book = _book(tmp_path / "b.xlsx")
    plan = ChangePlan("x", sheets=(SheetWrite("_cache", (("key", "v"), ("=1+1", 2)), hidden=True),))
    when = dt.datetime(2026, 1, 1)
    if streamed:
        wb = open_workbook(book, read_only=True)
        stream_apply(wb, book, [plan], read_customer_table(wb), when=when, user="u")
    else:
        wb = openpyxl.load_workbook(book)
        table = read_customer_table(wb)
        apply_plan(wb, plan, table.location, table.row_keys(), when=when, user="u")
        wb.save(book)
    ws = openpyxl.load_workbook(book)["_cache"]
    assert ws.sheet_state == "hidden"
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"


def test_points_come_in_the_coordinate_system_settings_ask_for(tmp_path):
    wgs = run_file(["geocode"], _book(tmp_path / "w.xlsx"), progress=Progress())
    book = _book(tmp_path / "g.xlsx", settings=[("坐标系 Coordinate system", "gcj02")])
    gcj = run_file(["geocode", "map"], book, progress=Progress())
    column = {c.header: c.values for c in wgs.plans[0].columns}
    shifted = {c.header: c.values for c in gcj.plans[0].columns}
    assert set(shifted["坐标系"]) == {"GCJ-02", None} and set(column["坐标系"]) == {"WGS-84", None}
    # GCJ-02 is WGS-84 moved by a few hundred metres inside China, never more than 0.01 degree
    for a, b in zip(column["经度"], shifted["经度"], strict=True):
        assert (a is None) == (b is None)
        assert a is None or 0.0005 < abs(a - b) < 0.01
    # The map draws in WGS-84 whatever the sheet shows: the same customers on the same dots
    assert gcj.plans[1].summary == run_file(["map"], tmp_path / "w.xlsx").plans[0].summary


def test_a_32767_character_name_is_cut_short_in_the_map_tooltip():
    table = CustomerTable.from_rows(
        locate_table("S", [HEADERS]), [["C1", "名" * 32767, "浙江杭州西湖区文三路90号", "A", 1]]
    )
    plan = run_map(table, Settings(), Progress())
    text = embedded_data(plan.files[0].data.decode("utf-8"))["points"]["text"]
    assert text == ["名" * 120 + " · 浙江省杭州市西湖区文三路90号"]


def test_side_files_land_beside_a_book_named_relative_to_the_current_folder(tmp_path, monkeypatch):
    _book(tmp_path / "rel.xlsx")
    monkeypatch.chdir(tmp_path)
    result = run_file(["map"], "rel.xlsx", progress=Progress())
    (html,) = result.side_files
    assert html == tmp_path / ("rel" + HTML_SUFFIX) and html.exists()
