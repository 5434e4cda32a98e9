"""Finding the customer table by its headers."""

from __future__ import annotations

import pytest

from addrkit.errors import TableNotFoundError
from addrkit.ops import OUTPUT_BLOCKS
from addrkit.table import ColumnRole, column_role, find_customer_table, locate_table


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("客户名称", ColumnRole.NAME),
        ("名称", ColumnRole.NAME),
        ("Name", ColumnRole.NAME),
        ("收货地址", ColumnRole.ADDRESS),
        ("ADDRESS", ColumnRole.ADDRESS),
        ("地址 Address", ColumnRole.ADDRESS),
        ("手机", ColumnRole.PHONE),
        ("Phone Number", ColumnRole.PHONE),
        ("电话（Phone）", ColumnRole.PHONE),
        ("省", ColumnRole.PROVINCE),
        ("市", ColumnRole.CITY),
        ("区", ColumnRole.DISTRICT),
        ("区县", ColumnRole.DISTRICT),
        ("客户编号", ColumnRole.ID),
        ("Revenue", None),
        (None, None),
        (123, None),
        ("", None),
    ],
)
def test_column_roles(header, role):
    assert column_role(header) == role


def test_chinese_headers_in_row_one():
    loc = locate_table(
        "S", [["客户名称", "地址", "电话"], ["甲", "杭州", "1"], ["乙", "南京", "2"]]
    )
    assert (loc.header_row, loc.first_col, loc.last_col, loc.last_row) == (1, 1, 3, 3)
    assert loc.header_for(ColumnRole.PHONE) == "电话"


def test_english_headers_offset_down_and_right():
    rows = [
        ["Customer list"],
        [],
        [None, None, "Name", "Address", "Phone", "Notes"],
        [None, None, "A", "x", "1", None],
    ]
    loc = locate_table("S", rows)
    assert (loc.header_row, loc.first_col, loc.last_col) == (3, 3, 6)
    assert loc.headers == ("Name", "Address", "Phone", "Notes")
    assert loc.header_for(ColumnRole.ADDRESS) == "Address"


def test_trailing_blank_rows_are_not_customers():
    loc = locate_table("S", [["名称", "地址"], ["甲", "x"], [None, None], ["乙", "y"], [None, ""]])
    assert loc.last_row == 4


def test_excel_table_wins_over_plain_scan():
    rows = [["名称", "地址"], [], [], ["x"], ["客户名称", "收货地址", "手机"], ["甲", "杭州", "1"]]
    loc = locate_table("S", rows, list_objects=[("T1", 5, 1, 6, 3)])
    assert (loc.list_object, loc.header_row, loc.last_row, loc.last_col) == ("T1", 5, 6, 3)


def test_earlier_output_block_is_not_read_as_input():
    headers = ["名称", "地址", *OUTPUT_BLOCKS[0]]
    loc = locate_table("S", [headers], output_blocks=OUTPUT_BLOCKS)
    assert loc.role_index(ColumnRole.PROVINCE) is None  # the 省 of the output block
    assert loc.output_columns == frozenset(range(2, 2 + len(OUTPUT_BLOCKS[0])))


def test_a_single_recognised_header_is_not_a_table():
    assert locate_table("S", [["地址", "Revenue"], ["杭州", 1]]) is None


def test_not_found_lists_what_was_looked_for_in_both_languages():
    with pytest.raises(TableNotFoundError) as err:
        find_customer_table([("Sheet1", [["a", "b"]], ()), ("Sheet2", [], ())])
    message = str(err.value)
    for text in (
        "未找到客户表",
        "No customer table found",
        "Sheet1, Sheet2",
        "客户名称",
        "Address",
        "电话",
    ):
        assert text in message
    assert isinstance(err.value, LookupError)


def test_one_column_role_serves_header_detection_and_duplicate_finding():
    import pandas as pd
    import pytest

    from addrkit import dedupe
    from addrkit.errors import InputError
    from addrkit.table import ColumnRole

    assert dedupe.ColumnRole is ColumnRole
    # Duplicate finding compares its own roles only: a division column is refused by name,
    # with the roles it takes listed, as before the two enums were one.
    frame = pd.DataFrame({"n": ["甲", "乙"], "p": ["浙江", "江苏"]})
    with pytest.raises(InputError) as refused:
        dedupe.find_duplicates(frame, {"n": "name", "p": "province"})
    assert str(refused.value) == (
        "unknown column role ('province' is not a valid ColumnRole); valid roles: "
        "id, name, phone, address, email, credit_code, other"
    )
