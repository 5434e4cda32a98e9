"""The two PNG pictures: customers as coloured points, and customers per province.

Both draw province boundaries; the point map, when its frame is small enough to be a
province or a city (`DETAIL_SPAN`), also draws the prefecture (city) boundaries inside it.
A hundred thousand points are drawn as one scatter per category, not one marker each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
        # the inset holds the lower right corner; "best" does not know it is there
        best = len(shown) <= 5000 and not south_sea
        _legend(ax, handles, colour_title, font, marker, best=best)
    png, width, height = png_of(fig)
    return MapPicture(png, width, height, drawn, tuple(legend), notes)


def _english(text: str) -> str:
    """The Latin part of a bilingual label, for a machine without a Chinese font."""
    kept = "".join(ch if ord(ch) < 0x2E80 else " " for ch in text)
    return " ".join(kept.split()) or text


def _legend(ax, handles, title: str, font, marker: float, best: bool) -> None:
    from matplotlib.font_manager import FontProperties

    props = FontProperties(family=[font.name, "DejaVu Sans"]) if font is not None else None
    labels = [h.get_label() for h in handles]
    if font is None:
        labels = [_english(t) for t in labels]
        title = _english(title)
    legend = ax.legend(
        handles,
        labels,
        title=title,
        # "best" keeps the legend off the points, but its search costs seconds at 100,000
        loc="best" if best else "lower left",
        fontsize=8.5,
        title_fontsize=9,
        prop=props,
        markerscale=max(1.0, (36 / marker) ** 0.5),
        frameon=True,
        framealpha=0.9,
    )
    if props is not None:
        legend.get_title().set_fontproperties(props)
    for handle in legend.legend_handles:
        handle.set_alpha(1)


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
