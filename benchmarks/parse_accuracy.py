"""Field accuracy and coverage of addrkit, cpca and jionlp on the NCAP corpus, in one run.

Every tool parses the same addresses and is scored by the same rule
(``benchmarks/scoring.py``): a level is right when the tool's current or
as-written name is the gold's place, suffixes aside; a county-level city that
the gold labels ``city`` counts as right when the tool gives it as the district.

Usage (from the repository root, in the benchmark venv)::

    python -m benchmarks.parse_accuracy --split dev --errors benchmarks/out/errors_dev.tsv

Writes the markdown table to ``--out`` (default ``benchmarks/out/parse_accuracy_<split>.md``)
and prints it.
"""

from __future__ import annotations

import argparse
import collections
import csv
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.ncap import LabelledAddress, Level, NcapNotFoundError, Split, read_split
from benchmarks.scoring import Prediction, ToolScore, Verdict, judge, score
from benchmarks.tools import Tool, ToolName, ToolNotInstalledError, make_tool

# The engine's targets (best free tool in brackets for reference in the table).
TARGETS: dict[Level, float] = {
    Level.PROVINCE: 0.996,
    Level.CITY: 0.986,
    Level.DISTRICT: 0.985,
    Level.TOWNSHIP: 0.85,
}

OUT_DIR = Path(__file__).resolve().parent / "out"


@dataclass(frozen=True, slots=True)
class ToolRun:
    tool: Tool
    predictions: list[Prediction]
    score: ToolScore
    seconds: float

    @property
    def label(self) -> str:
        return f"{self.tool.name.value} {self.tool.version}"


def run_tool(tool: Tool, addresses: Sequence[LabelledAddress]) -> ToolRun:
    texts = [a.text for a in addresses]
    started = time.perf_counter()
    predictions = tool.predict_many(texts)
    seconds = time.perf_counter() - started
    return ToolRun(tool, predictions, score(addresses, predictions), seconds)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render_tables(runs: Sequence[ToolRun], split: Split, total: int) -> str:
    """Two markdown tables: accuracy per field and coverage per level."""
    head = " | ".join(run.label for run in runs)
    first = runs[0].score
    lines = [
        f"Accuracy on ncap {split.value} ({total} addresses): right / addresses whose gold names the level.",
        "",
        f"| field | gold names it | {head} | addrkit target |",
        "|---|---:|" + "---:|" * len(runs) + "---:|",
    ]
    for level in Level:
        cells = [
            _pct(run.score.accuracy(level)) if run.tool.has_level(level) else "n/a (none)"
            for run in runs
        ]
        lines.append(
            f"| {level.field_name} | {first.gold_named[level]} | "
            + " | ".join(cells)
            + f" | ≥ {TARGETS[level]:.3f} |"
        )
    lines += [
        "",
        "Coverage: share of all addresses for which the level is filled "
        "(gold column: share whose text names it).",
        "",
        f"| level | text names it | {head} |",
        "|---|---:|" + "---:|" * len(runs),
    ]
    for level in Level:
        cells = [
            _pct(run.score.coverage(level)) if run.tool.has_level(level) else "n/a" for run in runs
        ]
        lines.append(
            f"| {level.field_name} | {_pct(first.gold_coverage(level))} | "
            + " | ".join(cells)
            + " |"
        )
    lines += ["", "Wall time of each tool on the split (informative; speed: parse_speed.py): "]
    lines.append(", ".join(f"{run.label} {run.seconds:.1f} s" for run in runs) + ".")
    return "\n".join(lines) + "\n"


ERROR_COLUMNS = ("text", "field", "gold", "ours", "ours_as_written")


