"""The dedupe pipeline: prepare → block → score → cluster → explain.

:func:`find_duplicates` runs the verbs in order on a pandas DataFrame and returns a
:class:`DedupeResult`; each verb is its own module, usable alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from .block import BlockingKey, candidate_pairs
from .cluster import cluster_records
from .comparisons import Comparison, default_comparisons
from .explain import explain_pairs, record_reasons
from .model import (
    DEDUPE_ROLES,
    Cluster,
    ColumnRole,
    DedupeSettings,
    Evidence,
    MatchPair,
    StageStats,
)
from .prepare import prepare
from .roles import detect_roles
from .score import (
    FellegiSunter,
    chance_model,
    comparison_levels,
    condition_on_agreement,
    estimate,
    frequency_adjustment,
    random_pairs,
    score_pairs,
)

__all__ = ["DedupeResult", "find_duplicates", "RESULT_COLUMNS", "NAMESAKES_FROM"]

#: Distinct records from which a shared name is weighed by the list's own share of
#: duplicates by default (``DedupeSettings.namesakes``): on the tuning generator it is
#: even at 10,000 records and better from 20,000 (docs/benchmarks.md, #11).
NAMESAKES_FROM = 20_000

RESULT_COLUMNS = ("cluster_id", "match_score", "match_reason")


@dataclass(frozen=True)
class DedupeResult:
    """The outcome of a run, row-aligned with the input table.

    ``cluster_id`` is 1, 2, ... for members of a duplicate group and 0 for unique records;
    ``match_score``, ``match_reason`` and ``partner`` (row position of the other record)
    describe each member's strongest link (NaN / '' / -1 for unique records); ``pairs``
    explains those links (and each identical copy).
    """

    cluster_id: np.ndarray
    match_score: np.ndarray
    match_reason: np.ndarray
    partner: np.ndarray
    clusters: tuple[Cluster, ...]
    pairs: tuple[MatchPair, ...]
    stats: StageStats
    model: FellegiSunter | None

    def annotate(self, table: pd.DataFrame, id_column: str | None = None) -> pd.DataFrame:
        """A copy of ``table`` with ``cluster_id``, ``match_score``, ``match_reason`` added.

        ``cluster_id`` is empty (``<NA>``) for unique records. With ``id_column`` each
        reason starts with the id of the record it matched (``≈ C0001: 名称相同 …``).
        """
        out = table.copy()
        cluster_id = pd.array(self.cluster_id, dtype="Int64")
        cluster_id[self.cluster_id == 0] = pd.NA
        reason = self.match_reason
        if id_column is not None:
            ids = table[id_column].astype(str).to_numpy()
            has = self.partner >= 0
            reason = reason.copy()
            reason[has] = [
                f"≈ {ids[p]}: {r}" for p, r in zip(self.partner[has], reason[has], strict=True)
            ]
        out["cluster_id"] = cluster_id
        out["match_score"] = np.round(self.match_score, 4)
        out["match_reason"] = reason
        return out


_IDENTICAL = Evidence(
    "all",
    "identical",
    "各比较字段规范化后相同",
    "every compared field the same once normalised",
    99.0,
)


def _copies(codes: np.ndarray, first: np.ndarray, signature: np.ndarray) -> tuple[MatchPair, ...]:
    """A pair (first entry, copy) for every entry typed again identically."""
    copy_rows = np.flatnonzero((first[codes] != np.arange(len(codes))) & (signature != ""))
    return tuple(
        MatchPair(int(first[codes[row]]), int(row), 1.0, (_IDENTICAL,)) for row in copy_rows
    )


def _strongest_links(
    n: int, pairs: np.ndarray, probability: np.ndarray, linked: np.ndarray
) -> np.ndarray:
    """Indices of the linked pairs that are some record's strongest link."""
    index = np.flatnonzero(linked)
    if len(index) == 0:
        return index
    order = index[np.argsort(-probability[index], kind="stable")]
    best = np.full(n, -1, np.int64)
    for side in (0, 1):
        rows = pairs[order, side]
        # First occurrence in descending order = that record's strongest link.
        _, first_seen = np.unique(rows, return_index=True)
        chosen = order[first_seen]
        unseen = best[rows[first_seen]] < 0
        better = ~unseen & (
            probability[chosen] > probability[np.maximum(best[rows[first_seen]], 0)]
        )
        take = unseen | better
        best[rows[first_seen][take]] = chosen[take]
    return np.unique(best[best >= 0])


