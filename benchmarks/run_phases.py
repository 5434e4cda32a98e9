"""Where `addrkit run` spends its time on one book: wall and CPU of each phase.

Runs ``run_file`` as ``addrkit run OPS BOOK -o OUT --jobs N`` does (addresses parsed on
the workers), with timers around the phases: reading the table, each operation (and,
inside ``assign``, the tiers, the parse and the regions), each sheet the save writes,
and the save as a whole. CPU is this process's and, separately, its children's (the
forked readers and writers; a pool's workers are counted when the pool ends).

To compare two trees on the same book, in the same session (the machine is shared):
check the other one out with ``git worktree add ../base COMMIT`` and alternate
``PYTHONPATH=../base/src python benchmarks/run_phases.py ...`` with this tree's run.

Usage (repository root; a book from ``benchmarks/assign_scale.py --file --keep``)::

    python benchmarks/run_phases.py BOOK OUT assign,code 2
"""

from __future__ import annotations

import argparse
import functools
import resource
import time
from collections.abc import Callable


def _cpu() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def _report(label: str, wall: float, before: tuple[float, float]) -> None:
    mine, children = _cpu()
    print(
        f"{label:24s} wall {wall:6.1f}  cpu {mine - before[0]:6.1f}  "
        f"children cpu {children - before[1]:6.1f}",
        flush=True,
    )


def _timed(func: Callable, label: Callable[..., str] | str) -> Callable:
    @functools.wraps(func)
    def timed(*args, **kwargs):
        start, before = time.perf_counter(), _cpu()
        try:
            return func(*args, **kwargs)
        finally:
            name = label(*args) if callable(label) else label
            _report(name, time.perf_counter() - start, before)

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book")
    parser.add_argument("out")
    parser.add_argument("operations", help="comma-separated, e.g. assign,code")
    parser.add_argument("jobs", type=int)
    args = parser.parse_args()

    from addrkit.address.parallel import parallel_engine
    from addrkit.ops import assign, divisions
    from addrkit.workbook import note_parts, run_file, streaming

    run_file.read_customer_table = _timed(run_file.read_customer_table, "read the table")
    assign.tiers_for = _timed(assign.tiers_for, "  tiers")
    divisions.parse_rows = _timed(divisions.parse_rows, "  parse (taken)")
    assign.territories_for = _timed(assign.territories_for, "  regions (with the parse)")
    streaming.save_with_notes = _timed(streaming.save_with_notes, "save")
    writer = note_parts._Writer
    writer._write_rows_markup = _timed(
        writer._write_rows_markup, lambda self, ws, rows: f"  sheet {ws.title}"
    )
    get_operation = run_file.get_operation

    def timed_operation(name: str):
        operation = get_operation(name)
        return _Timed(operation, _timed(operation.run, f"operation {name}"))

    run_file.get_operation = timed_operation
    start, before = time.perf_counter(), _cpu()
    with parallel_engine(args.jobs):
        run_file.run_file(
            args.operations.split(","), args.book, args.out, jobs=args.jobs, user="bench"
        )
    _report("total (run_file)", time.perf_counter() - start, before)


class _Timed:
    """An operation whose ``run`` is timed; everything else is the operation's."""

    def __init__(self, operation, run) -> None:
        self._operation, self.run = operation, run

    def __getattr__(self, name):
        return getattr(self._operation, name)


if __name__ == "__main__":
    main()
