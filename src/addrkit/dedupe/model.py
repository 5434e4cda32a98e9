"""Value objects and settings of the dedupe pipeline.

Everything here is small, frozen and free of I/O: column roles, the typed settings,
one piece of evidence, a scored pair, a cluster and the timings of a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..errors import SettingsError
from ..table import ColumnRole

__all__ = [
    "DEFAULT_THRESHOLD",
    "ColumnRole",
    "DEDUPE_ROLES",
    "Survivorship",
    "DedupeSettings",
    "Evidence",
    "MatchPair",
    "Cluster",
    "StageStats",
]


# The roles a column can have for duplicate finding, in the order messages list them
# (the one `ColumnRole` also names the division columns header detection looks for).
DEDUPE_ROLES = (
    ColumnRole.ID,
    ColumnRole.NAME,
    ColumnRole.PHONE,
    ColumnRole.ADDRESS,
    ColumnRole.EMAIL,
    ColumnRole.CREDIT_CODE,
    ColumnRole.OTHER,
)


#: The one default match probability for linking two records: the command line, the
#: workbook's Settings sheet and DUP_GROUP all start from it (docs/benchmarks.md measures it).
DEFAULT_THRESHOLD = 0.9


class Survivorship(StrEnum):
    """Which record of a group survives a merge."""

    MOST_COMPLETE = "most_complete"
    MOST_RECENT = "most_recent"
    MARKED = "marked"


@dataclass(frozen=True, slots=True)
class DedupeSettings:
    """Tuning of a dedupe run; the defaults are the measured ones (docs/benchmarks.md).

    Parameters
    ----------
    threshold
        Match probability at or above which two records are linked (0 < threshold < 1).
    block_cap
        A block (records sharing one key) up to this size is compared all-pairs; a bigger
        block only within a sliding window, so no key can make the run quadratic.
    window
        Window of the sorted neighbourhood and of oversized blocks.
    split_below
        Inside a cluster, a pair whose probability is below this proves the cluster chained
        two different customers; the cluster is split (or flagged if it cannot be). Kept
        low: a record typed again five times holds copies that share little pairwise (one
        with the name replaced, one with the address retyped) and are still one customer.
    member_agreement
        Inside a cluster, each member's mean probability against the other members must
        reach this: a member held only by one neighbour is split off.
    max_checked_cluster
        Clusters up to this size are checked member against member for chaining.
    random_pairs
        Random record pairs drawn to estimate how often fields agree by chance (u).
    em_iterations
        Rounds of expectation–maximisation for how often fields agree on true matches (m).
    em_pairs_per_key
        Candidate pairs of each blocking key (drawn at random) the m estimate learns from.
    workers
        Threads for rapidfuzz (-1: all cores).
    jobs
        Worker processes that prepare a large list (``prepare.LARGE_LIST`` rows or
        more): 0 every core, 1 none (the default: a workbook's own process never forks).
    seed
        Seed of the random pair sample, so a run is reproducible.
    namesakes
        Weigh an exactly shared name by the share of the list's pairs of that name that are
        duplicates (``score.condition_on_agreement``), so that on a large list two persons
        called 王伟 are not linked on the name alone: True, False, or None (the default) for
        lists of ``pipeline.NAMESAKES_FROM`` (20,000) distinct records or more. On small
        lists it costs a few duplicates whose only evidence is the name and a vague
        address (docs/benchmarks.md, "persons of one name on a large list").

    Examples
    --------
    >>> DedupeSettings(threshold=0.95).threshold
    0.95
    """

    threshold: float = DEFAULT_THRESHOLD
    block_cap: int = 50
    window: int = 8
    split_below: float = 0.001
    member_agreement: float = 0.5
    max_checked_cluster: int = 60
    random_pairs: int = 200_000
    em_iterations: int = 25
    em_pairs_per_key: int = 100_000
    workers: int = -1
    jobs: int = 1
    seed: int = 20240601
    namesakes: bool | None = None

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0:
            raise SettingsError(
                f"dedupe threshold must be between 0 and 1, got {self.threshold!r} "
                "/ 重复判定阈值须在 0 和 1 之间"
            )
        if self.block_cap < 2 or self.window < 1:
            raise SettingsError("block_cap must be ≥ 2 and window ≥ 1 / 分块上限须 ≥ 2")


@dataclass(frozen=True, slots=True)
class Evidence:
    """How one field of a pair compared: the level reached and its weight in bits.

    ``weight`` is log2(m/u) of the Fellegi–Sunter model: positive for agreement that is
    rarer by chance than among true matches, negative for disagreement.
    """

    field: str
    level: str
    label_zh: str
    label_en: str
    weight: float

    @property
    def agrees(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True, slots=True)
class MatchPair:
    """Two records (row positions, ``left < right``) with their match probability and evidence."""

    left: int
    right: int
    probability: float
    evidence: tuple[Evidence, ...] = ()
    vetoed_by: str | None = None

    @property
    def reason_zh(self) -> str:
        return "；".join(e.label_zh for e in self.evidence)

    @property
    def reason_en(self) -> str:
        return "; ".join(e.label_en for e in self.evidence)


@dataclass(frozen=True, slots=True)
class Cluster:
    """A group of records judged to be one customer.

    ``score`` is the lowest probability among the links that hold the group together;
    ``flagged`` says the members disagree somewhere and a person should look.
    """

    cluster_id: int
    members: tuple[int, ...]
    score: float
    flagged: bool = False
    note_zh: str = ""
    note_en: str = ""


@dataclass(frozen=True, slots=True)
class StageStats:
    """What a run did: records, candidate pairs, seconds per stage."""

    records: int
    candidate_pairs: int
    linked_pairs: int
    clusters: int
    seconds: dict[str, float] = field(default_factory=dict)
