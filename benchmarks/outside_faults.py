"""Faults from outside: ``addrkit geocode`` against a service that fails at random.

Each batch sends ``--lines`` addresses to a local Nominatim-shaped server
(`benchmarks.fault_server`) that, request by request, answers, drops the connection
mid-response, resets it, sends garbage or a 500 (each fault with probability
``--fault-rate`` / 4); every other batch the server also dies for good after a random
number of requests. Then the same batch runs again against a healthy server.

Checked for each batch:

- the first run exits 0 when every line was answered, else 3 with a message counting
  the unanswered lines; every answered line is in the cache and nothing else is;
- the rerun exits 0 with every line answered, and asks the service exactly for the
  lines the first run did not finish (no finished line is asked again).

Examples
--------
python benchmarks/outside_faults.py --batches 40 --write
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.fault_server import FaultServer  # noqa: E402

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def _geocode(url: str, cache: Path, lines: list[str]) -> tuple[int, list[dict], str]:
    cmd = [sys.executable, "-m", "addrkit.cli", "geocode", "--provider", "nominatim", "--url", url,
           "--cache", str(cache), "--min-delay", "0", "--timeout", "3", "--retries", "1"]  # fmt: skip
    done = subprocess.run(
        cmd, input=("\n".join(lines) + "\n").encode(), capture_output=True, timeout=900,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    rows = [json.loads(x) for x in done.stdout.decode("utf-8").splitlines()]
    return done.returncode, rows, done.stderr.decode("utf-8", "replace")


def _cached(cache: Path) -> set[str]:
    if not cache.exists():
        return set()
    con = sqlite3.connect(cache)
    try:
        return {q for (q,) in con.execute("SELECT query FROM geocodes")}
    finally:
        con.close()


def one_batch(i: int, lines: list[str], rate: float, rng: random.Random, folder: Path) -> dict:
    cache = folder / f"c{i}.sqlite"
    dies_after = rng.randint(0, len(lines)) if i % 2 else None
    kinds = ("drop", "reset", "garbage", "500")

    def fault(n, query, attempt):
        if dies_after is not None and n >= dies_after:
            return "reset"
        roll = rng.random()
        return kinds[int(roll / (rate / 4))] if roll < rate else "ok"

    with FaultServer(fault) as server:
        code, rows, err = _geocode(server.url, cache, lines)
        faults = Counter(r.fault for r in server.requests if r.fault != "ok")
        requests = len(server.requests)
        answered = {r["input"] for r in rows if r["status"] == "OK"}
        unanswered = len(lines) - len(answered)
        kept = _cached(cache)
        first_ok = (
            len(rows) == len(lines)
            and kept == answered
            and (code == 0 if not unanswered else code == 3 and f"{unanswered} of {len(lines)} lines" in err)
        )
        server.reset_log()
        server.fault = lambda n, q, a: "ok"
        code2, rows2, err2 = _geocode(server.url, cache, lines)
        asked = server.asked()
    wanted = [x for x in lines if x not in kept]
    rerun_ok = code2 == 0 and all(r["status"] == "OK" for r in rows2) and asked == wanted
    return {
        "batch": i, "requests": requests, "faults": dict(faults), "died_after": dies_after,
        "unanswered": unanswered, "first_ok": first_ok, "rerun_ok": rerun_ok,
        "asked_again_finished": len(set(asked) & kept), "lost": len(kept - _cached(cache)),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--write", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    lines = [f"浙江省杭州市西湖区文三路{n}号" for n in range(1, args.lines + 1)]
    results = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.batches):
            results.append(one_batch(i, lines, args.fault_rate, rng, Path(tmp)))
            print(results[-1], flush=True)
    seconds = time.perf_counter() - start
    faults: Counter = Counter()
    for r in results:
        faults.update(r["faults"])
    from benchmarks.proc import machine_summary

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    bad = [r for r in results if not (r["first_ok"] and r["rerun_ok"])]
    text = (
        f"\n### Faults from outside: geocoding against a failing service — {dt.date.today().isoformat()}\n\n"
        f"`python benchmarks/outside_faults.py --batches {args.batches} --lines {args.lines} "
        f"--fault-rate {args.fault_rate} --seed {args.seed}` at {commit} on {machine_summary()}; "
        f"{seconds:.0f} s in all. Baseline in the same run: the rerun of each batch against the "
        "healthy server (every line answered, exit 0).\n\n"
        "| batches | requests | faults injected | of which | service died mid-batch | lines unanswered "
        "in the first runs | answers lost | finished lines asked again | batches failing a check |\n"
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|\n"
        f"| {len(results)} | {sum(r['requests'] for r in results):,} | {sum(faults.values()):,} | "
        + ", ".join(f"{k} {v}" for k, v in sorted(faults.items()))
        + f" | {sum(r['died_after'] is not None for r in results)} | "
        f"{sum(r['unanswered'] for r in results):,} | **{sum(r['lost'] for r in results)}** | "
        f"**{sum(r['asked_again_finished'] for r in results)}** | {len(bad)} |\n"
    )
    print(text)
    if args.write:
        with open(DOC, "a", encoding="utf-8") as fh:
            fh.write(text)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
