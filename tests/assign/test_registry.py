"""The registries of issued codes: the workbook sheet, a real SQLite file, a real PostgreSQL server."""

from __future__ import annotations

import sqlite3

import pytest

from addrkit.assign.codes import CodePattern
from addrkit.assign.registry import (
    CodeLedger,
    IssuedCode,
    RegistryKind,
    RegistryRef,
    WorkbookRegistry,
    open_registry,
)
from addrkit.errors import CodePatternError, RegistryError, SettingsError
from benchmarks.registry_concurrency import run_concurrent

PATTERN = CodePattern.parse("{REGION}-{SEQ:03}{CHECK}")


def _issue(reg, prefix, count, customers=()):
    return reg.issue(
        prefix,
        count,
        lambda s: PATTERN.render(prefix, s),
        ceiling=PATTERN.capacity,
        customers=customers,
    )


@pytest.fixture(params=["workbook", "sqlite", "postgresql"])
def registry_text(request, tmp_path):
    if request.param == "workbook":
        return "workbook"
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / 'codes.db'}"
    return request.getfixturevalue("pg_conninfo")


@pytest.fixture
def persistent(registry_text):
    """A registry opened afresh each call; the workbook one is carried by its ledger."""
    state = {"ledger": CodeLedger()}

    def reopen():
        reg = open_registry(RegistryRef.parse(registry_text), state["ledger"])
        if isinstance(reg, WorkbookRegistry):
            original = reg.close

            def close():
                state["ledger"] = reg.ledger  # what the hidden sheet holds after the run
                original()

            reg.close = close
        return reg

    return reopen


def test_numbers_only_go_up_and_are_never_reused(persistent):
    with persistent() as reg:
        first = _issue(reg, "HD-#", 3, ["甲", "乙", "丙"])
    assert [c.seq for c in first] == [1, 2, 3]
    assert [c.customer for c in first] == ["甲", "乙", "丙"]
    # The rows are deleted from the sheet; the registry still knows the numbers.
    with persistent() as reg:
        again = _issue(reg, "HD-#", 2)
        other = _issue(reg, "HN-#", 1)
        known = reg.known([c.code for c in first])
    assert [c.seq for c in again] == [4, 5]
    assert [c.seq for c in other] == [1]
    assert {c.code for c in first} == set(known)
    assert known[first[1].code].customer == "乙"


def test_codes_already_in_a_sheet_raise_the_counter(persistent):
    typed = PATTERN.render("HD-#", 41)
    with persistent() as reg:
        reg.remember([IssuedCode(typed, "HD-#", 41, "手工")])
        issued = _issue(reg, "HD-#", 1)
        reg.remember([IssuedCode(PATTERN.render("HD-#", 7), "HD-#", 7, "旧")])  # lower: no change
        after = _issue(reg, "HD-#", 1)
    assert (issued[0].seq, after[0].seq) == (42, 43)


def test_a_full_pattern_is_a_clear_error_and_issues_nothing(persistent):
    with persistent() as reg:
        _issue(reg, "HD-#", 998)
        with pytest.raises(CodePatternError, match="999") as err:
            _issue(reg, "HD-#", 2)  # 999 fits, 1000 does not: neither is issued
        assert "SEQ" in str(err.value)
        last = _issue(reg, "HD-#", 1)
    assert last[0].seq == 999


def test_sqlite_registry_on_a_missing_share_says_so(tmp_path):
    with pytest.raises(RegistryError, match="no code was assigned"):
        open_registry(RegistryRef.parse(f"sqlite:{tmp_path / 'unmounted' / 'codes.db'}"))


def test_sqlite_file_that_is_not_a_database_says_so(tmp_path):
    path = tmp_path / "codes.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(RegistryError, match="Cannot reach the code registry"):
        open_registry(RegistryRef.parse(f"sqlite:{path}"))


def test_sqlite_registry_is_a_plain_sqlite_file(tmp_path):
    path = tmp_path / "codes.db"
    with open_registry(RegistryRef.parse(f"sqlite:{path}")) as reg:
        _issue(reg, "HD-#", 2, ["甲", "乙"])
    rows = sqlite3.connect(path).execute("SELECT code, customer FROM addrkit_codes ORDER BY seq")
    assert [r[1] for r in rows] == ["甲", "乙"]


def test_postgres_server_that_does_not_answer_says_so():
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(RegistryError, match="no code was assigned"):
        open_registry(RegistryRef.parse(f"postgresql://addrkit@127.0.0.1:{port}/postgres"))


def test_registry_setting_never_holds_a_password():
    with pytest.raises(SettingsError, match="password"):
        RegistryRef.parse("postgresql://sales:secret@db/crm")
    with pytest.raises(SettingsError, match="password"):
        RegistryRef.parse("host=db password=secret dbname=crm")
    assert RegistryRef.parse("codes.sqlite").kind is RegistryKind.SQLITE
    with pytest.raises(SettingsError, match="Registry must be"):
        RegistryRef.parse("customer_codes.csv")


# The full 8 × 5,000 runs in benchmarks/registry_concurrency.py (figures in
# docs/benchmarks.md); here the same code at a size the suite can afford.
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_eight_processes_at_once_get_no_duplicate(backend, tmp_path, request):
    if backend == "sqlite":
        registry = f"sqlite:{tmp_path / 'shared.db'}"
    else:
        registry = request.getfixturevalue("pg_conninfo")
    result = run_concurrent(registry, processes=8, n=40)
    assert result["codes"] == 320
    assert result["duplicates"] == 0 and result["distinct"] == 320
    assert result["recorded"] == 320
    # Both prefixes were counted without a gap: the counters match the codes issued.
    with open_registry(RegistryRef.parse(registry)) as reg:
        nxt = [
            reg.issue(p, 1, lambda s, p=p: p.replace("#", f"{s:07d}"), ceiling=None)[0].seq
            for p in ("HD-ZJ-#", "HN-GD-#")
        ]
    assert nxt == [161, 161]
