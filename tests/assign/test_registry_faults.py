"""The PostgreSQL code registry when its server goes away mid-allocation.

A real server is started for these tests (not the session's shared one: it is stopped
on purpose). A process allocates codes in a loop and prints each batch once the
registry returned it; the server is then stopped as by a crash (``pg_ctl stop -m
immediate``: no checkpoint). Afterwards: the process stopped with a clear message and a
non-zero status, every code it was given is still recorded after the server's crash
recovery, none twice, and the next allocation continues above all of them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from addrkit.assign.registry import PostgresRegistry, RegistryRef, open_registry

psycopg = pytest.importorskip("psycopg", reason='psycopg is not installed: pip install "addrkit[postgres]"')

from benchmarks.pgserver import PgServer, PgUnavailable  # noqa: E402

_LOOP = """
import sys
from addrkit.assign.registry import RegistryRef, open_registry
from addrkit.errors import RegistryError
try:
    with open_registry(RegistryRef.parse(sys.argv[1])) as reg:
        while True:
            got = reg.issue("HD-ZJ-#", 3, lambda s: f"HD-ZJ-{s:06d}", ceiling=None,
                            customers=["甲", "乙", "丙"])
            print(" ".join(c.code for c in got), flush=True)
except RegistryError as err:
    print(err, file=sys.stderr, flush=True)
    sys.exit(2)
"""


@pytest.fixture
def own_server():
    try:
        server = PgServer.start()
    except PgUnavailable as err:
        if os.environ.get("ADDRKIT_REQUIRE_POSTGRES") == "1":
            pytest.fail(str(err))
        pytest.skip(str(err))
    try:
        yield server
    finally:
        try:
            server.stop()
        except RuntimeError:  # already halted by the test: only the folder is left
            shutil.rmtree(server.folder, ignore_errors=True)


def _lines_so_far(proc, want: int, timeout: float = 120) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while len(lines) < want and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.decode().strip())
    return lines


def test_server_stopped_mid_allocation_loses_no_code_and_issues_none_twice(own_server):
    conninfo = own_server.conninfo
    PostgresRegistry(conninfo).close()  # the tables exist before the loop starts
    proc = subprocess.Popen(
        [sys.executable, "-c", _LOOP, conninfo], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        lines = _lines_so_far(proc, 30)
        assert len(lines) == 30, proc.stderr.read().decode()
        own_server.halt("immediate")  # as a crash: whatever was in flight is cut
        rest, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    lines += [line for line in rest.decode().splitlines() if line.strip()]
    given = [code for line in lines for code in line.split()]
    assert proc.returncode == 2
    message = err.decode()
    assert "Cannot reach the code registry" in message and "无法连接编码登记簿" in message
    assert "Traceback" not in message
    assert len(given) == len(set(given))

    own_server.resume()  # crash recovery replays the log
    with psycopg.connect(conninfo) as conn:
        recorded = {r[0] for r in conn.execute("SELECT code FROM addrkit_codes")}
        last = conn.execute(
            "SELECT last_seq FROM addrkit_code_counters WHERE prefix = 'HD-ZJ-#'"
        ).fetchone()[0]
    assert set(given) <= recorded  # every code handed out survived the crash
    top = max(int(c.rsplit("-", 1)[1]) for c in given)
    assert last >= top
    with open_registry(RegistryRef.parse(conninfo)) as reg:
        after = reg.issue("HD-ZJ-#", 2, lambda s: f"HD-ZJ-{s:06d}", ceiling=None)
    assert all(c.seq > top for c in after)  # never a number that was already given
    assert not {c.code for c in after} & recorded


def test_run_code_with_the_server_stopped_says_so_and_changes_nothing(own_server, tmp_path):
    import openpyxl
    from addrkit.workbook_templates import layout as L

    book = tmp_path / "book.xlsx"
    shutil.copy(Path(L.__file__).with_name("sample_customers.xlsx"), book)
    wb = openpyxl.load_workbook(book)
    for row in wb[L.SETTINGS.name].iter_rows(min_row=2):
        if row[0].value and "Registry" in row[0].value:
            row[1].value = own_server.conninfo
    wb.save(book)
    before = hashlib.sha256(book.read_bytes()).hexdigest()
    own_server.halt("immediate")
    done = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "run", "code", str(book)],
        capture_output=True, timeout=300, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert done.returncode != 0
    err = done.stderr.decode()
    assert "no code was assigned" in err and "Traceback" not in err, err
    assert hashlib.sha256(book.read_bytes()).hexdigest() == before
    assert list(tmp_path.iterdir()) == [book]  # no backup, no temporary file left
