"""Build ``addrkit.xlam`` from the sources in this package and the installed xlwings.

Examples
--------
>>> import tempfile, pathlib
>>> out = build_addin(pathlib.Path(tempfile.mkdtemp()) / "addrkit.xlam")
>>> out.xlwings_version == __import__("xlwings").__version__
True
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from addrkit.workbook.files import default_mode

from .package import SHEET_CODE_NAME, xlam_bytes
from .ribbon import customui_xml
from .vba_project import VbaModule, build_vba_project
from .vba_sources import (
    PROJECT_NAME,
    document_modules,
    formulas_module,
    read_xlwings_vba,
    ribbon_module,
)

__all__ = ["AddinBuild", "addin_modules", "build_addin"]


@dataclass(frozen=True, slots=True)
class AddinBuild:
    """What a build wrote: the file, its SHA-256 and the xlwings version of its VBA."""

    path: Path
    sha256: str
    xlwings_version: str
    modules: tuple[str, ...]


def addin_modules() -> tuple[str, tuple[VbaModule, ...]]:
    """(xlwings version, every VBA module of the add-in in project order)."""
    from addrkit.udfs.registry import CATEGORY, formulas

    xlwings_vba = read_xlwings_vba()
    this_workbook, sheet = document_modules(SHEET_CODE_NAME)
    modules = (
        this_workbook,
        sheet,
        *xlwings_vba.modules,
        ribbon_module(),
        formulas_module(formulas().values(), CATEGORY),
    )
    return xlwings_vba.version, modules


def build_addin(path: str | os.PathLike[str]) -> AddinBuild:
    """Write the add-in to ``path`` (atomically) and describe what was written.

    Parameters
    ----------
    path : path-like
        Where to write ``addrkit.xlam``; parent folders are created.

    Returns
    -------
    AddinBuild
        The path, the file's SHA-256 (equal for equal sources) and the xlwings version.
    """
    from addrkit import __version__

    xlwings_version, modules = addin_modules()
    blob = xlam_bytes(
        build_vba_project(PROJECT_NAME, modules),
        customui_xml(),
        title="addrkit 地址工具 Address Tools",
        description=f"addrkit {__version__}; VBA of xlwings {xlwings_version}",
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".addrkit-", suffix=".xlam")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(blob)
        # mkstemp makes the file 0600: teammates on a shared folder could not load it.
        os.chmod(temporary, default_mode())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return AddinBuild(
        target, hashlib.sha256(blob).hexdigest(), xlwings_version, tuple(m.name for m in modules)
    )
