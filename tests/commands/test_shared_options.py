"""--encoding and --jobs mean the same, and fail the same way, in every command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

ADDRESS = "浙江杭州西湖区文三路90号"


def _addrkit(*args: str, data: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "addrkit.cli", *args], input=data, capture_output=True, timeout=300
    )


@pytest.mark.parametrize("command", ["parse", "geocode"])
def test_gbk_lines_on_stdin_are_read_as_chinese(command):
    done = _addrkit(command, data=(ADDRESS + "\r\n").encode("gbk"))
    assert done.returncode == 0, done.stderr.decode()
    row = json.loads(done.stdout.decode("utf-8"))
    assert row["input"] == ADDRESS and row["adcode"].startswith("330106")


@pytest.mark.parametrize("command", ["parse", "geocode"])
def test_an_unknown_encoding_is_named(command):
    done = _addrkit(command, "--encoding", "klingon", data=b"x\n")
    assert done.returncode != 0 and b"Traceback" not in done.stderr
    assert "unknown encoding 'klingon'" in done.stderr.decode()


@pytest.mark.parametrize("command", [["parse"], ["run", "clean", "no-such-book.xlsx"]])
def test_negative_jobs_is_a_message_not_a_traceback(command):
    done = _addrkit(*command, "--jobs", "-1", data=b"x\n")
    assert done.returncode != 0 and b"Traceback" not in done.stderr
    assert "--jobs must be 0 (every core) or more, not -1" in done.stderr.decode()


def test_the_options_read_alike_in_help():
    helps = {c: _addrkit(c, "--help").stdout.decode() for c in ("parse", "geocode", "dedupe")}
    for text in helps.values():
        assert "GBK/GB18030" in " ".join(text.split())
    assert all("0 = every core" in " ".join(helps[c].split()) for c in ("parse", "dedupe"))
