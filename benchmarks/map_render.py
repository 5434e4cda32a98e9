"""How long the map pictures take for many customers, against a bare matplotlib scatter.

The points are real-shaped: each is the point of a real county-level division (from the
embedded boundaries), picked with the weight of a customer list (more in the east, as in
the bundled sample), spread by a few kilometres, and coloured by the seven sales regions.
In the same run the same points are drawn by one plain ``plt.scatter`` and saved as PNG
at the same size: the least any picture of them costs (no boundaries, labels, legend).

    python -m benchmarks.map_render --points 100000 --runs 5

Prints the medians and ratios; also the HTML map's build time and size. With ``--demo``
it also times ``addrkit demo``'s work on the bundled sample with and without Geocode and
Map (each run on a fresh copy, in this process).
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import time
from collections.abc import Callable

import numpy as np

from benchmarks.proc import machine_summary

# Share of customers per sales region in the bundled sample (华东 1,240 of 1,978 ...).
REGION_WEIGHTS = {
    "华东": 1240,
    "华南": 208,
    "华北": 203,
    "西南": 113,
    "西北": 109,
    "东北": 59,
    "华中": 46,
}


def make_points(n: int, seed: int = 2026):
    """n points at real county points, weighted by region, jittered ~3 km; and their regions."""
    from addrkit.assign.regions import DEFAULT_REGION_SCHEME
    from addrkit.geocode.boundaries import load_boundaries

    boundaries = load_boundaries()
    provinces = {u.adcode[:2]: u.name for u in boundaries.units("province")}
    counties = boundaries.units("district")
    regions = [DEFAULT_REGION_SCHEME.region_of(provinces.get(u.adcode[:2])) for u in counties]
    per_region: dict[str, int] = {}
    for r in regions:
        if r is not None:
            per_region[r.value] = per_region.get(r.value, 0) + 1
    weights = np.array(
        [REGION_WEIGHTS[r.value] / per_region[r.value] if r is not None else 0.0 for r in regions]
    )
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(counties), size=n, p=weights / weights.sum())
    lat = np.array([counties[i].point[0] for i in pick]) + rng.normal(0, 0.03, n)
    lon = np.array([counties[i].point[1] for i in pick]) + rng.normal(0, 0.03, n)
    labels = [regions[i].label for i in pick]
    return lat, lon, labels, boundaries


def timed(func: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def bare_scatter(lat: np.ndarray, lon: np.ndarray) -> bytes:
    """The baseline: one scatter, same size and dpi, saved as PNG."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9.6, 7.2), dpi=100)
    ax.scatter(lon, lat, s=2, linewidths=0)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def demo_cost(runs: int) -> tuple[float, float]:
    """Median seconds of the demo's operations without and with geocode + map."""
    import shutil
    import tempfile
    from pathlib import Path

    from addrkit.commands.demo import DEMO_OPERATIONS, sample_workbook
    from addrkit.workbook.run_file import run_file

    def once(operations) -> float:
        with tempfile.TemporaryDirectory() as tmp:
            book = Path(tmp) / "demo.xlsx"
            shutil.copyfile(sample_workbook(), book)
            started = time.perf_counter()
            run_file(list(operations), book)
            return time.perf_counter() - started

    once(DEMO_OPERATIONS)  # warm: gazetteer, boundaries, matplotlib
    before, after = [], []
    for _ in range(runs):  # interleaved, so a busy moment hits both sides alike
        before.append(once(("clean", "summary")))
        after.append(once(DEMO_OPERATIONS))
    return statistics.median(before), statistics.median(after)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--demo", action="store_true", help="also time the demo's operations")
    args = parser.parse_args(argv)

    from addrkit.maps import Area, PointSet, html_map, render_choropleth, render_points

    lat, lon, labels, boundaries = make_points(args.points)
    started = time.perf_counter()
    provinces = [Area.from_unit(u) for u in boundaries.units("province")]
    cities = [Area.from_unit(u) for u in boundaries.units("city")]
    points = PointSet.from_columns(lat, lon, labels)
    prepare = time.perf_counter() - started
    counts = {
        a.code: int(n) for a, n in zip(provinces, np.arange(len(provinces)) * 97, strict=True)
    }

    bare_scatter(lat, lon)  # warm matplotlib (fonts, backend) once for both sides
    render_points(points, provinces, cities=cities)
    t_bare, _ = timed(lambda: bare_scatter(lat, lon), args.runs)
    t_points, picture = timed(lambda: render_points(points, provinces, cities=cities), args.runs)
    t_choro, _ = timed(lambda: render_choropleth(counts, provinces), args.runs)
    t_html, page = timed(lambda: html_map(points, provinces, cities=cities), args.runs)

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(f"machine: {machine_summary()}")
    print(f"commit: {commit}; points: {args.points:,}; runs: {args.runs} (medians)")
    print(f"points drawn: {picture.points_drawn:,}; PNG {len(picture.png) / 1024:.0f} KiB")
    print(f"boundaries and points prepared once: {prepare:.2f} s")
    print(f"bare matplotlib scatter → PNG (baseline): {t_bare:.2f} s")
    print(
        f"render_points (boundaries, labels, legend): {t_points:.2f} s  ({t_points / t_bare:.1f}x the bare scatter)"
    )
    print(f"render_choropleth (34 provinces): {t_choro:.2f} s")
    print(f"html_map: {t_html:.2f} s, {len(page.encode()) / 1024 / 1024:.1f} MiB")
    if args.demo:
        before, after = demo_cost(args.runs)
        print(
            f"demo on the 2,000-row sample: clean+summary {before:.2f} s (baseline), "
            f"+ geocode + map {after:.2f} s ({after / before:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
