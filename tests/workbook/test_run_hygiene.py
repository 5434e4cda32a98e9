"""What a run leaves behind: progress that ends where the summary does, no stale
temporary files after a killed run, readable file modes, the demo where it says."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from addrkit.cli import main
from addrkit.commands.demo import sample_workbook
from addrkit.ops.parsing import address_texts
from addrkit.progress import Progress
from addrkit.workbook.files import open_workbook, read_customer_table
from addrkit.workbook.run_file import run_file

REPO = Path(__file__).resolve().parents[2]


class Recorder:
    def __init__(self):
        self.reports = []

    def report(self, done, total, label):
        self.reports.append((done, total, label))

    def close(self):
        pass


def test_progress_counts_the_rows_the_summary_counts(tmp_path):
    book = tmp_path / "sample.xlsx"
    shutil.copyfile(sample_workbook(), book)
    table = read_customer_table(open_workbook(book))
    texts = address_texts(table)
    # The sample repeats addresses: counting distinct texts would end short of the rows.
    assert len(set(texts)) < len(texts) == 2000
    recorder = Recorder()
    result = run_file(["clean", "summary"], book, progress=Progress(recorder, interval=0))
    summary = dict(next(p for p in result.plans if p.operation == "summary").summary)
    done, total, _ = recorder.reports[-1]
    assert done == total == summary["rows"] == 2000
    assert all(d <= t for d, t, _ in recorder.reports)


def _big_book(path: Path, copies: int = 4) -> Path:
    """The sample's customers repeated: big enough that saving takes a while."""
    wb = openpyxl.load_workbook(sample_workbook())
    ws = wb["客户 Customers"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    for _ in range(copies - 1):
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _temps(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f".{name}.addrkit-tmp-*.xlsx"))


@pytest.mark.slow
def test_a_run_killed_mid_write_leaves_a_temp_file_that_the_next_run_removes(tmp_path):
    if os.name == "nt":
        pytest.skip("SIGKILL is POSIX; on Windows a killed writer's file is removed when unlocked")
    book = _big_book(tmp_path / "big.xlsx")
    out = tmp_path / "out.xlsx"
    left = []
    for _ in range(8):  # the kill must land while the file is being written
        child = subprocess.Popen(
            [sys.executable, "-m", "addrkit.cli", "run", "clean", str(book), "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        tmp = tmp_path / f".out.xlsx.addrkit-tmp-{child.pid}.xlsx"
        deadline = time.monotonic() + 120
        while child.poll() is None and time.monotonic() < deadline:
            if tmp.exists() and tmp.stat().st_size > 0:
                os.kill(child.pid, signal.SIGKILL)
                break
            time.sleep(0.002)
        child.wait()
        left = _temps(tmp_path, "out.xlsx")
        if child.returncode == -signal.SIGKILL and left:
            break
    assert left, "no run was killed while writing"
    assert not out.exists()  # the target is never half-written
    # Files that are not ours stay: another book's temp, a name with no process id.
    other = tmp_path / ".big.xlsx.addrkit-tmp-123.xlsx"
    odd = tmp_path / ".out.xlsx.addrkit-tmp-keep.xlsx"
    for path in (other, odd):
        path.write_bytes(b"not ours")
    assert main(["run", "summary", str(book), "-o", str(out), "--quiet"]) == 0
    assert _temps(tmp_path, "out.xlsx") == [odd]
    assert other.exists()
    assert "汇总 Summary" in openpyxl.load_workbook(out, read_only=True).sheetnames


def test_a_temp_file_of_a_run_still_writing_is_left_alone(tmp_path):
    book = tmp_path / "b.xlsx"
    shutil.copyfile(sample_workbook(), book)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        busy = tmp_path / f".b.xlsx.addrkit-tmp-{sleeper.pid}.xlsx"
        busy.write_bytes(b"being written")
        assert main(["run", "summary", str(book), "--quiet"]) == 0
        assert busy.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_written_files_are_readable_by_the_folder(tmp_path, umask_022):
    assert main(["addin", "build", "-o", str(tmp_path / "addrkit.xlam")]) == 0
    assert (tmp_path / "addrkit.xlam").stat().st_mode & 0o777 == 0o644
    book = tmp_path / "b.xlsx"
    shutil.copyfile(sample_workbook(), book)
    assert main(["run", "summary", str(book), "-o", str(tmp_path / "new.xlsx"), "--quiet"]) == 0
    assert (tmp_path / "new.xlsx").stat().st_mode & 0o777 == 0o644
    os.chmod(book, 0o640)  # the owner's choice is kept when the book is written in place
    assert main(["run", "summary", str(book), "--quiet"]) == 0
    assert book.stat().st_mode & 0o777 == 0o640


def test_demo_writes_where_it_says(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"Demo workbook: {tmp_path / 'addrkit-demo.xlsx'}" in out
    folder = tmp_path / "results"
    folder.mkdir()
    assert main(["demo", "--quiet", "-o", str(folder)]) == 0
    assert f"Demo workbook: {folder / 'addrkit-demo.xlsx'}" in capsys.readouterr().out
    demo = ["addrkit-demo-map.html", "addrkit-demo.xlsx"]  # the book and its interactive map
    assert sorted(p.name for p in tmp_path.iterdir()) == [*demo, "results"]
    assert sorted(p.name for p in folder.iterdir()) == demo


def test_gitignore_covers_what_runs_write_in_a_checkout():
    ignored = set((REPO / ".gitignore").read_text(encoding="utf-8").split())
    assert {"/addrkit-demo.xlsx", "/addrkit-demo-map.html", "*.addrkit-backup-*.xlsx", ".*.addrkit-tmp-*.xlsx"} <= ignored
