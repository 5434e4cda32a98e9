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
from enum import IntEnum

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
    "CodeComparison",
    "DateComparison",
    "NameLevel",
    "other_comparison",
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
    #: Most bits this level may add (None: no limit). A shared brand under two legal forms
    #: is no evidence of one customer by itself, however rare the brand is by chance.
    cap: float | None = None


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
    #: Prepared column whose value frequency adjusts the exact level: two records named
    #: 张伟 agree far more often by chance than two named 杭州云栖科技 (as splink's term
    #: frequency adjustment).
    frequency_field: str | None = None

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


def distinct_pairs(
    codes_a: np.ndarray, codes_b: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct ``(codes_a[i], codes_b[i])`` pairs and where each pair went.

    Returns ``(inverse, a, b)`` with ``a[inverse] == codes_a`` and ``b[inverse] == codes_b``:
    a comparison computed on ``(a, b)`` is broadcast back with ``[inverse]``, so each
    distinct pair of texts costs one comparison however many record pairs share it.

    Examples
    --------
    >>> inverse, a, b = distinct_pairs(np.array([0, 1, 0]), np.array([2, 2, 2]), 3)
    >>> inverse.tolist(), a.tolist(), b.tolist()
    ([0, 1, 0], [0, 1], [2, 2])
    """
    joined = codes_a.astype(np.int64) * width + codes_b
    inverse, unique = pd.factorize(joined)
    return inverse, (unique // width).astype(np.int32), (unique % width).astype(np.int32)


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


def _per_value(values: np.ndarray, func, dtype) -> np.ndarray:
    return np.fromiter(map(func, values), dtype, len(values))


def _words_and_joins(text: str) -> set[str]:
    """The words of a name and each two neighbours joined: a word broken by a stray
    space (``luc y`` for ``lucy``, ``cla rke`` for ``clarke``) is found whole again."""
    words = text.split()
    return set(words) | {x + y for x, y in zip(words, words[1:], strict=False)}


def _share_word(a: str, b: str) -> bool:
    """Whether two names have a whole word of three letters or more in common, a word
    broken in two by a space counting as whole.

    Examples
    --------
    >>> _share_word("bkows luc y", "lucy clarke"), _share_word("lucy cla rke", "ann clarke")
    (True, True)
    >>> _share_word("ann lee", "anne le"), _share_word("al bert", "ann lee")
    (False, False)
    """
    return any(len(w) >= 3 for w in _words_and_joins(a) & _words_and_joins(b))


def _similar_word(a: str, b: str) -> bool:
    """Whether a word of four letters or more in one name is a word of the other with one
    letter changed, added, left out or two swapped (``panagais`` / ``panagaris``): the
    surname kept, mistyped, beside a given name replaced.

    Examples
    --------
    >>> _similar_word("lauren panagais", "caitlin panagaris"), _similar_word("ann lee", "anne le")
    (True, False)
    """
    words_b = [w for w in b.split() if len(w) >= 4]
    return any(
        distance.DamerauLevenshtein.distance(x, y, score_cutoff=1) <= 1
        for x in a.split()
        if len(x) >= 4
        for y in words_b
    )


def _has_space(text: str) -> bool:
    # Token-based scorers split on whitespace: without any, a text is one token and
    # token_sort_ratio equals ratio, token_set_ratio reaches 100 only for equal texts.
    return text.split() != [text]


class NameLevel(IntEnum):
    """Levels of :class:`NameComparison`, strongest first."""

    EXACT = 0
    CLOSE = 1
    CONTAINED = 2
    SIMILAR = 3
    SHARED_WORD = 4
    SIMILAR_WORD = 5
    OTHER_FORM = 6
    BRANCH_ONE_SIDE = 7
    DIFFERENT = 8


class NameComparison(Comparison):
    """Name cores: exact, ≥ 90 (RapidFuzz ratio or token-sort ratio), one contains the other,
    ≥ 75, a whole word in common (the surname of ``caitlin bishop`` / ``hollie bishop``),
    a word in common but for one typo (``panagais`` / ``panagaris``), same brand under
    another legal form, one side names a branch, different."""

    field = "name_core"
    frequency_field = "name_core"
    levels = (
        Level("exact", "名称相同", "same name", 0.70),
        Level("close", "名称几乎相同", "name nearly the same", 0.18),
        Level("contained", "一方名称包含另一方", "one name contains the other", 0.06),
        Level("similar", "名称相似", "similar name", 0.07),
        Level("shared_word", "名称有一词相同", "a word of the name in common", 0.02),
        Level(
            "similar_word",
            "名称有一词仅差一个字母",
            "a word of the name in common but for one letter",
            0.01,
        ),
        Level(
            "other_form",
            "字号相同但企业类型不同",
            "same brand, other legal form",
            0.01,
            cap=0.0,
        ),
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
        codes, values = table.codes("name_core")
        inverse, a, b = distinct_pairs(codes[left], codes[right], len(values))
        core = self._core_levels(table, values, a, b, workers)[inverse]
        level = np.full(len(left), NameLevel.DIFFERENT, np.int8)
        for found, named in (
            (0, NameLevel.EXACT),
            (1, NameLevel.CLOSE),
            (2, NameLevel.CONTAINED),
            (3, NameLevel.SIMILAR),
        ):
            level[core == found] = named
        level[core == NULL] = NULL
        words = np.flatnonzero(level == NameLevel.DIFFERENT)
        spaced = table.derived(
            "name_core.spaced_lengths",
            lambda: (_per_value(values, _has_space, bool), _per_value(values, len, np.int64)),
        )[0]
        ca, cb = codes[left[words]], codes[right[words]]
        words = words[spaced[ca] | spaced[cb]]
        inverse, a, b = distinct_pairs(codes[left[words]], codes[right[words]], len(values))
        shared = np.fromiter(
            (
                NameLevel.SHARED_WORD
                if _share_word(x, y)
                else NameLevel.SIMILAR_WORD
                if _similar_word(x, y)
                else NameLevel.DIFFERENT
                for x, y in zip(values[a], values[b], strict=True)
            ),
            np.int8,
            len(a),
        )
        level[words] = shared[inverse]
        form_codes, forms = table.codes("name_form")
        known = (forms != "")[form_codes]
        other_form = known[left] & known[right] & (form_codes[left] != form_codes[right])
        level[other_form & (level >= 0) & (level <= NameLevel.CONTAINED)] = NameLevel.OTHER_FORM
        branch_codes, branch_values = table.codes("name_branch")
        has_branch = (branch_values != "")[branch_codes]
        one_side = has_branch[left] != has_branch[right]
        level[one_side & (level != NULL)] = NameLevel.BRANCH_ONE_SIDE
        return level

    @staticmethod
    def _core_levels(table, values: np.ndarray, a: np.ndarray, b: np.ndarray, workers: int):
        """Level of each distinct pair of name cores ``(values[a], values[b])``:
        0 exact, 1 close, 2 contained, 3 similar, 4 different, -1 empty."""
        blank = values == ""
        empty = blank[a] | blank[b]
        level = np.full(len(a), 4, np.int8)
        todo = np.flatnonzero(~empty & (a != b))
        ta, tb = a[todo], b[todo]
        # Character similarity, or word similarity in any order (ritz-carlton cafe /
        # cafe ritz-carlton). The word scorers only run where a name has words to reorder
        # and the character score has not already reached 90: the level is the same.
        sim = _similarity(values[ta], values[tb], workers)
        spaced, lengths = table.derived(
            "name_core.spaced_lengths",
            lambda: (_per_value(values, _has_space, bool), _per_value(values, len, np.int64)),
        )
        words = np.flatnonzero((sim < 90.0) & (spaced[ta] | spaced[tb]))
        sim[words] = np.maximum(
            sim[words],
            _similarity(values[ta[words]], values[tb[words]], workers, fuzz.token_sort_ratio),
        )
        level[todo[sim >= 75.0]] = 3
        level[todo[sim >= 90.0]] = 1
        # One name is the other with words (or, in Chinese, characters) added: 云栖科技 /
        # 杭州云栖科技, lulu / lulu restaurant — a substring (RapidFuzz partial_ratio 100)
        # or a subset of words (token_set_ratio 100, possible only with spaces).
        shortest = np.minimum(lengths[ta], lengths[tb])
        check = todo[(sim < 90.0) & (shortest >= 2)]
        # ratio ≤ 200·shortest / (sum of lengths), with equality exactly when the shorter
        # name is a subsequence of the longer: only those can be substrings (0.01 covers
        # float32 rounding; a pair let through is checked exactly anyway).
        bound = 200.0 * shortest / (lengths[ta] + lengths[tb])
        maybe = (sim >= bound - 0.01)[(sim < 90.0) & (shortest >= 2)]
        ca, cb = values[a[check]], values[b[check]]
        contained = np.zeros(len(check), bool)
        contained[maybe] = np.fromiter(
            (x in y or y in x for x, y in zip(ca[maybe], cb[maybe], strict=True)),
            bool,
            int(maybe.sum()),
        )
        words = np.flatnonzero(~contained & (spaced[a[check]] | spaced[b[check]]))
        contained[words] = (
            _similarity(ca[words], cb[words], workers, scorer=fuzz.token_set_ratio) >= 100.0
        )
        level[check[contained]] = 2
        level[(a == b) & ~empty] = 0
        level[empty] = NULL
        return level

    def veto(self, table, left, right):
        # A branch is its own customer: 某公司 and 某公司滨江分公司 are two, and so are
        # 滨江分公司 and 西湖分公司. A branch name with a character lost (萧分公司 for
        # 萧山分公司) still names the same branch.
        codes, values = table.codes("name_branch")
        veto = codes[left] != codes[right]
        blank = values == ""
        both = np.flatnonzero(veto & ~blank[codes[left]] & ~blank[codes[right]])
        inverse, a, b = distinct_pairs(codes[left[both]], codes[right[both]], len(values))
        different = np.fromiter(
            (x not in y and y not in x for x, y in zip(values[a], values[b], strict=True)),
            bool,
            len(a),
        )
        veto[both] = different[inverse]
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

    @staticmethod
    def _multi_level(a: str, b: str) -> int:
        pa, pb = set(a.split("|")), set(b.split("|"))
        if pa & pb:
            return 0
        if {local_part(p) for p in pa} & {local_part(p) for p in pb}:
            return 1
        return 2

    def compare(self, table, left, right, workers):
        codes, first = table.codes("phones.first")
        all_codes, all_values = table.codes("phones")

        def per_record():
            local = pd.factorize(np.asarray([local_part(p) for p in first], object))[0]
            count = _per_value(all_values, lambda v: v.count("|") + 1 if v else 0, np.int64)
            return local[codes], count[all_codes]

        local_codes, count = table.derived("phones.local_count", per_record)
        level = np.full(len(left), 2, np.int8)
        level[local_codes[left] == local_codes[right]] = 1
        level[codes[left] == codes[right]] = 0
        multi = np.flatnonzero((count[left] > 1) | (count[right] > 1))
        inverse, a, b = distinct_pairs(
            all_codes[left[multi]], all_codes[right[multi]], len(all_values)
        )
        found = np.fromiter(
            (self._multi_level(x, y) for x, y in zip(all_values[a], all_values[b], strict=True)),
            np.int8,
            len(a),
        )
        level[multi] = found[inverse]
        level[(count[left] == 0) | (count[right] == 0)] = NULL
        return level


def _subsequence(short: tuple[str, ...], long_: tuple[str, ...]) -> bool:
    """Whether ``short`` (non-empty) is ``long_`` with some numbers left out, in order."""
    if not short or len(short) >= len(long_):
        return False
    rest = iter(long_)
    return all(number in rest for number in short)


def _numbers(joined: str) -> tuple[str, ...]:
    return tuple(joined.split("|")) if joined else ()


def _number_in_common(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two addresses share a number, or two of their numbers (of two digits or
    more) each typed with one digit added or left out or two neighbours swapped
    (``147 … 439`` / ``14 … 39``). One such number alone is not counted (``211`` /
    ``11`` are as often two houses), nor one digit *changed* (``10`` / ``11``).

    Examples
    --------
    >>> _number_in_common(("147", "439", "2576"), ("14", "39", "5276"))
    True
    >>> _number_in_common(("211", "812"), ("11", "2206")), _number_in_common(("10", "22"), ("11", "23"))
    (False, False)
    """
    if set(a) & set(b):
        return True
    near = [
        x
        for x in a
        if len(x) >= 2
        and any(
            len(y) >= 2
            and distance.DamerauLevenshtein.distance(x, y, score_cutoff=1) <= 1
            and (len(x) != len(y) or sorted(x) == sorted(y))
            for y in b
        )
    ]
    return len(near) >= 2


class AddressComparison(Comparison):
    """Addresses: same, same numbers, numbers missing on one side, same place but other
    numbers (another room or house of the same building or road), worded otherwise but
    with the same two or more numbers (house and postcode: ``7 dandenong court the pinnacle
    springwood 3143`` / ``7 dandeno n court brokenspoke springwpod 3143``), partly the same
    (similarity ≥ 60 and a number in common), different."""

    field = "address"
    premises = True
    levels = (
        Level("same", "地址相同", "same address", 0.55),
        Level("same_numbers", "地址相近且门牌一致", "similar address, same numbers", 0.25),
        Level("fewer_numbers", "地址相近，一方门牌不全", "similar address, fewer numbers", 0.12),
        Level(
            "other_numbers",
            "地址相近但门牌/房号不同",
            "similar address, other house or room number",
            0.02,
        ),
        Level(
            "numbers_only",
            "地址文字不同但门牌号码全部一致",
            "address worded otherwise, every number the same",
            0.01,
        ),
        Level(
            "partly_same",
            "地址部分相同（有一个号码相同，或两个号码各多/少/颠倒一位）",
            "address partly the same, a number in common or two a digit off",
            0.004,
        ),
        Level("different", "地址不同", "different address", 0.01),
    )
    # As for names: records sharing a name but at two different addresses must not teach
    # the model that duplicates often move, or a shared name alone would link them.
    m_strength = 2000.0
    # A vague address (a town, an industrial zone, a market) is shared by many customers
    # of a large list: sharing it says less than sharing a house and room number.
    frequency_field = "address.tail"

    def compare(self, table, left, right, workers):
        tail, tails = table.codes("address.tail")
        skeleton, skeletons = table.codes("address.skeleton")
        district, districts = table.codes("address.district")
        numbers, number_values = table.codes("address.numbers")
        blank_tail = tails == ""
        empty = blank_tail[tail[left]] | blank_tail[tail[right]]
        # Skeleton similarity, once per distinct pair of skeletons (equal ones score 100).
        sim = np.full(len(left), 100.0, np.float32)
        differ = np.flatnonzero((skeleton[left] != skeleton[right]) & ~empty)
        inverse, a, b = distinct_pairs(
            skeleton[left[differ]], skeleton[right[differ]], len(skeletons)
        )
        pair_sim = _similarity(skeletons[a], skeletons[b], workers)
        # English addresses keep their words: the same words in another order
        # (kookaburra village holman street / holman street kookaburra village) agree.
        spaced = table.derived(
            "address.skeleton.spaced", lambda: _per_value(skeletons, _has_space, bool)
        )
        # A street address with a locality added or left out (``adair street the lakes
        # retirement village beaumont`` / ``adair steet beaumont``) has one's words among
        # the other's: token-set similarity, when the shorter has two words or more.
        words = np.flatnonzero((pair_sim < 90.0) & (spaced[a] | spaced[b]))
        wa, wb = skeletons[a[words]], skeletons[b[words]]
        by_set = _similarity(wa, wb, workers, fuzz.token_set_ratio)
        by_set[(_per_value(wa, _has_space, bool) & _per_value(wb, _has_space, bool)) == 0] = 0
        pair_sim[words] = np.maximum.reduce(
            [pair_sim[words], _similarity(wa, wb, workers, fuzz.token_sort_ratio), by_set]
        )
        sim[differ] = pair_sim[inverse]
        num_a, num_b = numbers[left], numbers[right]
        same_numbers = num_a == num_b
        close = sim >= 80.0
        last = len(self.levels) - 1
        level = np.full(len(left), last, np.int8)
        # Two numbers or more all the same (house and postcode, road number and room)
        # rarely meet by chance, however differently the words were typed.
        several = np.asarray(["|" in v for v in number_values], bool)[num_a]
        # Half the words and one number in common (the house number kept, the postcode
        # mistyped, a locality added), or two numbers each with a digit dropped or
        # swapped: weaker than any of the above, but not nothing.
        partly = np.flatnonzero((sim >= 60.0) & ~close & ~same_numbers)
        inverse, a, b = distinct_pairs(num_a[partly], num_b[partly], len(number_values))
        common = np.fromiter(
            (
                _number_in_common(_numbers(x), _numbers(y))
                for x, y in zip(number_values[a], number_values[b], strict=True)
            ),
            bool,
            len(a),
        )
        level[partly[common[inverse]]] = last - 1
        level[same_numbers & several] = last - 2
        other = np.flatnonzero(close & ~same_numbers)
        level[other] = 3
        inverse, a, b = distinct_pairs(num_a[other], num_b[other], len(number_values))
        fewer = np.fromiter(
            (
                _subsequence(x, y) or _subsequence(y, x)
                for x, y in zip(
                    map(_numbers, number_values[a]), map(_numbers, number_values[b]), strict=True
                )
            ),
            bool,
            len(a),
        )
        level[other[fewer[inverse]]] = 2
        has_numbers = (number_values != "")[num_a]
        level[close & same_numbers & (has_numbers | (sim >= 90.0))] = 1
        level[tail[left] == tail[right]] = 0
        blank_district = districts == ""
        d_a, d_b = district[left], district[right]
        conflict = ~blank_district[d_a] & ~blank_district[d_b] & (d_a != d_b)
        # One district name in two cities (鼓楼区 of 南京 and of 福州) is two places.
        city, cities = table.codes("address.city")
        blank_city = cities == ""
        c_a, c_b = city[left], city[right]
        conflict |= ~blank_city[c_a] & ~blank_city[c_b] & (c_a != c_b)
        level[conflict] = last
        level[empty] = NULL
        return level


def _exact_levels(table, field: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """0 where the texts are equal, 1 where not, -1 where a side is empty."""
    codes, values = table.codes(field)
    blank = values == ""
    a, b = codes[left], codes[right]
    level = np.where(a == b, 0, 1).astype(np.int8)
    level[blank[a] | blank[b]] = NULL
    return level


class EmailComparison(Comparison):
    field = "email"
    levels = (
        Level("exact", "邮箱相同", "same e-mail", 0.85),
        Level("different", "邮箱不同", "different e-mail", 0.15),
    )

    def compare(self, table, left, right, workers):
        return _exact_levels(table, self.field, left, right)


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
        return _exact_levels(table, self.field, left, right)

    def veto(self, table, left, right):
        codes, values = table.codes(self.field)
        blank = values == ""
        a, b = codes[left], codes[right]
        return ~blank[a] & ~blank[b] & (a != b)


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
        codes, values = table.codes(f"other.{self.column}")
        blank = values == ""
        a, b = codes[left], codes[right]
        empty = blank[a] | blank[b]
        equal = a == b
        # Equal and empty pairs are decided without a score; the rest once per text pair.
        sim = np.zeros(len(left), np.float32)
        todo = np.flatnonzero(~equal & ~empty)
        inverse, ua, ub = distinct_pairs(a[todo], b[todo], len(values))
        scorer = distance.JaroWinkler.normalized_similarity
        sim[todo] = _similarity(values[ua], values[ub], workers, scorer=scorer)[inverse]
        return _bands(equal, sim, (0.92, 0.80), empty)


def _one_off(a: str, b: str, kind: str) -> bool:
    """One character changed, added, left out or two swapped; for dates also day and month
    swapped (04/09 for 09/04)."""
    if distance.DamerauLevenshtein.distance(a, b) <= 1:
        return True
    return kind == "date" and len(a) == len(b) == 8 and a[:4] + a[6:] + a[4:6] == b


class CodeComparison(Comparison):
    """An identifying column by its kind (date, e-mail, credit code, customer code):
    the same value, one character off (a typo), different. Two different 统一社会信用代码
    are two legal entities (veto)."""

    def __init__(self, column: str, kind: str) -> None:
        self.column = column
        self.field = column
        self.kind = kind
        self.levels = (
            Level("exact", f"{column}相同", f"same {column}", 0.88),
            Level("one_off", f"{column}仅差一个字符", f"{column} one character off", 0.10),
            Level("different", f"{column}不同", f"different {column}", 0.02),
        )
        # An identifier that differs by more than a typo names another customer (a father
        # and son of one name at one address): held near the prior, as names and addresses.
        self.m_strength = 500.0
        if kind == "credit_code":
            self.veto_zh = f"{column}（统一社会信用代码）不同"
            self.veto_en = f"different {column} (credit code)"

    def applies(self, table):
        return self.column in table.others

    def compare(self, table, left, right, workers):
        codes, values = table.codes(f"other.{self.column}")
        blank = values == ""
        a, b = codes[left], codes[right]
        level = np.full(len(left), 2, np.int8)
        todo = np.flatnonzero((a != b) & ~blank[a] & ~blank[b])
        inverse, ua, ub = distinct_pairs(a[todo], b[todo], len(values))
        off = np.fromiter(
            (_one_off(x, y, self.kind) for x, y in zip(values[ua], values[ub], strict=True)),
            bool,
            len(ua),
        )
        level[todo[off[inverse]]] = 1
        level[a == b] = 0
        level[blank[a] | blank[b]] = NULL
        return level

    def veto(self, table, left, right):
        if self.kind != "credit_code":
            return None
        codes, values = table.codes(f"other.{self.column}")
        blank = values == ""
        a, b = codes[left], codes[right]
        return ~blank[a] & ~blank[b] & (a != b)


class DateComparison(CodeComparison):
    """A date (of birth, of registration): the same day, one digit off or day and month
    swapped (a typo), the same day and month in another year (the year mistyped or
    misremembered: 19300609 / 19620609), different; a missing date is no evidence."""

    def __init__(self, column: str) -> None:
        super().__init__(column, "date")
        exact, one_off, different = self.levels
        self.levels = (
            exact,
            one_off,
            Level(
                "same_day_month",
                f"{column}月日相同、年份不同",
                f"{column} same day and month, other year",
                0.01,
            ),
            Level(different.key, different.label_zh, different.label_en, 0.02),
        )

    def compare(self, table, left, right, workers):
        level = super().compare(table, left, right, workers)
        level[level == 2] = 3
        codes, values = table.codes(f"other.{self.column}")
        todo = np.flatnonzero(level == 3)
        inverse, ua, ub = distinct_pairs(codes[left[todo]], codes[right[todo]], len(values))
        same = np.fromiter(
            (
                len(x) == len(y) == 8 and x[4:] == y[4:]
                for x, y in zip(values[ua], values[ub], strict=True)
            ),
            bool,
            len(ua),
        )
        level[todo[same[inverse]]] = 2
        return level


def other_comparison(column: str, kind: str) -> Comparison:
    """The comparison of an extra column of the given kind."""
    if kind in ("", "text"):
        return TextComparison(column)
    return DateComparison(column) if kind == "date" else CodeComparison(column, kind)


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
    found += [
        other_comparison(column, table.other_kinds.get(column, "text")) for column in table.others
    ]
    return tuple(found)
