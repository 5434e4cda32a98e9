"""Wall time of `addrkit run OPS BOOK` under two source trees, alternated, with the ratio.

The machines we measure on are shared: a figure from one run says little. This runs the
same command with each tree's ``src`` first on ``PYTHONPATH``, alternating the trees
round after round, and prints every run, the median of each tree and the ratio of the
medians (second tree over first).

Usage (repository root; a book from ``benchmarks/assign_scale.py --file --keep``, the
other tree from ``git worktree add ../base COMMIT``)::

    python benchmarks/ab_run.py BOOK --trees ../base . --rounds 3 [--ops assign,code]

Each run writes ``OUT_DIR/out-<k>.xlsx`` (default: beside the book) and the backups
`addrkit run` makes of it are removed after each run (a million-row book's are 180 MB).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _run(tree: Path, ops: str, book: Path, out: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"))
    command = [sys.executable, "-m", "addrkit.cli", "run", ops, str(book), "-o", str(out)]
    start = time.perf_counter()
    subprocess.run([*command, "--quiet"], env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    for backup in out.parent.glob(out.name + ".addrkit-backup-*"):
        backup.unlink()
    return wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--trees", type=Path, nargs=2, required=True, metavar="TREE")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ops", default="assign,code")
    parser.add_argument("--out-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    out_dir = args.out_dir or args.book.parent
    walls: list[list[float]] = [[] for _ in args.trees]
    for r in range(1, args.rounds + 1):
        for k, tree in enumerate(args.trees):
            wall = _run(tree.resolve(), args.ops, args.book, out_dir / f"out-{k}.xlsx")
            walls[k].append(wall)
            load = os.getloadavg()[0]
            print(f"round {r} tree {tree}: {wall:.1f} s (load {load:.2f})", flush=True)
    medians = [statistics.median(w) for w in walls]
    for tree, w, m in zip(args.trees, walls, medians, strict=True):
        print(f"{tree}: median {m:.1f} s of {', '.join(f'{x:.1f}' for x in w)}")
    print(f"ratio (second / first): {medians[1] / medians[0]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
