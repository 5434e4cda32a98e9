"""``addrkit parse``: address lines on stdin → one JSON object per line on stdout.

Streams: lines are read, parsed and written in chunks, so any number of lines runs in
constant memory, and output order is input order. Blank lines give an EMPTY result,
so line N of the output always belongs to line N of the input.

A large input is parsed by every core (``--jobs``): this process parses the first
lines itself, then worker processes forked with everything it has loaded and learnt
each parse a chunk, and the chunks are written in order.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
from collections import deque
from collections.abc import Iterable, Iterator

from ..address.json_line import JsonLineEncoder
from ..address.memo import ResultMemo
from ..address.parser import parse_fresh
from ..gazetteer import default_gazetteer
from ..workers import chunked, ordered_map, resolve_jobs
from .options import (
    add_command,
    add_encoding,
    add_jobs,
    check_encoding,
    check_jobs,
    stdin_lines,
)

CHUNK_LINES = 2000  # per worker task: big enough to pay for the hand-over, small for memory
LARGE_INPUT_LINES = 20_000  # below this, starting workers costs more than they save
_WHILE_BUILDING = 250  # lines parsed here between looks at the name automaton's build
_MAX_REMEMBERED_LINES = 100_000  # encoded lines of ~500 bytes: at most ~50 MB


def register(subparsers: argparse._SubParsersAction) -> None:
    p = add_command(
        subparsers, "parse", "parse address lines from stdin into JSON lines / 解析地址", __doc__
    )
    add_encoding(p)
    add_jobs(p, "processes to parse with")
    p.set_defaults(func=run)


def _tune_garbage_collector() -> None:
    """This process only parses: load the gazetteer, exempt it from collection, collect
    less often. The collector otherwise spent over a tenth of the run walking the
    gazetteer's lists and the short-lived objects of each line (measured with gc callbacks).
    Frozen before workers fork, the gazetteer's pages also stay shared with them.
    """
    default_gazetteer()
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


class _LineParser:
    """Lines in, JSON lines out (what a worker does with the lines it is sent)."""

    def __init__(self) -> None:
        self.g = default_gazetteer()
        self.encode = JsonLineEncoder().encode

    def lines(self, texts: list[str]) -> list[str]:
        encode, g = self.encode, self.g
        return [encode(parse_fresh(text, g)) + "\n" for text in texts]


_worker: _LineParser | None = None


def _parse_lines(texts: list[str]) -> list[str]:
    """One worker task (module level, so that a worker process can find it)."""
    global _worker
    if _worker is None:
        _worker = _LineParser()
    return _worker.lines(texts)


class _Repeats:
    """The memo of whole output lines, kept by the process that reads and writes: a line
    seen before costs one look-up here and is never sent to a worker, so workers do not
    each parse the same repeated addresses."""

    def __init__(self) -> None:
        self.memo = ResultMemo(_MAX_REMEMBERED_LINES)
        self.sent: deque[tuple[list[str], list[str | None], list[str]]] = deque()

    def unseen(self, chunks: Iterable[list[str]]) -> Iterator[list[str]]:
        """Per chunk, the distinct lines not answered yet (remembering the chunk)."""
        get = self.memo.get
        for lines in chunks:
            known = [get(line) for line in lines]
            todo = list(
                dict.fromkeys(line for line, k in zip(lines, known, strict=True) if k is None)
            )
            self.sent.append((lines, known, todo))
            yield todo

    def assemble(self, encoded: list[str]) -> str:
        """The output of the oldest chunk, from the memo and the worker's answers."""
        lines, known, todo = self.sent.popleft()
        put = self.memo.put
        fresh = {line: put(line, text) for line, text in zip(todo, encoded, strict=True)}
        return "".join(
            k if k is not None else fresh[line] for line, k in zip(lines, known, strict=True)
        )


def _write_parsed(lines: Iterable[str], jobs: int, repeats: _Repeats, stdout) -> None:
    chunks = chunked(lines, CHUNK_LINES)
    for encoded in ordered_map(_parse_lines, repeats.unseen(chunks), jobs):
        stdout.write(repeats.assemble(encoded))
        stdout.flush()


def run(args: argparse.Namespace) -> int:
    check_encoding(args.encoding)
    check_jobs(args.jobs)
    _tune_garbage_collector()
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False, buffering=1 << 16)
    lines = stdin_lines(args.encoding)
    # Read ahead far enough to know whether the input is large (a pipe has no size).
    head = list(itertools.islice(lines, LARGE_INPUT_LINES))
    jobs = resolve_jobs(args.jobs, large=len(head) == LARGE_INPUT_LINES)
    repeats = _Repeats()
    try:
        if jobs > 1:
            # Workers are forked with the fast name automaton, shared instead of each
            # building one. While it builds (in a thread, on the other core) this process
            # parses the first lines itself; then the workers start at once. Parsing more
            # here first, so that workers inherit the structures it works out, leaves a
            # core idle for longer than the workers take to work them out again (see
            # docs/benchmarks.md, "Engine speed: workers from the start").
            finder = default_gazetteer().name_finder
            finder.prepare()
            while head and not finder.ready():
                _write_parsed(head[:_WHILE_BUILDING], 1, repeats, stdout)
                del head[:_WHILE_BUILDING]
            finder.wait()
            gc.freeze()  # what was learnt stays shared with the workers' memory too
        _write_parsed(itertools.chain(head, lines), jobs, repeats, stdout)
    except BrokenPipeError:  # `addrkit parse < big.txt | head` is normal use
        return 0
    finally:
        try:
            stdout.flush()
        except BrokenPipeError:
            pass
    return 0
