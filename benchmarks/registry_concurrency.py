"""Code registry under contention: P processes each allocate N codes at once.

Every allocation is one call of ``CodeRegistry.issue`` (one transaction: lock the
prefix's counter, take the next number, record the code). All processes start
together (a barrier), alternate between two prefixes, and return every code they
got; the run counts duplicates (must be 0) and checks that the registry's counters
equal the number of codes issued. The baseline, measured in the same run, is one
process allocating the same number of codes alone, so the ratio shows the price of
contention.

Usage::

    python benchmarks/registry_concurrency.py                       # SQLite and PostgreSQL, 8 x 5000
    python benchmarks/registry_concurrency.py --backend sqlite --processes 8 --allocations 500

PostgreSQL runs on a throwaway server started here (``benchmarks/pgserver.py``).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from addrkit.assign.registry import RegistryRef, open_registry  # noqa: E402

PREFIXES = ("HD-ZJ-#", "HN-GD-#")


def _render(prefix: str, seq: int) -> str:
    return prefix.replace("#", f"{seq:07d}")


def allocate_many(registry: str, n: int, worker: int, barrier=None) -> tuple[list[str], float]:
    """Open the registry, wait for the others, allocate ``n`` codes one by one.

    Returns the codes and the seconds the allocations took.
    """
    with open_registry(RegistryRef.parse(registry)) as reg:
        if barrier is not None:
            barrier.wait()
        codes = []
        start = time.perf_counter()
        for i in range(n):
            prefix = PREFIXES[(i + worker) % 2]
            issued = reg.issue(
                prefix, 1, lambda s, p=prefix: _render(p, s), ceiling=None, customers=[f"w{worker}"]
            )
            codes.append(issued[0].code)
        return codes, time.perf_counter() - start


def _worker(args):
    registry, n, worker, barrier = args
    return allocate_many(registry, n, worker, barrier)


def run_concurrent(registry: str, processes: int, n: int) -> dict:
    """P processes × n allocations at once: duplicates, counters and timings."""
    ctx = mp.get_context("spawn")  # a fresh interpreter each: no connection shared by fork
    with ctx.Manager() as manager:
        barrier = manager.Barrier(processes)
        with ctx.Pool(processes) as pool:
            wall = time.perf_counter()
            results = pool.map(_worker, [(registry, n, w, barrier) for w in range(processes)])
            wall = time.perf_counter() - wall
    codes = [c for got, _ in results for c in got]
    counts = Counter(codes)
    duplicates = sum(k - 1 for k in counts.values() if k > 1)
    with open_registry(RegistryRef.parse(registry)) as reg:
        recorded = reg.known(sorted(counts))
    return {
        "processes": processes,
        "allocations": n,
        "codes": len(codes),
        "distinct": len(counts),
        "duplicates": duplicates,
        "recorded": len(recorded),
        "wall_s": wall,
        "per_allocation_ms": 1000 * wall / len(codes),
        "worker_ms_median": 1000 * statistics.median(t / n for _, t in results),
    }


def run_single(registry: str, n: int) -> dict:
    codes, seconds = allocate_many(registry, n, 0)
    return {"codes": len(codes), "per_allocation_ms": 1000 * seconds / n}


def _sqlite(folder: Path, name: str) -> str:
    return f"sqlite:{folder / name}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--allocations", type=int, default=5000)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="addrkit-registry-") as tmp:
        folder = Path(tmp)
        targets = []
        server = None
        if args.backend in ("sqlite", "both"):
            targets.append(("SQLite", lambda i: _sqlite(folder, f"codes{i}.db")))
        if args.backend in ("postgresql", "both"):
            from benchmarks.pgserver import PgServer

            server = PgServer.start()
            base = server.conninfo
            targets.append(("PostgreSQL", lambda i, base=base: _pg_database(base, i)))
        try:
            for label, make in targets:
                single = run_single(make(0), args.allocations)
                together = run_concurrent(make(1), args.processes, args.allocations)
                rows.append((label, single, together))
        finally:
            if server is not None:
                server.stop()
    print("| registry | processes × allocations | codes | duplicates | recorded | wall s | "
          "ms/allocation (all) | median worker ms/allocation | baseline 1 process ms/allocation | ratio |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    failed = False
    for label, single, t in rows:
        ratio = t["worker_ms_median"] / single["per_allocation_ms"]
        print(
            f"| {label} | {t['processes']} × {t['allocations']} | {t['codes']} | "
            f"{t['duplicates']} | {t['recorded']} | {t['wall_s']:.1f} | "
            f"{t['per_allocation_ms']:.3f} | {t['worker_ms_median']:.3f} | "
            f"{single['per_allocation_ms']:.3f} | {ratio:.1f}× |"
        )
        failed |= t["duplicates"] != 0 or t["distinct"] != t["codes"] or t["recorded"] != t["codes"]
    return 1 if failed else 0


def _pg_database(base: str, i: int) -> str:
    """A fresh database per measurement on the throwaway server."""
    import psycopg

    name = f"registry{i}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return base.rsplit("/", 1)[0] + f"/{name}"


if __name__ == "__main__":
    sys.exit(main())
