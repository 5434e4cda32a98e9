"""``parse_many`` on every core, for the bulk commands (``addrkit dedupe``, ``addrkit run``).

The operations call ``addrkit.address.parse_many`` (looked up at call time, see
``ops.parsing``), the dedupe pipeline takes a ``parse_many``-like ``address_parser``.
``PooledParser`` is such a callable: it splits the values into pieces, parses them in
worker processes forked after the gazetteer is loaded, and yields the results in
order. Workers start only once the input has proved large: a sheet of a few thousand
addresses is parsed here, as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from ..gazetteer import default_gazetteer
from ..workers import WorkerPool, available_cores, chunked
from .model import ParsedAddress
from .parser import parse_many

__all__ = ["PooledParser", "parallel_engine", "LARGE_INPUT"]

LARGE_INPUT = 10_000  # values parsed here before workers are started
_PIECE = 500  # values per worker task: a 2,000-row chunk still spreads over the workers


def _parse_piece(values: list) -> list[ParsedAddress]:
    return list(parse_many(values))


class PooledParser:
    """A ``parse_many``-like callable that parses large inputs in worker processes.

    ``jobs`` None or 0: every core once ``large`` values have been seen; 1: never;
    N: N workers once the input is large. Close it (or use it as a context manager)
    to stop the workers.

    Examples
    --------
    >>> with PooledParser(jobs=2) as parse:
    ...     [a.district for a in parse(["杭州西湖区", "宁波市江东区"])]  # small: no workers
    ['西湖区', '鄞州区']
    """

    def __init__(self, jobs: int | None = None, large: int = LARGE_INPUT) -> None:
        self.jobs = available_cores() if jobs is None or jobs == 0 else jobs
        self.large = large
        self.seen = 0
        self._pool: WorkerPool | None = None

    def __call__(self, values: Iterable[object]) -> Iterator[ParsedAddress]:
        values = list(values)
        pool = self._workers(len(values))
        self.seen += len(values)
        if pool is None:
            yield from parse_many(values)
            return
        for results in pool.map(_parse_piece, self._pieces(values)):
            yield from results

    def start(self, values: Iterable[object]) -> Iterator[ParsedAddress] | None:
        """Hand ``values`` to the workers now and return their results, in order, as
        they are taken: this process is free meanwhile (an operation works out tiers
        while the addresses are parsed). None when they would be parsed here (a small
        input or one core): the caller parses them when it needs them.

        Every piece is queued at once, so the results wait in memory until taken (one
        per distinct address: an operation keeps them all anyway).
        """
        values = list(values)
        pool = self._workers(len(values))
        if pool is None:
            return None
        self.seen += len(values)
        pieces = pool.map_ahead(_parse_piece, self._pieces(values))
        return (parsed for results in pieces for parsed in results)

    def _workers(self, coming: int) -> WorkerPool | None:
        """The workers, started once ``coming`` more values make the input large."""
        if self._pool is None and self.jobs > 1 and self.seen + coming >= self.large:
            default_gazetteer().name_finder.wait()  # loaded before the fork, shared by all
            self._pool = WorkerPool(self.jobs)
        return self._pool

    def _pieces(self, values: list) -> Iterator[list]:
        return chunked(values, max(1, min(_PIECE, -(-len(values) // self.jobs))))

    def close(self, failed: bool = False) -> None:
        if self._pool is not None:
            self._pool.__exit__(RuntimeError if failed else None, None, None)
            self._pool = None

    def __enter__(self) -> PooledParser:
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.close(failed=kind is not None)


@contextlib.contextmanager
def parallel_engine(jobs: int | None = None, large: int = LARGE_INPUT) -> Iterator[PooledParser]:
    """Within the block, ``addrkit.address.parse_many`` — what every operation calls —
    parses large inputs on ``jobs`` cores (the engine's one swap point, see ops.parsing).

    Examples
    --------
    >>> from addrkit import address
    >>> with parallel_engine(1):
    ...     isinstance(address.parse_many, PooledParser)
    True
    >>> address.parse_many is parse_many
    True
    """
    from .. import address

    pooled = PooledParser(jobs, large)
    original = address.parse_many
    address.parse_many = pooled
    try:
        with pooled:
            yield pooled
    finally:
        address.parse_many = original
