"""A persistent cache of online lookups: SQLite in the user's cache folder.

Every answer is written (and committed) as soon as it arrives, so a batch stopped by a
crash, a closed laptop or a used-up quota resumes where it stopped: the next run finds
what was already answered. SQLite in WAL mode with a busy timeout lets several
processes (two workbooks geocoding at once) share one file safely.

Entries export as plain rows (:data:`CACHE_COLUMNS`) and import back, so a copy can
travel inside a workbook (a hidden sheet) and a teammate does not query again.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from ..errors import WorkbookError
from .result import GeocodeResult, GeocodeStatus

__all__ = ["CACHE_COLUMNS", "CACHE_ENV", "GeocodeCache", "default_cache_path"]

CACHE_ENV = "ADDRKIT_GEOCODE_CACHE"  # a path that replaces the default cache file
CACHE_COLUMNS = ("provider", "query", "result", "created")
_CACHED_STATUSES = (GeocodeStatus.OK, GeocodeStatus.NOT_FOUND)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS geocodes (
    provider TEXT NOT NULL,
    query TEXT NOT NULL,
    result TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (provider, query)
)
"""


def default_cache_path() -> Path:
    """``$ADDRKIT_GEOCODE_CACHE``, else ``geocode.sqlite`` in the user's cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("addrkit", appauthor=False)) / "geocode.sqlite"


class GeocodeCache:
    """Cached results by (provider key, query text). The file is opened on first use.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from addrkit.geocode.result import GeoPoint
    >>> cache = GeocodeCache(pathlib.Path(tempfile.mkdtemp()) / "c.sqlite")
    >>> r = GeocodeResult("杭州", GeoPoint(30.25, 120.2), source="nominatim",
    ...                   status=GeocodeStatus.OK)
    >>> cache.put("nominatim", r)
    True
    >>> cache.get("nominatim", "杭州").lat, len(cache)
    (30.25, 1)
    >>> rows = cache.export_rows()
    >>> rows[0][:2]
    ('nominatim', '杭州')
    >>> other = GeocodeCache(pathlib.Path(tempfile.mkdtemp()) / "d.sqlite")
    >>> other.import_rows(rows), other.get("nominatim", "杭州").lon
    (1, 120.2)
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._con: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ connection
    def _connection(self) -> sqlite3.Connection:
        if self._con is None:
            path = self.path or default_cache_path()
            self.path = path
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                con = sqlite3.connect(path, timeout=30, isolation_level=None,
                                      check_same_thread=False)  # fmt: skip
                _set_up(con)
            except (OSError, sqlite3.Error) as err:
                raise WorkbookError(
                    f"地理编码缓存无法打开 / cannot open the geocode cache {path}: {err}"
                ) from err
            self._con = con
        return self._con

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> GeocodeCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ entries
    def get(self, provider: str, query: str) -> GeocodeResult | None:
        """The cached result of one query, or ``None``."""
        with self._lock:
            row = (
                self._connection()
                .execute(
                    "SELECT result FROM geocodes WHERE provider = ? AND query = ?",
                    (provider, query),
                )
                .fetchone()
            )
        return None if row is None else GeocodeResult.from_dict(json.loads(row[0]))

    def put(self, provider: str, result: GeocodeResult) -> bool:
        """Store a result (committed at once); only answers are kept, not failures.

        Returns
        -------
        bool
            Whether it was stored (``False`` for an error or a skipped lookup).
        """
        if result.status not in _CACHED_STATUSES or not result.input:
            return False
        data = json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            self._connection().execute(
                "INSERT OR REPLACE INTO geocodes VALUES (?, ?, ?, ?)",
                (provider, result.input, data, time.time()),
            )
        return True

    def __len__(self) -> int:
        with self._lock:
            return self._connection().execute("SELECT COUNT(*) FROM geocodes").fetchone()[0]

    def clear(self, provider: str | None = None) -> None:
        with self._lock:
            con = self._connection()
            if provider is None:
                con.execute("DELETE FROM geocodes")
            else:
                con.execute("DELETE FROM geocodes WHERE provider = ?", (provider,))

    # ------------------------------------------------------------------ travel
    def export_rows(self, provider: str | None = None) -> list[tuple[str, str, str, str]]:
        """Every entry (or one provider's) as ``(provider, query, result JSON, created)``
        rows, oldest first; ``created`` is an ISO 8601 UTC time."""
        sql = "SELECT provider, query, result, created FROM geocodes"
        args: tuple = ()
        if provider is not None:
            sql += " WHERE provider = ?"
            args = (provider,)
        with self._lock:
            rows = self._connection().execute(sql + " ORDER BY created, provider, query", args)
            return [
                (p, q, r, datetime.fromtimestamp(c, UTC).isoformat(timespec="seconds"))
                for p, q, r, c in rows
            ]

    def import_rows(self, rows: Iterable[Sequence]) -> int:
        """Add exported rows (a newer entry wins over an older one for the same query);
        a row that is not a valid entry is left out.

        Returns
        -------
        int
            How many rows were taken.
        """
        good = []
        for row in rows:
            entry = _valid_row(row)
            if entry is not None:
                good.append(entry)
        with self._lock:
            con = self._connection()
            con.execute("BEGIN IMMEDIATE")
            try:
                con.executemany(
                    "INSERT INTO geocodes VALUES (?, ?, ?, ?) ON CONFLICT(provider, query) "
                    "DO UPDATE SET result = excluded.result, created = excluded.created "
                    "WHERE excluded.created > geocodes.created",
                    good,
                )
                con.execute("COMMIT")
            except sqlite3.Error:
                con.execute("ROLLBACK")
                raise
        return len(good)


def _valid_row(row: Sequence) -> tuple[str, str, str, float] | None:
    try:
        provider, query, result, created = (row[k] for k in range(4))
        if not (isinstance(provider, str) and isinstance(query, str) and provider and query):
            return None
        parsed = GeocodeResult.from_dict(json.loads(result))
        if parsed.status not in _CACHED_STATUSES:
            return None
        if isinstance(created, datetime):
            stamp = created.timestamp()
        elif isinstance(created, int | float):
            stamp = float(created)
        else:
            stamp = datetime.fromisoformat(str(created)).timestamp()
        return provider, query, result, stamp
    except (TypeError, ValueError, KeyError, IndexError):
        return None


_SET_UP_FOR = 30.0  # seconds a new cache file may stay locked by other first users


def _set_up(con: sqlite3.Connection) -> None:
    """WAL mode, the busy timeout and the table. Switching a new file to WAL takes an
    exclusive lock for which SQLite does not wait (SQLITE_BUSY at once, "database is
    locked"): teammates opening a new shared cache at the same moment try again."""
    deadline = time.monotonic() + _SET_UP_FOR
    while True:
        try:
            con.execute("PRAGMA busy_timeout=30000")
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(_SCHEMA)
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
