"""The two PNG pictures: customers as coloured points, and customers per province.

Both draw province boundaries; the point map, when its frame is small enough to be a
province or a city (`DETAIL_SPAN`), also draws the prefecture (city) boundaries inside it.
A hundred thousand points are drawn as one scatter per category, not one marker each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .draw import (
    SOUTH_SEA,
    Frame,
    add_south_sea_inset,
    area_paths,
    font_kwargs,
    frame_of,
    new_axes,
    png_of,
    resolve_font,
    short_name,
    split_south_sea,
)
from .fonts import INSTALL_HINT, FontChoice
from .model import NO_CATEGORY, Area, MapPicture, PointSet

__all__ = ["render_points", "render_choropleth", "PALETTE", "NONE_COLOUR", "OTHER", "DETAIL_SPAN"]

DETAIL_SPAN = 12.0  # degrees: a frame this small also shows prefecture boundaries
SIZE = (9.6, 7.2)  # inches; at 100 dpi a 960 x 720 picture, readable when printed on A4
DPI = 100
# Distinct colours that stay apart for colour-blind readers (Okabe-Ito first, then tab10).
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#8c564b",
    "#F0E442",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
OTHER = "(其他 other)"
NONE_COLOUR = "#b0b0b0"


def _legend_groups(points: PointSet) -> list[tuple[str, list[str], int]]:
    """(label, categories, count): the largest categories, the rest merged into one."""
    counts = [kv for kv in points.counts() if kv[0] != NO_CATEGORY]
    room = len(PALETTE) - 1
    groups = (
        [(c, [c], n) for c, n in counts[:room]]
        if len(counts) > len(PALETTE)
        else [(c, [c], n) for c, n in counts]
    )
    rest = counts[room:] if len(counts) > len(PALETTE) else []
    if rest:
        groups.append((OTHER, [c for c, _ in rest], sum(n for _, n in rest)))
    none = dict(points.counts()).get(NO_CATEGORY)
    if none:
        groups.append((NO_CATEGORY, [NO_CATEGORY], none))
    return groups


def _marker_size(n: int) -> float:
    """Point area in pt²: big enough to see a few customers, small enough for 100,000."""
    return float(np.clip(20_000 / max(n, 1), 2.0, 36.0))


def _draw_boundaries(ax, areas: Sequence[Area], *, width: float, colour: str, fill: bool) -> None:
    from matplotlib.collections import PathCollection

    if not areas:
        return
    collection = PathCollection(
        area_paths(areas),
        facecolors="#fbfbf7" if fill else "none",
        edgecolors=colour,
        linewidths=width,
        zorder=1 if fill else 2,
    )
    ax.add_collection(collection)


def _at(area: Area) -> tuple[np.ndarray, np.ndarray]:
    lat, lon = area.label_at
    return np.array([lat]), np.array([lon])


def _label_areas(ax, areas: Sequence[Area], frame: Frame, font, size: float, short: bool) -> None:
    if font is None:  # no CJK font: names would be boxes
        return
    for area in areas:
        if area.label_at is None:
            continue
        lat, lon = area.label_at
        if frame.contains(np.array([lat]), np.array([lon]))[0]:
            ax.text(
                lon,
                lat,
                short_name(area.name) if short else area.name,
                ha="center",
                va="center",
                fontsize=size,
                color="#444444",
                zorder=4,
                clip_on=True,
                **font_kwargs(font),
            )


def render_points(
    points: PointSet,
    provinces: Sequence[Area],
    *,
    cities: Sequence[Area] = (),
    title: str = "客户分布 Customers",
    colour_title: str = "区域 Region",
    frame: Frame | None = None,
    font: FontChoice | None | str = "auto",
    size: tuple[float, float] = SIZE,
    dpi: int = DPI,
) -> MapPicture:
    """Customers as points coloured by category, over province (and, zoomed, city) lines.

    Parameters
    ----------
    points : the customers; ``points.category`` picks the colour (any categorical column).
    provinces, cities : boundaries; cities are drawn only when the frame spans less than
        `DETAIL_SPAN` degrees.
    frame : the area shown; by default the points' extent, padded.
    font : a `FontChoice`, "auto" (find an installed Chinese font) or None (English only).

    Returns
    -------
    MapPicture
        The PNG, its size, how many points were drawn inside the frame and the legend.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> zj = Area("330000", "浙江省", "province", box(118, 27, 123, 31.2), (29.0, 120.0))
    >>> pts = PointSet.from_columns([30.2, 29.9, None], [120.1, 121.5, None], ["华东", "华东", "x"])
    >>> pic = render_points(pts, [zj])
    >>> pic.png[:4] == b"\\x89PNG", pic.points_drawn, pic.legend
    (True, 2, (('华东', 2),))
    """
    drawn = points_figure(
        points,
        provinces,
        cities=cities,
        title=title,
        colour_title=colour_title,
        frame=frame,
        font=font,
        size=size,
        dpi=dpi,
    )
    png, width, height = png_of(drawn.figure)
    return MapPicture(png, width, height, drawn.points_drawn, drawn.legend, drawn.notes)


@dataclass(frozen=True)
class PointsFigure:
    """The matplotlib figure `render_points` saves, with what it says about it."""

    figure: Any
    axes: Any
    points_drawn: int
    legend: tuple[tuple[str, int], ...]
    notes: tuple[str, ...]


def points_figure(
    points: PointSet,
    provinces: Sequence[Area],
    *,
    cities: Sequence[Area] = (),
    title: str = "客户分布 Customers",
    colour_title: str = "区域 Region",
    frame: Frame | None = None,
    font: FontChoice | None | str = "auto",
    size: tuple[float, float] = SIZE,
    dpi: int = DPI,
) -> PointsFigure:
    """The point map as a matplotlib figure, before it becomes a PNG (`render_points`).

    Examples
    --------
    >>> drawn = points_figure(PointSet.from_columns([30.2], [120.1], ["华东"]), [], font=None)
    >>> drawn.points_drawn, drawn.axes.get_legend() is not None
    (1, True)
    """
    font = resolve_font(font)
    frame, south_sea = split_south_sea(frame or frame_of(points.lat, points.lon, provinces))
    in_main = frame.contains(points.lat, points.lon)
    in_inset = SOUTH_SEA.contains(points.lat, points.lon) if south_sea else in_main & False
    inside = in_main | in_inset
    fig, ax = new_axes(frame, size, dpi, font)
    zoomed = frame.span < DETAIL_SPAN
    axes = [ax, add_south_sea_inset(ax, font)] if south_sea else [ax]
    for where in axes:
        _draw_boundaries(where, provinces, width=0.3, colour="#9a9a9a", fill=True)
        if zoomed and cities:
            _draw_boundaries(where, cities, width=0.35, colour="#b8b8b8", fill=False)
        line = 0.9 if zoomed else 0.6 if where is ax else 0.4
        _draw_boundaries(where, provinces, width=line, colour="#6f6f6f", fill=False)

    shown = points.subset(inside)
    shown_main, shown_inset = in_main[inside], in_inset[inside]
    marker = _marker_size(len(shown))
    drawn = 0
    handles, legend = [], []
    for i, (label, members, count) in enumerate(_legend_groups(shown)):
        mask = np.isin(np.asarray(shown.category, dtype=object), members)
        colour = NONE_COLOUR if label == NO_CATEGORY else PALETTE[i % len(PALETTE)]
        style = {"c": colour, "linewidths": 0, "alpha": 0.8 if len(shown) < 5000 else 0.55}
        collection = ax.scatter(
            shown.lon[mask & shown_main],
            shown.lat[mask & shown_main],
            s=marker,
            zorder=3,
            label=f"{label} ({count:,})",
            **style,
        )
        if south_sea:  # the islands' customers, and Hainan's again, at the inset's scale
            here = mask & shown_inset
            axes[1].scatter(shown.lon[here], shown.lat[here], s=marker, zorder=3, **style)
        drawn += int((mask & (shown_main | shown_inset)).sum())
        handles.append(collection)
        legend.append((label, count))

    named = set()
    if zoomed and cities:
        _label_areas(ax, cities, frame, font, 7.5, short=False)
        named = {c.parent_code for c in cities if c.label_at and frame.contains(*_at(c))[0]}
    # A province whose cities are named needs no name of its own on top of them.
    unnamed = [p for p in provinces if p.code not in named]
    _label_areas(ax, unnamed, frame, font, 8.5 if zoomed else 7.5, short=True)
    notes: tuple[str, ...] = () if font is not None else (INSTALL_HINT,)
    outside = len(points) - int(inside.sum())
    counts = f"{drawn:,} 位客户 customers on the map"
    if points.unplaced:
        counts += f" · {points.unplaced:,} 未定位 not placed"
    if outside:
        counts += f" · {outside:,} 在图外 outside the frame"
    _heading(fig, title, counts, font)
    if handles:
        lonlat = np.column_stack([shown.lon[shown_main], shown.lat[shown_main]])
        avoid = axes[1:]  # the 南海诸岛 box holds the lower right corner
        _legend(ax, handles, colour_title, font, marker, lonlat, avoid)
    return PointsFigure(fig, ax, drawn, tuple(legend), notes)


def _english(text: str) -> str:
    """The Latin part of a bilingual label, for a machine without a Chinese font."""
    kept = "".join(ch if ord(ch) < 0x2E80 else " " for ch in text)
    return " ".join(kept.split()) or text


def _legend(ax, handles, title: str, font, marker: float, lonlat: np.ndarray, avoid) -> None:
    """The legend on the map where it covers no customer (`_free_place`): at its usual
    size, else smaller, else in two columns; beside the map when no place is free."""
    labels = [h.get_label() for h in handles]
    if font is None:
        labels = [_english(t) for t in labels]
        title = _english(title)
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()
    xy = ax.transData.transform(lonlat) if len(lonlat) else np.zeros((0, 2))
    # A point's marker reaches half its width past its centre (s is in pt²).
    reach = (marker**0.5) / 2 * fig.dpi / 72 + 1
    boxes = [a.get_window_extent(renderer) for a in avoid]
    pad = LEGEND_PAD * fig.dpi / 72
    for style in LEGEND_STYLES:
        legend = _make_legend(ax, handles, labels, title, font, marker, style)
        box = legend.get_window_extent(renderer)
        where = _free_place(ax.bbox, (box.width, box.height), xy, reach, boxes, pad=pad)
        if where is not None:
            legend.set_bbox_to_anchor(ax.transAxes.inverted().transform(where), ax.transAxes)
            return
        legend.remove()
    # Beside the map, at the usual size: the map gives up the width the legend needs.
    legend = _make_legend(ax, handles, labels, title, font, marker, LEGEND_STYLES[0])
    _beside(fig, ax, legend, legend.get_window_extent(renderer).width)


# (font size, columns, line spacing) tried in turn until the legend finds a free place
LEGEND_STYLES = ((8.5, 1, 0.5), (7.5, 1, 0.3), (7.5, 2, 0.3))


def _make_legend(ax, handles, labels, title: str, font, marker: float, style):
    from matplotlib.font_manager import FontProperties

    size, columns, spacing = style
    props = FontProperties(family=[font.name, "DejaVu Sans"], size=size) if font else None
    legend = ax.legend(
        handles,
        labels,
        title=title,
        fontsize=size,
        title_fontsize=size + 0.5,
        prop=props,
        ncols=columns,
        labelspacing=spacing,
        markerscale=max(1.0, (36 / marker) ** 0.5),
        frameon=True,
        framealpha=0.9,
        loc="lower left",
        borderaxespad=0.0,
    )
    if props is not None:
        title_props = props.copy()
        title_props.set_size(size + 0.5)
        legend.get_title().set_fontproperties(title_props)
    for handle in legend.legend_handles:
        handle.set_alpha(1)
    return legend


LEGEND_PAD = 6.0  # points between the legend and the map's edge
LEGEND_STEP = 4  # pixels between the places tried along an edge


def _free_place(
    frame, size: tuple[float, float], xy: np.ndarray, reach: float, avoid, pad: float
) -> tuple[float, float] | None:
    """The lower left corner (display pixels) of the place along the edges of ``frame``
    nearest one of its corners where a ``size`` box covers none of the points ``xy``
    (within ``reach`` of them) and none of the ``avoid`` boxes; None when there is none.

    Corners come first (lower left, upper left, upper right, lower right), then places
    further along an edge. Points are counted from a summed-area table, so trying every
    place costs the same for a hundred thousand points as for ten.

    Examples
    --------
    >>> from matplotlib.transforms import Bbox
    >>> frame = Bbox.from_extents(0, 0, 100, 100)
    >>> _free_place(frame, (30, 20), np.array([[10.0, 10.0]]), 2, [], pad=5)
    (5.0, 75.0)
    """
    width, height = size
    x0, y0, x1, y1 = frame.x0 + pad, frame.y0 + pad, frame.x1 - pad - width, frame.y1 - pad - height
    if x1 < x0 or y1 < y0:
        return None
    xs = np.append(np.arange(x0, x1, LEGEND_STEP), x1)
    ys = np.append(np.arange(y0, y1, LEGEND_STEP), y1)
    # (x, y, steps from the nearest corner, which corner) along the four edges
    places = []
    for y, low in ((y0, True), (y1, False)):
        for x in xs:
            along = min(x - x0, x1 - x)
            corner = (0 if x - x0 <= x1 - x else 3) if low else (1 if x - x0 <= x1 - x else 2)
            places.append((x, y, along, corner))
    for x, left in ((x0, True), (x1, False)):
        for y in ys:
            along = min(y - y0, y1 - y)
            corner = (0 if y - y0 <= y1 - y else 1) if left else (3 if y - y0 <= y1 - y else 2)
            places.append((x, y, along, corner))
    places.sort(key=lambda p: (p[2], p[3]))
    at = np.array([(p[0], p[1]) for p in places])
    covered = _points_in_boxes(xy, at - reach, at + (width + reach, height + reach), frame)
    for (x, y, _, _), count in zip(places, covered, strict=True):
        if count:
            continue
        if any(_overlaps((x, y, x + width, y + height), b) for b in avoid):
            continue
        return float(x), float(y)
    return None


def _points_in_boxes(xy: np.ndarray, lows: np.ndarray, highs: np.ndarray, frame) -> np.ndarray:
    """How many of the points ``xy`` fall in each box (``lows`` to ``highs``), counted on a
    one-pixel grid over ``frame`` with a summed-area table."""
    if not len(xy):
        return np.zeros(len(lows), dtype=int)
    width, height = int(np.ceil(frame.width)) + 1, int(np.ceil(frame.height)) + 1
    col = np.clip(np.floor(xy[:, 0] - frame.x0).astype(int), 0, width - 1)
    row = np.clip(np.floor(xy[:, 1] - frame.y0).astype(int), 0, height - 1)
    grid = np.zeros((height + 1, width + 1), dtype=np.int64)
    np.add.at(grid, (row + 1, col + 1), 1)
    table = grid.cumsum(axis=0).cumsum(axis=1)
    # Pixel columns a box touches: from floor(low) to floor(high), inclusive.
    c0 = np.clip(np.floor(lows[:, 0] - frame.x0).astype(int), 0, width)
    c1 = np.clip(np.floor(highs[:, 0] - frame.x0).astype(int) + 1, 0, width)
    r0 = np.clip(np.floor(lows[:, 1] - frame.y0).astype(int), 0, height)
    r1 = np.clip(np.floor(highs[:, 1] - frame.y0).astype(int) + 1, 0, height)
    return table[r1, c1] - table[r0, c1] - table[r1, c0] + table[r0, c0]


def _overlaps(box: tuple[float, float, float, float], other) -> bool:
    return box[0] < other.x1 and other.x0 < box[2] and box[1] < other.y1 and other.y0 < box[3]


def _beside(fig, ax, legend, width: float) -> None:
    """Shrink the map (it keeps its shape) to leave a column on the right for the legend."""
    from matplotlib.transforms import IdentityTransform

    pad = LEGEND_PAD * fig.dpi / 72
    left, bottom, full, height = ax.get_position(original=True).bounds
    ax.set_position((left, bottom, full - (width + 2 * pad) / fig.bbox.width, height))
    ax.set_anchor("W")  # the map keeps to the left, the legend takes the right
    ax.apply_aspect()
    legend.set_bbox_to_anchor((ax.bbox.x1 + pad, ax.bbox.y0), IdentityTransform())


# Bins of customers per province; the colours go from pale to dark (YlOrRd).
_BIN_EDGES = tuple(m * 10**e for e in range(8) for m in (1, 2, 5))


def _bins(largest: int) -> list[int]:
    """At most seven bins from 1 to past the largest count, on a 1-2-5 scale."""
    edges = [e for e in _BIN_EDGES if e <= largest] + [next(e for e in _BIN_EDGES if e > largest)]
    while len(edges) > 8:
        edges = edges[::2] if edges[-1] in edges[::2] else edges[::2] + [edges[-1]]
    return edges


def render_choropleth(
    counts: Mapping[str, int],
    provinces: Sequence[Area],
    *,
    title: str = "各省客户数 Customers per province",
    font: FontChoice | None | str = "auto",
    size: tuple[float, float] = SIZE,
    dpi: int = DPI,
) -> MapPicture:
    """Each province shaded by its number of customers (`counts` by area code).

    Returns
    -------
    MapPicture
        ``points_drawn`` is 0; ``legend`` lists (province name, count) most first.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> areas = [Area("330000", "浙江省", "province", box(118, 27, 123, 31), (29.0, 120.0)),
    ...          Area("320000", "江苏省", "province", box(116, 31, 122, 35), (33.0, 119.0))]
    >>> pic = render_choropleth({"330000": 12}, areas)
    >>> pic.legend
    (('浙江省', 12), ('江苏省', 0))
    """
    from matplotlib import colormaps
    from matplotlib.collections import PathCollection
    from matplotlib.colors import BoundaryNorm

    font = resolve_font(font)
    frame, south_sea = split_south_sea(frame_of(np.array([]), np.array([]), provinces))
    fig, ax = new_axes(frame, size, dpi, font, bottom=0.1)
    values = np.array([counts.get(a.code, 0) for a in provinces], dtype=float)
    largest = int(values.max()) if len(values) else 0
    edges = _bins(max(largest, 1))
    cmap = colormaps["YlOrRd"].resampled(len(edges) - 1)
    norm = BoundaryNorm(edges, cmap.N)
    faces = [cmap(norm(v)) if v > 0 else "#f2f2f2" for v in values]
    axes = [ax, add_south_sea_inset(ax, font)] if south_sea else [ax]
    for where in axes:
        width = 0.5 if where is ax else 0.3
        where.add_collection(
            PathCollection(
                area_paths(provinces),
                facecolors=faces,
                edgecolors="#7a7a7a",
                linewidths=width,
                zorder=1,
            )
        )
    text = font_kwargs(font)
    if font is not None:
        for area, value in zip(provinces, values, strict=True):
            if area.label_at is None:
                continue
            lat, lon = area.label_at
            label = short_name(area.name) + (f"\n{int(value):,}" if value else "")
            dark = value > 0 and norm(value) >= cmap.N * 0.6  # dark fill: white text reads
            ax.text(
                lon,
                lat,
                label,
                ha="center",
                va="center",
                fontsize=6.5,
                color="white" if dark else "#222222",
                zorder=3,
                linespacing=1.0,
                **text,
            )
    from matplotlib.cm import ScalarMappable

    bar_ax = fig.add_axes((0.25, 0.045, 0.5, 0.022))
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=bar_ax, orientation="horizontal")
    bar.set_ticks(edges)
    bar.ax.set_xticklabels([f"{e:,}" for e in edges], fontsize=7.5)
    bar.ax.set_title("客户数 customers" if font is not None else "customers", fontsize=8.5, **text)
    total = int(values.sum())
    missing = sum(v for k, v in counts.items() if k not in {a.code for a in provinces})
    line = f"{total:,} 位客户 customers in {int((values > 0).sum())} 省 provinces"
    if missing:
        line += f" · {missing:,} 省份未知 province unknown"
    _heading(fig, title, line, font)
    ranked = sorted(
        zip((a.name for a in provinces), values.astype(int).tolist(), strict=True),
        key=lambda kv: (-kv[1], kv[0]),
    )
    png, width, height = png_of(fig)
    notes: tuple[str, ...] = () if font is not None else (INSTALL_HINT,)
    return MapPicture(png, width, height, 0, tuple(ranked), notes)


def _heading(fig, title: str, line: str, font) -> None:
    """The picture's title and its one line of counts, in English when no CJK font is found."""
    text = font_kwargs(font)
    if font is None:
        title, line = _english(title), _english(line)
    fig.text(0.02, 0.955, title, fontsize=15, weight="bold", va="center", **text)
    fig.text(0.02, 0.915, line, fontsize=9.5, color="#333333", va="center", **text)
