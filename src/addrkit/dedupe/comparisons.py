"""One comparison per field: a pair of records → a comparison level (used by the score verb).

A :class:`Comparison` names its levels, from the strongest agreement (level 0) to plain
disagreement (the last), with a prior guess of how often true duplicates reach each level
(``m_prior``; the data then refines it). Level ``-1`` means a side is empty: no evidence
either way. A comparison may also *veto* a pair: evidence that the two records are
different entities whatever else agrees (two branches of one chain, two credit codes).

String similarity is RapidFuzz's ``process.cpdist`` (the element-wise twin of ``cdist``)
over the candidate pairs, multi-threaded with ``workers``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import distance, fuzz, process

from .phones import local_part
from .prepare import PreparedTable

__all__ = [
    "Level",
    "Comparison",
    "NameComparison",
    "PhoneComparison",
    "AddressComparison",
    "EmailComparison",
    "CreditCodeComparison",
    "TextComparison",
    "default_comparisons",
]

NULL = -1


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a comparison: a key, its wording in Chinese and English, a prior m."""

    key: str
    label_zh: str
    label_en: str
    m_prior: float


class Comparison(ABC):
    """Base of every field comparison; subclasses set ``field``/``levels`` and implement
    :meth:`compare` (and optionally :meth:`veto`)."""

    field: str = ""
    levels: tuple[Level, ...] = ()
    #: How many pairs' worth of evidence the prior m is (Dirichlet strength). A large value
    #: keeps a level's m near its prior where the data cannot tell it apart (see NameComparison).
    m_strength: float = 40.0
    #: Whether this field locates the premises (phone, address). Agreements of several such
    #: fields are one piece of evidence: a hotel's restaurants share switchboard and address.
    premises: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        """Prepared fields this comparison reads (a blocking key on them biases it)."""
        return (self.field,)

    def applies(self, table: PreparedTable) -> bool:
        """Whether the table has the column this comparison needs."""
        return getattr(table, self.field, None) is not None

    @abstractmethod
    def compare(
        self, table: PreparedTable, left: np.ndarray, right: np.ndarray, workers: int
    ) -> np.ndarray:
        """Level (int8, ``-1`` for no evidence) of each pair ``(left[i], right[i])``."""

    def veto(self, table: PreparedTable, left: np.ndarray, right: np.ndarray) -> np.ndarray | None:
        """Pairs proven to be different entities (bool array), or ``None`` if never."""
        return None

    veto_zh: str = ""
    veto_en: str = ""


def _similarity(a: np.ndarray, b: np.ndarray, workers: int, scorer=fuzz.ratio) -> np.ndarray:
    if len(a) == 0:
        return np.empty(0, np.float32)
    return process.cpdist(list(a), list(b), scorer=scorer, workers=workers, dtype=np.float32)


def _bands(
    equal: np.ndarray, sim: np.ndarray, cuts: tuple[float, ...], empty: np.ndarray
) -> np.ndarray:
    """0 for equal, then one level per similarity cut, then the last level; -1 where empty."""
    level = np.full(len(sim), len(cuts) + 1, np.int8)
    for i, cut in reversed(list(enumerate(cuts))):
        level[sim >= cut] = i + 1
    level[equal] = 0
    level[empty] = NULL
    return level


def _contained(a: np.ndarray, b: np.ndarray, shortest: np.ndarray, workers: int) -> np.ndarray:
    """Whether one name is the other with words (or, in Chinese, characters) added:
    云栖科技 / 杭州云栖科技, lulu / lulu restaurant. RapidFuzz scores 100 exactly then."""
    if len(a) == 0:
        return np.zeros(0, bool)
    substring = _similarity(a, b, workers, scorer=fuzz.partial_ratio) >= 100.0
    subset = _similarity(a, b, workers, scorer=fuzz.token_set_ratio) >= 100.0
    return (substring | subset) & (shortest >= 2)


