"""Crash safety of every file addrkit writes besides the cleaned workbook.

Each target names a real ``addrkit`` process that writes one kind of file, how to give
it fresh material, and how to judge what a SIGKILL left behind:

==================  ================================================  ==========================
target              the process killed                                what must hold afterwards
==================  ================================================  ==========================
gazetteer-cache     first use of the engine (builds and saves the     each saved copy loads and
                    gazetteer cache)                                  is the right one; else none
geocode-cache       ``addrkit geocode --provider nominatim`` against  SQLite intact, every entry
                    a local server                                    valid; a rerun asks only
                                                                      for what is not cached
sqlite-registry     ``addrkit run code`` with a shared SQLite         book original or complete;
                    registry (a teammate's codes already in it)       every code in the book is in
                                                                      the registry, none twice
postgresql-         the same with a PostgreSQL server started for     the same
registry            the trials
workbook-registry   ``addrkit run code`` with the hidden registry     book original or complete,
                    sheet                                             the sheet holds every code
undo                ``addrkit run undo`` after a clean                both versions still exist
                                                                      whole; the book is one
map                 ``addrkit run map -o out.xlsx`` (pictures in the  book byte-identical; out and
                    book, the HTML map beside it)                     the HTML map absent or whole
==================  ================================================  ==========================

After each kill the same process is run again to the end: what was absent or ignored
must be rebuilt, a stopped batch resumed, and no customer code issued twice.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["TARGETS", "Target", "kill_trials"]

ADDRESS_LINES = 60
_HERE = Path(__file__).resolve().parents[1]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "addrkit.cli", *args]


def _temps(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if ".addrkit-tmp-" in p.name or p.name.endswith(".tmp"))


@dataclass
class Target:
    """One kind of file, the process that writes it, and the judge of what is left."""

    name: str
    env: dict = field(default_factory=dict)
    stdin: bytes | None = None
    timing: tuple[float, float] = (0.0, 0.0)  # the calibration run: whole, writing phase
    inputs: tuple[str, ...] = ()  # name marks of files given to the process, not written by it

    def setup(self, base: Path) -> None:
        """Pristine material, made once, in ``base``."""

    def fresh(self, base: Path, work: Path) -> None:
        """Copy the pristine material into the empty folder ``work``."""

    def argv(self, work: Path) -> list[str]:
        raise NotImplementedError

    def check(self, base: Path, work: Path) -> tuple[bool, str]:
        """After a kill: (nothing lost or damaged, what was found)."""
        raise NotImplementedError

    def after_rerun(self, base: Path, work: Path, before: dict) -> tuple[bool, str]:
        """After the rerun ran to its end: (complete and nothing issued twice, detail)."""
        raise NotImplementedError

    def needs_rerun(self, work: Path) -> bool:
        """Whether the interrupted work is left to do (a finished undo is not run again)."""
        return True

    def note(self, work: Path) -> dict:
        """What the check before the rerun must hand to `after_rerun`."""
        return {}

    def close(self) -> None:
        """Stop what `setup` started."""


# ---------------------------------------------------------------- gazetteer cache
class GazetteerCache(Target):
    def __init__(self) -> None:
        super().__init__("gazetteer-cache")

    def _key(self) -> str:
        from importlib import resources

        from addrkit.gazetteer.cache import cache_key

        raw = resources.files("addrkit.data").joinpath("gazetteer.json.gz").read_bytes()
        return cache_key(raw)

    def fresh(self, base, work):
        (work / "cache").mkdir()
        self.env = {"ADDRKIT_CACHE_DIR": str(work / "cache")}

    def argv(self, work):
        return [sys.executable, "-c",
                "import addrkit; print(addrkit.parse_address('浙江省杭州市西湖区文三路90号').district)"]  # fmt: skip

    def _copies(self, work: Path) -> tuple[int, int]:
        """(saved copies that load and are the right one, copies that do not)."""
        from addrkit.gazetteer import cache as gc

        key, good, bad = self._key(), 0, 0
        for path in (work / "cache").glob("gazetteer-*.pickle"):
            found = gc._read(path, key)  # the key in the file must be this data's and code's
            ok = type(found).__name__ == "Gazetteer"
            good, bad = (good + 1, bad) if ok else (good, bad + 1)
        return good, bad

    def check(self, base, work):
        good, bad = self._copies(work)
        if bad:
            return False, "DAMAGED copy"
        return True, "saved" if good else "absent"

    def after_rerun(self, base, work, before):
        good, bad = self._copies(work)
        return good == 1 and bad == 0, "rebuilt" if before.get("state") == "absent" else "used"


# ---------------------------------------------------------------- geocode cache
class GeocodeCacheTarget(Target):
    def __init__(self) -> None:
        super().__init__("geocode-cache")
        self.lines = [f"浙江省杭州市西湖区文三路{n}号" for n in range(1, ADDRESS_LINES + 1)]
        self.stdin = ("\n".join(self.lines) + "\n").encode()
        self.server = None

    def setup(self, base):
        from benchmarks.fault_server import FaultServer

        self.server = FaultServer(lambda n, q, a: "ok", delay=0.03).__enter__()

    def close(self):
        if self.server is not None:
            self.server.__exit__(None, None, None)

    def argv(self, work):
        return _cli("geocode", "--provider", "nominatim", "--url", self.server.url,
                    "--cache", str(work / "geocode.sqlite"), "--min-delay", "0")  # fmt: skip

    def _entries(self, work: Path) -> tuple[bool, set[str]]:
        from addrkit.geocode.cache import _valid_row

        path = work / "geocode.sqlite"
        if not path.exists():
            return True, set()
        con = sqlite3.connect(path)
        try:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return False, set()
            rows = con.execute("SELECT provider, query, result, created FROM geocodes").fetchall()
        except sqlite3.Error:  # killed before the table was made: an empty file is fine
            rows = []
        finally:
            con.close()
        valid = all(_valid_row(r) is not None for r in rows)
        queries = {r[1] for r in rows}
        return valid and queries <= set(self.lines), queries

    def check(self, base, work):
        ok, queries = self._entries(work)
        self.server.reset_log()
        if not ok:
            return False, "DAMAGED"
        kept = "none" if not queries else ("all" if len(queries) == len(self.lines) else "some")
        return True, f"{kept} kept"

    def note(self, work):
        return {"kept": self._entries(work)[1]}

    def after_rerun(self, base, work, before):
        ok, queries = self._entries(work)
        asked = self.server.asked()
        wanted = [q for q in self.lines if q not in before["kept"]]
        return ok and queries == set(self.lines) and asked == wanted, f"asked again {len(asked)}"


# ---------------------------------------------------------------- code registries
def _sample() -> Path:
    from addrkit.workbook_templates import layout as L

    return Path(L.__file__).with_name("sample_customers.xlsx")


def _set_setting(path: Path, label: str, value: str) -> None:
    import openpyxl
    from addrkit.workbook_templates import layout as L

    wb = openpyxl.load_workbook(path)
    for row in wb[L.SETTINGS.name].iter_rows(min_row=2):
        if row[0].value and label in row[0].value:
            row[1].value = value
    wb.save(path)


def _codes(path: Path) -> list:
    import openpyxl
    from addrkit.workbook_templates import layout as L

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb[L.CUSTOMERS.name]
        rows = ws.iter_rows(values_only=True)
        col = list(next(rows)).index("客户编号")
        return [r[col] for r in rows]
    finally:
        wb.close()


def _registry_sheet(path: Path) -> set[str]:
    import openpyxl

    from addrkit.assign.registry import REGISTRY_SHEET

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        if REGISTRY_SHEET not in wb.sheetnames:
            return set()
        return {r[0] for r in wb[REGISTRY_SHEET].iter_rows(min_row=2, values_only=True) if r[0]}
    finally:
        wb.close()


def _complete(codes: list) -> bool:
    present = [c for c in codes if c]
    return len(present) == len(codes) and len(set(present)) == len(present)


class CodeTarget(Target):
    """``addrkit run code`` in place; the registry a SQLite file, a PostgreSQL server (one
    started for the trials) or the hidden sheet."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"{kind}-registry")
        self.kind = kind
        self.server = None

    def _pg(self, db: str) -> str:
        return self.server.conninfo.rsplit("/", 1)[0] + f"/{db}"

    def _pg_admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.server.conninfo, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def _where(self, base: Path, shared: bool) -> str:
        """The Registry setting of the book (``shared``: the teammate's copy)."""
        if self.kind == "sqlite":
            return f"sqlite:{base / 'codes.db'}"
        return self._pg("pristine" if shared else "work")

    def setup(self, base):
        from addrkit.workbook.run_file import run_file

        book = base / "book.xlsx"
        shutil.copy(_sample(), book)
        self.teammate: set = set()
        if self.kind in ("sqlite", "postgresql"):
            if self.kind == "postgresql":
                from benchmarks.pgserver import PgServer

                self.server = PgServer.start()
                self._pg_admin("CREATE DATABASE pristine")
            _set_setting(book, "Registry", self._where(base, shared=False))
            # A teammate coded a copy first: the shared registry already holds numbers.
            mate = base / "teammate.xlsx"
            shutil.copy(book, mate)
            _set_setting(mate, "Registry", self._where(base, shared=True))
            run_file(["code"], mate, user="teammate")
            self.teammate = {c for c in _codes(mate) if c} - set(_codes(book))
        self.original = digest(book)
        self.before = _codes(book)

    def close(self):
        if self.server is not None:
            self.server.stop()
            self.server = None

    def fresh(self, base, work):
        shutil.copy(base / "book.xlsx", work / "book.xlsx")
        if self.kind == "sqlite":
            shutil.copy(base / "codes.db", work / "codes.db")
            _set_setting(work / "book.xlsx", "Registry", f"sqlite:{work / 'codes.db'}")
            self.original = digest(work / "book.xlsx")
        elif self.kind == "postgresql":  # the shared registry as the teammate left it
            self._pg_admin("DROP DATABASE IF EXISTS work WITH (FORCE)",
                           "CREATE DATABASE work TEMPLATE pristine")  # fmt: skip

    def argv(self, work):
        return _cli("run", "code", str(work / "book.xlsx"), "--quiet")

    def _registry(self, work: Path) -> tuple[bool, dict[str, str]]:
        if self.kind == "postgresql":
            import psycopg

            with psycopg.connect(self._pg("work")) as conn:
                rows = conn.execute("SELECT code, customer FROM addrkit_codes").fetchall()
                tops = dict(conn.execute("SELECT prefix, last_seq FROM addrkit_code_counters").fetchall())
                seqs = conn.execute("SELECT prefix, max(seq) FROM addrkit_codes GROUP BY prefix").fetchall()
            return all(tops.get(p, 0) >= s for p, s in seqs), dict(rows)
        con = sqlite3.connect(work / "codes.db")
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            rows = con.execute("SELECT code, customer FROM addrkit_codes").fetchall()
            tops = dict(con.execute("SELECT prefix, last_seq FROM addrkit_code_counters").fetchall())
            seqs = con.execute("SELECT prefix, max(seq) FROM addrkit_codes GROUP BY prefix").fetchall()
        finally:
            con.close()
        ok = ok and all(tops.get(p, 0) >= s for p, s in seqs)  # the counter never falls behind
        return ok, dict(rows)

    def _judge(self, work: Path) -> tuple[bool, str]:
        book = work / "book.xlsx"
        backups = sorted(work.glob("book.xlsx.addrkit-backup-*"))
        if digest(book) == self.original:
            state = "original"
            ok = all(digest(b) == self.original for b in backups)
        else:
            codes = _codes(book)
            # The oldest backup is the original; a rerun of a finished run adds one more.
            ok = _complete(codes) and bool(backups) and digest(backups[0]) == self.original
            state = "complete"
        codes = [c for c in _codes(book) if c]
        new = set(codes) - {c for c in self.before if c}
        if self.kind != "workbook":
            reg_ok, known = self._registry(work)
            ok = ok and reg_ok and new <= set(known) and not new & self.teammate
        else:
            ok = ok and new <= _registry_sheet(book)  # every code issued is recorded
        return ok, state if ok else "DAMAGED"

    def check(self, base, work):
        return self._judge(work)

    def after_rerun(self, base, work, before):
        ok, state = self._judge(work)
        codes = _codes(work / "book.xlsx")
        return ok and state == "complete" and _complete(codes), "coded"


