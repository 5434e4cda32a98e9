"""Characters the standard form leaves out are said: nothing the user typed goes silently."""

from __future__ import annotations

import pytest

from addrkit import parse_address


@pytest.mark.parametrize(
    ("text", "stray", "normalized"),
    [
        ("浙江省杭州市拱墅区d上塘", "d", "浙江省杭州市拱墅区上塘街道"),
        ("浙江省杭州市null西湖区文三路90号", "null", "浙江省杭州市西湖区文三路90号"),
        ("浙江省杭州市 xy 西湖区 / 文三路90号", "xy", "浙江省杭州市西湖区文三路90号"),
    ],
)
def test_stray_text_between_division_names_is_said(text, stray, normalized):
    a = parse_address(text)
    assert a.normalized == normalized
    said = [i.detail for i in a.issues if i.code.value == "DROPPED_TEXT"]
    assert said == [stray]
    assert a.status.value != "OK"


@pytest.mark.parametrize(
    "text",
    [
        "浙江省-杭州市-西湖区-文三路90号",  # separators: width/punctuation, not text
        "浙江省 杭州市 西湖区 文三路90号",
        "浙江省杭州市西湖区文三路90号",
        "浙江省杭州市拱墅区d上塘路12号",  # the letter is in the street: kept, nothing said
    ],
)
def test_nothing_is_said_when_nothing_but_separators_went(text):
    a = parse_address(text)
    assert "DROPPED_TEXT" not in a.issue_codes
