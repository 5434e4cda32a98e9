"""The registry of issued customer codes: a number is handed out once, ever.

One small base class, `CodeRegistry`, and three places to keep the record, chosen by
the 登记簿 Registry setting:

- ``workbook`` (default): a hidden sheet of the workbook itself, 编码登记 Code registry;
  enough for one person's book.
- ``sqlite:PATH``: a SQLite file, e.g. on a shared folder, for a small team. Each
  allocation is one ``BEGIN IMMEDIATE`` transaction; the file keeps SQLite's default
  rollback journal because WAL does not work over network file systems.
- ``postgresql://user@host/db``: a PostgreSQL server (needs ``pip install
  "addrkit[postgres]"``). The counter row is locked ``FOR UPDATE`` in each allocation.
  The setting never holds a password: libpq reads it from ``PGPASSWORD`` or ``.pgpass``.

A registry keeps, per prefix (the code without its sequence), the last number issued,
and every code it knows with the customer it went to. Numbers only go up, so a code
is never reused even after its row is deleted. Codes found in a sheet are
``remember``-ed first, so a number typed by hand is not issued again.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..errors import RegistryError, SettingsError
from ..references import split_reference

__all__ = [
    "RegistryKind",
    "RegistryRef",
    "IssuedCode",
    "CodeLedger",
    "CodeRegistry",
    "WorkbookRegistry",
    "SQLiteRegistry",
    "PostgresRegistry",
    "REGISTRY_SHEET",
    "LEDGER_HEADER",
    "open_registry",
]

REGISTRY_SHEET = "编码登记 Code registry"
LEDGER_HEADER = (
    "编码 Code",
    "前缀 Prefix",
    "序号 Seq",
    "客户 Customer",
    "发放时间 Issued",
    "发放人 By",
)
_INSTALL_HINT = 'pip install "addrkit[postgres]"'


class RegistryKind(StrEnum):
    WORKBOOK = "workbook"
    SQLITE = "sqlite"
    POSTGRES = "postgresql"


_PASSWORD_IN_URL = re.compile(r"://[^/@:]+:[^/@]+@|password\s*=", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RegistryRef:
    """Where issued codes are kept, as the Registry setting names it.

    Examples
    --------
    >>> RegistryRef.parse("").kind.value, RegistryRef.parse("工作簿").kind.value
    ('workbook', 'workbook')
    >>> r = RegistryRef.parse(r"sqlite:\\\\server\\share\\codes.db"); r.kind.value, r.location
    ('sqlite', '\\\\\\\\server\\\\share\\\\codes.db')
    >>> str(RegistryRef.parse("postgresql://sales@db.example.com/crm"))
    'postgresql://sales@db.example.com/crm'
    """

    kind: RegistryKind = RegistryKind.WORKBOOK
    location: str = ""

    @classmethod
    def parse(cls, text: Any) -> RegistryRef:
        raw = unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()
        lowered = raw.lower()
        if lowered in {"", "workbook", "工作簿", "book", "sheet"}:
            return cls()
        if _PASSWORD_IN_URL.search(raw):
            raise SettingsError(
                "登记簿设置中不要写密码，请放在 PGPASSWORD 环境变量或 .pgpass 文件中 / Never put a "
                "password in the Registry setting: keep it in PGPASSWORD or a .pgpass file"
            )
        if lowered.startswith(("postgresql://", "postgres://")):
            return cls(RegistryKind.POSTGRES, raw)
        found = split_reference(raw, RegistryKind)
        if found is not None and found[0] is RegistryKind.SQLITE:
            return cls(*found)
        if lowered.endswith((".db", ".sqlite", ".sqlite3")):
            return cls(RegistryKind.SQLITE, raw)
        raise SettingsError(
            f"登记簿应为 workbook、sqlite:文件路径 或 postgresql://用户@服务器/数据库 / The "
            f"Registry must be workbook, sqlite:PATH or postgresql://user@host/db (got {raw!r})"
        )

    def __str__(self) -> str:
        if self.kind is RegistryKind.SQLITE:
            return f"sqlite:{self.location}"
        return self.location or self.kind.value


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """One code a registry knows: its prefix and number, and whom it went to."""

    code: str
    prefix: str
    seq: int
    customer: str = ""
    issued_at: str = ""
    issued_by: str = ""


@dataclass(frozen=True, slots=True)
class CodeLedger:
    """The hidden registry sheet's rows, as read from a workbook.

    Examples
    --------
    >>> CodeLedger.from_rows([LEDGER_HEADER, ("HD-ZJ-00001Q", "HD-ZJ-#", 1, "甲", "", "")]).codes[0].seq
    1
    """

    codes: tuple[IssuedCode, ...] = ()

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]]) -> CodeLedger:
        codes = []
        for row in rows:
            cells = (list(row) + [None] * 6)[:6]
            code, prefix, seq = cells[0], cells[1], cells[2]
            if not code or not prefix or str(code).strip() == LEDGER_HEADER[0]:
                continue
            try:
                number = int(float(seq))
            except (TypeError, ValueError):
                continue  # a damaged row: its code still blocks reuse through the sheet
            text = ["" if c is None else str(c) for c in cells[3:6]]
            codes.append(IssuedCode(str(code).strip(), str(prefix).strip(), number, *text))
        return cls(tuple(codes))


class CodeRegistry(ABC):
    """Hands out sequence numbers per prefix and remembers every code.

    Subclasses implement `_issue` and `_remember`; both run as one atomic step.

    Examples
    --------
    >>> reg = WorkbookRegistry()
    >>> [c.code for c in reg.issue("HD-#", 2, lambda s: f"HD-{s}", ceiling=None)]
    ['HD-1', 'HD-2']
    """

    location: str = ""

    def issue(
        self,
        prefix: str,
        count: int,
        render: Callable[[int], str],
        *,
        ceiling: int | None,
        customers: Sequence[str] = (),
        user: str = "",
    ) -> list[IssuedCode]:
        """Issue ``count`` new numbers under ``prefix`` and record their codes.

        Raises
        ------
        CodePatternError
            The numbers would pass ``ceiling``; nothing is issued.
        RegistryError
            The registry cannot be reached; nothing is issued.
        """
        if count <= 0:
            return []
        when = dt.datetime.now().isoformat(timespec="seconds")

        def make(first: int) -> list[IssuedCode]:
            if ceiling is not None and first + count - 1 > ceiling:
                render(ceiling + 1)  # the pattern's own message: which prefix ran out
            names = list(customers) + [""] * count
            return [
                IssuedCode(render(first + i), prefix, first + i, names[i], when, user)
                for i in range(count)
            ]

        return self._issue(prefix, count, make)

    def remember(self, codes: Sequence[IssuedCode]) -> None:
        """Record codes already in use; each prefix's counter rises to at least their numbers."""
        if codes:
            self._remember(codes)

    @abstractmethod
    def _issue(
        self, prefix: str, count: int, make: Callable[[int], list[IssuedCode]]
    ) -> list[IssuedCode]:
        """Atomically: first = last + 1; codes = make(first); last += count; store codes."""

    @abstractmethod
    def _remember(self, codes: Sequence[IssuedCode]) -> None: ...

    @abstractmethod
    def known(self, codes: Sequence[str]) -> dict[str, IssuedCode]:
        """The registry's record of each of ``codes`` it knows (whom it went to)."""

    def close(self) -> None:  # noqa: B027 - the workbook registry holds nothing to release
        """Release the connection."""

    def __enter__(self) -> CodeRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WorkbookRegistry(CodeRegistry):
    """The registry kept in the workbook's hidden sheet; `ledger` gives its new rows."""

    def __init__(self, ledger: CodeLedger | None = None) -> None:
        self.location = REGISTRY_SHEET
        self._codes: dict[str, IssuedCode] = {}
        self._last: dict[str, int] = {}
        self._remember((ledger or CodeLedger()).codes)

    def _issue(self, prefix, count, make):
        issued = make(self._last.get(prefix, 0) + 1)
        self._last[prefix] = self._last.get(prefix, 0) + count
        for c in issued:
            self._codes.setdefault(c.code, c)
        return issued

    def _remember(self, codes):
        for c in codes:
            self._codes.setdefault(c.code, c)
            self._last[c.prefix] = max(self._last.get(c.prefix, 0), c.seq)

    def known(self, codes):
        return {c: self._codes[c] for c in codes if c in self._codes}

    @property
    def ledger(self) -> CodeLedger:
        return CodeLedger(tuple(self._codes.values()))

    def rows(self) -> tuple[tuple[Any, ...], ...]:
        """The hidden sheet's rows: a header and one row per code known."""
        return (LEDGER_HEADER,) + tuple(
            (c.code, c.prefix, c.seq, c.customer, c.issued_at, c.issued_by)
            for c in self._codes.values()
        )


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS addrkit_code_counters ("
    " prefix TEXT PRIMARY KEY, last_seq BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS addrkit_codes ("
    " code TEXT PRIMARY KEY, prefix TEXT NOT NULL, seq BIGINT NOT NULL,"
    " customer TEXT, issued_at TEXT, issued_by TEXT)",
)
_INSERT_CODE = (
    "INSERT INTO addrkit_codes (code, prefix, seq, customer, issued_at, issued_by)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING"
)


