"""Regions and codes read Clean & validate's columns when they are current, and parse
only what they must: checked against a full parse of the same real workbook."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from addrkit.workbook_templates import layout as L

from addrkit import address
from addrkit.ops.assign import ASSIGN_HEADERS
from addrkit.ops.code import CODE_HEADER
from addrkit.ops.divisions import Divisions, _current
from addrkit.workbook.run_file import run_file

SAMPLE = Path(L.__file__).with_name("sample_customers.xlsx")
CUSTOMERS = L.CUSTOMERS.name


class CountingEngine:
    """The engine itself, counting the texts it is asked to parse (the one swap point)."""

    def __init__(self, parse_many) -> None:
        self.parse_many = parse_many
        self.texts: list = []

    def __call__(self, values):
        values = list(values)
        self.texts += values
        return self.parse_many(values)


@pytest.fixture
def engine(monkeypatch):
    counting = CountingEngine(address.parse_many)
    monkeypatch.setattr(address, "parse_many", counting)
    return counting


def _column(ws, header: str) -> list:
    col = [c.value for c in ws[1]].index(header) + 1
    return [ws.cell(r, col).value for r in range(2, ws.max_row + 1)]


def test_current_clean_columns_are_read_and_stale_rows_parsed(tmp_path, engine):
    cleaned, fresh = tmp_path / "cleaned.xlsx", tmp_path / "fresh.xlsx"
    shutil.copy(SAMPLE, cleaned)
    run_file(["clean"], cleaned)
    # Edits made after Clean: a new district, a new house number, another city.
    wb = openpyxl.load_workbook(cleaned)
    ws = wb[CUSTOMERS]
    address_col = [c.value for c in ws[1]].index("地址") + 1
    edited = {2: "广东省深圳市南山区科技园路1号", 3: None, 4: "四川省成都市武侯区人民南路4段9号"}
    old_text = ws.cell(3, address_col).value
    assert "号" in old_text
    edited[3] = old_text.replace("号", "9号", 1)  # the same street, another number
    for row, text in edited.items():
        ws.cell(row, address_col).value = text
    wb.save(cleaned)
    # The same book without Clean's columns: every region from a full parse.
    shutil.copy(SAMPLE, fresh)
    wb = openpyxl.load_workbook(fresh)
    for row, text in edited.items():
        wb[CUSTOMERS].cell(row, address_col).value = text
    wb.save(fresh)

    engine.texts.clear()
    run_file(["assign"], cleaned)
    reused_parses = list(engine.texts)
    run_file(["assign"], fresh)
    assert len(engine.texts) - len(reused_parses) > 1500  # the full parse: every distinct text
    assert len(reused_parses) < 400  # most rows were read from Clean's columns

    a = openpyxl.load_workbook(cleaned)[CUSTOMERS]
    b = openpyxl.load_workbook(fresh)[CUSTOMERS]
    for header in ASSIGN_HEADERS:
        assert _column(a, header) == _column(b, header), header  # the same answers
    # Every edited row was parsed again, not read from the stale columns.
    for text in edited.values():
        assert text in reused_parses
    assert _column(a, "销售区域")[0] == "华南" and _column(a, "销售区域")[2] == "西南"


def test_the_currency_check_per_row():
    row = (
        "浙江省杭州市西湖区文三路90号",
        "浙江省",
        "杭州市",
        "西湖区",
        None,
        "文三路90号",
        "330106",
        "OK",
    )
    assert _current("杭州西湖区文三路90号", row) == Divisions(
        "浙江省", "杭州市", "西湖区", "330106"
    )
    assert _current("杭州西湖区文三路９０号", row) is not None  # full-width digits fold
    assert _current("杭州西湖区文三路91号", row) is None  # another number
    assert _current("宁波西湖区文三路90号", row) is None  # another city: parsed again
    assert _current("杭州市鄞州区文三路90号", row) is None  # another district
    assert _current("杭州西湖区文三路90号", row[:-1] + ("ERROR",)) is None
    assert _current("杭州西湖区文三路90号", row[:-1] + (None,)) is None  # never cleaned
    assert _current(12345, row) is None
    renamed = (
        "浙江省杭州市钱塘区下沙街道",
        "浙江省",
        "杭州市",
        "钱塘区",
        "下沙街道",
        None,
        "330114",
        "FIXED",
    )
    assert _current("杭州江干区下沙街道", renamed) is None  # the text names the old district


def test_codes_parse_only_the_rows_without_a_code(tmp_path, engine):
    path = tmp_path / "b.xlsx"
    shutil.copy(SAMPLE, path)
    ids = _column(openpyxl.load_workbook(path)[CUSTOMERS], "客户编号")
    blank = sum(v is None for v in ids)
    assert 50 < blank < len(ids) / 2
    engine.texts.clear()
    result = run_file(["code"], path)
    assert len(result.plans[0].edits) > 50
    assert len(engine.texts) <= blank  # the coded rows' addresses were never parsed
    notes = _column(openpyxl.load_workbook(path)[CUSTOMERS], CODE_HEADER)
    assert all(notes)
