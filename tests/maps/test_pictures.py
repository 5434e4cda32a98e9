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


def _inside_province(provinces, code: str, n: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """``n`` random points inside the province ``code`` (lat, lon)."""
    from shapely.geometry import Point

    shape = next(a.geometry for a in provinces if a.code == code)
    west, south, east, north = shape.bounds
    lat, lon = [], []
    while len(lat) < n:
        x, y = rng.uniform(west, east), rng.uniform(south, north)
        if shape.contains(Point(x, y)):
            lat.append(y)
            lon.append(x)
    return np.array(lat), np.array(lon)


def _covered(drawn) -> tuple[int, object]:
    """How many plotted points (centres, in display pixels) lie inside the legend's box."""
    fig, ax = drawn.figure, drawn.axes
    fig.canvas.draw()  # final positions: aspect applied, legend placed
    legend = ax.get_legend()
    box = legend.get_window_extent(fig.canvas.get_renderer())
    inside = 0
    for collection in ax.collections:
        offsets = collection.get_offsets()
        if len(offsets) and collection.get_label() in {t.get_text() for t in legend.texts}:
            xy = ax.transData.transform(np.asarray(offsets, dtype=float))
            within = (xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1)
            within &= (xy[:, 1] >= box.y0) & (xy[:, 1] <= box.y1)
            inside += int(within.sum())
    return inside, box


def _customers_in_the_south_west(provinces, seed: int = 3) -> PointSet:
    """Many customers in Tibet and Yunnan, where the legend used to sit, and some in the
    east, the far west and north, coloured by the eight regions (a legend as the demo's)."""
    from addrkit.assign.regions import Region

    rng = np.random.default_rng(seed)
    groups = [("540000", 400), ("530000", 300), ("330000", 300), ("650000", 100)]
    groups += [("230000", 60), ("460000", 20)]
    lat: list[float] = []
    lon: list[float] = []
    for code, n in groups:
        a, b = _inside_province(provinces, code, n, rng)
        lat += list(a)
        lon += list(b)
    regions = [r.label for r in Region]
    labels = [regions[i % len(regions)] for i in range(len(lat))]
    return PointSet.from_columns(lat, lon, labels)


@pytest.mark.parametrize("frame", [None, Frame(73.0, 135.0, 3.0, 54.0)], ids=["points", "country"])
def test_the_legend_covers_no_customer_on_a_national_map(frame):
    from addrkit.maps.picture import points_figure

    provinces = _national_provinces()
    points = _customers_in_the_south_west(provinces)
    drawn = points_figure(points, provinces, frame=frame)
    inside, box = _covered(drawn)
    assert inside == 0, f"{inside} customers hidden under the legend at {box}"
    assert drawn.points_drawn == len(points)
    assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= 960 and box.y1 <= 720  # on the picture
    renderer = drawn.figure.canvas.get_renderer()
    for inset in drawn.axes.child_axes:  # nor on the 南海诸岛 box
        assert not box.overlaps(inset.get_window_extent(renderer))


def test_with_customers_everywhere_the_legend_goes_beside_the_map():
    from addrkit.maps.picture import points_figure

    provinces = _national_provinces()
    lon, lat = np.meshgrid(np.linspace(70, 136, 120), np.linspace(17, 55, 80))
    points = PointSet.from_columns(
        lat.ravel(), lon.ravel(), np.where(lon.ravel() > 105, "东 East", "西 West")
    )
    drawn = points_figure(points, provinces)
    inside, box = _covered(drawn)
    assert inside == 0
    map_box = drawn.axes.get_window_extent(drawn.figure.canvas.get_renderer())
    assert box.x0 >= map_box.x1 and box.x1 <= 960  # right of the map, on the picture


@pytest.mark.parametrize("n", [400, 100_000])
def test_the_legend_covers_no_customer_on_a_provincial_map(n):
    """Customers crowd the lower left, where the legend used to go: it finds a free corner,
    for a few hundred points as for a hundred thousand."""
    from addrkit.maps.picture import points_figure

    rng = np.random.default_rng(5)
    crowd = PointSet.from_columns(
        rng.uniform(27.0, 30.0, n), rng.uniform(116.0, 120.0, n), rng.choice(["东", "北"], n)
    )
    # A frame of the picture's own shape: no margin is added around it.
    drawn = points_figure(crowd, PROVINCES, cities=CITIES, frame=Frame(116, 123, 27, 31.1))
    inside, box = _covered(drawn)
    assert inside == 0, f"{inside} customers hidden under the legend at {box}"
    assert drawn.points_drawn == n


@pytest.fixture
def fresh_font_search():
    find_cjk_font.cache_clear()
    yield
    find_cjk_font.cache_clear()


def test_a_font_installed_after_matplotlib_made_its_list_is_found(monkeypatch, fresh_font_search):
    # Matplotlib's cached list made before `apt-get install fonts-noto-cjk`: no CJK font in it.
    from matplotlib import font_manager

    if find_cjk_font() is None:
        pytest.fail("no CJK font installed: apt-get install fonts-noto-cjk (CI installs it)")
    find_cjk_font.cache_clear()
    stale = [
        e for e in font_manager.fontManager.ttflist if not _has_probe_glyphs(e.fname)
    ]  # fmt: skip
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    font = find_cjk_font()
    assert font is not None and not font.name.startswith("Last Resort")
    assert _has_probe_glyphs(font.path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        picture = render_points(_points(50), PROVINCES, font=font)
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    assert picture.notes == ()


def test_a_font_of_placeholder_boxes_is_never_taken_for_chinese(monkeypatch, fresh_font_search):
    from matplotlib import font_manager

    boxes = [e for e in font_manager.fontManager.ttflist if e.name.startswith("Last Resort")]
    if not boxes:
        pytest.fail("this matplotlib ships no Last Resort font: the test needs one")
    assert _has_probe_glyphs(boxes[0].fname)  # it claims every character …
    monkeypatch.setattr(font_manager.fontManager, "ttflist", boxes)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    assert find_cjk_font() is None  # … and draws each as a box: the English fallback instead


def _has_probe_glyphs(path: str) -> bool:
    from addrkit.maps.fonts import _has_glyphs

    return _has_glyphs(path)
