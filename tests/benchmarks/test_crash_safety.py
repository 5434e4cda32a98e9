"""A few SIGKILLs during `addrkit run clean` and during every other writer (the full
figures: benchmarks/crash_safety.py).

The kill moments are random and the machine may be loaded, so a series that landed no
kill before its process ended goes on killing sooner (see `trials` and `kill_trials`):
every test judges at least one real kill instead of passing on runs that finished.
"""

from __future__ import annotations

import random

import pytest

from benchmarks.crash_safety import complete, make_workbook, one_kill, trials
from benchmarks.crash_targets import TARGETS, kill_trials


@pytest.mark.slow
@pytest.mark.parametrize("during_save", [False, True])
def test_killed_runs_lose_nothing(tmp_path, during_save):
    (full, save), results = trials(rows=600, kills=3, seed=5, workdir=tmp_path, during_save=during_save)
    assert full > save > 0
    assert len(results) >= 3 and all(r["ok"] for r in results), results
    assert any(r["killed"] for r in results), results


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


# Every other file addrkit writes: the gazetteer and geocode caches, the code registries
# (SQLite file and hidden sheet), undo's copies, the map pictures and the HTML map. A
# handful of kills each (the figure: benchmarks/crash_safety.py --target caches).
@pytest.mark.slow
@pytest.mark.parametrize("name", list(TARGETS))
def test_killed_writers_of_caches_and_registries_lose_nothing(tmp_path, name):
    if name == "postgresql-registry":
        _need_postgres()
    full, results = kill_trials(TARGETS[name], 2, random.Random(7), tmp_path)
    assert full > 0
    assert any(r["killed"] for r in results), results  # at least one real kill was judged
    assert all(r["ok"] for r in results), results  # whole or absent, never half
    assert all(r["rerun_ok"] for r in results), results  # rebuilt / resumed, nothing twice


def test_the_judges_see_damage(tmp_path):
    # Each judge can fail: a half-written copy or file is not taken for a good one.
    from benchmarks.crash_targets import GazetteerCache, MapTarget, UndoTarget

    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "gazetteer-abc-py311.pickle").write_bytes(b"addrkit-gazetteer-cache 1\nhalf")
    assert GazetteerCache().check(tmp_path, tmp_path)[0] is False
    page = tmp_path / "out-map.html"
    page.write_text("<!DOCTYPE html>\n<html><script", encoding="utf-8")
    assert MapTarget._html_whole(page) is False
    book = tmp_path / "b.xlsx"
    make_workbook(book, 20)
    assert MapTarget._book_whole(book) is False  # no map sheet, no pictures
    undo = UndoTarget()
    undo.original, undo.cleaned = "a" * 64, "b" * 64
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "book.xlsx").write_bytes(b"half")
    assert undo.check(tmp_path, tmp_path / "w")[0] is False


def _need_postgres() -> None:
    import os

    from benchmarks.pgserver import PgUnavailable, binaries

    try:
        import psycopg  # noqa: F401

        binaries()
    except (ImportError, PgUnavailable) as err:
        if os.environ.get("ADDRKIT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{err} (ADDRKIT_REQUIRE_POSTGRES=1 requires it)")
        pytest.skip(f"no PostgreSQL server here: {err}")
