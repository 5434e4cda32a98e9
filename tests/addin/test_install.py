"""Installing and removing the add-in into real folders (a temporary home)."""

from __future__ import annotations

import pytest
from addrkit.addin.build import build_addin
from addrkit.addin.install import install, install_paths, remove

from addrkit.cli import main
from addrkit.errors import InputError


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_install_then_remove(platform, tmp_path, monkeypatch):
    monkeypatch.delenv("APPDATA", raising=False)
    xlam = build_addin(tmp_path / "build" / "addrkit.xlam").path
    paths = install_paths(platform, tmp_path / "home")
    written = install(xlam, paths, interpreter="C:/Python311/python.exe")
    assert paths.addin.read_bytes() == xlam.read_bytes()
    assert "XLSTART" in str(paths.addin) or "Startup.localized" in str(paths.addin)
    config = paths.config.read_text(encoding="utf-8")
    key = "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"
    assert f'"{key}","C:/Python311/python.exe"' in config
    assert '"UDF MODULES","addrkit.udfs"' in config
    if platform == "darwin":
        assert any(p.suffix == ".applescript" and p.exists() for p in written)
    assert remove(paths) == [paths.addin, paths.config]
    assert not paths.addin.exists() and not paths.config.exists()
    assert remove(paths) == []


def test_other_systems_are_refused_with_a_message():
    with pytest.raises(InputError, match="Windows or macOS"):
        install_paths("linux")


@pytest.mark.skipif(__import__("sys").platform in ("win32", "darwin"), reason="checks the refusal")
def test_cli_install_exits_non_zero_here(capsys):
    assert main(["addin", "install"]) == 1
    assert "Windows or macOS" in capsys.readouterr().err


def test_cli_build_writes_the_file(tmp_path, capsys):
    assert main(["addin", "build", "-o", str(tmp_path / "x.xlam")]) == 0
    assert (tmp_path / "x.xlam").stat().st_size > 10_000
    assert "sha256=" in capsys.readouterr().out
