"""A geocoding run whose service misbehaves mid-batch: connections dropped mid-response,
reset, garbage answers, server errors. The run keeps every answer it got, says which
lines it did not finish (exit 3), and a rerun asks only for those.

The service is a real HTTP server on 127.0.0.1 (`benchmarks.fault_server`); the client
is the real ``addrkit geocode`` process with its normal HTTP stack.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import openpyxl
import pytest

from addrkit.geocode.cache import GeocodeCache
from benchmarks.fault_server import FaultServer

ADDRESSES = [f"浙江省杭州市西湖区文三路{n}号" for n in range(1, 16)]


def geocode(server: FaultServer, cache, lines=ADDRESSES, retries: int = 1):
    cmd = [sys.executable, "-m", "addrkit.cli", "geocode", "--provider", "nominatim",
           "--url", server.url, "--cache", str(cache), "--min-delay", "0", "--timeout", "2",
           "--retries", str(retries)]  # fmt: skip
    done = subprocess.run(
        cmd, input="\n".join(lines).encode() + b"\n", capture_output=True, timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    rows = [json.loads(line) for line in done.stdout.decode().splitlines()]
    return done.returncode, rows, done.stderr.decode()


def cached_queries(cache) -> set[str]:
    with GeocodeCache(cache) as c:
        return {q for _, q, _, _ in c.export_rows()}


def test_a_dropped_connection_is_retried_and_the_row_answered(tmp_path):
    # Row 4's first answer is cut mid-body, row 7's connection is reset: both are retried.
    def fault(n, query, attempt):
        if attempt == 0 and query in (ADDRESSES[3], ADDRESSES[6]):
            return "drop" if query == ADDRESSES[3] else "reset"
        return "ok"

    with FaultServer(fault) as server:
        code, rows, err = geocode(server, tmp_path / "c.sqlite")
    assert code == 0, err
    assert [r["status"] for r in rows] == ["OK"] * len(ADDRESSES)
    assert [r["input"] for r in rows] == ADDRESSES


def test_service_gone_mid_batch_saves_what_finished_and_a_rerun_completes(tmp_path):
    cache = tmp_path / "c.sqlite"
    alive = {"on": True}

    def fault(n, query, attempt):  # after six answers every connection is reset
        return "ok" if alive["on"] and n < 6 else "reset"

    with FaultServer(fault) as server:
        code, rows, err = geocode(server, cache)
        assert code == 3
        assert "got no answer" in err and "run again" in err and "重新运行" in err
        statuses = [r["status"] for r in rows]
        assert statuses[:6] == ["OK"] * 6
        # Three rows fail after their retry, then the batch stops asking a dead service.
        assert statuses[6:9] == ["ERROR"] * 3 and set(statuses[9:]) == {"SKIPPED"}
        assert f"{len(ADDRESSES) - 6} of {len(ADDRESSES)} lines" in err
        assert len(server.asked()) == 9  # no request for the skipped rows
        assert cached_queries(cache) == set(ADDRESSES[:6])  # every answer kept

        server.reset_log()
        server.fault = lambda n, q, a: "ok"
        code, rows, err = geocode(server, cache)
        assert code == 0, err
        assert [r["status"] for r in rows] == ["OK"] * len(ADDRESSES)
        assert server.asked() == ADDRESSES[6:]  # the finished rows were not asked again
        cached = [any(i["code"] == "CACHED" for i in r["issues"]) for r in rows]
        assert cached == [True] * 6 + [False] * (len(ADDRESSES) - 6)


@pytest.mark.parametrize("bad", ["garbage", "500"])
def test_garbage_and_server_errors_are_reported_and_retried_on_the_rerun(tmp_path, bad):
    cache = tmp_path / "c.sqlite"
    broken = {ADDRESSES[2], ADDRESSES[9]}

    def fault(n, query, attempt):  # the same two rows fail on every try of this run
        return bad if query in broken else "ok"

    with FaultServer(fault) as server:
        code, rows, err = geocode(server, cache)
        assert code == 3
        failed = [r["input"] for r in rows if r["status"] == "ERROR"]
        assert sorted(failed) == sorted(broken)
        reason = "unreadable answer 2" if bad == "garbage" else "service failed 2"
        assert reason in err, err
        assert cached_queries(cache) == set(ADDRESSES) - broken

        server.reset_log()
        server.fault = lambda n, q, a: "ok"
        code, rows, err = geocode(server, cache)
        assert code == 0, err
        assert sorted(server.asked()) == sorted(broken)
        assert all(r["status"] == "OK" for r in rows)


def test_a_slow_service_times_out_and_says_so(tmp_path):
    def fault(n, query, attempt):
        return "slow" if query == ADDRESSES[0] else "ok"

    with FaultServer(fault, slow_seconds=4) as server:
        code, rows, err = geocode(server, tmp_path / "c.sqlite", ADDRESSES[:3], retries=0)
    assert code == 3
    assert rows[0]["status"] == "ERROR" and rows[0]["issues"][-1]["code"] == "TIMEOUT"
    assert [r["status"] for r in rows[1:]] == ["OK", "OK"]
    assert "timed out 1" in err


def test_workbook_geocode_keeps_what_finished_warns_and_a_rerun_asks_only_the_rest(
    tmp_path, monkeypatch
):
    from addrkit.progress import Progress
    from addrkit.workbook.run_file import run_file
    from tests.ops.test_geocode_map import _book

    rows = [[f"C{n}", f"客户{n}", address, "A", n] for n, address in enumerate(ADDRESSES[:10], 1)]
    cache = tmp_path / "local.sqlite"
    monkeypatch.setenv("ADDRKIT_GEOCODE_CACHE", str(cache))
    with FaultServer(lambda n, q, a: "ok" if n < 4 else "reset") as server:
        settings = [("地理编码服务 Provider", "nominatim"), ("服务器 Server URL", server.url)]
        book = _book(tmp_path / "b.xlsx", rows=rows, settings=settings)
        first = run_file(["geocode"], book, progress=Progress())
        warnings = [w for plan in first.plans for w in plan.warnings]
        assert any("left 6 rows unanswered" in w and "再次运行" in w for w in warnings), warnings
        log = [str(c) for r in openpyxl.load_workbook(book)["日志 Log"].iter_rows(values_only=True) for c in r]
        assert any("left 6 rows unanswered" in c for c in log)  # what an Excel user reads
        kept = cached_queries(cache)
        assert len(kept) == 4  # every answer that arrived was kept

        server.reset_log()
        server.fault = lambda n, q, a: "ok"
        again = run_file(["geocode"], book, progress=Progress())
        assert not [w for plan in again.plans for w in plan.warnings]
        asked = server.asked()
        assert len(asked) == 6 and not set(asked) & kept  # only the unanswered rows
        assert len(cached_queries(cache)) == 10


def test_a_read_timeout_behind_retries_is_a_timeout_not_a_failed_service():
    # What geopy's requests adapter raises when urllib3's retries end on a read timeout,
    # beside a refused connection (the service is down: not a timeout).
    from geopy import exc

    from addrkit.errors import ProviderTimeoutError
    from addrkit.geocode.base import translate_geopy_error

    slow = exc.GeocoderUnavailable(
        "HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded with url: /search "
        "(Caused by ReadTimeoutError(\"HTTPConnectionPool(host='127.0.0.1', port=1): "
        "Read timed out. (read timeout=2)\"))"
    )
    down = exc.GeocoderUnavailable(
        "HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded with url: /search "
        "(Caused by NewConnectionError('Failed to establish a new connection: "
        "[Errno 111] Connection refused'))"
    )
    assert isinstance(translate_geopy_error(slow), ProviderTimeoutError)
    assert not isinstance(translate_geopy_error(down), ProviderTimeoutError)


@pytest.mark.parametrize("name", ["nominatim", "photon", "arcgis"])
def test_the_http_client_does_no_retries_of_its_own_whatever_is_installed(name, monkeypatch):
    # With requests installed geopy takes its requests adapter, which retries timeouts and
    # 429s underneath the provider's own paced retries; the provider always takes the
    # standard library's client, so one try of ours is one request. geopy's default is
    # set to another adapter here, as an installed requests would.
    from geopy.adapters import URLLibAdapter
    from geopy.geocoders import options

    from addrkit.geocode.registry import get_provider

    class RetryingAdapter(URLLibAdapter):
        pass

    monkeypatch.setattr(options, "default_adapter_factory", RetryingAdapter)
    assert type(get_provider(name).geocoder.adapter) is URLLibAdapter
