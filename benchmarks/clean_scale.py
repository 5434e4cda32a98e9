"""Clean & validate at scale: `addrkit run clean` on big generated workbooks.

For each size the script writes a customer workbook (real NCAP addresses, varied house
numbers so each row is distinct, plus bad cells), then times two child processes on
copies of it and reads their peak memory:

- baseline: openpyxl streaming the same file unchanged (read-only in, write-only out),
  the least any tool that rewrites the file must spend;
- addrkit: ``addrkit run clean BOOK`` (backup, parse, plan, write, atomic rename).

Results (seconds, peak RSS, ratio to the baseline, date and machine) are appended to
docs/benchmarks.md with ``--write``.

Examples
--------
python benchmarks/clean_scale.py --rows 100000 --write
python benchmarks/clean_scale.py --rows 1048575 --write     # the full sheet (header + rows)
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.customer_rows import (  # noqa: E402
    COPY_BASELINE,
    ncap_addresses,
    numbered_text,
    write_sheets,
)
from benchmarks.proc import machine_summary, run_measured  # noqa: E402

HEADERS = ["客户编号", "客户名称", "电话", "地址", "年销售额"]
BAD = [None, 12345, "#N/A", "=1+1", "+86 138 1234 5678", "-", "@x", "x" * 2000]
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
SECTION = "### Clean & validate at scale"


def make_workbook(path: Path, rows: int) -> None:
    """A customer sheet of `rows` distinct rows (one in 500 is a bad cell)."""
    texts = [a.text for a in ncap_addresses()]

    def row(i: int) -> list[object]:
        address = (
            BAD[(i // 500) % len(BAD)]
            if i % 500 == 499
            else numbered_text(texts, i, "号", first_round_plain=False)
        )
        return [
            f"C{i + 1:07d}",
            f"客户{i + 1}",
            f"138{i % 100000000:08d}",
            address,
            (i * 37) % 100000,
        ]

    customers = [HEADERS, *(row(i) for i in range(rows))]
    write_sheets(path, [("客户 Customers", customers), ("日志 Log", [])])


def measure(rows: int, workdir: Path) -> dict:
    book = workdir / f"customers-{rows}.xlsx"
    make_workbook(book, rows)
    base_in, clean_in = workdir / "base.xlsx", workdir / "clean.xlsx"
    shutil.copy(book, base_in)
    shutil.copy(book, clean_in)
    baseline = run_measured(
        [sys.executable, "-c", COPY_BASELINE, str(base_in), str(workdir / "base-out.xlsx")]
    )
    addrkit = run_measured(
        [sys.executable, "-m", "addrkit.cli", "run", "clean", str(clean_in), "--quiet"]
    )
    return {
        "rows": rows,
        "size_mb": book.stat().st_size / 1e6,
        "base_s": baseline.seconds,
        "base_mb": baseline.max_rss_bytes / 2**20,
        "clean_s": addrkit.seconds,
        "clean_mb": addrkit.max_rss_bytes / 2**20,
        "out_mb": clean_in.stat().st_size / 1e6,
    }


def table(results: list[dict]) -> str:
    lines = [
        "| rows | file MB | baseline s | baseline peak MiB | clean s | clean peak MiB | time × baseline | result MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['rows']:,} | {r['size_mb']:.1f} | {r['base_s']:.1f} | {r['base_mb']:.0f} | "
            f"{r['clean_s']:.1f} | {r['clean_mb']:.0f} | {r['clean_s'] / r['base_s']:.1f} | {r['out_mb']:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument(
        "--write", action="store_true", help="append the results to docs/benchmarks.md"
    )
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            results.append(measure(rows, Path(tmp)))
            print(table(results[-1:]), flush=True)
    text = (
        f"\n{SECTION} — {dt.date.today().isoformat()}\n\n"
        f"`python benchmarks/clean_scale.py --rows {' '.join(map(str, args.rows))}` on {machine_summary()}.\n"
        "Whole processes, peak RSS from the kernel. Baseline: openpyxl streaming the same file "
        "unchanged (read-only in, write-only out). Addresses: NCAP train+dev with varied house "
        "numbers (every row distinct), one row in 500 a bad cell.\n\n" + table(results) + "\n"
    )
    print(text)
    if args.write:
        with DOC.open("a", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
