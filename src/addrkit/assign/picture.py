"""The region × tier picture for the 汇总 Summary sheet: customers by region, a bar per tier.

A PNG beside the native chart, for whoever reads the book where charts do not draw
(a preview, a printout, a phone) and as the picture a report can take as it is. Drawn
with matplotlib on an Agg canvas (imported only here, when a Summary is made), with an
installed Chinese font when there is one (`addrkit.maps.fonts`); without one the labels
keep only their English half. The figure grows with the number of regions and tiers so
every bar keeps its height and its count stays readable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..maps.draw import png_of, resolve_font
from ..maps.fonts import FontChoice

__all__ = ["region_tier_png", "figure_size"]

TITLE = "区域与分级客户数 Customers by region and tier"
AXIS = "客户数 Customers"
BAR_INCHES = 0.2  # the height of one bar: a count printed beside it stays legible
GAP_INCHES = 0.25  # between two regions' groups
# Tier colours: A dark to D light, the untiered grey; more tiers cycle through them.
COLOURS = ("#1f4e79", "#2e75b6", "#9dc3e6", "#c9e0f3", "#f4b183", "#a9d18e")
UNTIERED_COLOUR = "#bfbfbf"


def figure_size(n_regions: int, n_tiers: int) -> tuple[float, float]:
    """Width and height in inches for ``n_regions`` groups of ``n_tiers`` bars.

    Examples
    --------
    >>> figure_size(8, 3), figure_size(30, 5)[1] > figure_size(8, 3)[1]
    ((8.0, 8.1), True)
    """
    height = 1.3 + n_regions * (n_tiers * BAR_INCHES + GAP_INCHES)
    return 8.0, round(max(3.5, height), 2)


_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]+\s*")


def _english(label: str) -> str:
    """The English part of a "中文 English" label (the whole label when it has none).

    Examples
    --------
    >>> _english("华东 East China"), _english("(未分区 no region)"), _english("A")
    ('East China', '(no region)', 'A')
    """
    text = re.sub(r"\(\s+", "(", _CJK.sub("", label)).strip()
    return text or label


def region_tier_png(
    cross: Sequence[tuple[Any, ...]], font: FontChoice | None | str = "auto", dpi: int = 100
) -> tuple[bytes, int, int] | None:
    """The picture of a region × tier table as `ops.summary.region_tier_table` builds it
    (a title row, a header row of tiers and a total, a row per region, a totals row).

    Returns
    -------
    (png bytes, width px, height px), or None when the table has no region or no tier.

    Examples
    --------
    >>> cross = [("t",), ("区域 Region", "A", "B", "合计 Total"), ("华东 East China", 3, 1, 4),
    ...          ("华南 South China", 0, 2, 2), ("合计 Total", 3, 3, 6)]
    >>> png, width, height = region_tier_png(cross, font=None)
    >>> png[:4], (width, height)
    (b'\\x89PNG', (800, 350))
    """
    from ..maps.draw import _matplotlib

    tiers = [str(t) for t in cross[1][1:-1]]
    regions = [tuple(row) for row in cross[2:-1]]
    if not tiers or not regions:
        return None
    font = resolve_font(font)
    name = (lambda s: s) if font is not None else _english
    matplotlib = _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = [font.name, "DejaVu Sans"] if font is not None else ["DejaVu Sans"]
    width, height = figure_size(len(regions), len(tiers))
    with matplotlib.rc_context({"font.family": family, "axes.unicode_minus": False}):
        fig = Figure(figsize=(width, height), dpi=dpi)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.27, 0.9 / height, 0.68, 1 - 1.55 / height))
        group = len(tiers) * BAR_INCHES + GAP_INCHES
        top = max((max(r[1:-1]) for r in regions), default=0) or 1
        for t, tier in enumerate(tiers):
            colour = UNTIERED_COLOUR if "Untiered" in tier else COLOURS[t % len(COLOURS)]
            ys = [g * group + t * BAR_INCHES for g in range(len(regions))]
            counts = [r[1 + t] for r in regions]
            bars = ax.barh(ys, counts, height=BAR_INCHES * 0.9, color=colour, label=name(tier))
            ax.bar_label(bars, labels=[f"{n:,}" for n in counts], padding=2, fontsize=7)
        centres = [g * group + (len(tiers) - 1) * BAR_INCHES / 2 for g in range(len(regions))]
        ax.set_yticks(centres, [name(str(r[0])) for r in regions], fontsize=8)
        ax.set_ylim(len(regions) * group - GAP_INCHES / 2, -GAP_INCHES)  # first region on top
        ax.set_xlim(0, top * 1.15)
        ax.set_xlabel(name(AXIS), fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(title=name("分级 Tier"), fontsize=7, title_fontsize=8, loc="best")
        fig.suptitle(name(TITLE), fontsize=11, y=1 - 0.3 / height)
        return png_of(fig)
