"""Cell values in, cell values out: the shapes Excel hands a formula and expects back.

xlwings passes every formula argument declared with ``ndim=2`` as a list of rows,
so a single cell arrives as ``[[value]]`` and a range as its rows. A formula maps
its per-cell function over that grid; a 1×1 grid gives back a plain value, any
larger one a grid that Excel spills.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from addrkit.excel import CELL_TEXT_LIMIT

__all__ = [
    "CELL_TEXT_LIMIT",
    "Grid",
    "as_grid",
    "collector_paused",
    "fit_cell_text",
    "map_cells",
    "map_cell_pairs",
]

Grid = list[list[Any]]
# Ranges at least this big are worked out with Python's cycle collector paused.
PAUSE_COLLECTOR_FROM_CELLS = 1_000


@contextmanager
def collector_paused(cells: int) -> Iterator[None]:
    """Pause the cycle collector while a big range is worked out, then restore it.

    Every address parsed leaves a few cached objects behind, so on 100,000 cells the
    collector ran a thousand times and took a fifth of the formula's time, finding
    nothing: parsing makes no reference cycles (reference counting frees everything).
    It is switched back on, as it was, before the formula returns.
    """
    pause = cells >= PAUSE_COLLECTOR_FROM_CELLS and gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause:
            gc.enable()


def as_grid(value: Any) -> Grid:
    """A cell or range value as a list of rows (a scalar becomes ``[[value]]``).

    Examples
    --------
    >>> as_grid("a"), as_grid(["a", "b"]), as_grid([["a"], ["b"]])
    ([['a']], [['a', 'b']], [['a'], ['b']])
    """
    if isinstance(value, list | tuple):
        if value and all(isinstance(row, list | tuple) for row in value):
            rows = [[_scalar(c) for c in row] for row in value]
        else:
            rows = [[_scalar(c) for c in value]]
        # Excel passes rectangles; a Python caller may not: pad ragged or empty rows.
        width = max((len(r) for r in rows), default=0) or 1
        return [r + [None] * (width - len(r)) for r in rows]
    return [[value]]


def _scalar(cell: Any) -> Any:
    """A cell holding an array (nested deeper than a range) reads as its text."""
    return str(cell) if isinstance(cell, list | tuple) else cell


def fit_cell_text(text: str) -> str:
    """Shorten text so one cell can hold it (Excel refuses longer text outright)."""
    if len(text) <= CELL_TEXT_LIMIT:
        return text
    return text[: CELL_TEXT_LIMIT - 1] + "…"


def _unwrap(grid: Grid) -> Any:
    return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid


def map_cells(func: Callable[[Any], Any], value: Any) -> Any:
    """Apply ``func`` to every cell; a single cell gives a single value.

    Examples
    --------
    >>> map_cells(str.upper, [["a", "b"], ["c", "d"]])
    [['A', 'B'], ['C', 'D']]
    >>> map_cells(str.upper, [["a"]])
    'A'
    """
    grid = as_grid(value)
    with collector_paused(len(grid) * len(grid[0])):
        return _unwrap([[func(cell) for cell in row] for row in grid])


def map_cell_pairs(func: Callable[[Any, Any], Any], first: Any, second: Any) -> Any:
    """Apply ``func`` cell by cell to two ranges of one shape (a single cell is repeated).

    Examples
    --------
    >>> map_cell_pairs(lambda a, b: a + b, [["x"], ["y"]], [["!"]])
    [['x!'], ['y!']]
    >>> map_cell_pairs(lambda a, b: a + b, [["x", "y"]], [["1"], ["2"]])
    '区域大小不同 Ranges differ in size: 1×2 vs 2×1'
    """
    a, b = as_grid(first), as_grid(second)
    shape_a, shape_b = (len(a), len(a[0])), (len(b), len(b[0]))
    if shape_b == (1, 1):
        b = [[b[0][0]] * shape_a[1] for _ in range(shape_a[0])]
    elif shape_a == (1, 1):
        a = [[a[0][0]] * shape_b[1] for _ in range(shape_b[0])]
    elif shape_a != shape_b:
        return (
            f"区域大小不同 Ranges differ in size: "
            f"{shape_a[0]}×{shape_a[1]} vs {shape_b[0]}×{shape_b[1]}"
        )
    with collector_paused(max(shape_a[0] * shape_a[1], shape_b[0] * shape_b[1])):
        return _unwrap(
            [[func(x, y) for x, y in zip(ra, rb, strict=True)] for ra, rb in zip(a, b, strict=True)]
        )