# ---------------------------------------------------------------- undo
class UndoTarget(Target):
    def __init__(self) -> None:
        super().__init__("undo", inputs=(".addrkit-backup-",))

    def setup(self, base):
        from benchmarks.crash_safety import make_workbook

        make_workbook(base / "original.xlsx", 3000)
        shutil.copy(base / "original.xlsx", base / "book.xlsx")
        subprocess.run(_cli("run", "clean", str(base / "book.xlsx"), "--quiet"), check=True)
        self.original = digest(base / "original.xlsx")
        self.cleaned = digest(base / "book.xlsx")

    def fresh(self, base, work):
        for p in base.glob("book.xlsx*"):
            shutil.copy2(p, work / p.name)

    def argv(self, work):
        return _cli("run", "undo", str(work / "book.xlsx"), "--quiet")

    def needs_rerun(self, work):
        # Finished (the book is the original and its backup used up): undoing again would
        # rightly say there is nothing left to undo.
        done = digest(work / "book.xlsx") == self.original
        return not (done and not list(work.glob("book.xlsx.addrkit-backup-*")))

    def check(self, base, work):
        kept = [p for p in work.iterdir() if p.name.startswith("book.xlsx")]
        sums = {p.name: digest(p) for p in kept}
        whole = set(sums.values()) <= {self.original, self.cleaned}
        both = {self.original, self.cleaned} <= set(sums.values())
        book = sums["book.xlsx"]
        state = "undone" if book == self.original else "not yet"
        return whole and both, state if whole and both else "DAMAGED"

    def after_rerun(self, base, work, before):
        ok, _ = self.check(base, work)
        undone = digest(work / "book.xlsx") == self.original
        # Killed after the book was restored, the rerun finds the same backup: still original.
        return ok and undone, "undone"