class NameComparison(Comparison):
    """Name cores: exact, ≥ 90 (RapidFuzz ratio or token-sort ratio), one contains the other,
    ≥ 75, one side names a branch, different."""

    field = "name_core"
    levels = (
        Level("exact", "名称相同", "same name", 0.70),
        Level("close", "名称几乎相同", "name nearly the same", 0.18),
        Level("contained", "一方名称包含另一方", "one name contains the other", 0.06),
        Level("similar", "名称相似", "similar name", 0.07),
        Level("branch_one_side", "一方为分支机构", "one name is a branch", 0.01),
        Level("different", "名称不同", "different name", 0.04),
    )
    # Businesses sharing premises (a hotel's restaurants, offices with one switchboard) agree
    # on phone and address without being one customer, and unlabelled EM cannot tell them
    # from duplicates: it would learn that duplicates often have different names. The prior
    # that a duplicate keeps a recognisable name is therefore held strongly.
    m_strength = 2000.0
    veto_zh = "不同分支机构"
    veto_en = "different branch or head office"

    def compare(self, table, left, right, workers):
        a, b = table.name_core[left], table.name_core[right]
        # Character similarity, or word similarity in any order (ritz-carlton cafe /
        # cafe ritz-carlton); Chinese names have no spaces, so both are the same there.
        sim = np.maximum(
            _similarity(a, b, workers), _similarity(a, b, workers, scorer=fuzz.token_sort_ratio)
        )
        empty = (a == "") | (b == "")
        level = _bands(a == b, sim, (90.0, 75.0), empty)  # 0 exact, 1 close, 2 similar, 3
        level[level >= 2] += 1  # room for "contained" (2)
        check = np.flatnonzero(level >= 3)
        lengths = np.fromiter(map(len, table.name_core), np.int64, table.size)
        shortest = np.minimum(lengths[left[check]], lengths[right[check]])
        level[check[_contained(a[check], b[check], shortest, workers)]] = 2
        branch_a, branch_b = table.name_branch[left], table.name_branch[right]
        one_side = (branch_a == "") != (branch_b == "")
        level[level == 4] = 5
        level[one_side & ~empty] = 4
        return level

    def veto(self, table, left, right):
        # A branch is its own customer: 某公司 and 某公司滨江分公司 are two, and so are
        # 滨江分公司 and 西湖分公司. A branch name with a character lost (萧分公司 for
        # 萧山分公司) still names the same branch.
        a, b = table.name_branch[left], table.name_branch[right]
        veto = a != b
        for i in np.flatnonzero(veto & (a != "") & (b != "")):
            veto[i] = a[i] not in b[i] and b[i] not in a[i]
        return veto


class PhoneComparison(Comparison):
    """Phones: a number in common, the same last 8 digits, or none in common."""

    field = "phones"
    premises = True
    levels = (
        Level("shared", "电话相同", "same phone", 0.80),
        Level("local", "电话后8位相同", "same phone without area code", 0.05),
        Level("different", "电话不同", "different phone", 0.15),
    )

    def compare(self, table, left, right, workers):
        phones = table.phones
        first = np.asarray([p[0] if p else "" for p in phones], object)
        codes, _ = pd.factorize(first)
        local_codes, _ = pd.factorize(np.asarray([local_part(p) for p in first], object))
        count = np.fromiter((len(p) for p in phones), np.int64, len(phones))
        level = np.full(len(left), 2, np.int8)
        level[local_codes[left] == local_codes[right]] = 1
        level[codes[left] == codes[right]] = 0
        multi = np.flatnonzero((count[left] > 1) | (count[right] > 1))
        for i in multi:
            pa, pb = set(phones[left[i]]), set(phones[right[i]])
            if pa & pb:
                level[i] = 0
            elif {local_part(p) for p in pa} & {local_part(p) for p in pb}:
                level[i] = 1
            else:
                level[i] = 2
        level[(count[left] == 0) | (count[right] == 0)] = NULL
        return level


def _subsequence(short: tuple[str, ...], long_: tuple[str, ...]) -> bool:
    """Whether ``short`` (non-empty) is ``long_`` with some numbers left out, in order."""
    if not short or len(short) >= len(long_):
        return False
    rest = iter(long_)
    return all(number in rest for number in short)


