"""Score: candidate pairs → match probabilities (third verb of the pipeline).

The model is Fellegi–Sunter, estimated from the data itself, no labels needed:

* ``u`` — how often a field reaches each level *by chance* — is counted on random pairs
  of records (almost all random pairs are different customers);
* ``m`` — how often it reaches each level *between duplicates* — is estimated by
  expectation–maximisation over the candidate pairs, with ``u`` held fixed (the approach
  of splink);
* both are smoothed towards the comparison's prior (``Level.m_prior``; a Dirichlet prior
  worth a few dozen pairs), so a table of ten rows still gets sensible weights.

A pair's match weight is ``log2(λ/(1-λ)) + Σ log2(m/u)`` over its non-empty fields and its
probability ``1 / (1 + 2^-weight)``, with one correction for dependence: phone and address
both locate the premises, and businesses sharing premises (a hotel's restaurants, offices
with one switchboard) agree on both, so of their agreements only the strongest counts. A veto (different branches, different credit codes)
sets the probability to 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .comparisons import NULL, Comparison
from .prepare import PreparedTable

__all__ = [
    "FellegiSunter",
    "comparison_levels",
    "level_patterns",
    "chance_model",
    "random_pairs",
    "estimate",
    "score_pairs",
    "frequency_adjustment",
    "condition_on_agreement",
]

_U_PSEUDO = 50.0  # weight of the uniform-ish prior of u, in pairs
_EPS = 1e-6
_CHUNK = 4_000_000  # candidate pairs compared at a time


@dataclass(frozen=True)
class FellegiSunter:
    """The estimated model: per comparison, m and u per level, and the match prior λ."""

    comparisons: tuple[Comparison, ...]
    m: tuple[np.ndarray, ...]
    u: tuple[np.ndarray, ...]
    prior: float
    #: Per comparison, u of its exact level by how many records hold the shared value
    #: (index :func:`count_class`), or None: see :func:`condition_on_agreement`.
    exact_u: tuple[np.ndarray | None, ...] | None = None

    def level_weights(self) -> tuple[np.ndarray, ...]:
        """log2(m/u) per comparison and level (bits), capped where a level says so."""
        out = []
        for comparison, m, u in zip(self.comparisons, self.m, self.u, strict=True):
            weight = np.log2(m / u)
            caps = [np.inf if lv.cap is None else lv.cap for lv in comparison.levels]
            out.append(np.minimum(weight, np.asarray(caps, float)))
        return tuple(out)

    def weights(self, levels: np.ndarray) -> np.ndarray:
        """Match weight (bits) of each pair given its ``(P, K)`` level matrix."""
        total = np.full(len(levels), np.log2(self.prior / (1 - self.prior)))
        premises_best = np.zeros(len(levels))
        for k, table in enumerate(self.level_weights()):
            column = levels[:, k]
            has = column != NULL
            weight = np.zeros(len(levels))
            weight[has] = table[column[has]]
            if self.comparisons[k].premises:
                # Agreement on the premises counts once (the strongest); disagreements add.
                premises_best = np.maximum(premises_best, weight)
                total += np.minimum(weight, 0.0)
            else:
                total += weight
        return total + premises_best

    def probabilities(self, levels: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp2(-self.weights(levels)))


def comparison_levels(
    table: PreparedTable,
    comparisons: tuple[Comparison, ...],
    pairs: np.ndarray,
    workers: int = -1,
) -> tuple[np.ndarray, np.ndarray]:
    """Levels ``(P, K)`` int8 and veto mask ``(P,)`` of each pair.

    Pairs are compared in chunks of ``_CHUNK`` so that the temporaries of a comparison
    (codes, distinct text pairs, similarities) stay a few hundred MB for any number of
    pairs.
    """
    levels = np.empty((len(pairs), len(comparisons)), np.int8)
    vetoed = np.zeros(len(pairs), bool)
    for start in range(0, len(pairs), _CHUNK):
        chunk = slice(start, start + _CHUNK)
        left, right = pairs[chunk, 0], pairs[chunk, 1]
        for k, comparison in enumerate(comparisons):
            levels[chunk, k] = comparison.compare(table, left, right, workers)
            veto = comparison.veto(table, left, right)
            if veto is not None:
                vetoed[chunk] |= veto
    return levels, vetoed


def random_pairs(n: int, count: int, seed: int) -> np.ndarray:
    """Distinct-record pairs: all of them for a small table, else ``count`` drawn at random."""
    if n < 2:
        return np.empty((0, 2), np.int64)
    if n * (n - 1) // 2 <= count:
        left, right = np.triu_indices(n, 1)
        return np.stack((left, right), axis=1).astype(np.int64)
    rng = np.random.default_rng(seed)
    left = rng.integers(0, n, count)
    right = rng.integers(0, n - 1, count)
    right[right >= left] += 1  # never a record with itself
    return np.stack((np.minimum(left, right), np.maximum(left, right)), axis=1)


def _counts(column: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    has = column != NULL
    return np.bincount(
        column[has], weights=None if weights is None else weights[has], minlength=size
    ).astype(float)


def _u_and_m_prior(
    comparisons: tuple[Comparison, ...], random_levels: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    u_list, m_list = [], []
    for k, comparison in enumerate(comparisons):
        size = len(comparison.levels)
        counts = _counts(random_levels[:, k], size)
        # Prior for u: agreement is rare by chance; the last level (disagreement) is the norm.
        u_prior = np.full(size, 0.01 / max(size - 1, 1))
        u_prior[-1] = 0.99
        u = (counts + _U_PSEUDO * u_prior) / (counts.sum() + _U_PSEUDO)
        u_list.append(np.maximum(u, _EPS))
        m_prior = np.asarray([lv.m_prior for lv in comparison.levels], float)
        m_list.append(m_prior / m_prior.sum())
    return u_list, m_list


def chance_model(comparisons: tuple[Comparison, ...], random_levels: np.ndarray) -> FellegiSunter:
    """The model before EM: u counted on random pairs, m at the comparisons' priors.

    Its u is final (EM only learns m and λ), so the frequency adjustment, which reads u
    alone, can be computed from it before EM and taken into EM.
    """
    u, m_prior = _u_and_m_prior(comparisons, random_levels)
    return FellegiSunter(comparisons, tuple(m_prior), tuple(u), 0.1)


def _with_adjust(levels: np.ndarray, adjust: np.ndarray | None) -> np.ndarray:
    """``levels`` with one more column: the frequency adjustment in half bits (≥ 0 for a
    penalty), so that pairs still fall into a few thousand patterns."""
    if adjust is None:
        return levels
    half_bits = np.clip(np.round(-2.0 * adjust), 0, 120).astype(np.int8)
    return np.column_stack((levels, half_bits))


def _pattern_probabilities(model: FellegiSunter, patterns: np.ndarray) -> np.ndarray:
    k = len(model.comparisons)
    weight = model.weights(patterns[:, :k])
    if patterns.shape[1] > k:  # the adjustment column of _with_adjust
        weight = weight - patterns[:, k] / 2.0
    return 1.0 / (1.0 + np.exp2(-weight))


def level_patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct rows of a ``(P, K)`` level matrix, how often each occurs, and which
    pattern each pair has: ``patterns[inverse] == levels``.

    A model's probability depends on a pair only through its levels, and millions of pairs
    share a few hundred level patterns, so EM and scoring run over patterns with counts.

    Examples
    --------
    >>> patterns, counts, inverse = level_patterns(np.array([[0, 1], [2, -1], [0, 1]], np.int8))
    >>> patterns.tolist(), counts.tolist(), inverse.tolist()
    ([[0, 1], [2, -1]], [2.0, 1.0], [0, 1, 0])
    """
    if len(levels) == 0:
        return levels, np.zeros(0), np.zeros(0, np.int64)
    radix = np.maximum(levels.max(axis=0).astype(np.int64) + 2, 1)  # -1 .. max → 0 .. max+1
    if float(np.prod(radix.astype(float))) >= 2.0**62:
        # Too many comparisons for one int64 code: group rows directly (slower, exact).
        patterns, inverse, counts = np.unique(
            levels, axis=0, return_inverse=True, return_counts=True
        )
        return patterns, counts.astype(float), inverse.reshape(-1)
    code = np.zeros(len(levels), np.int64)
    for k in range(levels.shape[1]):
        code = code * radix[k] + (levels[:, k].astype(np.int64) + 1)
    inverse, unique = pd.factorize(code)
    counts = np.bincount(inverse, minlength=len(unique)).astype(float)
    example = np.zeros(len(unique), np.int64)
    example[inverse] = np.arange(len(inverse))  # any row of a pattern is that pattern
    return levels[example], counts, inverse