# ---------------------------------------------------------------- map + HTML
class MapTarget(Target):
    def __init__(self) -> None:
        super().__init__("map")

    def setup(self, base):
        from benchmarks.crash_safety import make_workbook

        make_workbook(base / "book.xlsx", 400)
        self.original = digest(base / "book.xlsx")

    def fresh(self, base, work):
        shutil.copy(base / "book.xlsx", work / "book.xlsx")

    def argv(self, work):
        return _cli("run", "map", str(work / "book.xlsx"), "-o", str(work / "out.xlsx"), "--quiet")

    @staticmethod
    def _book_whole(path: Path) -> bool:
        from io import BytesIO

        from PIL import Image

        try:
            with zipfile.ZipFile(path) as archive:
                if archive.testzip() is not None:
                    return False
                media = [n for n in archive.namelist() if n.endswith(".png")]
                for name in media:
                    Image.open(BytesIO(archive.read(name))).verify()
            import openpyxl

            wb = openpyxl.load_workbook(path, read_only=True)
            names = wb.sheetnames
            wb.close()
            return len(media) >= 2 and any("Map" in n for n in names)
        except Exception:  # noqa: BLE001 - anything unreadable is not whole
            return False

    @staticmethod
    def _html_whole(path: Path) -> bool:
        from addrkit.maps.html_map import embedded_data

        try:
            page = path.read_text(encoding="utf-8")
            return page.endswith("</html>\n") and len(embedded_data(page)["points"]["lon"]) > 0
        except Exception:  # noqa: BLE001
            return False

    def check(self, base, work):
        out, page = work / "out.xlsx", work / "out-map.html"
        ok = digest(work / "book.xlsx") == self.original
        ok = ok and (not out.exists() or self._book_whole(out))
        ok = ok and (not page.exists() or self._html_whole(page))
        state = "+".join(n for n, p in (("book", out), ("html", page)) if p.exists()) or "absent"
        return ok, state if ok else "DAMAGED"

    def after_rerun(self, base, work, before):
        ok, state = self.check(base, work)
        return ok and state == "book+html", "written"


