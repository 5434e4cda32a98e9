"""The persistent cache: shared safely between writers, exported and imported as rows,
and a batch killed mid-way resumes where it stopped (a real process, really killed)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

from addrkit.geocode.cache import GeocodeCache
from addrkit.geocode.result import GeocodeResult, GeocodeStatus, GeoPoint

from .conftest import Reply, recorded

ADDRESSES = [f"浙江省杭州市西湖区文三路{n}号" for n in range(1, 21)]


def result(text: str, lat: float = 30.0) -> GeocodeResult:
    return GeocodeResult(text, GeoPoint(lat, 120.0), source="nominatim", status=GeocodeStatus.OK)


def run_cli(server, cache, lines, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    cmd = [sys.executable, "-m", "addrkit.cli", "geocode", "--provider", "nominatim",
           "--url", server.url, "--cache", str(cache), "--min-delay", "0"]  # fmt: skip
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        **kwargs,
    )  # fmt: skip
    proc.stdin.write("\n".join(lines).encode("utf-8") + b"\n")
    proc.stdin.close()
    return proc


def test_a_killed_batch_resumes_where_it_stopped(server, tmp_path):
    cache = tmp_path / "geocode.sqlite"
    found = recorded("nominatim_found.json")
    for _ in range(5):
        server.queue(Reply(200, found))
    server.default = Reply(200, found, delay=20)  # the sixth request hangs: kill then
    proc = run_cli(server, cache, ADDRESSES)
    deadline = time.monotonic() + 60
    while len(server.requests) < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(server.requests) == 6, proc.stderr.read().decode()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with GeocodeCache(cache) as c:
        assert len(c) == 5  # every answer before the kill was committed

    server.requests.clear()
    server.default = Reply(200, found)
    second = run_cli(server, cache, ADDRESSES)
    out = second.stdout.read()
    assert second.wait(timeout=120) == 0, second.stderr.read().decode()
    rows = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    assert [r["input"] for r in rows] == ADDRESSES
    assert all(r["status"] == "OK" and r["crs"] == "WGS-84" for r in rows)
    cached = [any(i["code"] == "CACHED" for i in r["issues"]) for r in rows]
    assert cached == [True] * 5 + [False] * 15
    asked = [req["params"]["q"][0] for req in server.requests]
    assert asked == ADDRESSES[5:]  # only what the first run had not got


def test_two_writers_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.sqlite"
    errors = []

    def write(prefix: str) -> None:
        try:
            with GeocodeCache(path) as cache:
                for n in range(150):
                    cache.put("nominatim", result(f"{prefix}{n}"))
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=write, args=(p,)) for p in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with GeocodeCache(path) as cache:
        assert len(cache) == 450


def test_only_answers_are_cached_and_the_newer_import_wins(tmp_path):
    cache = GeocodeCache(tmp_path / "a.sqlite")
    assert cache.put("nominatim", result("杭州")) is True
    failed = GeocodeResult("宁波", source="nominatim", status=GeocodeStatus.ERROR)
    assert cache.put("nominatim", failed) is False
    rows = cache.export_rows()
    assert len(rows) == 1 and rows[0][0] == "nominatim" and rows[0][1] == "杭州"
    assert json.loads(rows[0][2])["lat"] == 30.0

    other = GeocodeCache(tmp_path / "b.sqlite")
    other.put("nominatim", result("杭州", lat=31.0))  # newer than the exported row
    taken = other.import_rows(
        [*rows, ("nominatim", "bad", "{not json", rows[0][3]), ("x",), ("", "q", rows[0][2], 0)]
    )
    assert taken == 1
    assert other.get("nominatim", "杭州").lat == 31.0
    older = [("nominatim", "温州", rows[0][2], "2020-01-01T00:00:00+00:00")]
    assert other.import_rows(older) == 1 and other.get("nominatim", "温州").lat == 30.0
    assert [r[1] for r in other.export_rows("nominatim")] == ["温州", "杭州"]
    cache.close()
    other.close()


def test_cache_file_defaults_to_the_user_cache_folder_and_can_be_moved(tmp_path, monkeypatch):
    from addrkit.geocode.cache import default_cache_path

    monkeypatch.delenv("ADDRKIT_GEOCODE_CACHE", raising=False)
    assert default_cache_path().name == "geocode.sqlite"
    assert "addrkit" in str(default_cache_path())
    monkeypatch.setenv("ADDRKIT_GEOCODE_CACHE", str(tmp_path / "x.sqlite"))
    assert default_cache_path() == tmp_path / "x.sqlite"
    assert not (tmp_path / "x.sqlite").exists()  # nothing is opened until used
    GeocodeCache().put("amap", result("杭州"))
    assert (tmp_path / "x.sqlite").exists()
