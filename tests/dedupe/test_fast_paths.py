"""The large-table shortcuts give exactly what the plain per-pair definitions give.

Comparisons work on integer codes of distinct texts, skip scorers whose outcome is
already decided, and the model runs over level patterns with counts; each test here
computes the same thing the straightforward way and compares.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from rapidfuzz import distance, fuzz

from addrkit.dedupe.block import NameKey, SortedNeighbourhood, candidate_pairs
from addrkit.dedupe.comparisons import (
    NULL,
    AddressComparison,
    NameComparison,
    NameLevel,
    PhoneComparison,
    TextComparison,
    distinct_pairs,
)
from addrkit.dedupe.model import ColumnRole
from addrkit.dedupe.prepare import prepare
from addrkit.dedupe.score import estimate, level_patterns, score_pairs

NAMES = [
    "杭州云栖科技有限公司",
    "杭州云栖科技",
    "云栖科技",
    "杭州雲棲科技股份有限公司",
    "杭州云栖科技有限公司滨江分公司",
    "杭州云栖科技有限公司西湖分公司",
    "华联超市(文三路店)",
    "华联超市",
    "Ritz-Carlton Cafe",
    "Cafe Ritz-Carlton",
    "Lulu",
    "Lulu Restaurant",
    "Restaurant Lulu Bar",
    "Caitlin Bishop",
    "Hollie Bishop",
    "Jack Bisohp",
    "Lucy Clarke",
    "Bkows Luc Y",
    "Lucy Cla Rke",
    "张伟",
    "张伟伟",
    "",
    None,
    "杭州恒达贸易有限公司",
    "杭州恒达贸易",
    "杭州恒达商贸",
]


def _all_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    left, right = np.triu_indices(n, 1)
    return left.astype(np.int64), right.astype(np.int64)


def _with_joins(words: list[str]) -> set[str]:
    """Words and each two neighbours joined (a word broken by a stray space)."""
    return set(words) | {words[i] + words[i + 1] for i in range(len(words) - 1)}


def _reference_name_level(
    a: str, b: str, branch_a: str, branch_b: str, form_a: str = "", form_b: str = ""
) -> int:
    """The name level as defined: every scorer on every pair, nothing skipped."""
    if a == "" or b == "":
        return NULL
    sim = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))
    if a == b:
        level = NameLevel.EXACT
    elif sim >= 90:
        level = NameLevel.CLOSE
    else:
        level = NameLevel.SIMILAR if sim >= 75 else NameLevel.DIFFERENT
        contained = fuzz.partial_ratio(a, b) >= 100 or fuzz.token_set_ratio(a, b) >= 100
        if contained and min(len(a), len(b)) >= 2:
            level = NameLevel.CONTAINED
        elif level == NameLevel.DIFFERENT and any(
            len(w) >= 3 for w in _with_joins(a.split()) & _with_joins(b.split())
        ):
            level = NameLevel.SHARED_WORD
        elif level == NameLevel.DIFFERENT and any(
            distance.DamerauLevenshtein.distance(x, y) == 1
            for x in a.split()
            for y in b.split()
            if len(x) >= 4 and len(y) >= 4
        ):
            level = NameLevel.SIMILAR_WORD
    if form_a and form_b and form_a != form_b and level <= NameLevel.CONTAINED:
        level = NameLevel.OTHER_FORM
    if (branch_a == "") != (branch_b == ""):
        level = NameLevel.BRANCH_ONE_SIDE
    return int(level)


def test_name_levels_equal_the_plain_definition():
    table = prepare(pd.DataFrame({"n": NAMES}), {"n": ColumnRole.NAME})
    left, right = _all_pairs(table.size)
    fast = NameComparison().compare(table, left, right, workers=1)
    core, branch, form = table.name_core, table.name_branch, table.name_form
    plain = [
        _reference_name_level(core[i], core[j], branch[i], branch[j], form[i], form[j])
        for i, j in zip(left, right, strict=True)
    ]
    assert fast.tolist() == plain
    # The cases the shortcuts touch are really present.
    assert {int(level) for level in NameLevel} | {NULL} <= set(plain)


def test_name_veto_equals_the_plain_definition():
    table = prepare(pd.DataFrame({"n": NAMES}), {"n": ColumnRole.NAME})
    left, right = _all_pairs(table.size)
    fast = NameComparison().veto(table, left, right)
    branch = table.name_branch
    plain = [
        branch[i] != branch[j]
        and not (branch[i] and branch[j] and (branch[i] in branch[j] or branch[j] in branch[i]))
        for i, j in zip(left, right, strict=True)
    ]
    assert fast.tolist() == plain
    assert any(plain) and not all(plain)


def test_text_levels_equal_the_plain_definition():
    values = ["19850412", "19850421", "19850412", "", "19581111", "smith", "smyth", "smith"]
    table = prepare(pd.DataFrame({"d": values}), {"d": ColumnRole.OTHER})
    left, right = _all_pairs(table.size)
    fast = TextComparison("d").compare(table, left, right, workers=1)
    prepared = table.others["d"]
    plain = []
    for i, j in zip(left, right, strict=True):
        a, b = prepared[i], prepared[j]
        sim = distance.JaroWinkler.normalized_similarity(a, b)
        level = 0 if a == b else 1 if sim >= 0.92 else 2 if sim >= 0.80 else 3
        plain.append(NULL if a == "" or b == "" else level)
    assert fast.tolist() == plain
    assert {0, 1, 3, NULL} <= set(plain)


def test_address_and_phone_levels_equal_the_plain_definition():
    addresses = [
        "浙江省杭州市西湖区文三路90号3号楼301室",
        "杭州市西湖区文三路90号3栋301室",
        "杭州市西湖区文三路90号3栋",
        "杭州市西湖区文三路90号3栋502室",
        "杭州市西湖区文山路90号3栋301室",
        "杭州市滨江区文三路90号3栋301室",
        "宁波市鄞州区天童南路588号",
        "",
        "文三路",
        "杭州市西湖区古墩路90号3栋301室",
        "杭州市西湖区文二西路90号5栋",
        # Latin, numbers mistyped: digits dropped (147 / 14, 439 / 39), swapped, changed.
        "147 hopkins street locn3 l439 gorokan 2576 qld",
        "14 hopkins sreet locn 34 39 croydon north 5276 qld",
        "10 hopkins sreet locn croydon north 2756 qld",
        "11 hopkins street locn 3439 gorokan qld",
    ]
    phones = ["13805712345", "13805712345/0571-88886666", "88886666", "", "13900000001"] * 3
    frame = pd.DataFrame({"a": addresses, "p": phones[: len(addresses)]})
    table = prepare(frame, {"a": ColumnRole.ADDRESS, "p": ColumnRole.PHONE})
    left, right = _all_pairs(table.size)
    fast_address = AddressComparison().compare(table, left, right, workers=1)
    fast_phone = PhoneComparison().compare(table, left, right, workers=1)
    plain_address, plain_phone = [], []
    for i, j in zip(left, right, strict=True):
        a, b = table.address[i], table.address[j]
        sim = fuzz.ratio(a.skeleton, b.skeleton)
        level = 6
        # A number in common, or two each with a digit added, left out or two swapped.
        near = sum(
            any(
                min(len(x), len(y)) >= 2
                and distance.DamerauLevenshtein.distance(x, y) == 1
                and (len(x) != len(y) or sorted(x) == sorted(y))
                for y in b.numbers
            )
            for x in a.numbers
        )
        near = near >= 2 or bool(set(a.numbers) & set(b.numbers))
        if 60 <= sim < 80 and a.numbers != b.numbers and near:
            level = 5
        if a.numbers == b.numbers and len(a.numbers) >= 2:
            level = 4
        if sim >= 80 and a.numbers != b.numbers:
            short, long_ = sorted((a.numbers, b.numbers), key=len)
            rest = iter(long_)
            subsequence = bool(short) and len(short) < len(long_)
            subsequence = subsequence and all(n in rest for n in short)
            level = 2 if subsequence else 3
        if sim >= 80 and a.numbers == b.numbers and (a.numbers or sim >= 90):
            level = 1
        if a.tail == b.tail:
            level = 0
        if a.district and b.district and a.district != b.district:
            level = 6
        plain_address.append(NULL if not a.tail or not b.tail else level)
        pa, pb = set(table.phones[i]), set(table.phones[j])
        if not pa or not pb:
            plain_phone.append(NULL)
        elif pa & pb:
            plain_phone.append(0)
        else:
            local = {p[-8:] for p in pa} & {p[-8:] for p in pb}
            plain_phone.append(1 if local else 2)
    assert fast_address.tolist() == plain_address
    assert fast_phone.tolist() == plain_phone
    assert {0, 1, 2, 3, 4, 5, 6, NULL} <= set(plain_address)
    assert {0, 1, 2, NULL} <= set(plain_phone)


def test_distinct_pairs_round_trip():
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 7, 500), rng.integers(0, 7, 500)
    inverse, ua, ub = distinct_pairs(a, b, 7)
    assert np.array_equal(ua[inverse], a) and np.array_equal(ub[inverse], b)
    assert len(set(zip(ua.tolist(), ub.tolist(), strict=True))) == len(ua) <= 49


def test_level_patterns_round_trip_and_count():
    rng = np.random.default_rng(5)
    levels = rng.integers(-1, 4, (1000, 3)).astype(np.int8)
    patterns, counts, inverse = level_patterns(levels)
    assert np.array_equal(patterns[inverse], levels)
    assert counts.sum() == 1000
    assert len(np.unique(patterns, axis=0)) == len(patterns)


def test_scores_by_pattern_equal_scores_by_row():
    comparisons = (NameComparison(), PhoneComparison())
    rng = np.random.default_rng(7)
    candidates = np.stack((rng.integers(-1, 6, 400), rng.integers(-1, 3, 400)), 1)
    candidates = candidates.astype(np.int8)
    random = np.stack((rng.integers(3, 6, 2000), rng.integers(1, 3, 2000)), 1).astype(np.int8)
    model = estimate(comparisons, candidates, random)
    vetoed = rng.random(400) < 0.1
    by_row = model.probabilities(candidates)
    by_row[vetoed] = 0.0
    assert np.allclose(score_pairs(model, candidates, vetoed), by_row, rtol=0, atol=1e-12)
    assert 0.0 < by_row.max() and by_row.min() == 0.0


def test_blocking_on_codes_gives_the_pairs_of_blocking_on_texts():
    names = [f"{a}{b}科技" for a, b in itertools.product("甲乙丙丁戊", "子丑寅卯")] * 2
    names += ["", "甲子科技有限公司"]
    table = prepare(pd.DataFrame({"n": names}), {"n": ColumnRole.NAME})

    class TextNameKey(NameKey):
        def keys(self, table):
            rows = np.flatnonzero(table.name_core != "")
            return rows, table.name_core[rows]

    class TextSorted(SortedNeighbourhood):
        def keys(self, table):
            rows = np.flatnonzero(table.name_core != "")
            return rows, np.asarray([v[::-1] for v in table.name_core[rows]], object)

    for coded, texts in (
        (NameKey(), TextNameKey()),
        (SortedNeighbourhood("name", reverse=True), TextSorted("name", reverse=True)),
    ):
        fast = candidate_pairs(table, (coded,), window=3)[0]
        plain = candidate_pairs(table, (texts,), window=3)[0]
        assert len(fast) > 0 and np.array_equal(fast, plain)
