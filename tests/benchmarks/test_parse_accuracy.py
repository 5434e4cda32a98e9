"""The error list and tables of parse_accuracy.py, fed with hand-made predictions."""

from __future__ import annotations

import csv

from benchmarks.ncap import LabelledAddress, Level, Split
from benchmarks.parse_accuracy import (
    ERROR_COLUMNS,
    ToolRun,
    frequent_patterns,
    misses,
    render_tables,
    write_errors,
)
from benchmarks.scoring import LevelGuess, Prediction, score
from benchmarks.tools import AddrkitTool, CpcaTool

GOLD = [
    LabelledAddress("江干区景坛路", {Level.DISTRICT: "江干区"}),
    LabelledAddress("余杭乔司镇", {Level.DISTRICT: "余杭", Level.TOWNSHIP: "乔司镇"}),
    LabelledAddress("杭州西湖区", {Level.CITY: "杭州", Level.DISTRICT: "西湖区"}),
]
PREDICTIONS = [
    Prediction.of(district=LevelGuess("上城区", "江干区")),  # right through as-written
    Prediction.of(district="临平区"),  # district wrong, township empty
    Prediction.of(city="杭州市"),  # district empty
]


def test_misses_lists_wrong_and_empty_levels_grouped_by_field():
    rows = misses(GOLD, PREDICTIONS)
    assert rows == [
        ("余杭乔司镇", "district", "余杭", "临平区", ""),
        ("杭州西湖区", "district", "西湖区", "", ""),
        ("余杭乔司镇", "township", "乔司镇", "", ""),
    ]


def test_errors_file_is_tab_separated_with_a_header(tmp_path):
    path = tmp_path / "sub" / "errors.tsv"
    write_errors(path, misses(GOLD, PREDICTIONS))
    with path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle, delimiter="\t"))
    assert tuple(table[0]) == ERROR_COLUMNS
    assert len(table) == 4 and table[1][2] == "余杭"


def test_frequent_patterns_count_empty_and_wrong_per_field():
    text = frequent_patterns(misses(GOLD, PREDICTIONS), top=30)
    assert "| district | 2 | 1 | 1 |" in text
    assert "| township | 1 | 1 | 0 |" in text
    assert "| district | 1 | 余杭 | 临平区 | ∅ |" in text


def test_tables_show_no_township_for_cpca_and_the_gold_share():
    runs = [
        ToolRun(AddrkitTool(), PREDICTIONS, score(GOLD, PREDICTIONS), 0.1),
        ToolRun(CpcaTool(), PREDICTIONS, score(GOLD, PREDICTIONS), 0.1),
    ]
    # Labels read the installed version, which needs no import of the tool itself.
    text = render_tables(runs, Split.DEV, len(GOLD))
    district_row = next(line for line in text.splitlines() if line.startswith("| district | 3 |"))
    assert "0.333" in district_row  # 1 right of 3
    township_row = next(line for line in text.splitlines() if line.startswith("| township | 1 |"))
    assert "n/a (none)" in township_row
