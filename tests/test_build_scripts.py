"""The data build scripts' shared shape (scripts/wheels.py): command line, provenance,
write or check. The builds themselves run with `--check` (docs/data.md)."""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))
import wheels  # noqa: E402


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_wheels_examples():
    assert doctest.testmod(wheels).failed == 0


@pytest.mark.parametrize("name", ["build_gazetteer", "build_boundaries", "build_countries"])
def test_every_build_script_has_sources_and_the_shared_command_line(name):
    script = _load(name)
    for source in script.SOURCES.values():
        assert {"package", "version", "wheel", "member", "licence", "what"} <= set(source)
        assert source["wheel"].endswith(".whl")
    args = wheels.build_arguments(script.__doc__).parse_args(["--check", "--cache", "/x"])
    assert args.check and args.cache == Path("/x")
    assert not wheels.build_arguments(script.__doc__).parse_args([]).check


def test_provenance_leaves_out_only_the_wheel_name():
    source = {"package": "p", "version": "1", "wheel": "p-1.whl", "member": "m", "what": "w"}
    assert wheels.provenance(source, sha256_of_member="ab") == {
        "package": "p", "version": "1", "member": "m", "what": "w", "sha256_of_member": "ab",
    }  # fmt: skip


def test_check_passes_only_when_every_shipped_file_is_the_built_one(tmp_path, capsys):
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"A")
    assert wheels.write_or_check({a: b"A", b: b"B"}, "data", True) == 1  # b missing
    b.write_bytes(b"old")
    assert wheels.write_or_check({a: b"A", b: b"B"}, "data", True) == 1  # b stale
    assert "data: stale" in capsys.readouterr().out
    assert b.read_bytes() == b"old"  # a check writes nothing
    b.write_bytes(b"B")
    assert wheels.write_or_check({a: b"A", b: b"B"}, "data", True) == 0
    assert "data: up to date" in capsys.readouterr().out


def test_write_writes_every_file_and_reports(tmp_path, capsys):
    out = tmp_path / "x.json"
    assert wheels.write_or_check({out: b"{}"}, "data", False, report={"n": 1}) == 0
    assert out.read_bytes() == b"{}"
    printed = capsys.readouterr().out
    assert f"wrote {out} (2 bytes, sha256 44136fa3" in printed and '"n": 1' in printed
