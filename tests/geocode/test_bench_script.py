"""The geocoding benchmark script runs and its conversion figures hold on a small sample."""

from __future__ import annotations

import re

from benchmarks.geocode_bench import crs


def test_conversion_section_reports_sub_millimetre_round_trips_and_no_shift_outside():
    lines = crs(2000)
    rows = [line for line in lines if line.startswith("| WGS-84 →")]
    assert len(rows) == 2
    for row in rows:
        max_mm = float(re.search(r"\| ([0-9.e+-]+) mm \|", row).group(1))
        assert max_mm < 1.0
    assert lines[-1].endswith(", 0 moved.")
