"""Dedupe at scale: seconds per stage, candidate pairs and peak memory for large customer lists.

The list comes from ``gen_chinese_customers.py`` (real ncap addresses, re-entry variations,
hard negatives), grown to the requested size with more customers (house and room numbers
vary, so addresses repeat only as much as in a real list). The list is generated in one
process and saved; a fresh process loads it and finds the duplicates, so peak RSS is that
of the duplicate search with its input table, not of the generator.

    python benchmarks/dedupe_scale.py 100000 1048576 [--baseline-up-to 100000] [--jobs N]

The search runs as ``addrkit dedupe`` runs it: ``--jobs`` worker processes (default 0,
every core) prepare a list of 50,000 rows or more. CPU s adds the workers' seconds.

With ``--baseline-up-to N`` splink 5 (the baseline of dedupe_accuracy.py) runs on the same
saved list, in a fresh process too, for every size up to N. Peak RSS is the process's
``ru_maxrss`` (the kernel's own high-water mark, which psutil's sampling can miss).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _generate(rows: int, path: str) -> dict:
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from gen_chinese_customers import generate

    start = time.perf_counter()
    customers = int(rows / 1.42)  # the generator adds ~0.42 entries per customer
    records = generate("train", customers, seed=11)[:rows]
    frame = pd.DataFrame(
        {
            "客户名称": [r.name for r in records],
            "联系电话": [r.phone for r in records],
            "地址": [r.address for r in records],
        }
    )
    frame.to_pickle(path)
    return {"generate_s": round(time.perf_counter() - start, 1)}


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _one(path: str, jobs: int) -> dict:
    import os

    import pandas as pd

    from addrkit.dedupe import DedupeSettings, find_duplicates

    frame = pd.read_pickle(path)
    start, cpu = time.perf_counter(), _cpu_seconds()
    # As `addrkit dedupe` runs it: a large list is prepared on every core (--jobs).
    result = find_duplicates(frame, settings=DedupeSettings(jobs=jobs))
    total = time.perf_counter() - start
    return {
        "rows": len(frame),
        "cores": os.cpu_count(),
        "total_s": round(total, 1),
        "cpu_s": round(_cpu_seconds() - cpu, 1),
        "stages_s": {k: round(v, 1) for k, v in result.stats.seconds.items()},
        "candidate_pairs": result.stats.candidate_pairs,
        "groups": result.stats.clusters,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _splink(path: str) -> dict:
    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from dedupe_accuracy import Dataset, run_splink

    frame = pd.read_pickle(path)
    ds = Dataset(
        "scale",
        frame,
        np.zeros(len(frame)),
        {},
        "speed",
        fuzzy=["客户名称", "地址"],
        exact=["联系电话"],
    )
    start = time.perf_counter()
    labels = run_splink(ds)
    return {
        "total_s": round(time.perf_counter() - start, 1),
        "groups": int((np.bincount(labels) >= 2).sum()),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr.strip().splitlines()[-1])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    if argv[:1] == ["--generate"]:
        print(json.dumps(_generate(int(argv[1]), argv[2])))
        return 0
    if argv[:1] == ["--one"]:
        print(json.dumps(_one(argv[1], int(argv[2]))))
        return 0
    if argv[:1] == ["--splink"]:
        print(json.dumps(_splink(argv[1])))
        return 0
    baseline_up_to = 0
    if "--baseline-up-to" in argv:
        at = argv.index("--baseline-up-to")
        baseline_up_to = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    jobs = 0
    if "--jobs" in argv:
        at = argv.index("--jobs")
        jobs = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    sizes = [int(a) for a in argv] or [100_000]
    print(
        "| rows | total s | CPU s | prepare | block | score | cluster | explain "
        "| candidate pairs | groups | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            path = str(Path(folder) / "customers.pkl")
            try:
                _child("--generate", str(size), path)
                r = _child("--one", path, str(jobs))
            except RuntimeError as err:
                print(f"| {size} | failed: {err} |")
                continue
            base = None
            if size <= baseline_up_to:
                try:
                    base = _child("--splink", path)
                except RuntimeError as err:
                    base = {"failed": str(err)}
        s = r["stages_s"]
        print(
            f"| {r['rows']:,} | {r['total_s']} | {r['cpu_s']} | {s['prepare']} | {s['block']} "
            f"| {s['score']} "
            f"| {s['cluster']} | {s['explain']} | {r['candidate_pairs']:,} | {r['groups']:,} "
            f"| {r['peak_rss_mb']:,} |",
            flush=True,
        )
        if base is not None:
            print(f"| {size:,} splink 5 (same list) | {json.dumps(base)} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
