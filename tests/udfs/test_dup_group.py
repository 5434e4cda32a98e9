"""DUP_GROUP as Excel calls it: ranges as rows, errors as text, one group number per row."""

from __future__ import annotations

import csv
from importlib import resources

import openpyxl
import pytest
from addrkit.udfs.dedupe import duplicate_groups
from addrkit.udfs.registry import formulas

from addrkit import udfs

NAMES = [
    ["杭州云栖科技有限公司"],
    ["南京紫金贸易有限公司"],
    ["杭州云栖科技"],
    ["南京紫金贸易"],
    ["成都天府餐饮"],
]
PHONES = [["0571-88886666"], ["025-84001234"], [88886666.0], ["02584001234"], ["028-66667777"]]


def test_registered_with_optional_phones_and_addresses():
    spec = formulas()["DUP_GROUP"]
    assert [(a.name, a.optional, a.cells) for a in spec.args] == [
        ("names", False, True),
        ("phones", True, True),
        ("addresses", True, True),
    ]


def test_a_column_spills_group_numbers_blank_for_unique_rows():
    assert udfs.DUP_GROUP(NAMES, PHONES) == [[1], [2], [1], [2], [""]]


def test_addresses_alone_with_names_also_group():
    addresses = [["浙江省杭州市西湖区文三路90号"], ["江苏省南京市玄武区中山路1号"]] * 2
    names = [["云栖科技"], ["紫金贸易"], ["云栖科技有限公司"], ["紫金贸易有限公司"]]
    assert udfs.DUP_GROUP(names, None, addresses) == [[1], [2], [1], [2]]


@pytest.mark.parametrize(
    "names",
    [[["甲公司"]], [[None]], [["#N/A"]], [[42.0]], "甲公司", [[]]],
    ids=repr,
)
def test_a_single_cell_gives_a_readable_message(names):
    assert "two or more rows" in udfs.DUP_GROUP(names)


def test_ranges_of_different_length_are_named():
    message = udfs.DUP_GROUP(NAMES, PHONES[:2])
    assert "phones" in message and "2" in message and "5" in message


def test_blanks_errors_and_numbers_never_group_by_themselves():
    names = [[None], [""], ["#N/A"], ["#N/A"], [0.0], ["=1+1"]]
    phones = [["#N/A"], ["#N/A"], ["#VALUE!"], ["#VALUE!"], [None], [True]]
    assert udfs.DUP_GROUP(names, phones) == [[""]] * 6


def test_a_phone_typed_as_a_number_matches_the_same_phone_as_text():
    assert udfs.DUP_GROUP([["甲公司"], ["甲公司"]], [[13812345678.0], ["138-1234-5678"]]) == [
        [1],
        [1],
    ]


def test_a_row_range_is_read_cell_by_cell():
    assert udfs.DUP_GROUP([["甲公司", "甲公司"]], [["13812345678", "138 1234 5678"]]) == [[1], [1]]


def test_same_groups_as_the_engine_on_the_sample_workbook():
    folder = resources.files("addrkit.workbook_templates")
    ws = openpyxl.load_workbook(folder / "sample_customers.xlsx", read_only=True)["客户 Customers"]
    rows = list(ws.iter_rows(min_row=2, max_col=5, values_only=True))
    names = [[r[1]] for r in rows]
    phones = [[r[3]] for r in rows]
    addresses = [[r[4]] for r in rows]
    spilled = udfs.DUP_GROUP(names, phones, addresses)
    groups = [g for [g] in spilled]
    core = duplicate_groups(
        [r[1] or "" for r in rows], [str(r[3] or "") for r in rows], [r[4] or "" for r in rows]
    )
    assert groups == ["" if g is None else g for g in core]
    text = (folder / "sample_customers_truth.csv").read_text(encoding="utf-8")
    truth = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    repeats = [
        (int(t["row"]) - 2, int(t["duplicate_of_row"]) - 2) for t in truth if t["duplicate_of_row"]
    ]
    together = sum(groups[a] != "" and groups[a] == groups[b] for a, b in repeats)
    assert together / len(repeats) >= 0.75
