"""The same operation through the file adapter and the live adapter gives the same book.

Every change operation of the registry runs on a real .xlsx file (``run_file``, saved
and read back with openpyxl) and on the stand-in live book holding the same cells
(``run_operation``); cells, notes, number formats, column widths, fills and pictures
must be equal, and undo must give each book back exactly as it was.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import struct
import zlib

import openpyxl
import pytest

from addrkit.ops import OPERATIONS
from addrkit.ops.plan import ChangePlan, ImagePlacement, PlanKind
from addrkit.workbook.changelog import SNAPSHOT_SHEET
from addrkit.workbook.file_apply import FileBook
from addrkit.workbook.live import LiveBook, run_operation
from addrkit.workbook.run_file import run_file

from .books import ROWS, make_book
from .fake_xlwings import Book

NOW = dt.datetime(2025, 6, 1, 9, 30, 0)
DUP_ROWS = [*ROWS, ["C9", "甲公司", "13812345678", None, "老客户"]]
CHANGE_OPS = [
    name
    for name, op in OPERATIONS.items()
    if op.run.__name__ not in ("run_undo", "run_share")  # whole-book kinds: tested apart
]
FIRST = {"merge": ["dedupe"]}


def _norm(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def file_state(path):
    """Everything compared, per visible sheet of the saved file."""
    wb = openpyxl.load_workbook(path)
    state = {}
    for ws in wb.worksheets:
        cells = {}
        formats, fills, notes = {}, {}, {}
        for row in ws.iter_rows():
            for c in row:
                key = (c.row, c.column)
                if c.value is not None:
                    cells[key] = _norm(c.value)
                if c.number_format != "General":
                    formats[key] = c.number_format
                if c.fill is not None and c.fill.fill_type == "solid":
                    rgb = c.fill.fgColor.rgb[-6:]
                    fills[key] = tuple(int(rgb[i : i + 2], 16) for i in (0, 2, 4))
                if c.comment is not None:
                    notes[key] = c.comment.text
        widths = {}
        for dim in ws.column_dimensions.values():
            if dim.customWidth and dim.width:
                for col in range(dim.min, dim.max + 1):
                    widths[col] = float(dim.width)
        pictures = sorted(
            (_anchor(image), hashlib.sha256(image._data()).hexdigest()) for image in ws._images
        )
        charts = sorted(_file_chart(chart) for chart in ws._charts)
        state[ws.title] = (cells, notes, formats, widths, fills, pictures, charts)
    return state


def _ref(formula: str) -> tuple[int, int, int, int]:
    """'Sheet'!$A$5:$A$8 → (min_col, min_row, max_col, max_row)."""
    return openpyxl.utils.cell.range_boundaries(formula.split("!")[-1].replace("$", ""))


def _file_chart(chart):
    """(title, kind, source block, anchor) of a chart openpyxl read back from the file."""
    kind = "pie" if type(chart).__name__ == "PieChart" else chart.barDir.replace("col", "column")
    title = "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))
    series = chart.series[0]
    categories = series.cat.strRef or series.cat.numRef
    label_col, first_row, _, last_row = _ref(categories.f)
    header_row = _ref(series.tx.strRef.f)[1]
    last_col = max(_ref(s.val.numRef.f)[2] for s in chart.series)
    source = f"{openpyxl.utils.get_column_letter(label_col)}{header_row}:{openpyxl.utils.get_column_letter(last_col)}{last_row}"
    return (title, kind, source, _anchor(chart))


def _anchor(image):
    marker = image.anchor._from
    return f"{openpyxl.utils.get_column_letter(marker.col + 1)}{marker.row + 1}"


def live_state(book):
    state = {}
    for s in book.sheets:
        if s.name.startswith(SNAPSHOT_SHEET):
            continue
        pictures = sorted((p.anchor, hashlib.sha256(p.png).hexdigest()) for p in s.pictures)
        kinds = {"pie": "pie", "bar_clustered": "bar", "column_clustered": "column"}
        charts = sorted(
            (c.api[1].ChartTitle.Text, kinds[c.chart_type], c.source, c.anchor) for c in s.charts
        )
        state[s.name] = (
            {k: _norm(v) for k, v in s.values.items()},
            dict(s.notes),
            dict(s.formats),
            dict(s.widths),
            dict(s.colors),
            pictures,
            charts,
        )
    return state


def _pair(tmp_path):
    path = make_book(tmp_path / "b.xlsx", header_row=3, first_col=2, as_table=True, rows=DUP_ROWS)
    book = Book.from_openpyxl(openpyxl.load_workbook(path), fullname=path)
    return path, book


def _assert_same(path, book):
    file, live = file_state(path), live_state(book)
    assert set(file) == set(live)
    for sheet in file:
        for what, a, b in zip(
            ("cells", "notes", "formats", "widths", "fills", "pictures", "charts"),
            file[sheet],
            live[sheet],
            strict=True,
        ):
            assert a == b, f"{sheet}: {what} differ"


@pytest.mark.parametrize("name", CHANGE_OPS)
def test_every_operation_gives_the_same_book_both_ways_and_undo_restores_both(tmp_path, name):
    path, book = _pair(tmp_path)
    for first in FIRST.get(name, []):
        run_file([first], path, now=lambda: NOW, user="tester")
        run_operation(first, book, now=lambda: NOW, user="tester")
    file_before, live_before = file_state(path), live_state(book)
    assert file_before == live_before
    run_file([name], path, now=lambda: NOW, user="tester")
    run_operation(name, book, now=lambda: NOW, user="tester")
    _assert_same(path, book)
    assert file_state(path) != file_before, f"{name} changed nothing"
    run_file(["undo"], path)
    run_operation("undo", book)
    assert file_state(path) == file_before
    assert live_state(book) == live_before
    assert [s.name for s in book.sheets if not s.name.startswith(SNAPSHOT_SHEET)] == list(
        live_before
    )


@pytest.mark.parametrize("name", ["summary", "dedupe", "settings"])
def test_a_rerun_replaces_sheets_and_blocks_the_same_way_and_undo_gives_the_first_run_back(
    tmp_path, name
):
    path, book = _pair(tmp_path)
    run_file([name], path, now=lambda: NOW, user="tester")
    run_operation(name, book, now=lambda: NOW, user="tester")
    after_first = file_state(path)
    assert live_state(book) == after_first
    later = NOW + dt.timedelta(hours=1)
    run_file([name], path, now=lambda: later, user="tester")
    run_operation(name, book, now=lambda: later, user="tester")
    _assert_same(path, book)
    run_file(["undo"], path)
    run_operation("undo", book)
    assert file_state(path) == after_first
    assert live_state(book) == after_first


def test_widths_formats_and_fills_are_really_compared(tmp_path):
    # The checks above could pass on two empty books: these are the cells they compare.
    path, book = _pair(tmp_path)
    run_file(["dedupe"], path, now=lambda: NOW, user="tester")
    run_file(["summary"], path, now=lambda: NOW, user="tester")
    state = file_state(path)
    cells, _, formats, widths, fills, _, charts = state["汇总 Summary"]
    assert [c[:3] for c in charts] == [
        ("区域 × 分级 Customers by region and tier", "bar", "F5:G7"),
        ("各省客户数 Customers by province", "bar", "A10:B13"),
        ("状态占比 Status shares", "pie", "A4:B8"),
    ]
    assert widths == {1: 28.0, 2: 12.0, 3: 12.0, 4: 60.0, 5: 3.0, 6: 26.0, 7: 13.0, 8: 13.0}
    assert set(formats.values()) == {"0.0%"}
    assert fills[(1, 1)] == (0xDD, 0xEB, 0xF7)
    customer = state["客户 Customers"]
    assert customer[3][7] == 36.0  # the new block's first column
    assert len(customer[4]) >= 2  # the duplicate group's highlights


def _png(width=4, height=3) -> bytes:
    """A real PNG (a grey rectangle), written by hand: no imaging library needed to make it."""
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_pictures_land_in_the_same_place_both_ways_and_undo_removes_them(tmp_path):
    path, book = _pair(tmp_path)
    png = _png()
    plan = ChangePlan(
        "picture",
        kind=PlanKind.CHANGE,
        images=(ImagePlacement("设置 Settings", "D2", png, "addrkit-map"),),
    )
    wb = openpyxl.load_workbook(path)
    before_file, before_live = file_state(path), copy.deepcopy(live_state(book))
    FileBook(wb).apply(plan, None, [], when=NOW, user="tester")
    out = tmp_path / "out.xlsx"
    wb.save(out)
    LiveBook(book).apply(plan, None, [], when=NOW, user="tester")
    _assert_same(out, book)
    assert file_state(out)["设置 Settings"][5] == [("D2", hashlib.sha256(png).hexdigest())]
    LiveBook(book).undo()
    assert live_state(book) == before_live
    assert before_file == before_live


def test_pictures_survive_a_save_with_notes(tmp_path):
    # The file adapter saves through note_parts; a picture placed must be in the saved zip.
    path, _ = _pair(tmp_path)
    run_file(["clean"], path, now=lambda: NOW, user="tester")
    wb = openpyxl.load_workbook(path)
    FileBook(wb).apply(
        ChangePlan("p", images=(ImagePlacement("汇总 Summary", "B2", _png(), "m"),)),
        None,
        [],
        when=NOW,
        user="tester",
    )
    from addrkit.workbook.files import save_atomic

    save_atomic(wb, path)
    names = __import__("zipfile").ZipFile(path).namelist()
    assert any(n.startswith("xl/media/") for n in names)
    assert io.BytesIO(path.read_bytes()).getbuffer().nbytes > 0


def test_file_adapter_undo_puts_the_backup_back(tmp_path):
    from addrkit.errors import WorkbookError

    path, _ = _pair(tmp_path)
    before = file_state(path)
    run_file(["clean"], path, now=lambda: NOW, user="tester")
    assert file_state(path) != before
    FileBook(openpyxl.load_workbook(path), str(path)).undo()
    assert file_state(path) == before
    with pytest.raises(WorkbookError, match="Nothing to undo"):
        FileBook(openpyxl.Workbook()).undo()


def test_a_whole_number_reads_the_same_from_a_file_and_from_excel():
    # openpyxl gives 12345, Excel gives 12345.0: what the duplicate engine compares is equal.
    from addrkit.ops.survivor import _text

    assert _text(12345.0) == _text(12345) == "12345"
    assert _text(3.5) == "3.5" and _text(None) == ""
