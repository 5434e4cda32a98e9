"""Customer codes on a sheet too long to load: streamed through, codes written as rows pass.

The threshold is lowered (``ADDRKIT_STREAM_ROWS`` for the command line, ``stream_rows``
in process) so that the sample's 2,000 customers take the streamed path; the same book
coded on the loaded path is the reference the streamed one must equal, value for value.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from addrkit.workbook_templates import layout as L

from addrkit.assign.codes import CodePattern
from addrkit.assign.registry import REGISTRY_SHEET
from addrkit.commands.run import STREAM_ROWS_ENV
from addrkit.ops.code import CODE_HEADER
from addrkit.workbook.changelog import LOG_SHEET
from addrkit.workbook.run_file import run_file

SAMPLE = Path(L.__file__).with_name("sample_customers.xlsx")
CUSTOMERS = L.CUSTOMERS.name
PATTERN = CodePattern.parse("{REGION}-{PROV}-{SEQ:05}{CHECK}")


def _prepare(path: Path) -> None:
    """The sample with what a streamed copy could lose: a repeated code, text that looks
    like a formula, a dated cell with its format, a sheet of the user's own."""
    shutil.copy(SAMPLE, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[CUSTOMERS]
    ws["A3"] = ws["A2"].value  # the same code on two rows: reported, never changed
    ws["N4"] = '=HYPERLINK("x")'
    ws["N4"].data_type = "s"  # text the customer typed, not a formula
    notes = wb.create_sheet("备忘 Notes")
    notes.append(["起始日", "金额"])
    notes.append([dt.datetime(2025, 3, 1), 1234.5])
    notes["A2"].number_format = "yyyy-mm-dd"
    notes["B2"].number_format = "#,##0.00"
    wb.save(path)


def _cli(path: Path, *args: str, stream_rows: int | None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if stream_rows is not None:
        env[STREAM_ROWS_ENV] = str(stream_rows)
    return subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "run", "code", str(path), "--quiet", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=600,
    )


def _sheet_values(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def _registry(wb) -> list[tuple]:
    # code, prefix, number, customer: the time and login of the issue differ between runs
    return sorted(r[:4] for r in wb[REGISTRY_SHEET].iter_rows(min_row=2, values_only=True))


def test_codes_on_a_streamed_sheet_equal_the_loaded_path(tmp_path):
    loaded, streamed = tmp_path / "loaded.xlsx", tmp_path / "streamed.xlsx"
    _prepare(loaded)
    _prepare(streamed)
    original = openpyxl.load_workbook(streamed)

    done = _cli(streamed, stream_rows=500)
    assert done.returncode == 0, done.stderr
    assert "streamed" in done.stdout and "new codes" in done.stdout
    assert not run_file(["code"], loaded).streamed

    a, b = openpyxl.load_workbook(loaded), openpyxl.load_workbook(streamed)
    ws_a, ws_b = a[CUSTOMERS], b[CUSTOMERS]
    assert _sheet_values(ws_b) == _sheet_values(ws_a)  # every code and reason, cell for cell
    headers = [c.value for c in ws_b[1]]
    ids = [ws_b.cell(r, 1).value for r in range(2, ws_b.max_row + 1)]
    reasons = [
        ws_b.cell(r, headers.index(CODE_HEADER) + 1).value for r in range(2, ws_b.max_row + 1)
    ]
    before = [r[0] for r in original[CUSTOMERS].iter_rows(min_row=2, max_col=1, values_only=True)]
    new = [n for o, n in zip(before, ids, strict=True) if o is None and n]
    assert len(new) > 50 and len(set(new)) == len(new)
    assert all(PATTERN.split(c) is not None for c in new)
    for old, now in zip(before, ids, strict=True):
        assert old is None or now == old  # a code already there is never changed
    assert "duplicate code" in reasons[0] and "duplicate code" in reasons[1]
    assert ws_b.cell(2, headers.index(CODE_HEADER) + 1).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws_b["N4"].value == '=HYPERLINK("x")' and ws_b["N4"].data_type == "s"

    # The registry travels in its hidden sheet, the same codes as the loaded run's.
    assert b[REGISTRY_SHEET].sheet_state == "hidden"
    assert _registry(b) == _registry(a) and set(new) <= {r[0] for r in _registry(b)}
    # Every other sheet is the original, value for value (dates and formats of numbers too).
    for name in original.sheetnames:
        if name not in (CUSTOMERS, LOG_SHEET):  # the log gains its rows (below)
            assert _sheet_values(b[name])[: original[name].max_row] == _sheet_values(
                original[name]
            ), name
    assert b["备忘 Notes"]["A2"].number_format == "yyyy-mm-dd"
    assert b["备忘 Notes"]["B2"].number_format == "#,##0.00"
    # Each filled cell is logged: the empty old value, the code, the reason.
    log = [r for r in b[LOG_SHEET].iter_rows(values_only=True) if r and r[0] is not None]
    old_at, new_at = log[0].index("原值"), log[0].index("新值")
    edits = {r[new_at]: r for r in log[1:] if r[new_at] in set(new)}
    assert len(edits) == len(new) and all(r[old_at] is None for r in edits.values())

    # A second streamed run reads the registry sheet back: nothing new, nothing changed.
    again = _cli(streamed, stream_rows=500)
    assert again.returncode == 0, again.stderr
    c = openpyxl.load_workbook(streamed)
    assert [r[0].value for r in c[CUSTOMERS].iter_rows(min_row=2, max_col=1)] == ids
    assert _registry(c) == _registry(b)
    assert "new codes 0" in again.stdout


def test_a_bad_stream_threshold_is_refused_in_both_languages(tmp_path):
    path = tmp_path / "b.xlsx"
    shutil.copy(SAMPLE, path)
    before = path.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "run", "code", str(path), "--quiet"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, STREAM_ROWS_ENV: "many"},
        timeout=300,
    )
    assert done.returncode != 0 and "须为整数" in done.stderr and "whole number" in done.stderr
    assert path.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_while_streaming_the_codes_leaves_the_book_as_it_was(tmp_path):
    path = tmp_path / "b.xlsx"
    _prepare(path)
    before = path.read_bytes()
    env = {**os.environ, STREAM_ROWS_ENV: "500"}
    child = subprocess.Popen(
        [sys.executable, "-m", "addrkit.cli", "run", "code", str(path), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 300
        # Killed once the streamed copy has started to be written beside the book.
        while not any(p.name.startswith(".b.xlsx.addrkit-tmp-") for p in tmp_path.iterdir()):
            assert child.poll() is None, "the run ended before its temporary file was seen"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == before  # not a byte changed: the book is as it was
    # The next run clears what the killed one left and codes the book in full.
    done = _cli(path, stream_rows=500)
    assert done.returncode == 0, done.stderr
    assert not any(".addrkit-tmp-" in p.name for p in tmp_path.iterdir())
    ids = [
        r[0]
        for r in openpyxl.load_workbook(path)[CUSTOMERS].iter_rows(
            min_row=2, max_col=1, values_only=True
        )
    ]
    assert sum(v is not None for v in ids) > 1900


def _run(*args: str, stream_rows: int) -> subprocess.CompletedProcess:
    env = {**os.environ, STREAM_ROWS_ENV: str(stream_rows)}
    return subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "run", *args, "--quiet"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=600,
    )


@pytest.mark.parametrize("stream_rows", [10, 1_000_000], ids=["streamed", "loaded"])
def test_assign_and_code_in_one_pass_equal_two_runs(tmp_path, stream_rows):
    """``addrkit run assign,code`` reads and writes the book once; the result must be what
    ``run assign`` then ``run code`` give, with one backup for the one run."""
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    _prepare(one)
    _prepare(two)
    done = _run("assign,code", str(one), stream_rows=stream_rows)
    assert done.returncode == 0, done.stderr
    assert "assign:" in done.stdout and "code: new codes" in done.stdout
    for op in ("assign", "code"):
        step = _run(op, str(two), stream_rows=stream_rows)
        assert step.returncode == 0, step.stderr
    assert len(list(tmp_path.glob("one.xlsx.addrkit-backup-*"))) == 1
    assert len(list(tmp_path.glob("two.xlsx.addrkit-backup-*"))) == 2
    a, b = openpyxl.load_workbook(one), openpyxl.load_workbook(two)
    assert _sheet_values(a[CUSTOMERS]) == _sheet_values(b[CUSTOMERS])
    assert _registry(a) == _registry(b)
    assert [r[3] for r in a[LOG_SHEET].iter_rows(min_row=2, values_only=True)] == [
        r[3] for r in b[LOG_SHEET].iter_rows(min_row=2, values_only=True)
    ]


def test_an_unknown_or_lone_operation_in_a_list_is_refused(tmp_path):
    book = tmp_path / "book.xlsx"
    _prepare(book)
    for ops, message in (("assign,bogus", "unknown operation bogus"), ("code,undo", "run alone")):
        done = _run(ops, str(book), stream_rows=10)
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert message in done.stderr
    assert not list(tmp_path.glob("book.xlsx.addrkit-backup-*"))  # nothing was run
