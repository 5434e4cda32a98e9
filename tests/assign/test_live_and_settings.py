"""The live Excel adapter (stand-in book) runs both operations; typed settings from the sheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from addrkit.workbook_templates import layout as L

from addrkit.assign.registry import REGISTRY_SHEET, RegistryKind
from addrkit.assign.tiers import TierMethod
from addrkit.errors import CodePatternError, SettingsError
from addrkit.settings import settings_from_book, settings_from_rows, settings_to_rows
from addrkit.workbook.live import read_settings, run_operation
from tests.workbook.fake_xlwings import Book

SAMPLE = Path(L.__file__).with_name("sample_customers.xlsx")
NOW = dt.datetime(2026, 12, 4, 9, 0, 0)


@pytest.fixture
def book():
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb[L.CUSTOMERS.name]
    ws.delete_rows(62, ws.max_row)  # 60 customers keep the stand-in quick
    table = ws.tables[L.CUSTOMER_TABLE_NAME]
    table.ref = (
        table.ref.rsplit(":", 1)[0] + ":" + table.ref.rsplit(":", 1)[1].rstrip("0123456789") + "61"
    )
    return Book.from_openpyxl(wb)


def _column(book, header):
    sheet = book.sheets[L.CUSTOMERS.name]
    grid = sheet.used_range.value
    col = grid[0].index(header)
    return [row[col] for row in grid[1:]]


def test_live_codes_go_to_a_hidden_registry_and_undo_takes_them_back(book):
    before = _column(book, "客户编号")
    run_operation("code", book, now=lambda: NOW, user="tester")
    after = _column(book, "客户编号")
    new = [a for b, a in zip(before, after, strict=True) if b is None and a]
    assert new and all(b == a for b, a in zip(before, after, strict=True) if b)
    registry = book.sheets[REGISTRY_SHEET]
    assert registry.visible is False
    # The stand-in reads the registry back as the next run's settings would.
    assert {c.code for c in read_settings(book).code_ledger.codes} >= set(new)
    run_operation("undo", book)
    assert _column(book, "客户编号") == before


def test_live_assign_writes_tiers_and_regions(book):
    run_operation("assign", book, now=lambda: NOW, user="tester")
    tiers = _column(book, "客户分级")
    regions = _column(book, "销售区域")
    assert len(tiers) == 60 and {"A", "B", "C", "D"} & set(tiers)
    assert "华东" in regions


def test_typed_settings_from_the_sheets():
    s = settings_from_book(
        [
            ("客户分级规则 Tier rules", "RFM A>=12 B>=9 C>=6 D"),
            ("客户编码规则 Code pattern", "KH-{YEAR}-{SEQ:06}{CHECK}"),
            ("登记簿 Registry", "postgresql://sales@db.example.com/crm"),
            ("区域方案 Region scheme", "无"),
        ],
        [("省", "市", "区县", "区域", "销售"), ("江苏省", "苏州市", None, "苏南 SN", "钱七")],
        [
            ("编码 Code", "前缀 Prefix", "序号 Seq"),
            ("KH-2026-0000017", "KH-2026-#", "1"),
            ("junk",),
        ],
    )
    assert s.tier_rules.method is TierMethod.RFM
    assert s.code_pattern.capacity == 999_999
    assert s.registry.kind is RegistryKind.POSTGRES
    assert s.region_scheme is None and s.territories.lookup("江苏省", "苏州市").rep == "钱七"
    assert s.territories.lookup("浙江省").region is None  # no scheme: not guessed
    assert [c.seq for c in s.code_ledger.codes] == [1]
    # What settings_to_rows writes reads back the same.
    assert settings_from_rows(settings_to_rows(s)) == settings_from_rows(settings_to_rows(s))
    again = settings_from_rows(settings_to_rows(s))
    assert (again.tier_rules, again.code_pattern, again.registry, again.region_scheme) == (
        s.tier_rules,
        s.code_pattern,
        s.registry,
        s.region_scheme,
    )


@pytest.mark.parametrize(
    ("label", "value", "error"),
    [
        ("客户分级规则 Tier rules", "A: profit>=1", SettingsError),
        ("客户编码规则 Code pattern", "{REGION}", CodePatternError),
        ("登记簿 Registry", "postgresql://u:secret@db/x", SettingsError),
        ("区域方案 Region scheme", "九大区", SettingsError),
    ],
)
def test_bad_settings_are_refused_in_both_languages(label, value, error):
    with pytest.raises(error) as err:
        settings_from_rows([(label, value)])
    text = str(err.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text) and any(
        ch.isascii() and ch.isalpha() for ch in text
    )
    assert "secret" not in text
