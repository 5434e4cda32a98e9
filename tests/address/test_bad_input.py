"""Bad input gives a result with an issue, never an exception; properties hold for any text."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addrkit import IssueCode, Status, parse_address
from addrkit.address.normalize import clean_text
from addrkit.gazetteer import default_gazetteer


@pytest.mark.parametrize(
    "value, code",
    [
        (None, IssueCode.EMPTY),
        ("", IssueCode.EMPTY),
        ("   ", IssueCode.EMPTY),
        (12345, IssueCode.NOT_TEXT),
        (3.14, IssueCode.NOT_TEXT),
        (True, IssueCode.NOT_TEXT),
        (datetime.date(2024, 1, 1), IssueCode.NOT_TEXT),
        ("#N/A", IssueCode.EXCEL_ERROR),
        ("#VALUE!", IssueCode.EXCEL_ERROR),
        ("=1+1", IssueCode.FORMULA_TEXT),
        ("😀😀😀", IssueCode.NOT_AN_ADDRESS),
        ("\x00\x01\x02", IssueCode.NOT_AN_ADDRESS),
    ],
)
def test_bad_values_give_a_readable_issue(value, code):
    a = parse_address(value)
    assert code.value in a.issue_codes
    assert a.status is not Status.OK
    assert a.issues[0].message_zh and a.issues[0].message_en


def test_excel_max_length_text_is_analysed_up_to_a_limit():
    text = "浙江省杭州市西湖区文三路90号" + "好" * (32_767 - 15)
    assert len(text) == 32_767
    a = parse_address(text)
    assert a.district == "西湖区"
    assert IssueCode.TOO_LONG.value in a.issue_codes
    assert a.input == text  # nothing is lost


def test_formula_like_text_is_parsed_as_text():
    a = parse_address("=浙江省杭州市西湖区文三路90号")
    assert a.district == "西湖区"
    assert IssueCode.FORMULA_TEXT.value in a.issue_codes
    assert not a.normalized.startswith("=")


def test_emoji_and_control_characters_are_dropped():
    a = parse_address("浙江省杭州市\x07西湖区😀文三路90号")
    assert a.normalized == "浙江省杭州市西湖区文三路90号"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_no_input_string_raises(text):
    a = parse_address(text)
    assert a.status in set(Status)
    a.to_dict()


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("浙江省杭州市西湖区文三路90号中國　 ，臺灣朝阳上虞江干-#"),
        max_size=40,
    )
)
def test_address_like_strings_never_raise(text):
    parse_address(text)


def test_a_dropped_character_between_a_letter_and_its_accent_is_composed_at_once():
    g = default_gazetteer()
    once = clean_text(
        "A:\u0300", g.t2s_table, g.traditional_pattern
    ).text  # found by the test below
    assert once == "\u00c0" == clean_text(once, g.t2s_table, g.traditional_pattern).text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_cleaning_is_idempotent(text):
    g = default_gazetteer()
    once = clean_text(text, g.t2s_table, g.traditional_pattern).text
    assert clean_text(once, g.t2s_table, g.traditional_pattern).text == once


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(
        ["浙江杭州西湖区文三路90号", "宁波市江东区航运中心7318", "中國浙江省溫州市鹿城區"]
    )
)
def test_normalising_twice_equals_once(text):
    once = parse_address(text).normalized
    assert parse_address(once).normalized == once