def _expand(
    distinct_cluster: np.ndarray,
    distinct_clusters: tuple[Cluster, ...],
    codes: np.ndarray,
    signature: np.ndarray,
) -> tuple[np.ndarray, tuple[Cluster, ...]]:
    """Clusters of distinct records → clusters of table rows, copies joining their original."""
    group = distinct_cluster[codes].astype(np.int64)
    counts = np.bincount(codes)
    # Identical copies with no other duplicate form a group of their own (blank rows never).
    alone = (group == 0) & (counts[codes] >= 2) & (signature != "")
    group[alone] = -(codes[alone] + 1)
    by_id = {c.cluster_id: c for c in distinct_clusters}
    rows = np.flatnonzero(group != 0)
    if len(rows) == 0:
        return np.zeros(len(codes), np.int64), ()
    order = rows[np.argsort(group[rows], kind="stable")]
    labels, starts = np.unique(group[order], return_index=True)
    members_of = dict(zip(labels.tolist(), np.split(order, starts[1:]), strict=True))
    ranked = sorted(members_of.items(), key=lambda item: int(item[1].min()))
    cluster_id = np.zeros(len(codes), np.int64)
    clusters = []
    for number, (label, members) in enumerate(ranked, start=1):
        cluster_id[members] = number
        source = by_id.get(label)
        clusters.append(
            Cluster(
                cluster_id=number,
                members=tuple(int(m) for m in np.sort(members)),
                score=source.score if source else 1.0,
                flagged=source.flagged if source else False,
                note_zh=source.note_zh if source else "",
                note_en=source.note_en if source else "",
            )
        )
    return cluster_id, tuple(clusters)


def _dedupe_role(value: ColumnRole | str) -> ColumnRole:
    role = ColumnRole(value)
    if role not in DEDUPE_ROLES:  # a division column: header detection's, not compared
        raise ValueError(f"{value!r} is not a valid ColumnRole")
    return role


def _resolve_roles(
    table: pd.DataFrame, roles: Mapping[str, ColumnRole | str] | None
) -> dict[str, ColumnRole]:
    if roles is None:
        resolved = detect_roles(table.columns)
    else:
        try:
            resolved = {str(c): _dedupe_role(r) for c, r in roles.items()}
        except ValueError as err:
            valid = ", ".join(r.value for r in DEDUPE_ROLES)
            raise InputError(f"unknown column role ({err}); valid roles: {valid}") from err
    compared = {c: r for c, r in resolved.items() if r is not ColumnRole.ID}
    if not compared:
        raise InputError(
            "no column to compare: name the name/address/phone columns "
            "/ 找不到可比较的列（名称、地址、电话）; columns: " + ", ".join(map(str, table.columns))
        )
    return compared