class _SqlRegistry(CodeRegistry):
    """Shared SQL of the database registries; the dialects differ in a few words."""

    _lock_row = ""  # appended to the counter SELECT
    _greatest = "max"
    _param = "?"

    @abstractmethod
    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """A cursor inside one transaction that commits on success, rolls back on error."""

    def _sql(self, text: str) -> str:
        return text.replace("?", self._param)

    def _issue(self, prefix, count, make):
        with self._transaction() as cur:
            cur.execute(
                self._sql(
                    "INSERT INTO addrkit_code_counters (prefix, last_seq) VALUES (?, 0)"
                    " ON CONFLICT (prefix) DO NOTHING"
                ),
                (prefix,),
            )
            cur.execute(
                self._sql("SELECT last_seq FROM addrkit_code_counters WHERE prefix = ?")
                + self._lock_row,
                (prefix,),
            )
            last = int(cur.fetchone()[0])
            issued = make(last + 1)  # raises before anything changes when the pattern is full
            cur.execute(
                self._sql("UPDATE addrkit_code_counters SET last_seq = ? WHERE prefix = ?"),
                (last + count, prefix),
            )
            cur.executemany(self._sql(_INSERT_CODE), [_row(c) for c in issued])
        return issued

    def _remember(self, codes):
        tops: dict[str, int] = {}
        for c in codes:
            tops[c.prefix] = max(tops.get(c.prefix, 0), c.seq)
        with self._transaction() as cur:
            cur.executemany(self._sql(_INSERT_CODE), [_row(c) for c in codes])
            cur.executemany(
                self._sql(
                    "INSERT INTO addrkit_code_counters (prefix, last_seq) VALUES (?, ?)"
                    " ON CONFLICT (prefix) DO UPDATE SET last_seq ="
                    f" {self._greatest}(addrkit_code_counters.last_seq, excluded.last_seq)"
                ),
                sorted(tops.items()),  # one order in every process: no deadlock between them
            )

    def known(self, codes: Sequence[str]) -> dict[str, IssuedCode]:
        found: dict[str, IssuedCode] = {}
        with self._transaction() as cur:
            for start in range(0, len(codes), 500):
                chunk = list(codes[start : start + 500])
                marks = ", ".join("?" * len(chunk))
                cur.execute(
                    self._sql(
                        "SELECT code, prefix, seq, customer, issued_at, issued_by FROM addrkit_codes"
                        f" WHERE code IN ({marks})"
                    ),
                    chunk,
                )
                for row in cur.fetchall():
                    found[row[0]] = IssuedCode(
                        row[0], row[1], int(row[2]), *(r or "" for r in row[3:])
                    )
        return found