def misses(
    addresses: Sequence[LabelledAddress], predictions: Sequence[Prediction]
) -> list[tuple[str, str, str, str, str]]:
    """Rows of ``ERROR_COLUMNS`` for every wrong or empty level, grouped by field."""
    rows: list[tuple[int, int, tuple[str, str, str, str, str]]] = []
    order = {level: i for i, level in enumerate(Level)}
    for index, (address, prediction) in enumerate(zip(addresses, predictions, strict=True)):
        for level, verdict in judge(address.gold, prediction).items():
            if verdict in (Verdict.WRONG, Verdict.EMPTY):
                guess = prediction[level]
                row = (
                    address.text,
                    level.field_name,
                    address.gold[level],
                    guess.current or "",
                    guess.as_written or "",
                )
                rows.append((order[level], index, row))
    return [row for *_, row in sorted(rows)]


def write_errors(path: Path, rows: Sequence[tuple[str, ...]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(ERROR_COLUMNS)
        writer.writerows(rows)


def frequent_patterns(rows: Sequence[tuple[str, ...]], top: int) -> str:
    """The ``top`` most frequent (field, gold, ours) misses, grouped by field, as markdown.

    Preceded by a count of misses per field, split into empty and wrong answers.
    """
    order = {level.field_name: i for i, level in enumerate(Level)}
    lines = ["| field | misses | left empty | wrong name |", "|---|---:|---:|---:|"]
    for field in sorted({r[1] for r in rows}, key=order.__getitem__):
        mine = [r for r in rows if r[1] == field]
        empty = sum(1 for r in mine if not (r[3] or r[4]))
        lines.append(f"| {field} | {len(mine)} | {empty} | {len(mine) - empty} |")
    counts = collections.Counter((r[1], r[2], r[3] or "∅", r[4] or "∅") for r in rows)
    frequent = sorted(counts.most_common(top), key=lambda item: (order[item[0][0]], -item[1]))
    lines += ["", "| field | n | gold | ours | ours as written |", "|---|---:|---|---|---|"]
    for (field, gold, ours, written), n in frequent:
        lines.append(f"| {field} | {n} | {gold} | {ours} | {written} |")
    return "\n".join(lines) + "\n"


def build_arg_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=[s.value for s in Split], default=Split.DEV.value)
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="folder with train.txt, dev.txt"
    )
    parser.add_argument(
        "--tools",
        nargs="+",
        choices=[t.value for t in ToolName],
        default=[t.value for t in ToolName],
        help="tools to compare (default: all three)",
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N addresses")
    parser.add_argument("--out", type=Path, default=None, help="markdown table file")
    parser.add_argument("--errors", type=Path, default=None, help="addrkit's misses as TSV")
    parser.add_argument("--top-errors", type=int, default=30, help="patterns printed with --errors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_arg_parser().parse_args(argv)
    split = Split(args.split)
    try:
        addresses = read_split(split, args.data_dir)[: args.limit]
        runs = []
        for name in args.tools:
            tool = make_tool(name)
            print(f"parsing {len(addresses)} addresses with {name} …", file=sys.stderr)
            runs.append(run_tool(tool, addresses))
    except (NcapNotFoundError, ToolNotInstalledError) as err:
        print(f"parse_accuracy: {err}", file=sys.stderr)
        return 2
    except NotImplementedError:
        print(
            "parse_accuracy: addrkit's parser is not implemented yet; "
            "compare the others with --tools cpca jionlp",
            file=sys.stderr,
        )
        return 2
    table = render_tables(runs, split, len(addresses))
    out = args.out or OUT_DIR / f"parse_accuracy_{split.value}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, encoding="utf-8")
    print(table)
    print(f"table written to {out}", file=sys.stderr)
    if args.errors:
        ours = next((r for r in runs if r.tool.name is ToolName.ADDRKIT), None)
        if ours is None:
            print("parse_accuracy: --errors needs addrkit among --tools", file=sys.stderr)
            return 2
        rows = misses(addresses, ours.predictions)
        write_errors(args.errors, rows)
        print(f"{len(rows)} addrkit misses written to {args.errors}", file=sys.stderr)
        print(frequent_patterns(rows, args.top_errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
