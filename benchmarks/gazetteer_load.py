"""Cold load of the embedded gazetteer: wall time and peak memory of a fresh process.

Each run starts a new interpreter that imports addrkit and parses one address
(which loads the gazetteer), and, alternating with it, a bare ``python -c pass``
as the baseline. The figures are the medians of the addrkit runs minus the
medians of the baseline runs, so interpreter start-up is not counted; the
operating system's file cache is warm after the first run (dropping it needs
root), which the first-run column shows separately.

Targets: under 1 s, under 200 MB resident.

Usage (from the repository root)::

    python -m benchmarks.gazetteer_load --runs 7
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.proc import (
    ProcessFailedError,
    ProcessSample,
    machine_summary,
    median,
    run_measured,
)

TARGET_SECONDS = 1.0
TARGET_RSS_BYTES = 200 * 1024 * 1024

# A real address, so no shortcut for foreign text can skip loading the gazetteer.
LOAD_PROGRAM = "import addrkit; addrkit.parse_address('浙江杭州西湖区文三路90号')"
IMPORT_ONLY_PROGRAM = "import addrkit"
BASELINE_PROGRAM = "pass"


def measure(runs: int) -> dict[str, list[ProcessSample]]:
    """Alternating fresh-process runs of the three programs."""
    programs = {
        "baseline": BASELINE_PROGRAM,
        "import": IMPORT_ONLY_PROGRAM,
        "load": LOAD_PROGRAM,
    }
    samples: dict[str, list[ProcessSample]] = {name: [] for name in programs}
    for _ in range(runs):
        for name, program in programs.items():
            samples[name].append(run_measured([sys.executable, "-c", program]))
    return samples


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def report(samples: dict[str, list[ProcessSample]]) -> str:
    runs = len(samples["load"])
    base_s = median([s.seconds for s in samples["baseline"]])
    base_rss = median([s.max_rss_bytes for s in samples["baseline"]])
    lines = [
        f"Machine: {machine_summary()}",
        "",
        f"Fresh process, median of {runs} alternating runs (first run in brackets):",
        "",
        "| program | wall s | minus baseline | peak RSS | minus baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    labels = {
        "baseline": f'python -c "{BASELINE_PROGRAM}"',
        "import": f'python -c "{IMPORT_ONLY_PROGRAM}"',
        "load": f'python -c "{LOAD_PROGRAM}"',
    }
    for name, label in labels.items():
        seconds = median([s.seconds for s in samples[name]])
        rss = median([s.max_rss_bytes for s in samples[name]])
        first = samples[name][0].seconds
        lines.append(
            f"| `{label}` | {seconds:.3f} ({first:.3f}) | {seconds - base_s:+.3f} | "
            f"{_mb(rss)} | {_mb(rss - base_rss)} |"
        )
    load_s = median([s.seconds for s in samples["load"]]) - base_s
    load_rss = median([s.max_rss_bytes for s in samples["load"]]) - base_rss
    verdict_s = "meets" if load_s < TARGET_SECONDS else "misses"
    verdict_rss = "meets" if load_rss < TARGET_RSS_BYTES else "misses"
    lines += [
        "",
        f"Gazetteer load (import + first parse, minus bare interpreter): {load_s:.3f} s "
        f"({verdict_s} < {TARGET_SECONDS:.0f} s), {_mb(load_rss)} resident "
        f"({verdict_rss} < {_mb(TARGET_RSS_BYTES)}).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent / "out" / "gazetteer_load.md"
    )
    args = parser.parse_args(argv)
    try:
        samples = measure(args.runs)
    except ProcessFailedError as err:
        print(f"gazetteer_load: {err}", file=sys.stderr)
        return 2
    text = report(samples)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
