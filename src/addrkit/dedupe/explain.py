"""Explain: why two records were judged one customer, in Chinese and English (last verb).

Every linked pair carries, per field, the level it reached and that level's weight in bits
(log2 m/u of the model), so a reason reads like ``名称相同；电话相同；地址相近且门牌一致``.
Each record of a group is explained by its strongest link to another member.
"""

from __future__ import annotations

import numpy as np

from .comparisons import NULL
from .model import Evidence, MatchPair
from .score import FellegiSunter, level_patterns

__all__ = ["explain_pairs", "record_reasons", "format_reason"]


def explain_pairs(
    model: FellegiSunter,
    pairs: np.ndarray,
    levels: np.ndarray,
    probability: np.ndarray,
    vetoed: np.ndarray | None = None,
) -> tuple[MatchPair, ...]:
    """A :class:`MatchPair` with its evidence for each row of ``pairs``.

    Fields with no evidence (a side empty) are left out of the explanation.
    """
    weights = model.level_weights()
    # One Evidence per comparison level, and one evidence tuple per distinct level
    # pattern: a million linked pairs share a few hundred patterns.
    per_level = [
        [
            Evidence(
                field=comparison.field,
                level=spec.key,
                label_zh=spec.label_zh,
                label_en=spec.label_en,
                weight=round(float(weights[k][level]), 2),
            )
            for level, spec in enumerate(comparison.levels)
        ]
        for k, comparison in enumerate(model.comparisons)
    ]
    patterns, _, inverse = level_patterns(levels)
    evidence_of = [
        tuple(per_level[k][level] for k, level in enumerate(row) if level != NULL)
        for row in patterns.tolist()
    ]
    vetoes = [c for c in model.comparisons if c.veto_en]
    veto_text = " / ".join(f"{c.veto_zh} {c.veto_en}" for c in vetoes)
    vetoed_list = [False] * len(pairs) if vetoed is None else np.asarray(vetoed).tolist()
    return tuple(
        MatchPair(
            left=left,
            right=right,
            probability=p,
            evidence=evidence_of[pattern],
            vetoed_by=veto_text if veto else None,
        )
        for (left, right), p, pattern, veto in zip(
            np.asarray(pairs).tolist(),
            np.asarray(probability, float).tolist(),
            inverse.tolist(),
            vetoed_list,
            strict=True,
        )
    )


def format_reason(pair: MatchPair) -> str:
    """One line for a cell: the agreeing fields first, Chinese then English.

    Examples
    --------
    >>> from addrkit.dedupe.model import Evidence, MatchPair
    >>> e = (Evidence("phones", "shared", "电话相同", "same phone", 6.1),
    ...      Evidence("name_core", "exact", "名称相同", "same name", 9.2))
    >>> format_reason(MatchPair(0, 1, 0.99, e))
    '名称相同；电话相同 / same name; same phone'
    """
    ordered = sorted(pair.evidence, key=lambda e: -e.weight)
    zh = "；".join(e.label_zh for e in ordered)
    en = "; ".join(e.label_en for e in ordered)
    return f"{zh} / {en}"


def record_reasons(
    n: int, cluster_id: np.ndarray, explained: tuple[MatchPair, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per record: the probability, reason and other record of its strongest link in its group.

    Returns
    -------
    score : ndarray of float, shape (n,)  (NaN outside groups)
    reason : ndarray of object, shape (n,)  ('' outside groups)
    partner : ndarray of int64, shape (n,)  (row of the other record; -1 outside groups)
    """
    score = np.full(n, np.nan)
    reason = np.full(n, "", dtype=object)
    partner = np.full(n, -1, np.int64)
    formatted: dict[tuple[Evidence, ...], str] = {}  # pairs share evidence tuples
    for pair in explained:
        if cluster_id[pair.left] == 0 or cluster_id[pair.left] != cluster_id[pair.right]:
            continue
        for row, other in ((pair.left, pair.right), (pair.right, pair.left)):
            if not pair.probability <= score[row]:  # NaN compares False: first link wins
                score[row] = pair.probability
                text = formatted.get(pair.evidence)
                if text is None:
                    text = formatted[pair.evidence] = format_reason(pair)
                reason[row] = text
                partner[row] = other
    return score, reason, partner
