"""Formula injection through the writers `test_formula_injection` does not reach: the live
adapter (Excel through xlwings), the Geocoded and Map sheets, the HTML map, the
share-ready copy fuzzed, and the JSON lines of ``addrkit parse``.

Customer text starting = + - @ tab CR, and DDE payloads, must come back as the same
text and never as something a spreadsheet (or a browser) would run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from addrkit.maps.html_map import embedded_data
from addrkit.ops.map import TIP_CHARS
from addrkit.progress import Progress
from addrkit.workbook.layout import cell_value
from addrkit.workbook.live import run_operation
from addrkit.workbook.run_file import run_file

from . import fake_xlwings
from .books import make_book
from .test_formula_injection import DDE, FUZZ, PAYLOADS, _formula_cells, _is_number, _strings

ADDRESS = "浙江省杭州市西湖区文三路90号"
TRIGGERS = ("=", "+", "-", "@")


def _kept(texts) -> list[str]:
    """The texts as a cell holds them (control characters shown, 32,767 at most), non-blank."""
    return [k for k in (cell_value(t) for t in texts) if isinstance(k, str) and k.strip()]


def _book(tmp_path, texts, name="b.xlsx", placed=False):
    # Payloads as names, addresses and remarks; with placed=True the address is a real one
    # (so each customer is on the map and its name in the HTML map's tooltip).
    rows = []
    for i, t in enumerate(texts, 1):
        rows.append([f"C{i}", t, "13812345678", ADDRESS if placed else t, None])
        # The same customer again with a remark: the Duplicates sheet lists both, merge
        # copies the remark into the first row and the change log records it.
        rows.append([f"D{i}", t, "13812345678", ADDRESS, t])
    return make_book(tmp_path / name, rows=rows)


# ---------------------------------------------------------------- the live adapter
@pytest.fixture
def excel_writes(monkeypatch):
    """Every raw value the live adapter hands Excel, with the cell's number format then.

    The stand-in book drops the apostrophe as Excel does; this keeps what was written so
    the check can apply Excel's own rule: a General cell given text starting = + - @
    that is not a plain number would be calculated.
    """
    seen: list[tuple[str, tuple[int, int], object, str]] = []
    store = fake_xlwings.Sheet.store

    def recording(self, r, c, v):
        seen.append((self.name, (r, c), v, self.formats.get((r, c), "General")))
        return store(self, r, c, v)

    monkeypatch.setattr(fake_xlwings.Sheet, "store", recording)
    return seen


LIVE_OPS = ["clean", "dedupe", "merge", "summary", "geocode", "assign", "code"]


@FUZZ
@given(texts=st.lists(PAYLOADS, min_size=1, max_size=4))
def test_live_adapter_never_hands_excel_text_it_would_calculate(tmp_path_factory, excel_writes, texts):
    tmp_path = tmp_path_factory.mktemp("live")
    path = _book(tmp_path, texts)
    book = fake_xlwings.Book.from_openpyxl(openpyxl.load_workbook(path), fullname=path)
    excel_writes.clear()
    for name in LIVE_OPS:
        run_operation(name, book, user="u")
    assert excel_writes, "the adapter wrote nothing: the check would prove nothing"
    for sheet, key, raw, fmt in excel_writes:
        if isinstance(raw, str) and fmt != "@" and raw.startswith(TRIGGERS):
            assert _is_number(raw), (sheet, key, raw)  # would be a formula in Excel
    values = [v for s in book.sheets for v in s.values.values()]
    assert not [v for v in values if isinstance(v, fake_xlwings.Formula)]
    strings = {v for v in values if isinstance(v, str)}
    for kept in _kept(texts):
        assert kept in strings  # the customer's own text, exactly, as text


def test_live_log_and_output_sheets_keep_dde_payloads_as_text(excel_writes, tmp_path):
    path = _book(tmp_path, DDE, placed=True)
    book = fake_xlwings.Book.from_openpyxl(openpyxl.load_workbook(path), fullname=path)
    run_operation("dedupe", book, user="u")
    run_operation("merge", book, user="u")
    run_operation("summary", book, user="u")
    names = [s.name for s in book.sheets]
    assert any("Log" in n or "日志" in n for n in names) and any("Summary" in n for n in names)
    raw = [v for _, _, v, fmt in excel_writes if isinstance(v, str) and fmt != "@"]
    assert any(v == "'" + DDE[0] for v in raw)  # the payload went in behind an apostrophe
    assert not [v for s in book.sheets for v in s.values.values() if isinstance(v, fake_xlwings.Formula)]


# ---------------------------------------------------------------- Geocoded, Map, HTML map
class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [k for k, _ in attrs if k.lower().startswith("on")]


PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "div", "h1", "p", "button",
             "canvas", "script"}  # fmt: skip


@FUZZ
@given(texts=st.lists(PAYLOADS, min_size=1, max_size=4))
def test_geocode_map_and_html_map_never_run_customer_text(tmp_path_factory, texts):
    tmp_path = tmp_path_factory.mktemp("map")
    path = _book(tmp_path, [*texts, "</script><script>alert(1)</script>"], placed=True)
    result = run_file(["geocode", "map"], path, progress=Progress())
    assert _formula_cells(path) == []
    strings = _strings(path)
    for kept in _kept(texts):
        assert kept in strings
    page = path.with_name(path.stem + "-map.html").read_text(encoding="utf-8")
    assert result.side_files
    tags = _Tags()
    tags.feed(page)
    assert set(tags.tags) <= PAGE_TAGS and tags.tags.count("script") == 2 and not tags.handlers
    tips = " ".join(embedded_data(page)["points"]["text"])
    for kept in _kept(texts):
        assert kept[:TIP_CHARS] in tips  # the name, as text, in the tooltip data


# ---------------------------------------------------------------- share-ready copy, fuzzed
@FUZZ
@given(texts=st.lists(PAYLOADS, min_size=1, max_size=5))
def test_share_copy_fuzzed_never_turns_text_into_a_formula(tmp_path_factory, texts):
    tmp_path = tmp_path_factory.mktemp("share")
    path = _book(tmp_path, texts)
    run_file(["clean", "dedupe"], path)
    result = run_file(["share"], path)
    assert _formula_cells(result.path) == []
    strings = _strings(result.path)
    for kept in _kept(texts):
        # Masking may hide digits inside a text (a phone in an address), never a whole cell.
        assert kept in strings or any(len(s) == len(kept) for s in strings)


# ---------------------------------------------------------------- addrkit parse (JSON lines)
def test_parse_json_lines_give_every_payload_back_as_the_same_text():
    lines = [t for t in DDE if "\r" not in t] + ["@SUM(A1)", "-浙江省杭州市", "+86 138", "\t=1+1"]
    done = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "parse"], input="\n".join(lines).encode() + b"\n",
        capture_output=True, timeout=300, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    rows = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["input"] for r in rows] == lines
    formula = [r for r in rows if "FORMULA" in [i["code"] for i in r["issues"]]]
    assert len(formula) >= len(DDE) - 2  # function calls, DDE links: reported, not parsed
    assert all(r["province"] is None for r in formula)
