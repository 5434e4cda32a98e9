"""The whole-process measurement the speed and load benchmarks rely on (not a timing test)."""

from __future__ import annotations

import sys

import pytest

from benchmarks.proc import ProcessFailedError, run_measured


def test_peak_memory_is_the_childs_own_and_in_bytes():
    small = run_measured([sys.executable, "-c", "pass"])
    big = run_measured(
        [
            sys.executable,
            "-c",
            "b = bytearray(150 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])",
        ]
    )
    assert big.max_rss_bytes - small.max_rss_bytes > 100 * 1024 * 1024  # units are bytes, not KB
    assert small.max_rss_bytes < 100 * 1024 * 1024


def test_stdin_and_stdout_are_files(tmp_path):
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_text("a\nb\n", encoding="utf-8")
    program = "import sys; sys.stdout.write(sys.stdin.read().upper())"
    run_measured([sys.executable, "-c", program], source, target)
    assert target.read_text(encoding="utf-8") == "A\nB\n"


def test_failing_command_raises_with_its_stderr():
    with pytest.raises(ProcessFailedError, match="boom"):
        run_measured([sys.executable, "-c", "raise SystemExit('boom')"])
    sample = run_measured([sys.executable, "-c", "raise SystemExit(3)"], check=False)
    assert sample.returncode == 3


def test_measuring_process_memory_does_not_leak_into_the_child():
    ballast = bytearray(300 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])  # make the pages resident
    sample = run_measured([sys.executable, "-c", "pass"])
    assert sample.max_rss_bytes < 100 * 1024 * 1024
    del ballast
