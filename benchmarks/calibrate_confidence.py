"""Calibrate addrkit's ``confidence`` on NCAP train; report what it buys on dev.

An address is *right* when no level the gold names is wrong (a level left empty is not
wrong). Each parse falls in a bucket of what its divisions rest on (see
``addrkit.address.confidence.evidence_key``); a bucket's confidence is its share of right
answers on train, pulled towards the share of all train answers when the bucket is small.

``--write`` prints the table for ``src/addrkit/address/confidence.py``. The report, for
train and dev: among OK/FIXED answers, the share right at each level, and the coverage
(OK/FIXED answers among those whose gold names the level), before and after answers
below the confidence threshold are held back as WARNING.

Usage
-----
    python -m benchmarks.calibrate_confidence --write     # tune on train (prints the table)
    python -m benchmarks.calibrate_confidence             # report train and dev
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence

from addrkit import parse_address
from addrkit.address.confidence import LOW_CONFIDENCE_BELOW, evidence_key
from benchmarks.ncap import LabelledAddress, Level, read_split
from benchmarks.scoring import Verdict, judge
from benchmarks.tools import AddrkitTool

__all__ = ["calibrate", "report", "main"]

_PRIOR_WEIGHT = 20  # a bucket of n answers counts n against 20 of the overall share


def _judged(addresses: Sequence[LabelledAddress]):
    for a in addresses:
        parsed = parse_address(a.text)
        yield parsed, judge(a.gold, AddrkitTool.to_prediction(parsed))


def calibrate(addresses: Sequence[LabelledAddress]) -> dict[tuple, float]:
    """Bucket → share right (smoothed), from the engine's parses without confidence held back."""
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for parsed, verdicts in _judged(addresses):
        if parsed.status.value == "ERROR":
            continue
        right = all(v is not Verdict.WRONG for v in verdicts.values())
        c = counts[evidence_key(parsed)]
        c[0] += right
        c[1] += 1
    total_right = sum(c[0] for c in counts.values())
    total = sum(c[1] for c in counts.values())
    prior = total_right / total
    return {
        key: round((r + _PRIOR_WEIGHT * prior) / (n + _PRIOR_WEIGHT), 4)
        for key, (r, n) in sorted(counts.items())
    }


def report(addresses: Sequence[LabelledAddress], name: str) -> str:
    """Per level: share right among OK/FIXED answers, and their coverage."""
    rows = []
    stats = {level: defaultdict(int) for level in Level}
    for parsed, verdicts in _judged(addresses):
        answered = parsed.status.value in ("OK", "FIXED")
        was_answered = answered or any(i.code.value == "LOW_CONFIDENCE" for i in parsed.issues)
        for level, v in verdicts.items():
            if v is Verdict.NOT_IN_GOLD:
                continue
            s = stats[level]
            s["gold"] += 1
            for tag, kept in (("before", was_answered), ("after", answered)):
                if kept and v is not Verdict.EMPTY:
                    s[tag] += 1
                    s[tag + "_right"] += v.is_right
    for level in Level:
        s = stats[level]
        cells = []
        for tag in ("before", "after"):
            n = s[tag]
            cells.append(f"{s[tag + '_right'] / n:.4f} ({s[tag + '_right']}/{n})")
            cells.append(f"{n / s['gold']:.3f}")
        rows.append(f"| {name} | {level.field_name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


_BANDS = ((0.0, 0.9), (0.9, 0.97), (0.97, 0.99), (0.99, 1.01))


def reliability(addresses: Sequence[LabelledAddress], name: str) -> str:
    """Per confidence band: answers, mean confidence, share right (does it read as a probability?)."""
    bands: dict[tuple, list[float]] = {band: [0, 0.0, 0] for band in _BANDS}
    for parsed, verdicts in _judged(addresses):
        if parsed.province is None:
            continue
        for low, high in _BANDS:
            if low <= parsed.confidence < high:
                b = bands[(low, high)]
                b[0] += 1
                b[1] += parsed.confidence
                b[2] += all(v is not Verdict.WRONG for v in verdicts.values())
    return "\n".join(
        f"| {name} | {low:.2f}–{min(high, 1):.2f} | {n} | {total / n:.4f} | {right / n:.4f} |"
        for (low, high), (n, total, right) in bands.items()
        if n
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="print the table tuned on train")
    args = parser.parse_args(argv)
    if args.write:
        for key, p in calibrate(read_split("train")).items():
            print(f"    {key!r}: {p},")
        return 0
    print(f"threshold: OK/FIXED only at confidence ≥ {LOW_CONFIDENCE_BELOW}\n")
    print(
        "| split | level | right among OK/FIXED, all | coverage, all "
        "| right among OK/FIXED, confident | coverage, confident |"
    )
    print("|---|---|---:|---:|---:|---:|")
    for split in ("train", "dev"):
        print(report(read_split(split), split))
    print("\n| split | confidence | answers | mean confidence | share right |")
    print("|---|---|---:|---:|---:|")
    for split in ("train", "dev"):
        print(reliability(read_split(split), split))
    return 0


if __name__ == "__main__":
    sys.exit(main())
