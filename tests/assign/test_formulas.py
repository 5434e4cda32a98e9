"""CUSTOMER_TIER, CODE_VALID and ADDR_REGION read the workbook's own settings."""

from __future__ import annotations

import openpyxl
import pytest
from addrkit.udfs.assign import use_book
from addrkit.udfs.registry import formulas
from addrkit.workbook_templates import layout as L

from addrkit import udfs
from addrkit.assign.codes import CodePattern
from tests.workbook.fake_xlwings import Book

TEMPLATE = L.__file__.rsplit("/", 1)[0] + "/customers.xlsx"


def _set(ws, label: str, value: str) -> None:
    for row in ws.iter_rows(min_row=2):
        if row[0].value and label in row[0].value:
            row[1].value = value
            return
    raise AssertionError(label)


@pytest.fixture
def book():
    wb = openpyxl.load_workbook(TEMPLATE)
    settings = wb[L.SETTINGS.name]
    _set(settings, "Tier rules", "A: revenue>=500000; B: orders>=10; C")
    _set(settings, "Code pattern", "KH{SEQ:04}{CHECK}")
    wb[L.REGIONS.name].append(["浙江省", "杭州市", None, "杭州大区 HZ", "刘洋"])
    fake = Book.from_openpyxl(wb)
    use_book(lambda: fake)
    yield fake
    use_book(None)


def test_formulas_are_registered_with_help():
    specs = formulas()
    assert [a.name for a in specs["CUSTOMER_TIER"].args] == ["revenue", "orders", "years", "credit"]
    assert [a.optional for a in specs["CUSTOMER_TIER"].args] == [False, True, True, True]
    assert "CODE_VALID" in specs and "code" in specs["CODE_VALID"].description.lower()


def test_customer_tier_uses_the_books_rules(book):
    assert udfs.CUSTOMER_TIER([["60万"], ["1,000"], ["１２"]], [[1], [10], [0]]) == [
        ["A"],
        ["B"],
        ["C"],
    ]


def test_customer_tier_default_rules_without_a_book():
    use_book(None)
    assert udfs.CUSTOMER_TIER([[2_000_000]], None, None, [[80]]) == "A"
    assert udfs.CUSTOMER_TIER([[2_000_000]], None, None, [[59]]) == "C"


@pytest.mark.parametrize("cell", [None, "", "#N/A", True, "=1+1", "x" * 32767, -5])
def test_customer_tier_bad_input_is_readable(cell):
    use_book(None)
    out = udfs.CUSTOMER_TIER([[cell]])
    assert isinstance(out, str) and len(out) <= 32767
    assert out in {"D"} or out.startswith("未分级 NOT TIERED")


def test_customer_tier_ranges_of_different_sizes():
    use_book(None)
    assert "Ranges differ" in udfs.CUSTOMER_TIER([[1], [2], [3]], [[1], [2]])


def test_code_valid_uses_the_books_pattern(book):
    code = CodePattern.parse("KH{SEQ:04}{CHECK}").render("KH#", 12)
    out = udfs.CODE_VALID(
        [[code], [code[:-1] + ("0" if code[-1] != "0" else "1")], ["HD-ZJ-000074"], [None]]
    )
    assert out[0] == ["有效 VALID"]
    assert out[1][0].startswith("无效 INVALID: 校验位应为")
    assert "does not match the code pattern KH{SEQ:04}{CHECK}" in out[2][0]
    assert out[3][0].startswith("无效 INVALID: 编码为空")


def test_addr_region_uses_the_regions_sheet(book):
    out = udfs.ADDR_REGION(
        [["浙江省杭州市西湖区文三路90号"], ["宁波市海曙区"], ["香港湾仔"], ["Ontario"]]
    )
    assert out[0] == ["杭州大区 HZ"]
    assert out[1] == ["华东 East China"]
    assert out[2] == ["港澳台 Hong Kong, Macao & Taiwan"]
    assert out[3][0].startswith("未知 Unknown")
