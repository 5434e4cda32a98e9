"""benchmarks/sheet_part_speed.py runs end to end and checks what it times agrees."""

from __future__ import annotations

import re
from pathlib import Path

from addrkit.workbook_templates import layout as L

from benchmarks import sheet_part_speed

SAMPLE = Path(L.__file__).with_name("sample_customers.xlsx")


def test_every_way_of_reading_and_deflating_the_part_is_timed(capsys):
    assert sheet_part_speed.main([str(SAMPLE), "--repeat", "1", "--deflate-mb", "1"]) == 0
    out = capsys.readouterr().out
    # Each line names both ways and their ratio; the script asserts that the two ways
    # give the same bytes (inflate) and the same row (skip) before it prints.
    for line in ("inflate, one pass:", "to row ", "deflate "):
        assert re.search(re.escape(line) + r".*ratio \d+\.\d\d", out), (line, out)
