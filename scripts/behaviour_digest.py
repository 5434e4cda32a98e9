"""Digests that must not move when code is only tidied: compare before and after.

1. `addrkit parse` over every NCAP address (train + dev): SHA-256 of its output lines.
2. `addrkit demo`: SHA-256 of every cell value of the result workbook, sheet by sheet
   (the 日志 Log's time, run ID and user columns left out: they differ on every run).

    python scripts/behaviour_digest.py [NCAP_DIR]      (default /work/shared/data/ncap)
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl


def ncap_texts(folder: Path) -> list[str]:
    texts = []
    for name in ("train.txt", "dev.txt"):
        tokens: list[str] = []
        for line in (folder / name).read_text(encoding="utf-8").splitlines() + [""]:
            if line.strip():
                tokens.append(line.split()[0])
            elif tokens:
                texts.append("".join(tokens))
                tokens = []
    return texts


def parse_digest(texts: list[str]) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "parse"],
        input="\n".join(texts) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return hashlib.sha256(out.encode()).hexdigest()


def demo_digest() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.xlsx"
        subprocess.run(
            [sys.executable, "-m", "addrkit.cli", "demo", "--quiet", "-o", str(path)],
            check=True,
            capture_output=True,
        )
        wb = openpyxl.load_workbook(path)
        digests = {}
        for ws in wb.worksheets:
            skip = {1, 2, 3} if ws.title == "日志 Log" else set()  # time, run ID, user
            h = hashlib.sha256()
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None and c.column not in skip:
                        h.update(f"{c.coordinate}={c.value!r}\n".encode())
            digests[ws.title] = h.hexdigest()[:16]
        return digests


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "ncap_dir", nargs="?", type=Path, default=Path("/work/shared/data/ncap"),
        help="folder of NCAP's train.txt and dev.txt",
    )  # fmt: skip
    folder = parser.parse_args(argv).ncap_dir
    texts = ncap_texts(folder)
    print(f"ncap addresses: {len(texts)}")
    print(f"parse sha256: {parse_digest(texts)}")
    for sheet, digest in demo_digest().items():
        print(f"demo {sheet}: {digest}")


if __name__ == "__main__":
    main()