def _em(
    levels: np.ndarray,
    m_prior: list[np.ndarray],
    u: list[np.ndarray],
    learn: list[bool],
    iterations: int,
    comparisons: tuple[Comparison, ...],
) -> tuple[list[np.ndarray], float, float]:
    """EM over ``levels``; only comparisons with ``learn[k]`` take part and are updated.

    Returns m, the match prior and the expected number of duplicates among ``levels``.
    """
    m = [p.copy() for p in m_prior]
    prior = 0.1
    used = levels.copy()
    for k, flag in enumerate(learn):
        if not flag:
            used[:, k] = NULL
    used, count, _ = level_patterns(used)
    total = count.sum()
    for _ in range(iterations):
        p = _pattern_probabilities(FellegiSunter(comparisons, tuple(m), tuple(u), prior), used)
        before = [x.copy() for x in m]
        for k in range(len(comparisons)):
            if learn[k]:
                counts = _counts(used[:, k], len(m[k]), p * count)
                strength = comparisons[k].m_strength
                m[k] = np.maximum(
                    (counts + strength * m_prior[k]) / (counts.sum() + strength), _EPS
                )
        prior = float(np.clip(((p * count).sum() + 1) / (total + 2), 1e-4, 0.99))
        if max(float(np.abs(x - y).max()) for x, y in zip(m, before, strict=True)) < 1e-5:
            break  # converged
    return m, prior, float((p * count).sum())


