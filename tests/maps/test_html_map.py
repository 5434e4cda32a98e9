"""The offline HTML map: self-contained, data escaped, and drawn by a real browser when one is here."""

from __future__ import annotations

import html.parser
import json
import os
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from addrkit.maps import PointSet, html_map
from addrkit.maps.html_map import embedded_data

from .shapes import CITIES, PROVINCES

HOSTILE = [
    "</script><script>alert(1)</script>",
    "\"quoted\" 'single' & <b>bold</b>",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "@now",
    "-2+3",
    "\u2028line\u2029para",
]


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _page(texts=HOSTILE, categories=None) -> str:
    n = len(texts)
    points = PointSet.from_columns(
        np.linspace(28, 33, n), np.linspace(118, 121, n), categories or texts, text=texts
    )
    return html_map(points, PROVINCES, cities=CITIES, title='客户 <地图> & "map"')


def test_page_is_self_contained():
    page = _page()
    parser = _Tags()
    parser.feed(page)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "addrkit-map-data"}, {}]
    assert not any("src" in a or "href" in a for _, a in parser.tags)
    assert [t for t, _ in parser.tags if t in ("link", "img", "iframe", "object")] == []
    assert "http://" not in page and "https://" not in page and "//cdn" not in page


def test_hostile_text_stays_data():
    page = _page()
    # Two script elements, so no text opened a third; the data part has no markup characters.
    assert page.count("<script") == 2
    start = page.index('id="addrkit-map-data">')
    data_part = page[start + len('id="addrkit-map-data">') : page.index("</script>", start)]
    assert "<" not in data_part and ">" not in data_part and "&" not in data_part
    data = embedded_data(page)
    assert data["points"]["text"] == HOSTILE
    assert sorted(c["label"] for c in data["categories"]) == sorted(t.strip() for t in HOSTILE)
    assert data["title"] == '客户 <地图> & "map"'
    assert "<title>客户 &lt;地图&gt; &amp; &quot;map&quot;</title>" in page
    assert "innerHTML" not in page


def test_points_and_boundaries_round_trip():
    points = PointSet.from_columns([30.25, None, 31.23], [120.17, 1, 121.47], ["A", "B", "C"])
    data = embedded_data(html_map(points, PROVINCES, cities=CITIES))
    scale = data["pointScale"]
    assert [v / scale for v in data["points"]["lat"]] == [30.25, 31.23]
    assert [data["categories"][i]["label"] for i in data["points"]["cat"]] == ["A", "C"]
    assert data["subtitle"].endswith("1 未定位 not placed")
    zhejiang = data["provinces"][0]
    assert zhejiang["name"] == "浙江" and len(zhejiang["rings"]) == 3  # outline, lake, island
    assert json.dumps(data["cities"][0]["name"], ensure_ascii=False) == '"杭州市"'


def test_a_browser_draws_the_map(tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        message = "no headless Chromium here (apt-get install chromium): structure checked above"
        if os.environ.get("ADDRKIT_REQUIRE_CHROMIUM") == "1":  # CI installs it: fail, not skip
            pytest.fail(f"{message} (ADDRKIT_REQUIRE_CHROMIUM=1 requires it)", pytrace=False)
        pytest.skip(message)
    page = tmp_path / "map.html"
    page.write_text(_page(HOSTILE * 20, categories=["华东"] * 140), encoding="utf-8")
    shot = tmp_path / "map.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=1000,700",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.exists(), "Chromium wrote no screenshot"
    pixels = np.asarray(Image.open(shot).convert("RGB")).reshape(-1, 3).astype(int)
    blue = np.abs(pixels - np.array([0x00, 0x72, 0xB2])).sum(axis=1) < 30  # 华东's colour
    assert blue.sum() > 500, "the points were not drawn: the script failed in the browser"
