"""Speed of the Excel formulas on the Python side (what each UDF call costs after warm-up).

Measures, in one run:

- warm single-cell cost per formula: median over many calls of the formula with one
  cell (as xlwings passes it), after the cell's address has been seen once;
  baseline: a bare Python function call with the same argument;
- PARSE_ADDR over 100,000 cells, caches cleared first, on (a) real addresses from the
  ncap corpus repeated to 100,000 cells and (b) 100,000 distinct addresses (the real
  ones with varied house numbers); baseline: ``parse_address`` on the same cells
  in a plain loop, uncached.

Usage: ``python benchmarks/udf_speed.py [--data /work/shared/data/ncap] [--no-append]``.
Results print and are appended to docs/benchmarks.md under "Formulas".
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

from addrkit.udfs import core
from addrkit.udfs.registry import formulas

from addrkit import parse_address
from addrkit.gazetteer import default_gazetteer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.proc import machine_summary  # noqa: E402

CELLS = 100_000
WARM_SAMPLE = 500
REPEATS = 20


def read_ncap(folder: Path) -> list[str]:
    """Addresses of the ncap corpus (one ``TOKEN LABEL`` a line, blank line between)."""
    addresses = []
    for name in ("train.txt", "dev.txt"):
        current = []
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                current.append(line.split()[0])
            elif current:
                addresses.append("".join(current))
                current = []
        if current:
            addresses.append("".join(current))
    return addresses


def clear_caches() -> None:
    """Forget every parse (formula caches and the engine's per-name-set structures)."""
    default_gazetteer().memo.clear()
    for cached in (core._validation_of, core._similarity_cached):
        cached.cache_clear()


def median_call_us(func, args_list) -> float:
    """Median cost of one call in microseconds (each timing covers the whole sample once)."""
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for args in args_list:
            func(*args)
        timings.append((time.perf_counter() - start) / len(args_list))
    return statistics.median(timings) * 1e6


def bare(*args):
    return args


def warm_costs(addresses: list[str]) -> list[tuple[str, float]]:
    sample = addresses[:WARM_SAMPLE]
    cells = [[[a]] for a in sample]
    second = [[[b]] for b in sample[1:] + sample[:1]]
    rows = [("baseline: bare Python call", median_call_us(bare, [(c,) for c in cells]))]
    for name, spec in formulas().items():
        if name == "ADDR_SIMILARITY":
            args_list = list(zip(cells, second, strict=True))
        elif name == "ADDR_PART":
            args_list = [(c, "district") for c in cells]
        else:
            args_list = [(c,) for c in cells]
        for args in args_list:  # warm-up: every address parsed once
            spec.function(*args)
        rows.append((name, median_call_us(spec.function, args_list)))
    return rows


def parse_cells(cells: list[str]) -> tuple[float, float]:
    """(seconds for PARSE_ADDR over the cells, seconds for parse_address in a loop)."""
    parse_addr = formulas()["PARSE_ADDR"].function
    clear_caches()
    start = time.perf_counter()
    rows = parse_addr([[c] for c in cells])
    formula_seconds = time.perf_counter() - start
    assert len(rows) == len(cells)
    clear_caches()  # the baseline starts as cold as the formula did
    start = time.perf_counter()
    for c in cells:
        parse_address(c)
    return formula_seconds, time.perf_counter() - start


def machine() -> str:
    """The machine line shared by every benchmark (benchmarks/proc.py)."""
    return machine_summary()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="/work/shared/data/ncap", type=Path)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    addresses = read_ncap(args.data)
    distinct = list(dict.fromkeys(addresses))

    warm = warm_costs(distinct)
    repeated = [distinct[i % len(distinct)] for i in range(CELLS)]
    varied = [f"{distinct[i % len(distinct)]}{i // len(distinct) + 1}号" for i in range(CELLS)]
    runs = [
        (
            f"{CELLS:,} cells, {len(distinct):,} distinct real addresses repeated",
            parse_cells(repeated),
        ),
        (f"{CELLS:,} distinct addresses (real ones, varied house numbers)", parse_cells(varied)),
    ]

    lines = [
        "",
        f"### Formulas — {datetime.date.today().isoformat()}",
        "",
        f"`python benchmarks/udf_speed.py` on {machine()}; data: ncap train+dev "
        f"({len(addresses):,} addresses). Python side only (no Excel/COM here).",
        "",
        "| warm single-cell call | median µs | × bare call |",
        "|---|---:|---:|",
    ]
    base = warm[0][1]
    lines += [f"| {name} | {us:.2f} | {us / base:.1f} |" for name, us in warm]
    lines += [
        "",
        "| PARSE_ADDR over | PARSE_ADDR s | parse_address loop s (baseline) | ratio |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {label} | {f:.2f} | {b:.2f} | {f / b:.2f} |" for label, (f, b) in runs]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_append:
        target = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
        if not target.exists():
            target.write_text("# Benchmarks\n", encoding="utf-8")
        with target.open("a", encoding="utf-8") as f:
            f.write(report)


if __name__ == "__main__":
    main()
