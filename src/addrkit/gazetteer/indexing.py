"""The name index the parser scans with, derived from the division table.

Built once by ``scripts/build_gazetteer.py`` and stored in the shipped file, so that
loading the gazetteer is a JSON parse rather than half a second of dictionary
building. Kept in the package (not the script) so that tests can rebuild it from
the stored rows and check the shipped copy.
"""

from __future__ import annotations

FULL, ALIAS, HISTORIC, RENAMED = 0, 1, 2, 4
# Set by the parser, never stored: a county's short name written with another status
# suffix (宁海区 for 宁海县). Always together with ALIAS.
WRONG_STATUS = 8
# A development zone's or new area's name (天府新区, 松山湖) standing for its city or district;
# stored together with ALIAS. Evidence, but the name stays in the text (it is not a division).
ZONE = 16

__all__ = [
    "build_lookup",
    "encode_lookup",
    "decode_entries",
    "historic_stem",
    "FULL",
    "ALIAS",
    "HISTORIC",
    "RENAMED",
    "WRONG_STATUS",
    "ZONE",
]


def historic_stem(name: str) -> str | None:
    """上虞市 → 上虞: a former name's short form, if long enough to mean anything."""
    for suffix in ("市", "县", "区", "镇", "乡"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def build_lookup(divisions: list[list], history: list[list], zones: list | tuple = ()) -> dict:
    """Name index and prefix tables for ``divisions`` rows, ``history`` rows and ``zones``
    (``[zone name, division code]`` pairs).

    Returns
    -------
    dict
        ``names``: surface string → list of ``[division index, how, historic index]``
        (``how`` is a bit set of FULL/ALIAS/HISTORIC/RENAMED; historic index -1 if none);
        ``upper``: the full names of provinces and prefectures (what a second address
        glued on after a house number starts with).

    Examples
    --------
    >>> rows = [["330000", "", 1, "浙江省", ["浙江"], []]]
    >>> lookup = build_lookup(rows, [])
    >>> lookup["names"]["浙江"], lookup["upper"]
    ([[0, 1, -1]], ['浙江省'])
    """
    index_of = {r[0]: i for i, r in enumerate(divisions)}
    levels = [r[2] for r in divisions]
    names: dict[str, list[list[int]]] = {}
    for i, (_code, _parent, _level, name, aliases, renamed) in enumerate(divisions):
        names.setdefault(name, []).append([i, FULL, -1])
        for alias in aliases:
            names.setdefault(alias, []).append([i, ALIAS, -1])
        for other in renamed:
            names.setdefault(other, []).append([i, RENAMED, -1])
    for hid, (name, _level, _scope, targets, _since, _source) in enumerate(history):
        target_ids = [index_of[t] for t in targets]
        for t in target_ids:
            names.setdefault(name, []).append([t, HISTORIC, hid])
        stem = historic_stem(name)
        # 上虞 alone still names 上虞区, 江东 (宁波) still names 鄞州区; but a stem that is
        # itself an official name keeps only its official meaning.
        if stem and not any(how == FULL for _d, how, _h in names.get(stem, ())):
            for t in target_ids:
                names.setdefault(stem, []).append([t, HISTORIC | ALIAS, hid])

    for zone, code in zones:
        names.setdefault(zone, []).append([index_of[code], ZONE | ALIAS, -1])

    # One character is a word, never a division name on its own (nothing is shortened that far).
    names = {name: entries for name, entries in names.items() if len(name) >= 2}
    upper = [
        name
        for name, entries in names.items()
        if len(name) >= 3 and any(how == FULL and levels[d] <= 2 for d, how, _h in entries)
    ]
    return {"names": names, "upper": upper}


def encode_lookup(lookup: dict) -> dict:
    """The shipped form of ``build_lookup``'s result: a few long strings.

    A dict of 126,000 lists costs a second to parse from JSON (or to unpickle); two
    newline-joined strings cost milliseconds to split, and an entry list is decoded
    only when the scanner first meets that name.

    Examples
    --------
    >>> encoded = encode_lookup(build_lookup([["330000", "", 1, "浙江省", ["浙江"], []]], []))
    >>> encoded["surfaces"].split("\\n"), encoded["entries"].split("\\n")
    (['浙江省', '浙江'], ['0,0,-1', '0,1,-1'])
    """
    names = lookup["names"]
    return {
        "surfaces": "\n".join(names),
        "entries": "\n".join(";".join(f"{d},{h},{x}" for d, h, x in e) for e in names.values()),
        "upper": "\n".join(lookup["upper"]),
    }


def decode_entries(raw: str) -> list[tuple[int, int, int]]:
    """'0,1,-1;5,0,-1' → [(0, 1, -1), (5, 0, -1)]."""
    return [tuple(map(int, part.split(","))) for part in raw.split(";")]
