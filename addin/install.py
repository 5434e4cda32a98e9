"""Install and remove the add-in for the current user on Windows and macOS.

Installing copies ``addrkit.xlam`` into Excel's startup folder (XLSTART) and writes
the xlwings settings of the add-in (``addrkit.conf``: which Python to run) where
the add-in's xlwings VBA looks for them. On macOS xlwings' AppleScript helper,
which lets Excel start Python there, is copied too. Excel has no such folders on
other systems: the functions refuse with a clear message.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from addrkit.errors import InputError

from .vba_sources import PROJECT_NAME, UDF_MODULE

__all__ = ["InstallPaths", "install_paths", "install", "remove"]

ADDIN_FILE = f"{PROJECT_NAME}.xlam"


@dataclass(frozen=True, slots=True)
class InstallPaths:
    """Where the add-in, its settings and (macOS) the AppleScript helper go."""

    platform: str
    addin: Path
    config: Path
    applescript_dir: Path | None


def install_paths(platform: str | None = None, home: Path | None = None) -> InstallPaths:
    """The per-user locations for ``platform`` (default: this system).

    Examples
    --------
    >>> install_paths("win32", Path("C:/Users/li")).config.as_posix()
    'C:/Users/li/.addrkit/addrkit.conf'
    >>> install_paths("linux")
    Traceback (most recent call last):
    ...
    addrkit.errors.InputError: Excel 加载项只能安装在 Windows 或 macOS 上 / The Excel add-in installs on Windows or macOS only (this system: linux). Build it with 'addrkit addin build' and copy it to a Windows or Mac computer.
    """
    platform = platform or sys.platform
    home = home or Path.home()
    if platform.startswith("win"):
        appdata = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
        return InstallPaths(
            platform,
            appdata / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE,
            # xlwings' GetConfigFilePath: %USERPROFILE%\.<project>\<project>.conf
            home / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf",
            None,
        )
    if platform == "darwin":
        office = home / "Library" / "Group Containers" / "UBF8T346G9.Office"
        return InstallPaths(
            platform,
            office / "User Content.localized" / "Startup.localized" / "Excel" / ADDIN_FILE,
            # Excel is sandboxed: its $HOME is the container's Data folder.
            home
            / "Library"
            / "Containers"
            / "com.microsoft.Excel"
            / "Data"
            / f"{PROJECT_NAME}.conf",
            home / "Library" / "Application Scripts" / "com.microsoft.Excel",
        )
    raise InputError(
        "Excel 加载项只能安装在 Windows 或 macOS 上 / The Excel add-in installs on Windows "
        f"or macOS only (this system: {platform}). Build it with 'addrkit addin build' "
        "and copy it to a Windows or Mac computer."
    )


def _config_text(paths: InstallPaths, interpreter: str) -> str:
    key = "INTERPRETER_MAC" if paths.platform == "darwin" else "INTERPRETER_WIN"
    # The format xlwings' GetConfigFromFile reads: one "KEY","VALUE" pair a line.
    return f'"{key}","{interpreter}"\n"UDF MODULES","{UDF_MODULE}"\n'


def install(xlam: Path, paths: InstallPaths, interpreter: str | None = None) -> list[Path]:
    """Copy the add-in and write its settings; returns the files written."""
    written = []
    paths.addin.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(xlam, paths.addin)
    written.append(paths.addin)
    paths.config.parent.mkdir(parents=True, exist_ok=True)
    paths.config.write_text(_config_text(paths, interpreter or sys.executable), encoding="utf-8")
    written.append(paths.config)
    if paths.applescript_dir is not None:
        import xlwings

        script = Path(xlwings.__file__).parent / f"xlwings-{xlwings.__version__}.applescript"
        paths.applescript_dir.mkdir(parents=True, exist_ok=True)
        written.append(Path(shutil.copy(script, paths.applescript_dir)))
    return written


def remove(paths: InstallPaths) -> list[Path]:
    """Delete the add-in and its settings; returns the files removed.

    xlwings' AppleScript helper stays: other xlwings add-ins may use it.
    """
    removed = []
    for path in (paths.addin, paths.config):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed
