"""Customer sheets for the scale benchmarks: NCAP addresses made as many as asked.

`assign_scale.py` and `clean_scale.py` share this: the NCAP texts (train + dev), an
address text that stays distinct past the end of NCAP (a building number per round),
the customer sheet written by openpyxl's streaming writer, and the baseline every
file benchmark compares with (openpyxl reading the book and writing it again, no work).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from benchmarks.ncap import LabelledAddress, read_split

__all__ = ["COPY_BASELINE", "ncap_addresses", "numbered_text", "write_sheets"]

# A Python script: argv[1] the book to read, argv[2] the copy to write.
COPY_BASELINE = """
import sys
from openpyxl import Workbook, load_workbook
src = load_workbook(sys.argv[1], read_only=True)
out = Workbook(write_only=True)
for ws in src.worksheets:
    o = out.create_sheet(ws.title)
    for row in ws.iter_rows(values_only=True):
        o.append(row)
out.save(sys.argv[2])
"""


def ncap_addresses() -> list[LabelledAddress]:
    """Every NCAP address, train then dev (its gold fields with it)."""
    return [a for split in ("train", "dev") for a in read_split(split)]


def numbered_text(texts: Sequence[str], k: int, unit: str, *, first_round_plain: bool) -> str:
    """The ``k``-th address: NCAP text ``k mod len(texts)`` with ``<round>{unit}`` after it,
    round 1 for the first pass over NCAP (left plain when ``first_round_plain``).

    >>> numbered_text(["甲路", "乙路"], 3, "号楼", first_round_plain=True)
    '乙路2号楼'
    >>> numbered_text(["甲路", "乙路"], 1, "号", first_round_plain=False)
    '乙路1号'
    """
    text = texts[k % len(texts)]
    if first_round_plain and k < len(texts):
        return text
    return f"{text}{k // len(texts) + 1}{unit}"


def write_sheets(path: Path, sheets: Iterable[tuple[str, Iterable[Sequence[object]]]]) -> None:
    """An .xlsx file of ``(sheet name, rows)`` written by openpyxl's streaming writer."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
