"""parse_frame on a Dask LocalCluster: 1,000,000 rows, 1, 2 and all cores' worth of workers.

Writes a Parquet file of ``--rows`` distinct real addresses (the NCAP train+dev texts
with their numbers varied), parses it with ``ddf.map_partitions(parse_frame, …)`` on a
``distributed.LocalCluster`` of N single-threaded worker processes for each N, checks
that every run's frame equals the single-process ``parse_frame`` of the whole file,
and reports rows per second per N (median of ``--runs``). The single process is the
baseline of the same run.

Usage (repository root, with the test or scale extra)::

    python -m benchmarks.dask_scale --rows 1000000 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from addrkit.frame import PARSE_FRAME_META, parse_frame
from addrkit.workers import available_cores
from benchmarks.ncap import Split, read_split
from benchmarks.proc import machine_summary
from benchmarks.varied import distinct_lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--partitions", type=int, default=40)
    parser.add_argument("--workers", type=int, nargs="*", default=None)
    args = parser.parse_args(argv)
    import dask.dataframe as dd
    import distributed

    texts = [a.text for split in Split for a in read_split(split)]
    source = pd.DataFrame({"id": range(args.rows), "地址": distinct_lines(texts, args.rows)})
    counts = args.workers or sorted({1, 2, available_cores()})
    out = [f"Machine: {machine_summary()}", ""]
    with tempfile.TemporaryDirectory(prefix="addrkit-dask-") as tmp:
        path = Path(tmp) / "master.parquet"
        source.to_parquet(path, row_group_size=max(1, args.rows // args.partitions))
        print(f"single process, {args.rows:,} rows …", file=sys.stderr)
        single = []
        for _ in range(args.runs):
            started = time.perf_counter()
            expected = parse_frame(pd.read_parquet(path), "地址")
            single.append(time.perf_counter() - started)
        rows = [("single process, parse_frame(whole file)", single, True)]
        for n in counts:
            print(f"LocalCluster, {n} worker(s) …", file=sys.stderr)
            with (
                distributed.LocalCluster(
                    n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
                ) as cluster,
                distributed.Client(cluster),
            ):
                seconds, equal = [], True
                for _ in range(args.runs):
                    started = time.perf_counter()
                    ddf = dd.read_parquet(path).repartition(npartitions=args.partitions)
                    result = ddf.map_partitions(parse_frame, "地址", meta=PARSE_FRAME_META)
                    frame = result.compute()
                    seconds.append(time.perf_counter() - started)
                    equal &= frame.reset_index(drop=True).equals(expected.reset_index(drop=True))
            rows.append((f"LocalCluster, {n} worker process(es)", seconds, equal))
    base = statistics.median(single)
    out += [
        f"parse_frame on {args.rows:,} distinct real addresses (Parquet, {args.partitions} "
        f"partitions), median of {args.runs} runs; workers warm (gazetteer from the cache):",
        "",
        "| run | median s | rows/s | vs single | equal to single |",
        "|---|---:|---:|---:|---|",
    ]
    for label, seconds, equal in rows:
        m = statistics.median(seconds)
        out.append(f"| {label} | {m:.1f} | {args.rows / m:,.0f} | {base / m:.2f}x | {equal} |")
    text = "\n".join(out) + "\n"
    print(text)
    return 0 if all(equal for _l, _s, equal in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