class AddressComparison(Comparison):
    """Addresses: same, same numbers, numbers missing on one side, same place but other
    numbers (another room or house of the same building or road), different."""

    field = "address"
    premises = True
    levels = (
        Level("same", "地址相同", "same address", 0.55),
        Level("same_numbers", "地址相近且门牌一致", "similar address, same numbers", 0.25),
        Level("fewer_numbers", "地址相近，一方门牌不全", "similar address, fewer numbers", 0.12),
        Level(
            "other_numbers",
            "同一地点但门牌/房号不同",
            "same place, other house or room number",
            0.02,
        ),
        Level("different", "地址不同", "different address", 0.06),
    )

    def compare(self, table, left, right, workers):
        address = table.address
        tail = table.address_field("tail")
        skeleton = table.address_field("skeleton")
        district = table.address_field("district")
        numbers = np.asarray(["|".join(a.numbers) for a in address], object)
        empty = (tail[left] == "") | (tail[right] == "")
        sim = _similarity(skeleton[left], skeleton[right], workers)
        num_a, num_b = numbers[left], numbers[right]
        same_numbers = num_a == num_b
        close = sim >= 80.0
        level = np.full(len(left), 4, np.int8)
        level[close & ~same_numbers] = 3
        for i in np.flatnonzero(close & ~same_numbers):
            a, b = address[left[i]].numbers, address[right[i]].numbers
            if _subsequence(a, b) or _subsequence(b, a):
                level[i] = 2
        level[close & same_numbers & ((num_a != "") | (sim >= 90.0))] = 1
        level[tail[left] == tail[right]] = 0
        d_a, d_b = district[left], district[right]
        conflict = (d_a != "") & (d_b != "") & (d_a != d_b)
        level[conflict] = 4
        level[empty] = NULL
        return level


class EmailComparison(Comparison):
    field = "email"
    levels = (
        Level("exact", "邮箱相同", "same e-mail", 0.85),
        Level("different", "邮箱不同", "different e-mail", 0.15),
    )

    def compare(self, table, left, right, workers):
        a, b = table.email[left], table.email[right]
        level = np.where(a == b, 0, 1).astype(np.int8)
        level[(a == "") | (b == "")] = NULL
        return level


class CreditCodeComparison(Comparison):
    """统一社会信用代码: one legal entity has exactly one, so two different codes veto."""

    field = "credit_code"
    levels = (
        Level("exact", "信用代码相同", "same credit code", 0.98),
        Level("different", "信用代码不同", "different credit code", 0.02),
    )
    veto_zh = "统一社会信用代码不同"
    veto_en = "different credit codes"

    def compare(self, table, left, right, workers):
        a, b = table.credit_code[left], table.credit_code[right]
        level = np.where(a == b, 0, 1).astype(np.int8)
        level[(a == "") | (b == "")] = NULL
        return level

    def veto(self, table, left, right):
        a, b = table.credit_code[left], table.credit_code[right]
        return (a != "") & (b != "") & (a != b)


class TextComparison(Comparison):
    """Any other column: exact, Jaro–Winkler ≥ 0.92, ≥ 0.80, different."""

    def __init__(self, column: str) -> None:
        self.column = column
        self.field = column
        self.levels = (
            Level("exact", f"{column}相同", f"same {column}", 0.75),
            Level("close", f"{column}几乎相同", f"{column} nearly the same", 0.12),
            Level("similar", f"{column}相似", f"similar {column}", 0.05),
            Level("different", f"{column}不同", f"different {column}", 0.08),
        )

    def applies(self, table):
        return self.column in table.others

    def compare(self, table, left, right, workers):
        values = table.others[self.column]
        a, b = values[left], values[right]
        sim = _similarity(a, b, workers, scorer=distance.JaroWinkler.normalized_similarity)
        return _bands(a == b, sim, (0.92, 0.80), (a == "") | (b == ""))


def default_comparisons(table: PreparedTable) -> tuple[Comparison, ...]:
    """Every comparison the table's columns allow."""
    fixed = (
        NameComparison(),
        PhoneComparison(),
        AddressComparison(),
        EmailComparison(),
        CreditCodeComparison(),
    )
    found = [c for c in fixed if c.applies(table)]
    found += [TextComparison(column) for column in table.others]
    return tuple(found)
