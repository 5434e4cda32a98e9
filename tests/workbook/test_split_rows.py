"""A streamed customer sheet spliced by several processes is the one-process sheet.

`addrkit run` on a big sheet cuts the customer rows into pieces and has forked workers
splice all but the first (`streaming._sheet_rows`). Whatever the cut, the file must be
the same byte for byte; a piece a worker cannot do exactly (a row out of order reaching
back before it) is done by the parent instead.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from addrkit.workbook_templates import layout as L

from addrkit.workbook import sheet_xml, streaming
from addrkit.workbook.files import open_workbook
from addrkit.workbook.run_file import run_file
from addrkit.workers import GiveUp, fork_pieces

SAMPLE = Path(L.__file__).with_name("sample_customers.xlsx")
CUSTOMERS = L.CUSTOMERS.name
PART = "xl/worksheets/sheet1.xml"  # the customer sheet, first in the sample


def _book(path: Path) -> Path:
    """The sample customers with blank rows (rows the XML leaves out), hostile text in
    the notes and every tenth customer ID cleared (codes are spliced into those rows)."""
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb[CUSTOMERS]
    note_col = [c.value for c in ws[1]].index("备注") + 1
    for r in range(2, ws.max_row + 1):
        if r % 10 == 0:
            ws.cell(r, 1).value = None
        if r % 7 == 0:
            ws.cell(r, note_col, ["=1+1", "  spaced ", "a<b>&c", "#N/A"][r % 4]).data_type = "s"
    for r in (300, 301, 1002, 1003, 1004):
        for c in range(1, ws.max_column + 1):
            ws.cell(r, c).value = None
    wb.save(path)
    return path


def _run(book: Path, out: Path, jobs: int) -> dict[str, bytes]:
    result = run_file(["assign", "code"], book, out, stream_rows=10, jobs=jobs, user="t")
    assert result.streamed
    with zipfile.ZipFile(out) as z:
        return {name: z.read(name) for name in (PART, "xl/styles.xml")}


@pytest.fixture
def pieces(monkeypatch):
    """The real `fork_pieces`, its workers' outcomes recorded (a spy, not a stand-in)."""
    outcomes: list[bool] = []

    def recording(produce, count):
        made = fork_pieces(produce, count)
        for piece in made:
            result = piece.result
            piece.result = lambda result=result: outcomes.append(r := result()) or r
        return made

    monkeypatch.setattr(streaming, "fork_pieces", recording)
    monkeypatch.setattr(streaming, "ROWS_PER_WORKER", 300)
    monkeypatch.setattr(sheet_xml, "fork_pieces", recording)
    return outcomes


def test_rows_spliced_by_workers_equal_one_process(tmp_path, pieces, libreoffice):
    book = _book(tmp_path / "book.xlsx")
    alone = _run(book, tmp_path / "one.xlsx", jobs=1)
    assert pieces == []  # one process: nothing forked
    for jobs in (2, 3):
        pieces.clear()
        split = _run(book, tmp_path / f"split{jobs}.xlsx", jobs=jobs)
        assert len(pieces) == jobs - 1 and all(p is not None for p in pieces)
        assert split == alone, jobs
    # The codes really are in the rows the workers spliced (the last rows of the sheet).
    wb = openpyxl.load_workbook(tmp_path / "split3.xlsx", read_only=True)
    try:
        ids = [r[0] for r in wb[CUSTOMERS].iter_rows(min_row=1900, values_only=True)]
    finally:
        wb.close()
    assert ids and all(ids[i] for i in range(len(ids)) if (1900 + i) % 10 == 0)
    # The workers deflated their pieces and the zip joins them: every entry's CRC holds,
    # and LibreOffice reads the same customer sheet from the split file as from the other.
    with zipfile.ZipFile(tmp_path / "split3.xlsx") as z:
        assert z.testzip() is None
        assert z.getinfo(PART).compress_size < z.getinfo(PART).file_size / 3
    one, split = (
        libreoffice.to_csv(tmp_path / name)[CUSTOMERS].read_text(encoding="utf-8")
        for name in ("one.xlsx", "split3.xlsx")
    )
    assert split == one and split.count("\n") > 1900


def _move_row(book: Path, row: int, after: int, out: Path) -> Path:
    """The book with the element of sheet row `row` moved to just after row `after`."""
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts[PART]
    moved = re.search(rb'<row r="%d"[ >].*?</row>' % row, xml, re.S)
    xml = xml[: moved.start()] + xml[moved.end() :]
    anchor = re.search(rb'<row r="%d"[ >].*?</row>' % after, xml, re.S)
    parts[PART] = xml[: anchor.end()] + moved.group(0) + xml[anchor.end() :]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out


def test_a_row_out_of_order_across_pieces_is_spliced_by_the_parent(tmp_path, pieces):
    # Row 20 (a cleared ID: it gets a code) stored after row 1500, in the last piece.
    book = _move_row(_book(tmp_path / "book.xlsx"), 20, 1500, tmp_path / "odd.xlsx")
    alone = _run(book, tmp_path / "one.xlsx", jobs=1)
    split = _run(book, tmp_path / "split.xlsx", jobs=2)
    assert pieces == [None]  # the worker gave its piece back
    assert split == alone


@pytest.mark.parametrize("odd", [False, True], ids=["in order", "a row out of order"])
def test_rows_read_by_workers_equal_one_process(tmp_path, monkeypatch, pieces, odd):
    monkeypatch.setattr(sheet_xml, "READ_ROWS_PER_WORKER", 200)
    book = _book(tmp_path / "book.xlsx")
    if odd:
        book = _move_row(book, 20, 1500, tmp_path / "odd.xlsx")
    wb = open_workbook(book, read_only=True)
    reference = openpyxl.load_workbook(book, read_only=True)
    try:
        ws = wb[CUSTOMERS]
        for bounds in (
            {},
            {"min_row": 2, "min_col": 2, "max_col": 9},
            {"min_row": 5, "max_row": 1800},
        ):
            pieces.clear()
            one = list(sheet_xml.iter_values(ws, **bounds, jobs=1))
            assert pieces == []
            split = list(sheet_xml.iter_values(ws, **bounds, jobs=3))
            assert len(pieces) == 2 and all(p is not None for p in pieces)
            assert split == one and len(one) > 1700
            assert [[type(v) for v in r] for r in split] == [[type(v) for v in r] for r in one]
            if not odd:  # and both are what openpyxl reads
                assert one == list(reference[CUSTOMERS].iter_rows(values_only=True, **bounds))
    finally:
        wb.close()
        reference.close()


def test_a_forked_piece_that_gives_up_or_fails_has_no_result():
    def produce(k):
        yield b"piece %d " % k
        if k == 1:
            raise GiveUp("not exactly")
        if k == 2:
            raise ValueError("broken")
        yield b"done"

    made = fork_pieces(produce, 3)
    try:
        results = [p.result() for p in made]
        assert results[0].read() == b"piece 0 done"
        assert results[1:] == [None, None]
    finally:
        for p in made:
            p.stop()