def _row(c: IssuedCode) -> tuple:
    return (c.code, c.prefix, c.seq, c.customer, c.issued_at, c.issued_by)


def _unreachable(location: str, err: BaseException) -> RegistryError:
    return RegistryError(
        f"无法连接编码登记簿 {location}，未分配任何编码：{err} / Cannot reach the code registry "
        f"{location}; no code was assigned: {err}"
    )


class SQLiteRegistry(_SqlRegistry):
    """A SQLite file, e.g. on a shared folder. Its folder must exist (a missing share is an error)."""

    def __init__(self, path: str | Path, *, timeout: float = 60.0) -> None:
        self.location = f"sqlite:{path}"
        path = Path(path)
        if not path.parent.is_dir():
            raise _unreachable(self.location, FileNotFoundError(f"no folder {path.parent}"))
        try:
            self._conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
            with self._transaction() as cur:
                for statement in _SCHEMA:
                    cur.execute(statement)
        except sqlite3.Error as err:
            raise _unreachable(self.location, err) from err

    @contextmanager
    def _transaction(self):
        cur = self._conn.cursor()
        try:
            # IMMEDIATE takes the write lock first: two writers never both read the same
            # last number, and none waits to upgrade a read lock (no deadlock to retry).
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise _unreachable(self.location, err) from err
        try:
            yield cur
        except BaseException:
            self._conn.rollback()
            raise
        try:
            cur.execute("COMMIT")
        except sqlite3.Error as err:
            self._conn.rollback()
            raise _unreachable(self.location, err) from err

    def close(self) -> None:
        self._conn.close()


