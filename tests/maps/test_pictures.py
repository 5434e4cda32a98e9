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


def _national_provinces():
    from addrkit.geocode import load_boundaries
    from addrkit.maps import Area

    return [Area.from_unit(u) for u in load_boundaries().units("province")]


def _rows_with(image: Image.Image, hex_colour: str, x_to: int, least: int = 20) -> np.ndarray:
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(image)[:, :x_to].astype(int)
    near = np.abs(pixels - target).sum(axis=2) < 6
    return np.flatnonzero(near.sum(axis=1) >= least)


def test_national_choropleth_frames_the_mainland_and_boxes_the_south_china_sea():
    """The convention of Chinese national maps: the main frame stops at Hainan, the South
    China Sea islands sit in a 南海诸岛 box in the lower right, and the mainland fills the
    picture (it was a third smaller when the frame ran south to 4°N)."""
    provinces = _national_provinces()
    picture = render_choropleth({}, provinces)  # every province the no-customer grey
    image = _decode(picture.png)
    rows = _rows_with(image, "#f2f2f2", x_to=760)  # the main map, left of the box
    assert rows.max() - rows.min() > 0.7 * image.height  # Heilongjiang to Hainan
    # The box: a dark frame in the lower right, with grey islands inside it.
    box = np.asarray(image)[int(image.height * 0.55) :, 760:].astype(int)
    frame_pixels = (np.abs(box - 0x33).sum(axis=2) < 20).sum()
    assert frame_pixels > 400
    assert _pixels_of(Image.fromarray(box.astype("uint8")), "#f2f2f2", tolerance=6) > 100


def test_a_customer_on_the_islands_is_drawn_in_the_box():
    provinces = _national_provinces()
    points = PointSet.from_columns(
        [39.9, 30.3, 45.8, 9.55], [116.4, 120.2, 126.6, 112.9], ["北", "东", "北", "南"]
    )
    picture = render_points(points, provinces)
    assert picture.points_drawn == 4
    image = _decode(picture.png)
    colour = PALETTE[[label for label, _ in picture.legend].index("南")]
    lower_right = image.crop((image.width * 3 // 4, image.height // 2, image.width, image.height))
    assert _pixels_of(lower_right, colour, tolerance=100) > 10
    # A provincial map gets no box.
    zhejiang = [a for a in provinces if a.code == "330000"]
    small = render_points(PointSet.from_columns([30.3], [120.2], ["东"]), zhejiang)
    assert _pixels_of(_decode(small.png), "#333333", tolerance=10) < 200
