"""One contract every provider keeps, and the failures every online provider survives.

Online providers talk to a real HTTP server on 127.0.0.1 (see conftest.py) that plays
recorded answers of each service: found, nothing found, HTTP 429 (with Retry-After),
a timeout, malformed JSON, a server error. Back-off waits run on a fake clock.

Each provider is one row of ``PROVIDERS``; every test runs once per row (online-only
tests once per online row). No test depends on how fast the machine is: a timed-out
request is one the server never answers, and answered requests get a generous timeout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from addrkit.errors import (
    ProviderError,
    ProviderRateLimitError,
    ProviderResponseError,
    ProviderTimeoutError,
)
from addrkit.geocode.batch import geocode_batch
from addrkit.geocode.crs import CRS, convert
from addrkit.geocode.limits import RateLimiter
from addrkit.geocode.registry import get_provider
from addrkit.geocode.result import GeocodeStatus, Precision

from .conftest import Reply, recorded

QUERY = "杭州市西湖区文三路90号"


@dataclass(frozen=True)
class Described:
    """One provider as the contract sees it: what it answers to the recorded query."""

    name: str
    precision: Precision
    point: tuple[float, float] | None = None  # in the provider's own system; None: offline's
    path: str = ""  # the service's geocoding path ('' for the offline provider)
    needs_key: bool = False

    @property
    def online(self) -> bool:
        return bool(self.path)

    @property
    def expected_point(self) -> tuple[float, float]:
        if self.point is not None:
            return self.point
        from addrkit.geocode.boundaries import load_boundaries

        lat, lon = load_boundaries().unit("330106").point  # 西湖区
        return round(lat, 5), round(lon, 5)

    def make(self, server, clock, *, timeout: float = 10.0):
        if not self.online:
            return get_provider(self.name)
        limiter = RateLimiter(min_delay=0, max_retries=2, backoff=0.5, clock=clock,
                              sleep=clock.sleep)  # fmt: skip
        return get_provider(
            self.name, url=server.url, api_key=self.key, timeout=timeout, limiter=limiter,
        )  # fmt: skip

    @property
    def key(self) -> str | None:
        return "test-key" if self.needs_key else None

    def found_body(self) -> bytes:
        return recorded(f"{self.name}_found.json")

    def answer_found(self, server) -> None:
        """Queue the answer to ``QUERY`` (online providers)."""
        if self.online:
            server.queue_json(self.found_body())

    def answer_empty(self, server) -> None:
        """Queue a no-result answer (online providers)."""
        if self.online:
            server.queue_json(recorded(f"{self.name}_empty.json"))


STREET, ROOFTOP = Precision.STREET, Precision.ROOFTOP
ARCGIS_PATH = "/arcgis/rest/services/World/GeocodeServer/findAddressCandidates"
PROVIDERS = [
    Described("offline", Precision.DISTRICT),
    Described("nominatim", STREET, (30.27802, 120.13643), "/search"),
    Described("photon", STREET, (30.27802, 120.13643), "/api"),
    Described("pelias", STREET, (30.27802, 120.13643), "/v1/search"),
    Described("arcgis", ROOFTOP, (30.27813, 120.13413), ARCGIS_PATH),
    Described("baidu", ROOFTOP, (30.28425, 120.14734), "/geocoding/v3/", needs_key=True),
    Described("google", ROOFTOP, (30.27586, 120.13865), "/maps/api/geocode/json", needs_key=True),
    Described("amap", ROOFTOP, (30.27587, 120.14094), "/v3/geocode/geo", needs_key=True),
]
ONLINE = [d for d in PROVIDERS if d.online]


@pytest.fixture(params=PROVIDERS, ids=lambda d: d.name)
def described(request) -> Described:
    """Every provider, offline or online."""
    return request.param


@pytest.fixture(params=ONLINE, ids=lambda d: d.name)
def online(request) -> Described:
    """Providers behind HTTP."""
    return request.param


# What every provider does, offline or online.


def test_found_address_has_a_labelled_point(described, server, clock):
    provider = described.make(server, clock)
    described.answer_found(server)
    r = provider.geocode(QUERY)
    assert r.status is GeocodeStatus.OK
    assert r.source == provider.name == described.name
    assert r.crs == provider.crs.value
    assert (round(r.lat, 5), round(r.lon, 5)) == described.expected_point
    assert r.precision is described.precision
    assert r.confidence is None or 0 <= r.confidence <= 1
    out = r.to_dict()
    for key in ("input", "lat", "lon", "crs", "precision", "source", "adcode", "status",
                "issues"):  # fmt: skip
        assert key in out
    assert json.loads(json.dumps(out, ensure_ascii=False)) == out


def test_unknown_place_is_not_found(described, server, clock):
    provider = described.make(server, clock)
    described.answer_empty(server)
    r = provider.geocode("xyzzy plugh 无此地 99999")
    assert r.status is GeocodeStatus.NOT_FOUND and r.point is None
    assert "NOT_FOUND" in [i.code for i in r.issues]


@pytest.mark.parametrize("value", [None, "", "   ", 42, 3.5, "#N/A"])
def test_cells_that_are_no_address_text_are_explained_not_sent(described, server, clock, value):
    provider = described.make(server, clock)
    r = provider.geocode(value)
    assert r.status is GeocodeStatus.ERROR and r.point is None
    assert r.issues and all(i.message for i in r.issues)
    assert server.requests == []


def test_a_32767_character_cell_is_answered(described, server, clock):
    provider = described.make(server, clock)
    described.answer_empty(server)
    r = provider.geocode("浙" * 32767)
    assert r.status in (GeocodeStatus.NOT_FOUND, GeocodeStatus.ERROR, GeocodeStatus.OK)
    assert len(r.input) <= 500


def test_batch_converts_to_the_chosen_system(described, server, clock):
    provider = described.make(server, clock)
    described.answer_found(server)
    (r,) = geocode_batch([QUERY], provider, crs="bd09")
    assert r.crs == "BD-09"
    lat, lon = convert(r.lat, r.lon, CRS.BD09, provider.crs)
    assert (round(lat, 5), round(lon, 5)) == described.expected_point


# Failures of the network and of the service, for providers behind HTTP.


def test_request_goes_to_the_service_path_with_the_query(online, server, clock):
    provider = online.make(server, clock)
    online.answer_found(server)
    provider.geocode(QUERY)
    (request,) = server.requests
    assert request["path"] == online.path
    sent = [v for values in request["params"].values() for v in values]
    assert any(QUERY in v for v in sent)
    if online.needs_key:
        assert "test-key" in sent
    assert "addrkit" in request["headers"].get("User-Agent", "")


def test_429_is_retried_after_the_wait_the_service_asks_for(online, server, clock):
    provider = online.make(server, clock)
    server.queue(Reply(429, b'{"error": "Too Many Requests"}', {"Retry-After": "3"}))
    online.answer_found(server)
    r = provider.geocode(QUERY)
    assert r.status is GeocodeStatus.OK
    assert len(server.requests) == 2
    assert provider.limiter.waits == [3.0]  # Retry-After beats the 0.5 s back-off
    assert clock.slept == [3.0]  # on the limiter's clock, not slept again by the HTTP stack


def test_429_every_time_gives_up_and_the_batch_stops_asking(online, server, clock):
    provider = online.make(server, clock)
    server.default = Reply(429, b"{}", {"Retry-After": "1"})
    with pytest.raises(ProviderRateLimitError):
        provider.geocode(QUERY)
    assert len(server.requests) == 3  # one try and two retries
    server.requests.clear()
    rows = list(geocode_batch([QUERY, "浙江省宁波市", "浙江省温州市"], provider))
    assert [r.status for r in rows] == [GeocodeStatus.ERROR, GeocodeStatus.SKIPPED,
                                        GeocodeStatus.SKIPPED]  # fmt: skip
    assert rows[0].issues[0].code == "QUOTA"
    assert len(server.requests) == 3  # the skipped rows were never sent


def test_timeout_is_retried_then_reported(online, server, clock):
    provider = online.make(server, clock, timeout=0.2)
    server.default = Reply(hang=True)
    with pytest.raises(ProviderTimeoutError) as err:
        provider.geocode(QUERY)
    assert isinstance(err.value, TimeoutError)
    assert len(server.requests) == 3
    assert clock.slept == [0.5, 1.0]  # exponential back-off
    (row,) = geocode_batch([QUERY], provider)
    assert row.status is GeocodeStatus.ERROR and row.issues[0].code == "TIMEOUT"


def test_timeout_once_then_answer(online, server, clock):
    # The second request must be answered within the timeout: a second even when loaded.
    provider = online.make(server, clock, timeout=1.0)
    server.queue(Reply(hang=True))
    online.answer_found(server)
    assert provider.geocode(QUERY).status is GeocodeStatus.OK
    assert len(server.requests) == 2 and clock.slept == [0.5]


@pytest.mark.parametrize("body", [b"{not json", b"<html><body>502 Bad Gateway</body></html>"])
def test_malformed_json_is_a_response_error_not_retried(online, server, clock, body):
    provider = online.make(server, clock)
    server.default = Reply(200, body, {"Content-Type": "application/json"})
    with pytest.raises(ProviderResponseError) as err:
        provider.geocode(QUERY)
    assert isinstance(err.value, ValueError) and isinstance(err.value, ProviderError)
    assert len(server.requests) == 1
    (row,) = geocode_batch(["浙江省宁波市"], provider)
    assert row.status is GeocodeStatus.ERROR and row.issues[0].code == "BAD_RESPONSE"


def test_server_error_is_retried(online, server, clock):
    provider = online.make(server, clock)
    server.queue(Reply(502, b"Bad Gateway", {"Content-Type": "text/plain"}))
    online.answer_found(server)
    assert provider.geocode(QUERY).status is GeocodeStatus.OK
    assert len(server.requests) == 2


def test_no_server_listening_is_a_provider_error(online, clock):
    limiter = RateLimiter(min_delay=0, max_retries=1, clock=clock, sleep=clock.sleep)
    provider = get_provider(online.name, url="http://127.0.0.1:9", limiter=limiter,
                            api_key=online.key)  # fmt: skip
    with pytest.raises(ProviderError):
        provider.geocode(QUERY)


def test_repr_never_shows_the_key(online, server, clock):
    assert "test-key" not in repr(online.make(server, clock))
