"""A digest of ``addrkit parse`` over every NCAP text, to prove a change keeps results.

Speed work must not change a single output byte. This runs the real command on the
train+dev texts (each once, in corpus order, then the same texts with their numbers
varied so the per-text memo misses), hashes stdout, and prints the digest, the line
count and, with ``--save``, writes every output line to a file so two runs can be
diffed line by line when the digests differ.

Usage (repository root)::

    python -m benchmarks.parse_digest                 # digest of the current code
    python -m benchmarks.parse_digest --jobs 2        # the same with two workers
    python -m benchmarks.parse_digest --expect HEX    # exit 1 unless the digest is HEX
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.ncap import NcapNotFoundError, Split, read_split
from benchmarks.parse_speed import _addrkit_command
from benchmarks.varied import vary_numbers


def corpus(data_dir: Path | None = None) -> list[str]:
    """Train then dev texts in file order, then each with its numbers varied once."""
    texts = [a.text for split in (Split.TRAIN, Split.DEV) for a in read_split(split, data_dir)]
    return texts + [vary_numbers(t, 1) for t in texts]


def digest(texts: Sequence[str], extra_args: Sequence[str] = ()) -> tuple[str, bytes]:
    """sha256 of ``addrkit parse`` stdout for ``texts`` (one a line), and the output."""
    data = ("\n".join(texts) + "\n").encode("utf-8")
    done = subprocess.run(
        [*_addrkit_command(), *extra_args], input=data, capture_output=True, check=True
    )
    out = done.stdout
    lines = out.count(b"\n")
    if lines != len(texts):
        raise RuntimeError(f"{lines} lines out for {len(texts)} in")
    return hashlib.sha256(out).hexdigest(), out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs N to addrkit parse")
    parser.add_argument("--expect", default=None, help="exit 1 unless the digest equals this")
    parser.add_argument("--save", type=Path, default=None, help="write the output here too")
    args = parser.parse_args(argv)
    try:
        texts = corpus(args.data_dir)
    except NcapNotFoundError as err:
        print(f"parse_digest: {err}", file=sys.stderr)
        return 2
    extra = ["--jobs", str(args.jobs)] if args.jobs is not None else []
    hexdigest, out = digest(texts, extra)
    if args.save:
        args.save.write_bytes(out)
    print(f"{hexdigest}  {len(texts)} lines")
    if args.expect and args.expect != hexdigest:
        print(f"parse_digest: expected {args.expect}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
