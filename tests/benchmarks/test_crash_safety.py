"""A few SIGKILLs during `addrkit run clean` (the full figure: benchmarks/crash_safety.py)."""

from __future__ import annotations

import pytest

from benchmarks.crash_safety import complete, make_workbook, one_kill, trials


@pytest.mark.slow
@pytest.mark.parametrize("during_save", [False, True])
def test_killed_runs_lose_nothing(tmp_path, during_save):
    (full, save), results = trials(rows=600, kills=3, seed=5, workdir=tmp_path, during_save=during_save)
    assert full > save > 0
    assert [r["ok"] for r in results] == [True] * 3, results
    assert any(r["killed"] for r in results)


def test_the_checker_sees_a_damaged_output(tmp_path):
    # The check itself can fail: a truncated or partial output is not "complete".
    book = tmp_path / "b.xlsx"
    make_workbook(book, 50)
    assert not complete(book, 50)  # not cleaned: no clean columns
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(book.read_bytes()[:-100])
    assert not complete(cut, 50)


def test_a_kill_before_start_leaves_the_input(tmp_path):
    original = tmp_path / "o.xlsx"
    make_workbook(original, 20)
    work = tmp_path / "w"
    work.mkdir()
    r = one_kill(original, work, 0.01, in_place=True, rows=20)
    assert r["ok"] and r["state"] == "original"
