"""Geocode with an online provider: a local server answering as Nominatim does, the
local cache, and the cache copy that travels in the workbook's hidden sheet."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from addrkit.ops.geocode import GEOCODED_SHEET, GeoStatus
from addrkit.ops.geocode_online import CACHE_SHEET
from addrkit.progress import Progress
from addrkit.workbook.run_file import run_file

from .test_geocode_map import _book

# Answers shaped as Nominatim's /search?format=json gives them (fields as the public
# server returns them; values for these streets).
ANSWERS = {
    "浙江省杭州市西湖区文三路90号": {
        "place_id": 114120370, "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
        "osm_type": "way", "osm_id": 229013420, "lat": "30.2785467", "lon": "120.1346172",
        "class": "highway", "type": "secondary", "place_rank": 26, "importance": 0.0534,
        "addresstype": "road", "name": "文三路",
        "display_name": "文三路, 西湖区, 杭州市, 浙江省, 中国",
        "boundingbox": ["30.2771", "30.2801", "120.1209", "120.1487"],
    },
    "江苏省南京市玄武区中山路1号": {
        "place_id": 120553811, "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
        "osm_type": "way", "osm_id": 27145631, "lat": "32.0431211", "lon": "118.7843597",
        "class": "highway", "type": "primary", "place_rank": 26, "importance": 0.0611,
        "addresstype": "road", "name": "中山路",
        "display_name": "中山路, 玄武区, 南京市, 江苏省, 210000, 中国",
        "boundingbox": ["32.0329", "32.0528", "118.7831", "118.7856"],
    },
}  # fmt: skip
ROWS = [
    ["C1", "甲公司", "浙江杭州西湖区文三路90号", "A", 1],
    ["C2", "乙公司", "江苏省南京市玄武区中山路1号", "B", 2],
    ["C3", "丙公司", "北京市海淀区中关村大街1号", "A", 3],  # the server knows nothing
    ["C4", "丁公司", None, "C", 4],
]


class _Nominatim(BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's hook name
        url = urlsplit(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        type(self).asked.append(query)
        found = ANSWERS.get(query)
        body = json.dumps([found] if found else []).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Nominatim.asked = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Nominatim.asked
    httpd.shutdown()
    httpd.server_close()


def test_online_answers_and_the_cache_that_travels_with_the_book(server, tmp_path, monkeypatch):
    url, asked = server
    settings = [("地理编码服务 Provider", "nominatim"), ("服务器 Server URL", url)]
    book = _book(tmp_path / "b.xlsx", rows=ROWS, settings=settings)
    monkeypatch.setenv("ADDRKIT_GEOCODE_CACHE", str(tmp_path / "mine.sqlite"))
    run_file(["geocode"], book, progress=Progress())
    assert sorted(asked) == sorted([*ANSWERS, "北京市海淀区中关村大街1号"])  # C4 is empty

    wb = openpyxl.load_workbook(book)
    rows = {r[0]: r for r in wb[GEOCODED_SHEET].iter_rows(min_row=2, values_only=True)}
    assert rows["C1"][9:15] == (
        30.278547,
        120.134617,
        "道路 street",
        "WGS-84",
        "nominatim",
        GeoStatus.PLACED.value,
    )
    # Not found online: the offline point is kept, and the row says why.
    assert rows["C3"][13] == "offline 内置行政区划" and rows["C3"][14] == GeoStatus.PLACED.value
    assert rows["C3"][15].startswith("未找到该地址 / Address not found; 已用离线点")
    assert rows["C4"][14] == GeoStatus.NOT_PLACED.value
    cache = wb[CACHE_SHEET]
    assert cache.sheet_state == "hidden"
    cached = list(cache.iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in cached) == sorted([*ANSWERS, "北京市海淀区中关村大街1号"])

    # A teammate with an empty local cache opens the book: nothing is asked again.
    asked.clear()
    monkeypatch.setenv("ADDRKIT_GEOCODE_CACHE", str(tmp_path / "teammate.sqlite"))
    run_file(["geocode", "map"], book, progress=Progress())
    assert asked == []
    wb = openpyxl.load_workbook(book)
    rows = {r[0]: r for r in wb[GEOCODED_SHEET].iter_rows(min_row=2, values_only=True)}
    assert rows["C2"][13] == "nominatim (缓存 cached)" and rows["C2"][9] == 32.043121
    assert wb[CACHE_SHEET].sheet_state == "hidden" and wb[CACHE_SHEET].max_row == 4


def test_a_broken_travelling_cache_is_ignored_not_trusted(server, tmp_path, monkeypatch):
    url, asked = server
    settings = [("地理编码服务 Provider", "nominatim"), ("服务器 Server URL", url)]
    book = _book(tmp_path / "b.xlsx", rows=ROWS[:1], settings=settings)
    wb = openpyxl.load_workbook(book)
    sheet = wb.create_sheet(CACHE_SHEET)
    sheet.append(("provider", "query", "result", "created"))
    sheet.append(("nominatim", "浙江省杭州市西湖区文三路90号", "{not json", "2026-01-01T00:00:00"))
    sheet.append(("=cmd|' /C calc'!A0", None, 5, None))
    sheet.sheet_state = "hidden"
    wb.save(book)
    monkeypatch.setenv("ADDRKIT_GEOCODE_CACHE", str(tmp_path / "c.sqlite"))
    run_file(["geocode"], book, progress=Progress())
    assert asked == ["浙江省杭州市西湖区文三路90号"]  # the broken entry was not used
    cached = list(openpyxl.load_workbook(book)[CACHE_SHEET].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in cached] == ["浙江省杭州市西湖区文三路90号"]
