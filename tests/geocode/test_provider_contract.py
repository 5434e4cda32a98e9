"""One contract every provider keeps, and the failures every online provider survives.

Online providers talk to a real HTTP server on 127.0.0.1 (see conftest.py) that plays
recorded answers of each service: found, nothing found, HTTP 429 (with Retry-After),
a timeout, malformed JSON, a server error. Back-off waits run on a fake clock.
"""

from __future__ import annotations

import json

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


class ProviderContract:
    """What every provider does, offline or online."""

    name: str
    found_query = QUERY
    expected_precision: Precision
    expected_point: tuple[float, float]  # in the provider's own system

    def make(self, server, clock):
        raise NotImplementedError

    def answer_found(self, server) -> None:
        """Queue the answer to ``found_query`` (online providers)."""

    def answer_empty(self, server) -> None:
        """Queue a no-result answer (online providers)."""

    def test_found_address_has_a_labelled_point(self, server, clock):
        provider = self.make(server, clock)
        self.answer_found(server)
        r = provider.geocode(self.found_query)
        assert r.status is GeocodeStatus.OK
        assert r.source == provider.name == self.name
        assert r.crs == provider.crs.value
        assert (round(r.lat, 5), round(r.lon, 5)) == self.expected_point
        assert r.precision is self.expected_precision
        assert r.confidence is None or 0 <= r.confidence <= 1
        out = r.to_dict()
        for key in ("input", "lat", "lon", "crs", "precision", "source", "adcode", "status",
                    "issues"):  # fmt: skip
            assert key in out
        assert json.loads(json.dumps(out, ensure_ascii=False)) == out

    def test_unknown_place_is_not_found(self, server, clock):
        provider = self.make(server, clock)
        self.answer_empty(server)
        r = provider.geocode("xyzzy plugh 无此地 99999")
        assert r.status is GeocodeStatus.NOT_FOUND and r.point is None
        assert "NOT_FOUND" in [i.code for i in r.issues]

    @pytest.mark.parametrize("value", [None, "", "   ", 42, 3.5, "#N/A"])
    def test_cells_that_are_no_address_text_are_explained_not_sent(self, server, clock, value):
        provider = self.make(server, clock)
        r = provider.geocode(value)
        assert r.status is GeocodeStatus.ERROR and r.point is None
        assert r.issues and all(i.message for i in r.issues)
        assert server.requests == []

    def test_a_32767_character_cell_is_answered(self, server, clock):
        provider = self.make(server, clock)
        self.answer_empty(server)
        r = provider.geocode("浙" * 32767)
        assert r.status in (GeocodeStatus.NOT_FOUND, GeocodeStatus.ERROR, GeocodeStatus.OK)
        assert len(r.input) <= 500

    def test_batch_converts_to_the_chosen_system(self, server, clock):
        provider = self.make(server, clock)
        self.answer_found(server)
        (r,) = geocode_batch([self.found_query], provider, crs="bd09")
        assert r.crs == "BD-09"
        lat, lon = convert(r.lat, r.lon, CRS.BD09, provider.crs)
        assert (round(lat, 5), round(lon, 5)) == self.expected_point


