"""AMap's own status codes (HTTP 200 with an error inside), and where API keys come from."""

from __future__ import annotations

import pytest

from addrkit.errors import (
    ProviderAuthError,
    ProviderConfigError,
    ProviderQuotaError,
    ProviderRateLimitError,
    UnknownNameError,
)
from addrkit.geocode.batch import geocode_batch
from addrkit.geocode.keys import find_key
from addrkit.geocode.limits import RateLimiter
from addrkit.geocode.registry import get_provider, provider_names
from addrkit.geocode.result import GeocodeStatus
from addrkit.settings import KeyReference

from .conftest import Reply, recorded


def amap(server, clock):
    limiter = RateLimiter(min_delay=0, max_retries=2, clock=clock, sleep=clock.sleep)
    return get_provider("amap", url=server.url, api_key="k", limiter=limiter)


def test_daily_limit_stops_the_batch_without_retrying(server, clock):
    provider = amap(server, clock)
    server.default = Reply(200, recorded("amap_daily_limit.json"))
    with pytest.raises(ProviderQuotaError) as err:
        provider.geocode("杭州市西湖区")
    assert not isinstance(err.value, ProviderRateLimitError)
    assert len(server.requests) == 1  # a used-up day is not retried
    server.requests.clear()
    rows = list(geocode_batch(["杭州市西湖区", "宁波市", "温州市"], provider))
    assert [r.status.value for r in rows] == ["ERROR", "SKIPPED", "SKIPPED"]
    assert "10003" in rows[0].issues[0].message
    assert len(server.requests) == 1


def test_too_frequent_is_retried(server, clock):
    provider = amap(server, clock)
    server.queue(Reply(200, recorded("amap_too_frequent.json")))
    server.queue(Reply(200, recorded("amap_found.json")))
    r = provider.geocode("杭州市西湖区文三路90号")
    assert r.status is GeocodeStatus.OK and r.adcode == "330106"
    assert len(server.requests) == 2 and clock.slept == [1.0]


def test_invalid_key_is_an_auth_error_and_stops(server, clock):
    provider = amap(server, clock)
    server.default = Reply(200, recorded("amap_invalid_key.json"))
    with pytest.raises(ProviderAuthError) as err:
        provider.geocode("杭州")
    assert isinstance(err.value, PermissionError)
    rows = list(geocode_batch(["杭州", "宁波"], provider))
    assert [r.issues[0].code for r in rows] == ["AUTH", "SKIPPED"]


def test_amap_empty_fields_are_lists_and_are_read_as_missing(server, clock):
    provider = amap(server, clock)
    server.queue_json(recorded("amap_found.json"))
    r = provider.geocode("杭州市西湖区文三路90号")
    assert r.address == "浙江省杭州市西湖区文三路90号" and r.crs == "GCJ-02"


def test_key_from_environment_user_file_or_reference(tmp_path, monkeypatch):
    monkeypatch.delenv("ADDRKIT_AMAP_KEY", raising=False)
    monkeypatch.delenv("AMAP_KEY", raising=False)
    monkeypatch.setenv("ADDRKIT_KEY_FILE", str(tmp_path / "keys.toml"))
    assert find_key("amap") is None
    (tmp_path / "keys.toml").write_text('amap = "from-file"\n', encoding="utf-8")
    assert find_key("amap") == "from-file"
    monkeypatch.setenv("AMAP_KEY", "from-env")
    assert find_key("amap") == "from-env"
    secret = tmp_path / "amap.txt"
    secret.write_text("from-ref\n", encoding="utf-8")
    assert find_key("amap", KeyReference.parse(f"file:{secret}")) == "from-ref"
    with pytest.raises(ProviderConfigError, match="NOPE_NOT_SET"):
        find_key("amap", KeyReference.parse("env:NOPE_NOT_SET"))


def test_provider_that_needs_a_key_says_where_to_put_it(monkeypatch, tmp_path):
    for var in ("ADDRKIT_BAIDU_KEY", "BAIDU_AK"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ADDRKIT_KEY_FILE", str(tmp_path / "none.toml"))
    with pytest.raises(ProviderConfigError, match="BAIDU_AK"):
        get_provider("baidu")


def test_registry_names_and_aliases():
    assert provider_names()[0] == "offline"
    assert get_provider("高德", api_key="k").name == "amap"
    assert get_provider(" Nominatim ").name == "nominatim"
    with pytest.raises(UnknownNameError) as err:
        get_provider("bing")
    assert all(name in str(err.value) for name in provider_names())
    with pytest.raises(ProviderConfigError, match="server"):
        get_provider("photon", url="ftp://x")
    with pytest.raises(ProviderConfigError):
        get_provider("pelias").geocode("杭州")