def estimate(
    comparisons: tuple[Comparison, ...],
    candidate_levels: np.ndarray,
    random_levels: np.ndarray,
    *,
    key_levels: list[tuple[tuple[str, ...], np.ndarray]] = (),
    iterations: int = 25,
    adjust: np.ndarray | None = None,
    key_adjust: list[np.ndarray] | None = None,
    total_pairs: int | None = None,
) -> FellegiSunter:
    """Estimate u from random pairs, m by EM per blocking key, λ over all candidates.

    Pairs found by one blocking key agree on that key's fields by construction, so they
    say nothing about how often *those* fields agree on duplicates. As in splink, m of a
    comparison is learnt only from the pairs of keys that do not involve it
    (``key_levels``: the key's fields and its pairs' levels), averaged over those keys
    weighted by the duplicates each found. Without ``key_levels`` all comparisons are
    learnt from all candidates.

    ``adjust`` (bits per candidate pair, :func:`frequency_adjustment` of
    :func:`chance_model`) and ``key_adjust`` (the same for each key's pairs) take part in
    EM: otherwise the pairs of a common name (张伟 and 张伟, two people) look like
    duplicates to EM, which then learns that duplicates mostly differ in phone and address
    and links half a large list through one name.

    Examples
    --------
    >>> from addrkit.dedupe.comparisons import EmailComparison
    >>> cand = np.array([[0]] * 30 + [[1]] * 70, np.int8)
    >>> rand = np.array([[1]] * 999 + [[0]], np.int8)
    >>> model = estimate((EmailComparison(),), cand, rand)
    >>> bool(model.level_weights()[0][0] > 5 and model.level_weights()[0][1] < 0)
    True
    """
    u, m_prior = _u_and_m_prior(comparisons, random_levels)
    if len(candidate_levels) == 0:
        return FellegiSunter(comparisons, tuple(m_prior), tuple(u), 0.1)
    if not key_levels:
        m, prior, _ = _em(
            _with_adjust(candidate_levels, adjust),
            m_prior,
            u,
            [True] * len(comparisons),
            iterations,
            comparisons,
        )
        return FellegiSunter(comparisons, tuple(m), tuple(u), prior)
    sums = [np.zeros_like(p) for p in m_prior]
    found = np.zeros(len(comparisons))
    key_adjust = key_adjust or [None] * len(key_levels)
    for (fields, levels), bits in zip(key_levels, key_adjust, strict=True):
        learn = [not set(c.fields) & set(fields) for c in comparisons]
        if len(levels) == 0 or not any(learn):
            continue
        m, _, duplicates = _em(
            _with_adjust(levels, bits), m_prior, u, learn, iterations, comparisons
        )
        for k, flag in enumerate(learn):
            if flag:
                sums[k] += m[k] * duplicates
                found[k] += duplicates
    m = [sums[k] / found[k] if found[k] > 0 else m_prior[k] for k in range(len(comparisons))]
    patterns, count, _ = level_patterns(_with_adjust(candidate_levels, adjust))
    candidates = float(count.sum())
    # λ: the share of duplicates among the candidates. They are counted first with the
    # chance that two records of the whole list are one customer (splink's probability
    # that two random records match; u was counted over all pairs too): re-estimated over
    # the candidates alone, λ feeds on itself where a large list has many candidates that
    # share only an address (at 100,000 records EM reached λ = 0.17 and linked 64,000
    # records into one group).
    pairs_total = float(total_pairs) if total_pairs else candidates
    prior = float(np.clip(candidates * 0.1 / pairs_total, 1e-12, 0.5))
    for _ in range(iterations):
        p = _pattern_probabilities(FellegiSunter(comparisons, tuple(m), tuple(u), prior), patterns)
        duplicates = float((p * count).sum())
        prior = float(np.clip((duplicates + 1) / (pairs_total + 2), 1e-12, 0.99))
    prior = float(np.clip((duplicates + 1) / (candidates + 2), 1e-4, 0.99))
    return FellegiSunter(comparisons, tuple(m), tuple(u), prior)