TARGETS = {
    t.name: t
    for t in (
        GazetteerCache(),
        GeocodeCacheTarget(),
        CodeTarget("sqlite"),
        CodeTarget("postgresql"),
        CodeTarget("workbook"),
        UndoTarget(),
        MapTarget(),
    )
}


# ---------------------------------------------------------------- the runner
def _start(target: Target, work: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **target.env}
    child = subprocess.Popen(
        target.argv(work), cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        stdin=subprocess.PIPE if target.stdin is not None else subprocess.DEVNULL,
    )  # fmt: skip
    if target.stdin is not None:
        try:
            child.stdin.write(target.stdin)
            child.stdin.close()
        except BrokenPipeError:
            pass
        child.stdin = None  # written and closed: communicate() must not flush it again
    return child


def _run_to_end(target: Target, work: Path) -> int:
    child = _start(target, work)
    _, err = child.communicate(timeout=900)
    if child.returncode != 0:
        raise RuntimeError(f"{target.name}: the run failed: {err.decode(errors='replace')[-800:]}")
    return child.returncode


def _empty(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()


_WRITING = (".addrkit-tmp-", ".addrkit-backup-", ".addrkit-undone-")


def _writing(work: Path, inputs: tuple[str, ...] = ()) -> bool:
    """Whether the process has started writing a result: a temporary file, a backup or a
    database journal (files present from the start, ``inputs``, do not count)."""
    for p in work.rglob("*"):
        if any(mark in p.name for mark in inputs):
            continue
        if any(mark in p.name for mark in _WRITING) or p.name.endswith((".tmp", "-journal", "-wal")):
            return True
    return False


def _wait_for_writing(work: Path, child: subprocess.Popen, inputs: tuple[str, ...] = ()) -> float:
    start = time.perf_counter()
    while child.poll() is None and not _writing(work, inputs):
        time.sleep(0.002)
    return time.perf_counter() - start


def kill_trials(
    target: Target, kills: int, rng, base: Path, *, min_killed: int = 1, report=None
) -> tuple[float, list[dict]]:
    """Seconds of one uninterrupted run, and what each of ``kills`` killed runs left.

    Even trials kill at a moment uniform over the uninterrupted run (plus 5 %); odd ones
    wait until the process starts writing (a temporary file, a backup or a database
    journal appears) and kill at a moment uniform over its writing phase as calibrated,
    where a non-atomic writer would leave half a file. When fewer than ``min_killed``
    kills landed before the process ended (a loaded machine runs the child faster or
    slower than the calibration), further trials kill sooner — halving the delay each
    time, at most ``kills`` more — so a test always judges at least one real kill.
    """
    base.mkdir(parents=True, exist_ok=True)
    pristine, work = base / "pristine", base / "work"
    pristine.mkdir(exist_ok=True)
    target.setup(pristine)
    try:
        _empty(work)
        target.fresh(pristine, work)
        start = time.perf_counter()
        child = _start(target, work)
        before_write = _wait_for_writing(work, child, target.inputs)
        _, err = child.communicate(timeout=900)
        if child.returncode != 0:
            raise RuntimeError(f"{target.name}: the run failed: {err.decode(errors='replace')[-800:]}")
        full = time.perf_counter() - start
        writing = max(full - before_write, 0.02)
        results: list[dict] = []
        plan = [
            (rng.uniform(0, writing * 1.1), True) if i % 2 else (rng.uniform(0.05, full * 1.05), False)
            for i in range(kills)
        ]
        extra = 0
        while plan:
            delay, in_write = plan.pop(0)
            results.append(_one(target, pristine, work, delay, in_write))
            if report is not None:  # each trial as it ends: a long series shows its progress
                report(results[-1], flush=True)
            if not plan and sum(r["killed"] for r in results) < min_killed and extra < kills:
                extra += 1
                plan.append((delay / 2, in_write))
        target.timing = (full, writing)
        return full, results
    finally:
        target.close()


def _one(target: Target, pristine: Path, work: Path, delay: float, in_write: bool = False) -> dict:
    _empty(work)
    target.fresh(pristine, work)
    child = _start(target, work)
    if in_write:
        _wait_for_writing(work, child, target.inputs)
    time.sleep(delay)
    mid_write = _writing(work, target.inputs)  # looked at just before the kill: writing had begun
    killed = child.poll() is None
    if killed:
        os.kill(child.pid, signal.SIGKILL)
    child.communicate()
    temps = _temps(work)
    ok, state = target.check(pristine, work)
    before = {"state": state, **target.note(work)}
    if target.needs_rerun(work):
        _run_to_end(target, work)
    again, detail = target.after_rerun(pristine, work, before)
    return {"target": target.name, "delay": round(delay, 2), "in_write": in_write,
            "killed": killed, "mid_write": killed and mid_write, "ok": ok,
            "state": state, "rerun_ok": again, "rerun": detail, "temps": temps}  # fmt: skip


def summary(results: list[dict]) -> dict:
    """Counts for the report: killed, lost or damaged, rerun failures, outcomes, temps."""
    return {
        "runs": len(results),
        "killed": sum(r["killed"] for r in results),
        "mid_write": sum(r["mid_write"] for r in results),
        "lost": sum(not r["ok"] for r in results),
        "rerun_failed": sum(not r["rerun_ok"] for r in results),
        "states": dict(sorted(Counter(r["state"] for r in results).items())),
        "temps": sum(r["temps"] for r in results),
    }