def find_duplicates(
    table: pd.DataFrame,
    roles: Mapping[str, ColumnRole | str] | None = None,
    *,
    settings: DedupeSettings | None = None,
    keys: tuple[BlockingKey, ...] | None = None,
    comparisons: tuple[Comparison, ...] | None = None,
    address_parser: Callable[[Iterable[str]], Iterable] | None = None,
) -> DedupeResult:
    """Find the records of ``table`` that are the same customer.

    Parameters
    ----------
    table
        The customer table (row order is what results refer to).
    roles
        Column → :class:`ColumnRole` (or its value, e.g. ``"phone"``); detected from the
        headers (客户名称/名称/Name, 地址/Address, 电话/手机/Phone ...) when omitted.
    settings
        Threshold and limits (:class:`DedupeSettings`).
    keys, comparisons
        Blocking keys and field comparisons; default: all the columns allow.
    address_parser
        ``parse_many``-like callable (default :func:`addrkit.parse_many`).

    Returns
    -------
    DedupeResult

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "客户名称": ["杭州云栖科技有限公司", "杭州云栖科技", "杭州云栖科技有限公司滨江分公司"],
    ...     "电话": ["+86 138-0571-2345", "13805712345", "13805712345"],
    ... })
    >>> find_duplicates(df).cluster_id.tolist()
    [1, 1, 0]
    """
    settings = settings or DedupeSettings()
    compared = _resolve_roles(table, roles)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    full = prepare(table, compared, address_parser=address_parser, jobs=settings.jobs)
    # Entries typed again identically (after normalisation) are one record for the model:
    # otherwise a list of 100,000 copies would teach it that agreement means nothing.
    signature = full.signatures()
    codes, _ = pd.factorize(signature)
    first = np.unique(codes, return_index=True)[1]
    prepared = full.take(first)
    seconds["prepare"], clock = time.perf_counter() - clock, time.perf_counter()

    pairs, per_key = candidate_pairs(
        prepared,
        keys,
        block_cap=settings.block_cap,
        window=settings.window,
        sample_per_key=settings.em_pairs_per_key,
        seed=settings.seed,
    )
    seconds["block"], clock = time.perf_counter() - clock, time.perf_counter()

    comparisons = comparisons or default_comparisons(prepared)
    levels, vetoed = comparison_levels(prepared, comparisons, pairs, settings.workers)
    sample = random_pairs(prepared.size, settings.random_pairs, settings.seed)
    random_levels, _ = comparison_levels(prepared, comparisons, sample, settings.workers)
    # Each key's sample is a subset of the candidates: its levels are looked up, not
    # compared again.
    encoded = pairs[:, 0] * prepared.size + pairs[:, 1]
    at = [
        np.searchsorted(encoded, own[:, 0] * prepared.size + own[:, 1]) for own in per_key.values()
    ]
    del encoded
    key_levels = [(key.fields, levels[i]) for key, i in zip(per_key, at, strict=True)]
    # How common each shared value is depends on u alone, which EM does not change: it is
    # known before EM and EM must see it (a common name shared is no sign of a duplicate).
    adjust = frequency_adjustment(chance_model(comparisons, random_levels), prepared, pairs, levels)
    model = estimate(
        comparisons,
        levels,
        random_levels,
        key_levels=key_levels,
        iterations=settings.em_iterations,
        adjust=adjust,
        key_adjust=[adjust[i] for i in at],
        total_pairs=prepared.size * (prepared.size - 1) // 2,
    )
    # The name that made a pair a candidate must not count again on top of λ.
    namesakes = settings.namesakes
    if namesakes is None:
        namesakes = prepared.size >= NAMESAKES_FROM
    if namesakes:
        model = condition_on_agreement(
            model,
            prepared,
            pairs,
            levels,
            block_cap=settings.block_cap,
            iterations=settings.em_iterations,
        )
        adjust = frequency_adjustment(model, prepared, pairs, levels)
    probability = score_pairs(model, levels, vetoed, adjust)
    seconds["score"], clock = time.perf_counter() - clock, time.perf_counter()

    def rescore(extra: np.ndarray) -> np.ndarray:
        extra_levels, extra_vetoed = comparison_levels(
            prepared, comparisons, extra, settings.workers
        )
        adjust = frequency_adjustment(model, prepared, extra, extra_levels)
        return score_pairs(model, extra_levels, extra_vetoed, adjust)

    distinct_cluster, distinct_clusters = cluster_records(
        prepared.size, pairs, probability, settings, rescore
    )
    seconds["cluster"], clock = time.perf_counter() - clock, time.perf_counter()

    inside = (distinct_cluster[pairs[:, 0]] > 0) & (
        distinct_cluster[pairs[:, 0]] == distinct_cluster[pairs[:, 1]]
    )
    linked = inside & (probability >= settings.threshold)
    # Explain each record's strongest link (what the result columns show).
    best = _strongest_links(prepared.size, pairs, probability, linked)
    # Back to the rows of the table: pairs of representatives, plus identical copies.
    explained = explain_pairs(model, first[pairs[best]], levels[best], probability[best])
    copies = _copies(codes, first, signature)
    cluster_id, clusters = _expand(distinct_cluster, distinct_clusters, codes, signature)
    explained += copies
    score, reason, partner = record_reasons(full.size, cluster_id, explained)
    for cluster in clusters:
        if cluster.note_en:  # why the group was split or needs a look, beside its reasons
            for member in cluster.members:
                zh, _, en = str(reason[member]).partition(" / ")
                zh = f"{zh}（{cluster.note_zh}）" if zh else cluster.note_zh
                en = f"{en} ({cluster.note_en})" if en else cluster.note_en
                reason[member] = f"{zh} / {en}"
    seconds["explain"] = time.perf_counter() - clock

    stats = StageStats(
        records=full.size,
        candidate_pairs=len(pairs),
        linked_pairs=int(linked.sum()),
        clusters=len(clusters),
        seconds=seconds,
    )
    return DedupeResult(cluster_id, score, reason, partner, clusters, explained, stats, model)