def frequency_adjustment(
    model: FellegiSunter, table: PreparedTable, pairs: np.ndarray, levels: np.ndarray
) -> np.ndarray:
    """Bits to add to each pair's weight for how common its exactly shared value is.

    For a comparison with a ``frequency_field``, a pair at its exact level shares one value
    v; by chance a record has v with probability about ``(count(v) - 2) / records`` (the
    records beyond the pair itself: a value held by one pair alone says nothing of its
    frequency), so the level's u is raised to that when it is larger (never lowered: rare
    values keep the model's weight).

    Examples
    --------
    >>> from addrkit.dedupe.comparisons import NameComparison
    >>> from addrkit.dedupe.prepare import ColumnRole, prepare
    >>> t = prepare(pd.DataFrame({"n": ["张伟"] * 50 + ["云栖科技"] * 2 + list("甲乙丙")}),
    ...             {"n": ColumnRole.NAME})
    >>> m = FellegiSunter((NameComparison(),), (np.full(8, 1 / 8),), (np.full(8, 1e-4),), 0.1)
    >>> adjust = frequency_adjustment(m, t, np.array([[0, 1], [50, 51]]), np.zeros((2, 1), np.int8))
    >>> bool(adjust[0] < -5 and adjust[1] == 0.0)
    True
    """
    adjust = np.zeros(len(pairs))
    for k, comparison in enumerate(model.comparisons):
        if comparison.frequency_field is None or len(pairs) == 0:
            continue
        codes, values = table.codes(comparison.frequency_field)
        frequency = table.derived(
            f"{comparison.frequency_field}.frequency",
            lambda c=codes, v=values: (
                np.maximum(np.bincount(c, minlength=len(v)) - 2, 0) / max(len(c), 1)
            ),
        )
        exact = np.flatnonzero(levels[:, k] == 0)
        u_level = model.u[k][0]
        value = codes[pairs[exact, 0]]
        u_value = np.maximum(frequency[value], u_level)
        if model.exact_u is not None and model.exact_u[k] is not None:
            by_class = model.exact_u[k]
            held = _value_counts(table, comparison.frequency_field)[value]
            u_value = np.maximum(
                u_value, by_class[np.minimum(count_class(held), len(by_class) - 1)]
            )
        adjust[exact] = np.log2(u_level) - np.log2(u_value)
    return adjust


def count_class(held: np.ndarray) -> np.ndarray:
    """Class of a value held by ``held`` (≥ 2) records: 0 for 2, 1 for 3–4, 2 for 5–8 …

    Examples
    --------
    >>> count_class(np.array([2, 3, 4, 5, 8, 9, 100])).tolist()
    [0, 1, 1, 2, 2, 3, 6]
    """
    return np.floor(np.log2(np.maximum(held, 2) - 1) + 1e-9).astype(np.int64)


def _value_counts(table: PreparedTable, field_name: str) -> np.ndarray:
    codes, values = table.codes(field_name)
    return table.derived(
        f"{field_name}.counts",
        lambda: np.bincount(codes, minlength=len(values)),
    )


