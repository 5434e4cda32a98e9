"""The fast JSON-lines encoder of `addrkit parse` writes exactly what json.dumps would."""

from __future__ import annotations

import json
from importlib import resources

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from addrkit import parse_address
from addrkit.address.json_line import JsonLineEncoder

_reference = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _sample_addresses() -> list[object]:
    folder = resources.files("addrkit.workbook_templates")
    with resources.as_file(folder / "sample_customers.xlsx") as path:
        book = openpyxl.load_workbook(path, read_only=True)
        sheet = book["客户 Customers"]
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        column = next(i for i, h in enumerate(header) if h and "地址" in str(h))
        values = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
        book.close()
    return values


BAD_AND_ODD = [
    None, 12345, 3.5, True, "", "   ", "#N/A", "=1+1", "+86 138", "@x", "x" * 40_000,
    '带"引号"和\\反斜杠的地址', "控制\x01字符\t杭州", "Paris 75001, France", "🏠浙江杭州",
    "浙江省杭州市西湖区文三路90号浙江省宁波市海曙区中山路1号", "朝阳区", "杭州江干区下沙街道",
    "臺灣省臺北市", "１２３号", "\u2028行分隔符\u2029",
]  # fmt: skip


def test_same_bytes_as_json_dumps_on_the_sample_and_bad_input():
    encoder = JsonLineEncoder()
    values = _sample_addresses() + BAD_AND_ODD
    assert len(values) > 2000
    for _ in range(2):  # second pass: every fragment comes from the encoder's memory
        for value in values:
            a = parse_address(value)
            assert encoder.encode(a) == _reference(a.to_dict()), value


def test_fragments_forgotten_past_the_bound_still_give_the_same_line(monkeypatch):
    import addrkit.address.json_line as json_line

    monkeypatch.setattr(json_line, "_MAX_REMEMBERED", 2)
    encoder = JsonLineEncoder()
    values = _sample_addresses()[:200]
    for value in values:
        a = parse_address(value)
        assert encoder.encode(a) == _reference(a.to_dict())
    assert all(len(t) <= 2 for t in (encoder._divisions, encoder._issues, encoder._places))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_same_bytes_as_json_dumps_for_any_text(text):
    a = parse_address(text)
    line = JsonLineEncoder().encode(a)
    assert line == _reference(a.to_dict())
    assert "\n" not in line  # one object, one line
