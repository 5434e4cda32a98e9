"""The built gazetteer, saved once per user so that later processes start in milliseconds.

Building the gazetteer from the shipped file (JSON parse, tables, name automaton) takes
about a third of a second; a formula's first answer in Excel and every short
``addrkit`` run paid that. The built object is pickled on first use into the user's
cache folder and read back by later processes.

A saved copy is used only when its key matches: the checksum of the gazetteer file,
the Python version, and the checksum of the code that builds it (a changed table or
attribute must not meet an old copy). Anything else — a stale key, a damaged or
truncated file, a folder that cannot be written — means building as before (and
replacing the copy when the folder allows). Copies are written to a temporary file,
synced and renamed into place, so processes starting together never read a half-written
one, and a process killed while saving leaves at most a temporary file that a later save
removes.

The folder is ``platformdirs.user_cache_dir("addrkit")``, or ``$ADDRKIT_CACHE_DIR``;
``ADDRKIT_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["CACHE_DIR_ENV", "cache_dir", "cache_key", "cached"]

CACHE_DIR_ENV = "ADDRKIT_CACHE_DIR"
_MAGIC = b"addrkit-gazetteer-cache 1\n"
# The code whose output is saved: a change to any of these makes old copies stale.
_BUILDER_FILES = ("store.py", "indexing.py", "finder.py", "cache.py")


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where built gazetteers are kept, or None when the cache is off.

    Examples
    --------
    >>> cache_dir({CACHE_DIR_ENV: "off"}) is None
    True
    >>> cache_dir({CACHE_DIR_ENV: "/tmp/x"}).as_posix()
    '/tmp/x'
    >>> cache_dir({}).name
    'addrkit'
    """
    chosen = environ.get(CACHE_DIR_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0") else Path(chosen)
    import platformdirs  # only when no folder is given: keeps its import off the fast path

    return Path(platformdirs.user_cache_dir("addrkit", appauthor=False))


def cache_key(raw: bytes) -> str:
    """The key of a gazetteer built from ``raw`` by this code under this Python."""
    digest = hashlib.sha256(raw)
    here = Path(__file__).resolve().parent
    for name in _BUILDER_FILES:
        digest.update((here / name).read_bytes())
    digest.update(f"{sys.implementation.name}-{sys.version_info[:3]}".encode())
    return digest.hexdigest()


def _path_for(folder: Path, key: str) -> Path:
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return folder / f"gazetteer-{key[:24]}-{py}.pickle"


def cached(raw: bytes, build: Callable[[], Any]) -> Any:
    """The object ``build()`` makes from ``raw``, read from the cache when a good copy is
    there; otherwise built, saved (best effort) and returned."""
    folder = cache_dir()
    if folder is None:
        return build()
    key = cache_key(raw)
    path = _path_for(folder, key)
    found = _read(path, key)
    if found is not None:
        return found
    built = build()
    _write(path, key, built)
    return built


def _read(path: Path, key: str) -> Any | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None  # not there yet (or unreadable): build
    header = _MAGIC + key.encode() + b"\n"
    if not data.startswith(header):
        return None  # another version, or damaged at the start
    try:
        return pickle.loads(memoryview(data)[len(header) :])
    except Exception:  # noqa: BLE001 - any damage at all means: build it again
        return None


def _write(path: Path, key: str, built: Any) -> None:
    """Save atomically: a temporary file in the same folder, then one rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=_TMP_SUFFIX)
    except (OSError, pickle.PicklingError, TypeError):
        return  # a read-only home, a full disk: the cache is an optimisation only
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_MAGIC + key.encode() + b"\n")
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())  # a power cut must not leave a renamed, empty copy
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return
    _remove_superseded(path)
    _remove_stale_temps(path.parent)


_TMP_SUFFIX = ".tmp"
STALE_TEMP_SECONDS = 600  # a copy is written in about a second; older halves were killed


def _remove_stale_temps(folder: Path, now: float | None = None) -> list[Path]:
    """Half-written copies left by processes killed while saving (~10 MB each).

    A temporary file untouched for `STALE_TEMP_SECONDS` belongs to no live writer.

    Examples
    --------
    >>> import tempfile, time
    >>> d = Path(tempfile.mkdtemp()); old = d / "gazetteer-x-py311.pickle.abc.tmp"
    >>> _ = old.write_bytes(b"half"); _ = (d / "gazetteer-y-py311.pickle.def.tmp").write_bytes(b"")
    >>> os.utime(old, (0, 0))
    >>> [p.name for p in _remove_stale_temps(d)], sorted(p.name for p in d.iterdir())
    (['gazetteer-x-py311.pickle.abc.tmp'], ['gazetteer-y-py311.pickle.def.tmp'])
    """
    now = time.time() if now is None else now
    removed = []
    for tmp in folder.glob(f"gazetteer-*.pickle.*{_TMP_SUFFIX}"):
        try:
            if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue  # renamed or removed by its writer meanwhile
    return removed


def _remove_superseded(path: Path) -> None:
    """Copies built by other code for this Python: this one replaces them (each is ~10 MB)."""
    tag = path.name.rsplit("-", 1)[-1]
    for other in path.parent.glob(f"gazetteer-*-{tag}"):
        if other != path:
            try:
                other.unlink()
            except OSError:
                pass  # another process took it first, or it is not ours to remove