def condition_on_agreement(
    model: FellegiSunter,
    table: PreparedTable,
    pairs: np.ndarray,
    levels: np.ndarray,
    *,
    block_cap: int = 50,
    iterations: int = 25,
) -> FellegiSunter:
    """The model with a shared value that made pairs candidates counted once, not twice.

    λ is the share of duplicates among the *candidates*, and a pair is a candidate because
    it shares a key such as its name; u, counted on random pairs, then adds the rarity of
    that same name again. Namesakes (two persons called 王伟) grow with the square of a
    list's size and duplicates only with its size, so on a large list the double count
    links two persons on their name alone.

    For a comparison whose exact level means "the same ``frequency_field`` value" (the
    name core) this counts what the list itself says the agreement is worth, separately
    for values held by 2, 3–4, 5–8 … records (a name held by two records is a duplicate
    far more often than one held by forty): all pairs of the list sharing such a value
    (the candidates at the level, plus what a block larger than ``block_cap`` left out),
    and the duplicates among them — the expected duplicates of the candidates at the level,
    re-estimated to a fixed point as EM's λ. The class's u is then the one for which λ and
    the level's weight give that share, ``odds(share) = odds(λ)·m/u``; it only ever lowers
    the level's weight (never below u by chance), and the frequency adjustment of
    :func:`frequency_adjustment` takes it (:attr:`FellegiSunter.exact_u`).

    Examples
    --------
    >>> from addrkit.dedupe.comparisons import NameComparison
    >>> from addrkit.dedupe.prepare import ColumnRole, prepare
    >>> t = prepare(pd.DataFrame({"n": ["张伟"] * 40 + ["李娜"] * 2}), {"n": ColumnRole.NAME})
    >>> fs = FellegiSunter((NameComparison(),), (np.full(9, 1 / 9),), (np.full(9, 1e-4),), 0.01)
    >>> pairs = np.array([(a, b) for a in range(40) for b in range(a + 1, 40)] + [(40, 41)])
    >>> conditioned = condition_on_agreement(fs, t, pairs, np.zeros((len(pairs), 1), np.int8))
    >>> bits = frequency_adjustment(conditioned, t, pairs, np.zeros((len(pairs), 1), np.int8))
    >>> bool(bits[0] < -10 and bits[0] < bits[-1] <= 0.0)  # forty 张伟 weigh next to nothing
    True
    """
    exact_u: list[np.ndarray | None] = [None] * len(model.comparisons)
    for k, comparison in enumerate(model.comparisons):
        field_name = comparison.frequency_field
        if field_name is None or field_name != comparison.field or len(levels) == 0:
            continue
        exact = np.flatnonzero(levels[:, k] == 0)
        if len(exact) == 0:
            continue
        codes, values = table.codes(field_name)
        held = _value_counts(table, field_name).astype(np.int64)
        held[values == ""] = 0
        classes = int(count_class(np.array([max(int(held.max()), 2)]))[0]) + 1
        # Pairs sharing a value: the candidates at the level, and those of a value held by
        # more than block_cap records that the window left out.
        value = codes[pairs[exact, 0]]
        pair_class = count_class(held[value])
        at_level = np.bincount(pair_class, minlength=classes).astype(float)
        big = np.flatnonzero(held > block_cap)
        shown = np.bincount(value, minlength=len(values))[big]
        left_out = np.maximum(held[big] * (held[big] - 1) // 2 - shown, 0)
        at_level += np.bincount(count_class(held[big]), weights=left_out, minlength=classes)

        exact_levels = levels[exact]
        prior_odds = model.prior / (1 - model.prior)
        u_chance = float(model.u[k][0])
        by_class = np.full(classes, u_chance)
        for _ in range(iterations):
            trial = _with_exact_u(model, k, by_class)
            bits = frequency_adjustment(trial, table, pairs[exact], exact_levels)
            weight = trial.weights(exact_levels) + bits
            p = 1.0 / (1.0 + np.exp2(-weight))
            duplicates = np.bincount(pair_class, weights=p, minlength=classes)
            share = np.clip((duplicates + 1) / (at_level + 2), 1e-6, 1 - 1e-6)
            new = np.maximum(model.m[k][0] * prior_odds * (1 - share) / share, u_chance)
            new[at_level == 0] = u_chance
            done = float(np.abs(np.log2(new) - np.log2(by_class)).max()) < 1e-3
            by_class = new
            if done:
                break
        exact_u[k] = by_class
    if all(u is None for u in exact_u):
        return model
    return FellegiSunter(model.comparisons, model.m, model.u, model.prior, tuple(exact_u))


def _with_exact_u(model: FellegiSunter, k: int, by_class: np.ndarray) -> FellegiSunter:
    exact_u = list(model.exact_u or [None] * len(model.comparisons))
    exact_u[k] = by_class
    return FellegiSunter(model.comparisons, model.m, model.u, model.prior, tuple(exact_u))


def score_pairs(
    model: FellegiSunter,
    levels: np.ndarray,
    vetoed: np.ndarray,
    adjust: np.ndarray | None = None,
) -> np.ndarray:
    """Match probability of each pair (``adjust``: bits added per pair); vetoed pairs get 0."""
    patterns, _, inverse = level_patterns(levels)
    if adjust is None or not adjust.any():
        probability = model.probabilities(patterns)[inverse]
    else:
        weight = model.weights(patterns)[inverse] + adjust
        probability = 1.0 / (1.0 + np.exp2(-weight))
    probability[vetoed] = 0.0
    return probability
