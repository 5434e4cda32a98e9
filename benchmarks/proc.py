"""Time whole processes and read their peak memory, and summarise repeated samples.

A child's wall time is taken around its whole life (start-up, imports, work, exit);
its peak resident memory comes from the kernel's rusage of that child alone
(``os.wait4``). Children are started by a small launcher process so that the
measuring process's own memory never leaks into a child's peak.

Examples
--------
>>> import sys
>>> from benchmarks.proc import run_measured
>>> sample = run_measured([sys.executable, "-c", "pass"])
>>> sample.returncode, sample.seconds > 0, sample.max_rss_bytes > 0
(0, True, True)
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["ProcessFailedError", "ProcessSample", "machine_summary", "median", "run_measured"]


@dataclass(frozen=True, slots=True)
class ProcessSample:
    """One finished child process: wall seconds, peak resident bytes, exit code."""

    seconds: float
    max_rss_bytes: int
    returncode: int
    stderr: str = ""
    # User + system CPU of the child and of the workers it waited for: on a machine
    # shared with other work, a steadier measure of work done than wall time.
    cpu_seconds: float = 0.0


class ProcessFailedError(RuntimeError):
    """A measured command exited with an error; the message carries its stderr."""


def run_measured(
    command: Sequence[str],
    stdin_path: Path | None = None,
    stdout_path: Path | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> ProcessSample:
    """Run ``command`` to completion, stdin/stdout redirected to files.

    Parameters
    ----------
    command : sequence of str
    stdin_path, stdout_path : Path, optional
        Files for the child's stdin and stdout; ``None`` means empty stdin and
        ``/dev/null`` for stdout.
    check : bool
        Raise :class:`ProcessFailedError` when the child exits non-zero.

    Returns
    -------
    ProcessSample
    """
    with (
        open(stdin_path or os.devnull, "rb") as stdin,
        open(stdout_path or os.devnull, "wb") as stdout,
        tempfile.TemporaryDirectory(prefix="addrkit-proc-") as tmp,
    ):
        report = Path(tmp) / "rusage.json"
        launcher = [sys.executable, "-c", _LAUNCHER, str(report), *command]
        done = subprocess.run(launcher, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env)
        stderr = done.stderr.decode("utf-8", "replace")
        if not report.is_file():  # the launcher itself failed
            raise ProcessFailedError(f"could not start {' '.join(command)}:\n{stderr[-2000:]}")
        measured = json.loads(report.read_text(encoding="utf-8"))
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1 if platform.system() == "Darwin" else 1024
    sample = ProcessSample(
        measured["seconds"],
        measured["maxrss"] * scale,
        measured["returncode"],
        stderr,
        measured.get("cpu", 0.0),
    )
    if check and sample.returncode != 0:
        raise ProcessFailedError(
            f"{' '.join(command)} exited with {sample.returncode}:\n{stderr[-2000:]}"
        )
    return sample


# Children are started from this small launcher, not from the measuring process: a child's
# peak RSS (ru_maxrss) starts at its parent's RSS at fork time and survives exec, so a
# measuring process that has itself parsed 100k addresses would set every child's floor.
# The launcher also times the child alone, without its own start-up.
_LAUNCHER = """\
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - started
child.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as report:
    json.dump({"seconds": seconds, "maxrss": usage.ru_maxrss, "returncode": child.returncode,
               "cpu": usage.ru_utime + usage.ru_stime}, report)
"""


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def machine_summary() -> str:
    """One line naming the machine: CPU model, logical CPUs, RAM, Python, date (UTC)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs, {ram} RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, {date}"
    )
