"""`addrkit parse --jobs N`: the same lines in the same order, bounded, and Ctrl-C stops it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from addrkit.workers import chunked, ordered_map, resolve_jobs

BASE = [
    "浙江杭州西湖区文三路{n}号",
    "宁波市江东区航运中心{n}",
    "",
    "=1+{n}",
    "温州苍南龙港镇人民路{n}号",
    "杭洲市西湖区{n}号",
    "北京市朝阳区建国路{n}号",
]


def lines(count: int) -> list[str]:
    return [BASE[i % len(BASE)].format(n=i // len(BASE)) for i in range(count)]


def parse_cli(text: str, *args: str) -> bytes:
    return subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "parse", *args],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=300,
    ).stdout


def test_workers_write_what_one_process_writes_in_input_order():
    given = lines(9_000)  # several chunks per worker
    text = "\n".join(given) + "\n"
    one = parse_cli(text, "--jobs", "1")
    two = parse_cli(text, "--jobs", "2")
    assert two == one
    rows = [json.loads(r) for r in two.decode("utf-8").splitlines()]
    assert [r["input"] for r in rows] == given
    assert rows[0]["district"] == "西湖区" and rows[2]["status"] == "ERROR"


def test_large_input_uses_every_core_by_default_with_the_same_output():
    given = lines(25_000)  # over the size that starts workers
    text = "\n".join(given) + "\n"
    assert parse_cli(text) == parse_cli(text, "--jobs", "1")


def test_bad_jobs_value_is_refused():
    done = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "parse", "--jobs", "-2"],
        input=b"x\n",
        capture_output=True,
        timeout=120,
    )
    assert done.returncode != 0 and b"jobs" in done.stderr


def test_resolve_jobs():
    assert resolve_jobs(1, large=True) == 1
    assert resolve_jobs(None, large=False) == 1
    assert resolve_jobs(None, large=True) >= 1
    with pytest.raises(ValueError):
        resolve_jobs(-1, large=True)


def _square_all(chunk: list[int]) -> list[int]:
    return [x * x for x in chunk]


def test_ordered_map_keeps_order_and_bounds_what_is_read_ahead():
    read = []

    def source():
        for i in range(1000):
            read.append(i)
            yield i

    out = []
    for result in ordered_map(_square_all, chunked(source(), 10), jobs=2):
        # Never more than a few chunks per worker read ahead of what was written.
        assert len(read) - len(out) <= 10 * (2 * 2 + 1)
        out.extend(result)
    assert out == [i * i for i in range(1000)]


def test_spawned_workers_as_on_windows_give_the_same_lines():
    """Where fork does not exist, workers start fresh and load the engine themselves."""
    from addrkit.commands.parse import _parse_lines
    from addrkit.workers import WorkerPool

    chunks = [lines(7)[:4], lines(7)[4:]]
    with WorkerPool(2, method="spawn") as pool:
        spawned = list(pool.map(_parse_lines, chunks))
    assert spawned == [_parse_lines(c) for c in chunks]
    assert json.loads(spawned[0][0])["district"] == "西湖区"


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except (FileNotFoundError, ProcessLookupError):  # a thread that ended meanwhile
            continue
    return found


def _feed(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.flush()
    except (BrokenPipeError, ValueError):  # the command was stopped: expected
        pass


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see workers")
def test_ctrl_c_stops_the_workers_and_exits_cleanly():
    """A real SIGINT to a run whose workers are busy: one message, exit 130, no worker left."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "addrkit.cli", "parse", "--jobs", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # More than the read-ahead, and stdin left open: the run is mid-stream. Fed from a
        # thread: the command blocks on a full stdout pipe until this test reads it.
        data = ("\n".join(lines(30_000)) + "\n").encode("utf-8")
        feeder = threading.Thread(target=_feed, args=(proc.stdin, data), daemon=True)
        feeder.start()
        # The first lines are parsed before the workers start; read on until they run.
        out: list[bytes] = []
        reader = threading.Thread(target=lambda: out.extend(proc.stdout), daemon=True)
        reader.start()
        deadline = time.monotonic() + 120
        while len(workers := _children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) >= 2
        assert out and json.loads(out[0])["district"] == "西湖区"
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)
        # Read in a thread: a worker left alive would hold the pipe open for ever.
        err: list[bytes] = []
        waiter = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
        waiter.start()
        waiter.join(timeout=30)
        assert err, "stderr stayed open after the command exited: a worker outlived it"
        stderr = err[0].decode("utf-8")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == 130
    assert "cancelled" in stderr and "Traceback" not in stderr
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    assert not any(Path(f"/proc/{w}").exists() for w in workers)


def test_no_worker_is_left_behind_when_the_reader_stops_early():
    proc = subprocess.run(
        f"{sys.executable} -m addrkit.cli parse --jobs 2 | head -n 3",
        shell=True,
        input=("\n".join(lines(30_000)) + "\n").encode("utf-8"),
        capture_output=True,
        timeout=120,
    )
    assert proc.stdout.count(b"\n") == 3
    assert b"Traceback" not in proc.stderr


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see workers")
def test_workers_do_not_outlive_a_parent_that_dies_without_stopping_them():
    """A parent gone at once (killed, or a replacement worker forked while the pool was
    being stopped): its workers go with it instead of waiting on the task queue for ever."""
    # As after Ctrl-C: the worker that holds the task queue's lock (reading the queue) is
    # killed, so the other waits on that lock for ever, and so does the replacement the
    # pool forks; then the parent is gone. Only the kernel can stop them now.
    script = (
        "import os, signal, time\n"
        "from pathlib import Path\n"
        "from addrkit.workers import WorkerPool\n"
        "pool = WorkerPool(2)\n"
        "time.sleep(0.5)\n"
        "for p in pool._pool._pool:\n"
        "    if 'pipe' in Path(f'/proc/{p.pid}/wchan').read_text():\n"
        "        os.kill(p.pid, signal.SIGKILL)\n"
        "time.sleep(1)\n"
        "me = Path(f'/proc/{os.getpid()}/task')\n"
        "kids = {c for t in me.iterdir() for c in (t / 'children').read_text().split()}\n"
        "print(*kids, flush=True)\n"
        "os._exit(0)\n"
    )
    # One line is read, not the pipe to its end: a worker left alive holds the pipe open.
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in proc.stdout.readline().split()]
    proc.wait(timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()]
    for w in alive:  # leave nothing behind even when the check fails
        os.kill(w, signal.SIGKILL)
    assert len(workers) >= 2  # the one left and its replacement
    assert not alive
