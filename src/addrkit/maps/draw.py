"""Drawing helpers shared by the pictures: boundaries as paths, frames, fonts, PNG output.

Matplotlib is imported here, lazily (a map is the only thing that needs it), with the
Agg backend: no display, no GUI toolkit, the same pixels on a server as on a laptop.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import DataError
from .fonts import FontChoice, find_cjk_font
from .model import Area

__all__ = [
    "Frame",
    "SOUTH_SEA",
    "add_south_sea_inset",
    "area_paths",
    "split_south_sea",
    "main_bounds",
    "frame_of",
    "new_axes",
    "png_of",
    "short_name",
]

INSTALL_MATPLOTLIB = (
    "地图需要 matplotlib / Maps need matplotlib: pip install -c constraints.txt addrkit"
    " (or pip install matplotlib)"
)
_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


def _matplotlib():
    """matplotlib itself, with a clear message when it is missing.

    pyplot is never imported: a figure drawn straight on an Agg canvas needs no backend
    switching, no GUI toolkit and no global figure list, and skips a second of imports.
    """
    try:
        import matplotlib
    except ImportError as err:
        raise DataError(INSTALL_MATPLOTLIB) from err
    return matplotlib


@dataclass(frozen=True, slots=True)
class Frame:
    """The part of the earth a map shows, in degrees."""

    west: float
    east: float
    south: float
    north: float

    @property
    def span(self) -> float:
        """The longer side in degrees (east-west shrunk by the latitude's cosine)."""
        return max((self.east - self.west) * self.cos, self.north - self.south)

    @property
    def cos(self) -> float:
        return max(0.2, math.cos(math.radians((self.north + self.south) / 2)))

    def contains(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        return (lon >= self.west) & (lon <= self.east) & (lat >= self.south) & (lat <= self.north)

    def fitted(self, ratio: float) -> Frame:
        """The frame widened (east-west or north-south, about its centre) to the
        width/height `ratio` of the picture's map area, so the map fills it."""
        width = (self.east - self.west) * self.cos
        height = self.north - self.south
        if width / height < ratio:
            grow = (height * ratio / self.cos - (self.east - self.west)) / 2
            return Frame(self.west - grow, self.east + grow, self.south, self.north)
        grow = (width / ratio - height) / 2
        return Frame(self.west, self.east, self.south - grow, self.north + grow)

    def padded(self, share: float = 0.05, minimum: float = 0.5) -> Frame:
        pad_x = max((self.east - self.west) * share, minimum / 2)
        pad_y = max((self.north - self.south) * share, minimum / 2)
        return Frame(self.west - pad_x, self.east + pad_x, self.south - pad_y, self.north + pad_y)


# Chinese national maps show the mainland down to Hainan in the main frame and the South
# China Sea islands (南海诸岛, south to 曾母暗沙 near 4°N) in a box in the lower right corner,
# at a smaller scale: a frame down to 4°N would leave the mainland small in a corner.
SOUTH_SEA = Frame(105.5, 123.0, 2.5, 24.5)  # what the inset box shows
MAINLAND_SOUTH = 17.6  # the main frame's southern edge: Hainan's south coast is at 18.2°N
_NATIONAL_EAST = 135.5  # east edge of a national frame (Heilongjiang ends at 135.1°E)
_NATIONAL_SPAN = 25.0  # degrees: a frame this large is a map of the country
_INSET_SCALE = 0.6  # the inset's scale against the main frame's


def split_south_sea(frame: Frame) -> tuple[Frame, bool]:
    """The main frame of a map, and whether the South China Sea goes into an inset box.

    A national frame that reaches the South China Sea islands stops at Hainan; a frame of
    a province or a city (or one that stays north of the islands) is left as it is.

    Examples
    --------
    >>> split_south_sea(Frame(73.0, 135.0, 3.0, 54.0))
    (Frame(west=73.0, east=135.5, south=17.6, north=54.0), True)
    >>> split_south_sea(Frame(108.0, 112.0, 17.5, 20.5))[1]
    False
    """
    national = frame.span >= _NATIONAL_SPAN
    reaches = frame.south < 16.0 and frame.west < SOUTH_SEA.east and frame.east > SOUTH_SEA.west
    if not (national and reaches):
        return frame, False
    # East to past Heilongjiang's tip: the box then sits on the sea east of Taiwan.
    return Frame(frame.west, max(frame.east, _NATIONAL_EAST), MAINLAND_SOUTH, frame.north), True


def add_south_sea_inset(ax, font: FontChoice | None):
    """The 南海诸岛 box in the lower right corner of a national map's axes.

    Returns the inset axes (its limits are `SOUTH_SEA`, at `_INSET_SCALE` of the main
    frame's scale); the caller draws the same boundaries and points into it.
    """
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    main_cos = max(0.2, math.cos(math.radians((north + south) / 2)))
    inset_cos = SOUTH_SEA.cos
    width = (
        _INSET_SCALE * (SOUTH_SEA.east - SOUTH_SEA.west) * inset_cos / ((east - west) * main_cos)
    )
    height = _INSET_SCALE * (SOUTH_SEA.north - SOUTH_SEA.south) / (north - south)
    inset = ax.inset_axes((1 - width - 0.005, 0.005, width, height))
    inset.set_xlim(SOUTH_SEA.west, SOUTH_SEA.east)
    inset.set_ylim(SOUTH_SEA.south, SOUTH_SEA.north)
    inset.set_aspect(1 / inset_cos, adjustable="box")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor(ax.get_facecolor())
    for spine in inset.spines.values():
        spine.set_edgecolor("#333333")
        spine.set_linewidth(0.8)
    inset.text(
        0.96,
        0.03,
        "南海诸岛" if font is not None else "South China Sea Islands",
        transform=inset.transAxes,
        ha="right",
        va="bottom",
        fontsize=7,
        color="#333333",
        zorder=5,
        **font_kwargs(font),
    )
    return inset


def short_name(name: str) -> str:
    """浙江省 → 浙江, 广西壮族自治区 → 广西: the form printed on a country map.

    Examples
    --------
    >>> short_name("广西壮族自治区"), short_name("北京市"), short_name("Ontario")
    ('广西', '北京', 'Ontario')
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _polygons(geometry: Any) -> list[Any]:
    if geometry is None or geometry.is_empty:
        return []
    if geometry.geom_type == "Polygon":
        return [geometry]
    return [g for g in getattr(geometry, "geoms", ()) if g.geom_type == "Polygon"]


def main_bounds(geometry: Any) -> tuple[float, float, float, float] | None:
    """Bounds of the parts of a geometry that matter on a map: far specks of islands
    (a hundredth of the largest part or less) would stretch a country map to the equator."""
    parts = _polygons(geometry)
    if not parts:
        return None
    largest = max(p.area for p in parts)
    kept = [p.bounds for p in parts if p.area > largest / 100]
    return (
        min(b[0] for b in kept),
        min(b[1] for b in kept),
        max(b[2] for b in kept),
        max(b[3] for b in kept),
    )


def area_paths(areas: Sequence[Area]) -> list[Any]:
    """One matplotlib Path per area (holes kept), for a single PathCollection."""
    from matplotlib.path import Path

    paths = []
    for area in areas:
        vertices: list[np.ndarray] = []
        codes: list[np.ndarray] = []
        for polygon in _polygons(area.geometry):
            for ring in (polygon.exterior, *polygon.interiors):
                xy = np.asarray(ring.coords, dtype=float)[:, :2]
                if len(xy) < 3:
                    continue
                ring_codes = np.full(len(xy), Path.LINETO, dtype=np.uint8)
                ring_codes[0] = Path.MOVETO
                ring_codes[-1] = Path.CLOSEPOLY
                vertices.append(xy)
                codes.append(ring_codes)
        if vertices:
            paths.append(Path(np.concatenate(vertices), np.concatenate(codes)))
        else:
            paths.append(Path(np.zeros((1, 2))))  # keeps one path per area, in order
    return paths


def frame_of(
    lat: np.ndarray, lon: np.ndarray, areas: Sequence[Area], *, minimum_span: float = 1.0
) -> Frame:
    """The frame around the points (or, with none, around the areas), padded."""
    if len(lat):
        frame = Frame(float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max()))
    else:
        bounds = [b for b in (main_bounds(a.geometry) for a in areas) if b is not None]
        if not bounds:
            return Frame(73.0, 135.0, 18.0, 54.0)  # mainland China
        frame = Frame(
            min(b[0] for b in bounds),
            max(b[2] for b in bounds),
            min(b[1] for b in bounds),
            max(b[3] for b in bounds),
        )
    return frame.padded(minimum=minimum_span)


def new_axes(
    frame: Frame, size: tuple[float, float], dpi: int, font: FontChoice | None, bottom: float = 0.03
):
    """A figure with one borderless axes showing `frame` at true shape (equirectangular,
    east-west scaled by the cosine of the middle latitude)."""
    matplotlib = _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = [font.name, "DejaVu Sans"] if font is not None else ["DejaVu Sans"]
    with matplotlib.rc_context({"font.family": family, "axes.unicode_minus": False}):
        fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    box = (0.02, bottom, 0.96, 0.89 - bottom)
    ax = fig.add_axes(box)
    frame = frame.fitted(size[0] * box[2] / (size[1] * box[3]))
    ax.set_xlim(frame.west, frame.east)
    ax.set_ylim(frame.south, frame.north)
    ax.set_aspect(1 / frame.cos, adjustable="box")
    ax.set_axis_off()
    ax.set_facecolor("#eef4f8")
    fig.patch.set_facecolor("white")
    return fig, ax


def font_kwargs(font: FontChoice | None) -> dict[str, Any]:
    """Text properties that draw Chinese with `font` (DejaVu for the Latin fallback)."""
    return {"fontfamily": [font.name, "DejaVu Sans"]} if font is not None else {}


def resolve_font(font: FontChoice | None | str) -> FontChoice | None:
    """The font to draw with: "auto" finds an installed CJK font; None draws English-only labels."""
    return find_cjk_font() if font == "auto" else font  # type: ignore[return-value]


def png_of(fig) -> tuple[bytes, int, int]:
    """The figure as PNG bytes and its pixel size."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, facecolor=fig.get_facecolor())
    width, height = (int(round(v)) for v in fig.get_size_inches() * fig.dpi)
    return buffer.getvalue(), width, height
