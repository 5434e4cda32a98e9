"""The PNG maps: rendered for real, decoded, and checked for what they should show."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from PIL import Image

from addrkit.maps import Frame, PointSet, find_cjk_font, render_choropleth, render_points
from addrkit.maps.fonts import INSTALL_HINT
from addrkit.maps.picture import OTHER, PALETTE

from .shapes import CITIES, PROVINCES


def _decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def _pixels_of(image: Image.Image, hex_colour: str, tolerance: int = 40) -> int:
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(image).reshape(-1, 3).astype(int)
    return int((np.abs(pixels - target).sum(axis=1) < tolerance).sum())


def _points(n: int, seed: int = 7, categories=("华东 East", "华北 North")) -> PointSet:
    rng = np.random.default_rng(seed)
    return PointSet.from_columns(
        rng.uniform(27.5, 34.5, n), rng.uniform(116.5, 122.5, n), rng.choice(categories, n)
    )


def test_point_map_draws_every_point_in_its_category_colour():
    points = _points(400)
    picture = render_points(points, PROVINCES, cities=CITIES)
    image = _decode(picture.png)
    assert image.size == (picture.width, picture.height) == (960, 720)
    assert picture.points_drawn == 400
    assert sum(n for _, n in picture.legend) == 400
    assert [label for label, _ in picture.legend] == [c for c, _ in points.counts()]
    # The first two palette colours are on the picture (points), the third is not.
    # Points are drawn slightly transparent and anti-aliased: near the colour, not on it.
    assert _pixels_of(image, PALETTE[0], tolerance=100) > 300
    assert _pixels_of(image, PALETTE[1], tolerance=100) > 300
    assert _pixels_of(image, PALETTE[2], tolerance=10) == 0


def test_points_outside_an_explicit_frame_are_counted_not_drawn():
    points = PointSet.from_columns([30.0, 30.1, 40.0, None], [120.0, 120.2, 100.0, 5], None)
    picture = render_points(points, PROVINCES, frame=Frame(118, 123, 27, 32))
    assert picture.points_drawn == 2
    assert points.unplaced == 1


def test_more_categories_than_colours_merge_into_other():
    labels = [f"代表 rep {i:02d}" for i in range(20)]
    points = _points(2000, categories=labels)
    picture = render_points(points, PROVINCES)
    assert len(picture.legend) == len(PALETTE)
    assert picture.legend[-1][0] == OTHER
    assert picture.points_drawn == 2000


def test_chinese_labels_use_a_font_that_has_the_glyphs():
    font = find_cjk_font()
    if font is None:
        pytest.fail("no CJK font installed: apt-get install fonts-noto-cjk (CI installs it)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        picture = render_points(_points(50), PROVINCES, cities=CITIES, font=font)
        render_choropleth({"330000": 5}, PROVINCES, font=font)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert picture.notes == ()


def test_without_a_chinese_font_the_map_falls_back_to_english_and_says_why():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        picture = render_points(_points(50), PROVINCES, font=None)
        choropleth = render_choropleth({"330000": 5}, PROVINCES, font=None)
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    assert picture.notes == (INSTALL_HINT,) == choropleth.notes
    assert picture.points_drawn == 50


def test_font_search_by_name_and_by_glyphs():
    assert find_cjk_font(names=("No Such Font",), scan=False) is None
    scanned = find_cjk_font(names=("No Such Font",), scan=True)
    named = find_cjk_font()
    assert (scanned is None) == (named is None)  # a named CJK font is also found by glyphs


def test_choropleth_ranks_provinces_and_shades_the_largest_darkest():
    picture = render_choropleth({"330000": 900, "320000": 3, "999999": 4}, PROVINCES)
    assert picture.legend == (("浙江省", 900), ("江苏省", 3))
    image = _decode(picture.png)
    dark_red = _pixels_of(image, "#800026", tolerance=60)  # YlOrRd's darkest
    pale = _pixels_of(image, "#ffffcc", tolerance=20)  # YlOrRd's palest (1-5)
    assert dark_red > 10_000 and pale > 10_000


def test_an_empty_point_set_still_gives_a_map():
    picture = render_points(PointSet.from_columns([], [], None), PROVINCES)
    assert picture.points_drawn == 0 and picture.legend == ()
    assert _decode(picture.png).size == (960, 720)
