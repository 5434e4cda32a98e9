"""Every core on one machine: chunks of work through worker processes, in order.

The address engine is plain Python, so threads would share one interpreter lock;
processes do not. Workers are forked after the caller has loaded what they need
(the gazetteer, a model): each starts with it already in memory, shared copy-on-write,
instead of loading it again. Where ``fork`` does not exist (Windows), workers are
spawned and an ``initializer`` loads what they need.

``ordered_map`` keeps at most a few chunks per worker in flight, so a stream of any
length runs in bounded memory, and yields results in input order. Ctrl-C reaches the
parent (workers ignore it: one message, not one traceback per process), which stops
the workers and raises ``KeyboardInterrupt`` as a single-process run would.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, TypeVar

__all__ = [
    "ForkedPiece",
    "GiveUp",
    "WorkerPool",
    "piece_starts",
    "available_cores",
    "chunked",
    "fork_pieces",
    "ordered_map",
    "resolve_jobs",
]

T = TypeVar("T")
R = TypeVar("R")

IN_FLIGHT_PER_WORKER = 2  # one chunk being worked on, one waiting: no worker idles


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, not the whole machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None, large: bool) -> int:
    """How many processes to use: ``jobs`` when given (0 = every core), otherwise every
    core for a large input and one for a small one (forking costs more than it saves).

    Examples
    --------
    >>> resolve_jobs(3, large=False), resolve_jobs(None, large=False)
    (3, 1)
    >>> resolve_jobs(None, large=True) == resolve_jobs(0, large=False) == available_cores()
    True
    """
    if jobs is None:
        return available_cores() if large else 1
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (every core) or more, not {jobs}")
    return jobs or available_cores()


def piece_starts(first: int, n: int, pieces: int, first_share: float = 1.0) -> list[int]:
    """Where each of ``pieces`` pieces of ``n`` rows from ``first`` starts, the first
    piece ``first_share`` times the size of the others (it is this process's, which
    also does other work than the forked workers').

    Examples
    --------
    >>> piece_starts(2, 200_000, 2), piece_starts(2, 200_000, 2, 1.1)
    ([2, 100002], [2, 104764])
    """
    total = first_share + pieces - 1
    return [first] + [first + round(n * (first_share + k) / total) for k in range(pieces - 1)]


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last one shorter), read lazily.

    Examples
    --------
    >>> list(chunked(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _ignore_interrupt(initializer: Callable[[], object] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops us
    _die_with_parent()
    if initializer is not None:
        initializer()


def _die_with_parent() -> None:
    """On Linux, have the kernel stop this worker when the thread that started it ends.

    ``Pool.terminate`` races with the pool's own thread that replaces exited workers: a
    replacement forked during the stop is in no list the stop goes through, and waits on
    the task queue for ever, holding the parent's output pipes open (seen after Ctrl-C).
    """
    if not hasattr(os, "fork") or not os.path.exists("/proc/self"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not glibc/Linux: the sweep in WorkerPool remains
        return


class WorkerPool:
    """Worker processes kept for several ``map`` calls (``jobs <= 1``: none, work runs here).

    Use as a context manager: leaving it stops the workers (at once after an error or
    Ctrl-C, after their work otherwise).

    Examples
    --------
    >>> with WorkerPool(1) as pool:
    ...     list(pool.map(len, [[1, 2], [3]]))
    [2, 1]
    """

    def __init__(
        self,
        jobs: int,
        initializer: Callable[[], object] | None = None,
        *,
        method: str | None = None,
    ) -> None:
        self.jobs = jobs
        self._pool = None
        if jobs > 1:
            if method is None:  # fork shares what is loaded; Windows has only spawn
                methods = multiprocessing.get_all_start_methods()
                method = "fork" if "fork" in methods else "spawn"
            context = multiprocessing.get_context(method)
            self._pool = context.Pool(jobs, initializer=_ignore_interrupt, initargs=(initializer,))
        elif initializer is not None:
            initializer()

    def map(self, func: Callable[[T], R], chunks: Iterable[T]) -> Iterator[R]:
        """``func`` of each chunk, in order; a few chunks per worker in flight at most.
        ``func`` must be a module-level function (workers find it by name)."""
        if self._pool is None:
            yield from map(func, chunks)
            return
        pending: deque = deque()
        limit = self.jobs * IN_FLIGHT_PER_WORKER
        for chunk in chunks:
            pending.append(self._pool.apply_async(func, (chunk,)))
            if len(pending) >= limit:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def map_ahead(self, func: Callable[[T], R], chunks: Iterable[T]) -> Iterator[R]:
        """Like `map`, but every chunk is handed to the workers now, before the first
        result is asked for (the caller does other work meanwhile); results in order."""
        if self._pool is None:
            return map(func, chunks)
        pending = [self._pool.apply_async(func, (chunk,)) for chunk in chunks]
        return (p.get() for p in pending)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if self._pool is None:
            return
        if kind is None:
            self._pool.close()
        else:  # interrupted or failed: stop the workers now
            self._pool.terminate()
        self._pool.join()
        self._pool = None
        # A worker the pool forked as a replacement while it was being stopped is in no
        # list terminate() goes through (see _die_with_parent): none outlives the pool.
        for child in multiprocessing.active_children():
            if child.name.startswith(("ForkPoolWorker", "SpawnPoolWorker")):
                child.kill()
                child.join(timeout=5)


def ordered_map(
    func: Callable[[T], R],
    chunks: Iterable[T],
    jobs: int,
    *,
    initializer: Callable[[], object] | None = None,
) -> Iterator[R]:
    """``func`` of each chunk, in order, computed by ``jobs`` worker processes.

    ``func`` must be a module-level function (workers find it by name). With
    ``jobs <= 1`` everything runs here, with no process started.

    Examples
    --------
    >>> list(ordered_map(len, [[1, 2], [3]], jobs=1))
    [2, 1]
    """
    pool = WorkerPool(jobs, initializer)
    finished = False
    try:
        yield from pool.map(func, chunks)
        finished = True
    finally:
        # Interrupted, failed, or the consumer stopped early: stop the workers now.
        pool.__exit__(None if finished else GeneratorExit, None, None)


class GiveUp(Exception):
    """Raised in a forked piece that cannot give the one-process result: the caller
    does that piece's work itself."""


_PIECE_OK, _PIECE_GAVE_UP = 0, 3
_PIECE_BUFFER = 1 << 22


class ForkedPiece:
    """One piece of bytes made by a forked child into a temporary file (`fork_pieces`)."""

    def __init__(self, pid: int, file: BinaryIO) -> None:
        self.pid: int | None = pid
        self.file = file

    def result(self) -> BinaryIO | None:
        """The piece's bytes, rewound, once the child is done; None when it gave up or failed."""
        if self.pid is None:
            return None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _PIECE_OK:
            self.file.seek(0)
            return self.file
        return None

    def stop(self) -> None:
        """Stop the child if it is still working, and drop its file."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = None
        self.file.close()


def fork_pieces(produce: Callable[[int], Iterable[bytes]], count: int) -> list[ForkedPiece]:
    """Fork ``count`` children; child ``k`` writes the bytes of ``produce(k)`` to a file.

    For work whose pieces come out in one order and are written by the parent (the rows
    of one sheet): each child starts with everything the parent holds (copy-on-write)
    and makes its piece while the parent makes its own, then the parent takes the
    children's files in turn. A child that raises `GiveUp` or fails gives no result:
    the caller does that piece itself, so the output never depends on the fork.
    Returns [] where ``fork`` does not exist (Windows): the caller does every piece.
    """
    if count <= 0 or not hasattr(os, "fork"):
        return []
    pieces: list[ForkedPiece] = []
    try:
        for k in range(count):
            file = tempfile.TemporaryFile(prefix="addrkit-piece-")
            pid = os.fork()
            if pid == 0:  # the child: never returns
                _make_piece(produce, k, file)
            pieces.append(ForkedPiece(pid, file))
    except BaseException:
        for piece in pieces:
            piece.stop()
        raise
    return pieces


def _make_piece(produce: Callable[[int], Iterable[bytes]], k: int, file: BinaryIO) -> None:
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it stops us
        _die_with_parent()
        buffer: list[bytes] = []
        size = 0
        for data in produce(k):
            buffer.append(data)
            size += len(data)
            if size >= _PIECE_BUFFER:
                file.write(b"".join(buffer))
                buffer, size = [], 0
        file.write(b"".join(buffer))
        file.flush()
        code = _PIECE_OK
    except GiveUp:
        code = _PIECE_GAVE_UP
    except BaseException:  # noqa: BLE001 - the parent does the piece itself
        code = 1
    finally:
        os._exit(code)  # no exit handlers, no flushing of the parent's buffers
