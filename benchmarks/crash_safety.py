"""Crash safety: SIGKILL ``addrkit run clean`` at random moments and check nothing is lost.

A customer workbook of ``--rows`` rows (real NCAP addresses when the corpus is there,
else generated ones) is cleaned once to time a full run and its save phase (from the
moment the temporary file appears to the end). Then, ``--kills`` times, a child
``addrkit run clean`` is started on a fresh copy and killed with SIGKILL (alternating: in
place, and with ``-o``). With ``--during-save`` every kill waits for the temporary file
to appear and then a random part of the save phase, where a non-atomic writer would
leave a half-written file; otherwise the delay is uniform over the whole run. After
each kill:

- with ``-o``: the input is byte-identical to the original, and the output is either
  absent or a complete, valid workbook (every row, the eight clean columns, the last
  row's status filled);
- in place: the file is either byte-identical to the original, or the complete result
  with a backup beside it that is byte-identical to the original.

Leftover temporary files (``.NAME.addrkit-tmp-PID.xlsx``, which a killed process cannot
remove) are counted and reported; they never replace or damage a file.

``--target`` kills the processes that write the other files instead — the gazetteer
and geocode caches, the SQLite and workbook code registries, undo, the map pictures and
the HTML map (see `benchmarks.crash_targets`), each followed by a rerun that must
complete without issuing a customer code twice.

Examples
--------
python benchmarks/crash_safety.py --rows 100000 --kills 50 --write
python benchmarks/crash_safety.py --target caches --kills 50 --write
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADERS = ["客户编号", "客户名称", "电话", "地址", "年销售额"]
_FALLBACK = ["浙江省杭州市西湖区文三路", "江苏省南京市玄武区中山路", "广东省深圳市南山区科技园路", "北京市海淀区中关村大街"]


def _addresses() -> list[str]:
    try:
        from benchmarks.ncap import read_split

        return [a.text for split in ("train", "dev") for a in read_split(split)]
    except (OSError, ImportError):  # no corpus here: generated addresses do the same work
        return _FALLBACK


def make_workbook(path: Path, rows: int) -> None:
    """A customer sheet of `rows` distinct rows."""
    from openpyxl import Workbook

    texts = _addresses()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("客户 Customers")
    ws.append(HEADERS)
    for i in range(rows):
        address = f"{texts[i % len(texts)]}{i // len(texts) + 1}号"
        ws.append([f"C{i + 1:07d}", f"客户{i + 1}", f"138{i % 10**8:08d}", address, i % 1000])
    wb.save(path)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def complete(path: Path, rows: int) -> bool:
    """True when `path` is a whole, readable cleaned workbook of `rows` customers."""
    from openpyxl import load_workbook

    from addrkit.ops.clean import CLEAN_HEADERS

    try:
        with zipfile.ZipFile(path) as archive:
            if archive.testzip() is not None:
                return False
        wb = load_workbook(path, read_only=True)
        try:
            ws = wb["客户 Customers"]
            header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True))
            if list(header[len(HEADERS) : len(HEADERS) + 8]) != list(CLEAN_HEADERS):
                return False
            last = None
            count = 0
            for row in ws.iter_rows(min_row=2, values_only=True):
                count += 1
                last = row
            return count == rows and last is not None and last[len(HEADERS) + 7] is not None
        finally:
            wb.close()
    except Exception:  # noqa: BLE001 - anything unreadable is "not complete"
        return False


def run_clean(book: Path, out: Path | None) -> list[str]:
    cmd = [sys.executable, "-m", "addrkit.cli", "run", "clean", str(book), "--quiet"]
    return cmd + (["-o", str(out)] if out is not None else [])


def _wait_for_temp(workdir: Path, child: subprocess.Popen) -> float:
    """Seconds until a temporary output file (or a backup) appears, or the child ends.

    A backup counts too: on a loaded machine a short-lived temporary file can come and
    go between two looks, and the backup is made just before the save starts.
    """
    start = time.perf_counter()
    while child.poll() is None and not any(
        ".addrkit-tmp-" in p.name or ".addrkit-backup-" in p.name for p in workdir.iterdir()
    ):
        time.sleep(0.005)
    return time.perf_counter() - start


def one_kill(
    original: Path, workdir: Path, delay: float, in_place: bool, rows: int, during_save: bool = False
) -> dict:
    """One killed run on a fresh copy; what was found afterwards."""
    for p in workdir.iterdir():
        p.unlink()
    book = workdir / "book.xlsx"
    shutil.copy(original, book)
    want = digest(original)
    out = None if in_place else workdir / "out.xlsx"
    child = subprocess.Popen(run_clean(book, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if during_save:
        _wait_for_temp(workdir, child)
    time.sleep(delay)
    killed = child.poll() is None
    if killed:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    backups = sorted(workdir.glob("book.xlsx.addrkit-backup-*"))
    temps = [p for p in workdir.iterdir() if ".addrkit-tmp-" in p.name]
    if in_place:
        same = digest(book) == want
        ok = same or (complete(book, rows) and len(backups) == 1)
        # A backup is whole or absent: a half copy would be what undo puts back.
        ok = ok and all(digest(b) == want for b in backups)
        state = "original" if same else ("complete" if ok else "DAMAGED")
    else:
        same = digest(book) == want
        present = out.exists()
        ok = same and (not present or complete(out, rows))
        state = ("complete" if present else "absent") if ok else "DAMAGED"
    return {"delay": delay, "killed": killed, "in_place": in_place, "ok": ok, "state": state, "temps": len(temps)}


def calibrate(book: Path, workdir: Path) -> tuple[float, float]:
    """Seconds of a full run and of its save phase (temporary file present to the end)."""
    start = time.perf_counter()
    child = subprocess.Popen(run_clean(book, None), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    before_save = _wait_for_temp(workdir, child)
    child.wait()
    full = time.perf_counter() - start
    if child.returncode != 0:
        raise RuntimeError("the uninterrupted run failed")
    return full, max(full - before_save, 0.05)


def trials(
    rows: int, kills: int, seed: int, workdir: Path, during_save: bool = False
) -> tuple[tuple[float, float], list[dict]]:
    original = workdir / "original.xlsx"
    make_workbook(original, rows)
    scratch = workdir / "run"
    scratch.mkdir()
    shutil.copy(original, scratch / "book.xlsx")
    full, save = calibrate(scratch / "book.xlsx", scratch)
    rng = random.Random(seed)
    delays = [rng.uniform(0, save * 1.1) if during_save else rng.uniform(0.05, full * 1.05) for _ in range(kills)]
    results: list[dict] = []
    i = 0
    while delays:
        delay = delays.pop(0)
        results.append(one_kill(original, scratch, delay, i % 2 == 0, rows, during_save))
        print(results[-1], flush=True)
        i += 1
        # Under load a child may run faster or slower than calibrated and every kill come
        # too late: kill sooner (half the delay) until one lands, at most `kills` more.
        if not delays and not any(r["killed"] for r in results) and i < 2 * kills:
            delays.append(delay / 2)
    return (full, save), results


def report(rows: int, kills: int, seed: int, times: tuple[float, float], results: list[dict], during_save: bool = False) -> str:
    from benchmarks.proc import machine_summary

    full, save = times
    lost = sum(not r["ok"] for r in results)
    when = (
        f"each kill {0:.0f}–{save * 1.1:.1f} s after the temporary output file appeared (the save phase, "
        f"{save:.1f} s of the uninterrupted run)"
        if during_save
        else f"kill moments uniform in 0.05–{full * 1.05:.1f} s"
    )
    killed = sum(r["killed"] for r in results)
    states: dict[str, int] = {}
    for r in results:
        key = f"{'in place' if r['in_place'] else '-o'}: {r['state']}"
        states[key] = states.get(key, 0) + 1
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return (
        f"\n### Crash safety (SIGKILL during `addrkit run clean`) — {dt.date.today().isoformat()}\n\n"
        f"`python benchmarks/crash_safety.py --rows {rows} --kills {kills} --seed {seed}"
        f"{' --during-save' if during_save else ''}` at {commit} on "
        f"{machine_summary()}. Baseline in the same run: one uninterrupted clean of the same "
        f"book took {full:.1f} s; {when}.\n\n"
        f"| runs | killed before finishing | data lost or damaged | outcomes | stale temp files left |\n"
        f"|---:|---:|---:|---|---:|\n"
        f"| {len(results)} | {killed} | **{lost}** | "
        + ", ".join(f"{k} {v}" for k, v in sorted(states.items()))
        + f" | {sum(r['temps'] for r in results)} |\n"
    )


def target_report(kills: int, seed: int, runs: dict[str, tuple[float, list[dict]]]) -> str:
    """The docs/benchmarks.md section for the caches and registries (`benchmarks.crash_targets`)."""
    from benchmarks.crash_targets import summary
    from benchmarks.proc import machine_summary

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"\n### Crash safety of every cache and registry — {dt.date.today().isoformat()}\n",
        f"`python benchmarks/crash_safety.py --target {','.join(runs)} --kills {kills} --seed {seed}` at "
        f"{commit} on {machine_summary()}. Each kill is followed by a rerun to the end. Baseline "
        "in the same run: the uninterrupted run of each target (seconds below, and the part "
        "after it began writing: a temporary file, backup or database journal present). Half "
        "the kills at a moment uniform over the whole run, half uniform over the writing "
        "phase after writing began.\n",
        "| target | uninterrupted s (writing s) | runs | killed before finishing | of them while "
        "writing | data lost or damaged | rerun incomplete or issued twice | states found "
        "| temporary files left |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for name, (full, results, writing) in runs.items():
        c = summary(results)
        states = ", ".join(f"{k} {v}" for k, v in c["states"].items())
        lines.append(
            f"| {name} | {full:.1f} ({writing:.1f}) | {c['runs']} | {c['killed']} | {c['mid_write']} "
            f"| **{c['lost']}** | {c['rerun_failed']} | {states} | {c['temps']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from benchmarks.crash_targets import TARGETS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--during-save", action="store_true", help="kill only while saving")
    parser.add_argument(
        "--target", default="clean",
        help="clean (the workbook, default), or comma-separated caches and registries: "
        + ", ".join(TARGETS) + ", or 'caches' for all of them",
    )  # fmt: skip
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args(argv)
    if args.target != "clean":
        return _main_targets(args, TARGETS)
    with tempfile.TemporaryDirectory() as tmp:
        times, results = trials(args.rows, args.kills, args.seed, Path(tmp), args.during_save)
    text = report(args.rows, args.kills, args.seed, times, results, args.during_save)
    print(text)
    if args.write:
        with open(DOC, "a", encoding="utf-8") as fh:
            fh.write(text)
    return 1 if any(not r["ok"] for r in results) else 0


def _main_targets(args, targets) -> int:
    from benchmarks.crash_targets import kill_trials

    names = list(targets) if args.target == "caches" else args.target.split(",")
    rng = random.Random(args.seed)
    runs = {}
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            full, results = kill_trials(targets[name], args.kills, rng, Path(tmp), report=print)
        runs[name] = (full, results, targets[name].timing[1])
        print(f"{name}: uninterrupted {full:.1f} s, writing {targets[name].timing[1]:.1f} s", flush=True)
    text = target_report(args.kills, args.seed, runs)
    print(text)
    if args.write:
        with open(DOC, "a", encoding="utf-8") as fh:
            fh.write(text)
    bad = [r for _, results, _ in runs.values() for r in results if not (r["ok"] and r["rerun_ok"])]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