class PostgresRegistry(_SqlRegistry):
    """A PostgreSQL server, through psycopg 3 (an optional extra)."""

    _lock_row = " FOR UPDATE"
    _greatest = "GREATEST"
    _param = "%s"

    def __init__(self, conninfo: str, *, connect_timeout: int = 5) -> None:
        try:
            import psycopg
        except ImportError as err:
            raise RegistryError(
                f"使用 PostgreSQL 登记簿需先安装：{_INSTALL_HINT} / A PostgreSQL registry needs "
                f"psycopg: {_INSTALL_HINT}"
            ) from err
        self._psycopg = psycopg
        self.location = _hide_password(conninfo)
        try:
            self._conn = psycopg.connect(conninfo, connect_timeout=connect_timeout, autocommit=True)
            with self._transaction() as cur:
                # Two first users at once would race on CREATE TABLE: one waits here.
                cur.execute("SELECT pg_advisory_xact_lock(7064036)")
                for statement in _SCHEMA:
                    cur.execute(statement)
        except psycopg.Error as err:
            raise _unreachable(self.location, err) from err

    @contextmanager
    def _transaction(self):
        psycopg = self._psycopg
        try:
            with self._conn.transaction(), self._conn.cursor() as cur:
                yield cur
        except (psycopg.OperationalError, psycopg.InterfaceError) as err:
            raise _unreachable(self.location, err) from err

    def close(self) -> None:
        self._conn.close()


def _hide_password(conninfo: str) -> str:
    return re.sub(r"(://[^/@:]+):[^/@]+@", r"\1:***@", conninfo)


def open_registry(ref: RegistryRef, ledger: CodeLedger | None = None) -> CodeRegistry:
    """The registry a `RegistryRef` names (the workbook one starts from ``ledger``).

    Examples
    --------
    >>> open_registry(RegistryRef.parse("sqlite:/no/such/share/codes.db"))
    Traceback (most recent call last):
    ...
    addrkit.errors.RegistryError: 无法连接编码登记簿 sqlite:/no/such/share/codes.db，未分配任何编码：no folder /no/such/share / Cannot reach the code registry sqlite:/no/such/share/codes.db; no code was assigned: no folder /no/such/share
    """
    if ref.kind is RegistryKind.SQLITE:
        return SQLiteRegistry(ref.location)
    if ref.kind is RegistryKind.POSTGRES:
        return PostgresRegistry(ref.location)
    return WorkbookRegistry(ledger)
