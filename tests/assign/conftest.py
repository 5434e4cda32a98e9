"""A real PostgreSQL server for the registry tests, started and stopped here.

The server binaries (initdb, pg_ctl) must be on the machine; without them the
PostgreSQL tests skip saying so, or fail when ADDRKIT_REQUIRE_POSTGRES=1 (CI) says
they must run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

_REPO_ROOT = Path(__file__).resolve().parents[2]
if str(_REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(_REPO_ROOT))

from benchmarks.pgserver import PgServer, PgUnavailable  # noqa: E402

REQUIRE_POSTGRES_ENV = "ADDRKIT_REQUIRE_POSTGRES"


@pytest.fixture(scope="session")
def pg_server():
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable('psycopg is not installed: pip install "addrkit[postgres]"')
    try:
        server = PgServer.start()
    except PgUnavailable as err:
        _unavailable(str(err))
    yield server
    server.stop()


@pytest.fixture
def pg_conninfo(pg_server, request):
    """A fresh, empty database on the session's server for each test."""
    import psycopg

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name)[:50].lower()
    with psycopg.connect(pg_server.conninfo, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return pg_server.conninfo.rsplit("/", 1)[0] + f"/{name}"


def _unavailable(message: str) -> None:
    if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
        pytest.fail(f"{message} ({REQUIRE_POSTGRES_ENV}=1 requires it)", pytrace=False)
    pytest.skip(message)
