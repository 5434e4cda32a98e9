"""Real online services, run only with ``pytest --live`` (and a key where one is needed)."""

from __future__ import annotations

import os

import pytest

from addrkit.geocode.batch import geocode_batch
from addrkit.geocode.boundaries import load_boundaries
from addrkit.geocode.registry import get_provider
from addrkit.geocode.result import GeocodeStatus

pytestmark = pytest.mark.live


def _inside_xihu(result) -> bool:
    point = result.point.to("wgs84")
    return load_boundaries().locate(point.lat, point.lon)[2].name == "西湖区"


def test_nominatim_public_server_finds_a_hangzhou_road():
    (r,) = geocode_batch(["文三路, 西湖区, 杭州市, 浙江省"], get_provider("nominatim"))
    assert r.status is GeocodeStatus.OK and r.crs == "WGS-84"
    assert _inside_xihu(r)


@pytest.mark.parametrize(
    ("name", "variables"),
    [("amap", ("ADDRKIT_AMAP_KEY", "AMAP_KEY")), ("baidu", ("ADDRKIT_BAIDU_KEY", "BAIDU_AK")),
     ("google", ("ADDRKIT_GOOGLE_KEY", "GOOGLE_API_KEY"))],
)  # fmt: skip
def test_keyed_provider_finds_an_address_in_its_own_system(name, variables):
    if not any(os.environ.get(v) for v in variables):
        pytest.skip(f"{name}: set {' or '.join(variables)} to run this live test")
    (r,) = geocode_batch(["浙江省杭州市西湖区文三路90号"], get_provider(name))
    assert r.status is GeocodeStatus.OK
    assert _inside_xihu(r)
