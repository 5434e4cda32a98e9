"""A person's name and phone typed with the address go to their own fields."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from addrkit import parse_address


@pytest.mark.parametrize(
    ("text", "name", "phone", "normalized"),
    [
        # the shipped sample's row: was 辽宁省大连市瓦房店市王超平13145920644
        ("王超平 13145920644 辽宁省大连市瓦房店市兴业路60号", "王超平", "13145920644",
         "辽宁省大连市瓦房店市兴业路60号"),
        ("辽宁省大连市瓦房店市兴业路60号 王超平 13145920644", "王超平", "13145920644",
         "辽宁省大连市瓦房店市兴业路60号"),
        ("收件人：张三 电话：0571-88886666 浙江省杭州市西湖区文三路90号", "张三", "0571-88886666",
         "浙江省杭州市西湖区文三路90号"),
        ("浙江省杭州市西湖区文三路90号 张三收 13800001111", "张三", "13800001111",
         "浙江省杭州市西湖区文三路90号"),
        ("联系人李四13800001111浙江杭州西湖区文三路1号", "李四", "13800001111",
         "浙江省杭州市西湖区文三路1号"),
        ("13800001111 浙江省杭州市西湖区文三路1号", None, "13800001111", "浙江省杭州市西湖区文三路1号"),
        ("收件人张三 浙江省杭州市西湖区文三路1号", "张三", None, "浙江省杭州市西湖区文三路1号"),
    ],
)  # fmt: skip
def test_contact_is_taken_off_and_kept(text, name, phone, normalized):
    a = parse_address(text)
    assert (a.contact_name, a.contact_phone, a.normalized) == (name, phone, normalized)
    assert a.input == text  # the cell as it was


@pytest.mark.parametrize(
    "text",
    [
        "浙江省杭州市西湖区文三路90号",
        "杭州市西湖区文三路1234567号",  # a long house number is no phone
        "王家村浙江省杭州市西湖区",  # a word before the address is not a name without a marker
    ],
)
def test_no_contact_where_there_is_none(text):
    a = parse_address(text)
    assert (a.contact_name, a.contact_phone) == (None, None)


def test_parse_command_writes_the_contact_keys():
    out = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "parse"],
        input="王超平 13145920644 辽宁省大连市瓦房店市兴业路60号\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    row = json.loads(out.splitlines()[0])
    assert (row["contact_name"], row["contact_phone"]) == ("王超平", "13145920644")
    assert row["district"] == "瓦房店市" and row["street"] == "兴业路"
