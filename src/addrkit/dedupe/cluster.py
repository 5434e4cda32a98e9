"""Cluster: linked pairs → groups of one customer, guarded against chaining (fourth verb).

Linking every pair above the threshold and taking connected components can chain two
customers through a record that resembles both (A–B and B–C link, A and C are two
companies in one building). So every group of up to ``max_checked_cluster`` members is
checked member against member: if two members are clearly different
(probability < ``split_below``) or a member agrees with the rest of its group less than
``member_agreement`` on average, the group is re-linked inside with a stricter threshold,
step by step, until every part is consistent; a group that cannot be made consistent, or is
too big to check, is kept and *flagged* for a person to look at. The parts of a split group
say so in their note (shown in ``match_reason``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .model import Cluster, DedupeSettings

__all__ = ["connected_components", "cluster_records"]

_STRICTER = (0.99, 0.999, 0.9999, 0.99999)


def connected_components(n: int, edges: np.ndarray) -> np.ndarray:
    """Component label of each of ``n`` records (the smallest member's row position).

    Examples
    --------
    >>> connected_components(5, np.array([[0, 1], [3, 4], [1, 4]])).tolist()
    [0, 0, 2, 0, 0]
    """
    labels = np.arange(n, dtype=np.int64)
    if len(edges) == 0:
        return labels
    a, b = edges[:, 0], edges[:, 1]
    while True:
        low = np.minimum(labels[a], labels[b])
        new = labels.copy()
        # Hook both ends and both current roots onto the smaller label ...
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        np.minimum.at(new, labels[a], low)
        np.minimum.at(new, labels[b], low)
        # ... then compress paths until every record points at its root.
        while True:
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, labels):
            return labels
        labels = new


def _split(
    members: np.ndarray,
    internal: np.ndarray,
    probability: np.ndarray,
    settings: DedupeSettings,
) -> tuple[list[np.ndarray], bool]:
    """Split one group on its full internal probability matrix; returns parts and flagged."""
    local = np.searchsorted(members, internal)
    for threshold in (settings.threshold, *_STRICTER):
        if threshold < settings.threshold:
            continue
        keep = probability >= threshold
        labels = connected_components(len(members), local[keep])
        same = labels[local[:, 0]] == labels[local[:, 1]]
        if not np.any(same & (probability < settings.split_below)):
            labels = _peel(labels, local, probability, settings.member_agreement)
            parts = [members[labels == lab] for lab in np.unique(labels)]
            return parts, False
    return [members], True


def _peel(
    labels: np.ndarray, local: np.ndarray, probability: np.ndarray, agreement: float
) -> np.ndarray:
    """Split off, one at a time, the member that agrees least with the rest of its part
    (mean probability against the others below ``agreement``) until every member agrees
    with its group, not only with one neighbour.

    Examples
    --------
    >>> local = np.array([[0, 1], [0, 2], [1, 2], [2, 3], [0, 3], [1, 3]])
    >>> p = np.array([0.99, 0.97, 0.98, 0.95, 0.2, 0.2])
    >>> _peel(np.zeros(4, np.int64), local, p, 0.5).tolist()
    [0, 0, 0, 7]
    """
    labels = labels.copy()
    n = len(labels)
    while True:
        same = labels[local[:, 0]] == labels[local[:, 1]]
        if not same.any():
            return labels
        ends = local[same].ravel()
        total = np.bincount(ends, np.repeat(probability[same], 2), minlength=n)
        count = np.bincount(ends, minlength=n)
        mean = np.where(count > 0, total / np.maximum(count, 1), 1.0)
        worst = int(np.argmin(mean))
        if mean[worst] >= agreement:
            return labels
        labels[worst] = n + worst  # a part of its own (a label no member has)


def cluster_records(
    n: int,
    pairs: np.ndarray,
    probability: np.ndarray,
    settings: DedupeSettings,
    rescore: Callable[[np.ndarray], np.ndarray],
) -> tuple[np.ndarray, tuple[Cluster, ...]]:
    """Group records linked by pairs at or above the threshold, then check each group.

    Parameters
    ----------
    n
        Number of records.
    pairs, probability
        Candidate pairs ``(P, 2)`` and their match probability.
    settings
        Threshold, ``split_below`` and ``max_checked_cluster``.
    rescore
        Callable giving the probability of any pairs ``(Q, 2)``; used for the member
        against member check.

    Returns
    -------
    cluster_id : ndarray of int64, shape (n,)
        1, 2, ... for members of a duplicate group (in order of first member), 0 otherwise.
    clusters : tuple of Cluster
    """
    linked = probability >= settings.threshold
    labels = connected_components(n, pairs[linked])
    sizes = np.bincount(labels, minlength=n)
    member_lists = _members_by_label(labels, sizes)
    checked = [m for m in member_lists if 3 <= len(m) <= settings.max_checked_cluster]
    internal_all = [np.stack(np.triu_indices(len(m), 1), axis=1) for m in checked]
    internal_rows = [m[t] for m, t in zip(checked, internal_all, strict=True)]
    if internal_rows:
        flat = np.concatenate(internal_rows)
        flat_probability = rescore(flat)
        bounds = np.cumsum([0] + [len(t) for t in internal_rows])
    groups: list[tuple[np.ndarray, bool, str]] = []
    check_index = 0
    for members in member_lists:
        if len(members) < 2:
            continue
        if len(members) == 2:
            groups.append((members, False, ""))
        elif len(members) <= settings.max_checked_cluster:
            span = slice(bounds[check_index], bounds[check_index + 1])
            parts, flagged = _split(
                members, internal_rows[check_index], flat_probability[span], settings
            )
            check_index += 1
            note = "chain" if flagged else "split" if len(parts) > 1 else ""
            groups += [(p, flagged or note == "split", note) for p in parts if len(p) >= 2]
        else:
            groups.append((members, True, "large"))
    return _number(n, groups, pairs[linked], probability[linked])


def _members_by_label(labels: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    multi = np.flatnonzero(sizes[labels] >= 2)
    if len(multi) == 0:
        return []
    order = multi[np.argsort(labels[multi], kind="stable")]
    _, starts = np.unique(labels[order], return_index=True)
    return np.split(order, starts[1:])


_NOTES = {
    "": ("", ""),
    "chain": ("组内成员互有矛盾，请人工核对", "members disagree; please review"),
    "large": ("组过大，请人工核对", "very large group; please review"),
    "split": (
        "由成员间证据不一致的大组拆分而来",
        "split from a larger group whose members disagreed",
    ),
}


def _number(
    n: int,
    groups: list[tuple[np.ndarray, bool, str]],
    linked_pairs: np.ndarray,
    linked_probability: np.ndarray,
) -> tuple[np.ndarray, tuple[Cluster, ...]]:
    groups.sort(key=lambda g: int(g[0].min()))
    cluster_id = np.zeros(n, np.int64)
    for number, (members, _, _) in enumerate(groups, start=1):
        cluster_id[members] = number
    # Score of a group: the weakest link that holds it together.
    same = cluster_id[linked_pairs[:, 0]] == cluster_id[linked_pairs[:, 1]]
    inside = cluster_id[linked_pairs[same, 0]]
    weakest = np.ones(len(groups) + 1)
    np.minimum.at(weakest, inside, linked_probability[same])
    clusters = tuple(
        Cluster(
            cluster_id=number,
            members=tuple(int(m) for m in np.sort(members)),
            score=float(weakest[number]),
            flagged=flagged,
            note_zh=_NOTES[note if flagged else ""][0],
            note_en=_NOTES[note if flagged else ""][1],
        )
        for number, (members, flagged, note) in enumerate(groups, start=1)
    )
    return cluster_id, clusters