class OnlineContract(ProviderContract):
    """Failures of the network and of the service, for providers behind HTTP."""

    geocode_path: str
    needs_key = False

    def make(self, server, clock, **options):
        limiter = RateLimiter(min_delay=0, max_retries=2, backoff=0.5, clock=clock,
                              sleep=clock.sleep)  # fmt: skip
        return get_provider(
            self.name, url=server.url, api_key="test-key" if self.needs_key else None,
            timeout=options.pop("timeout", 2.0), limiter=limiter, **options,
        )  # fmt: skip

    def answer_found(self, server) -> None:
        server.queue_json(recorded(f"{self.name}_found.json"))

    def answer_empty(self, server) -> None:
        server.queue_json(recorded(f"{self.name}_empty.json"))

    def test_request_goes_to_the_service_path_with_the_query(self, server, clock):
        provider = self.make(server, clock)
        self.answer_found(server)
        provider.geocode(self.found_query)
        (request,) = server.requests
        assert request["path"] == self.geocode_path
        sent = [v for values in request["params"].values() for v in values]
        assert any(self.found_query in v for v in sent)
        if self.needs_key:
            assert "test-key" in sent
        assert "addrkit" in request["headers"].get("User-Agent", "")

    def test_429_is_retried_after_the_wait_the_service_asks_for(self, server, clock):
        provider = self.make(server, clock)
        server.queue(Reply(429, b'{"error": "Too Many Requests"}', {"Retry-After": "3"}))
        self.answer_found(server)
        r = provider.geocode(self.found_query)
        assert r.status is GeocodeStatus.OK
        assert len(server.requests) == 2
        assert provider.limiter.waits == [3.0]  # Retry-After beats the 0.5 s back-off

    def test_429_every_time_gives_up_and_the_batch_stops_asking(self, server, clock):
        provider = self.make(server, clock)
        server.default = Reply(429, b"{}", {"Retry-After": "1"})
        with pytest.raises(ProviderRateLimitError):
            provider.geocode(self.found_query)
        assert len(server.requests) == 3  # one try and two retries
        server.requests.clear()
        rows = list(geocode_batch([self.found_query, "浙江省宁波市", "浙江省温州市"], provider))
        assert [r.status for r in rows] == [GeocodeStatus.ERROR, GeocodeStatus.SKIPPED,
                                            GeocodeStatus.SKIPPED]  # fmt: skip
        assert rows[0].issues[0].code == "QUOTA"
        assert len(server.requests) == 3  # the skipped rows were never sent

    def test_timeout_is_retried_then_reported(self, server, clock):
        provider = self.make(server, clock, timeout=0.2)
        server.default = Reply(200, recorded(f"{self.name}_found.json"), delay=0.6)
        with pytest.raises(ProviderTimeoutError) as err:
            provider.geocode(self.found_query)
        assert isinstance(err.value, TimeoutError)
        assert len(server.requests) == 3
        assert clock.slept == [0.5, 1.0]  # exponential back-off
        (row,) = geocode_batch([self.found_query], provider)
        assert row.status is GeocodeStatus.ERROR and row.issues[0].code == "TIMEOUT"

    def test_timeout_once_then_answer(self, server, clock):
        provider = self.make(server, clock, timeout=0.2)
        server.queue(Reply(200, recorded(f"{self.name}_found.json"), delay=0.6))
        self.answer_found(server)
        assert provider.geocode(self.found_query).status is GeocodeStatus.OK

    @pytest.mark.parametrize("body", [b"{not json", b"<html><body>502 Bad Gateway</body></html>"])
    def test_malformed_json_is_a_response_error_not_retried(self, server, clock, body):
        provider = self.make(server, clock)
        server.default = Reply(200, body, {"Content-Type": "application/json"})
        with pytest.raises(ProviderResponseError) as err:
            provider.geocode(self.found_query)
        assert isinstance(err.value, ValueError) and isinstance(err.value, ProviderError)
        assert len(server.requests) == 1
        (row,) = geocode_batch(["浙江省宁波市"], provider)
        assert row.status is GeocodeStatus.ERROR and row.issues[0].code == "BAD_RESPONSE"

    def test_server_error_is_retried(self, server, clock):
        provider = self.make(server, clock)
        server.queue(Reply(502, b"Bad Gateway", {"Content-Type": "text/plain"}))
        self.answer_found(server)
        assert provider.geocode(self.found_query).status is GeocodeStatus.OK
        assert len(server.requests) == 2

    def test_no_server_listening_is_a_provider_error(self, clock):
        limiter = RateLimiter(min_delay=0, max_retries=1, clock=clock, sleep=clock.sleep)
        provider = get_provider(self.name, url="http://127.0.0.1:9", limiter=limiter,
                                api_key="test-key" if self.needs_key else None)  # fmt: skip
        with pytest.raises(ProviderError):
            provider.geocode(self.found_query)

    def test_repr_never_shows_the_key(self, server, clock):
        assert "test-key" not in repr(self.make(server, clock))


class TestOffline(ProviderContract):
    name = "offline"
    expected_precision = Precision.DISTRICT

    @property
    def expected_point(self):
        from addrkit.geocode.boundaries import load_boundaries

        lat, lon = load_boundaries().unit("330106").point  # 西湖区
        return round(lat, 5), round(lon, 5)

    def make(self, server, clock):
        return get_provider("offline")


class TestNominatim(OnlineContract):
    name = "nominatim"
    geocode_path = "/search"
    expected_point = (30.27802, 120.13643)
    expected_precision = Precision.STREET


class TestPhoton(OnlineContract):
    name = "photon"
    geocode_path = "/api"
    expected_point = (30.27802, 120.13643)
    expected_precision = Precision.STREET


class TestPelias(OnlineContract):
    name = "pelias"
    geocode_path = "/v1/search"
    expected_point = (30.27802, 120.13643)
    expected_precision = Precision.STREET


class TestArcGIS(OnlineContract):
    name = "arcgis"
    geocode_path = "/arcgis/rest/services/World/GeocodeServer/findAddressCandidates"
    expected_point = (30.27813, 120.13413)
    expected_precision = Precision.ROOFTOP


class TestBaidu(OnlineContract):
    name = "baidu"
    geocode_path = "/geocoding/v3/"
    needs_key = True
    expected_point = (30.28425, 120.14734)
    expected_precision = Precision.ROOFTOP


class TestGoogle(OnlineContract):
    name = "google"
    geocode_path = "/maps/api/geocode/json"
    needs_key = True
    expected_point = (30.27586, 120.13865)
    expected_precision = Precision.ROOFTOP


class TestAMap(OnlineContract):
    name = "amap"
    geocode_path = "/v3/geocode/geo"
    needs_key = True
    expected_point = (30.27587, 120.14094)
    expected_precision = Precision.ROOFTOP
