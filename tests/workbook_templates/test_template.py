"""The bundled empty workbook: its sheets, the customer table, checks and print setup."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from addrkit.workbook_templates import layout as L
from openpyxl import load_workbook

from addrkit.assign.codes import DEFAULT_CODE_PATTERN
from addrkit.assign.regions import DEFAULT_REGION_SCHEME, Region
from addrkit.assign.registry import RegistryKind
from addrkit.assign.tiers import DEFAULT_TIER_RULES
from addrkit.settings import KeySource, Language, settings_from_rows
from addrkit.table import ColumnRole, column_role

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "workbook_templates" / "customers.xlsx"


@pytest.fixture(scope="module")
def wb():
    return load_workbook(TEMPLATE)


def test_sheets_in_order_chinese_then_english(wb):
    assert wb.sheetnames == [
        "客户 Customers",
        "设置 Settings",
        "区域 Regions",
        "地理编码 Geocoded",
        "重复 Duplicates",
        "地图 Map",
        "汇总 Summary",
        "日志 Log",
    ]


def test_no_macros_and_xlsx_content_type():
    with zipfile.ZipFile(TEMPLATE) as z:
        names = z.namelist()
        content_types = z.read("[Content_Types].xml").decode()
    assert not [n for n in names if "vba" in n.lower()]
    assert "macroEnabled" not in content_types
    assert "spreadsheetml.sheet.main+xml" in content_types


@pytest.mark.parametrize("sheet", L.SHEETS, ids=lambda s: s.en)
def test_headers_chinese_with_english_comment_and_frozen(wb, sheet):
    ws = wb[sheet.name]
    cells = ws[1][: len(sheet.columns)]
    assert tuple(c.value for c in cells) == sheet.headers
    for cell, column in zip(cells, sheet.columns, strict=True):
        assert cell.comment is not None and cell.comment.text.startswith(column.en)
        assert ws.column_dimensions[cell.column_letter].width == column.width
    assert ws.freeze_panes in ("A2", "C2")
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.gridLines


def test_customer_table_is_an_excel_table_found_by_its_headers(wb):
    ws = wb[L.CUSTOMERS.name]
    table = ws.tables[L.CUSTOMER_TABLE_NAME]
    assert table.ref == "A1:O2"
    assert [c.name for c in table.tableColumns] == list(L.CUSTOMERS.headers)
    roles = {column_role(h) for h in L.CUSTOMERS.headers}
    assert {ColumnRole.ID, ColumnRole.NAME, ColumnRole.ADDRESS, ColumnRole.PHONE} <= roles
    assert ws.freeze_panes == "C2"
    assert ws.page_setup.orientation == "landscape"


def _validation_for(ws, column_letter):
    return [
        dv for dv in ws.data_validations.dataValidation if f"{column_letter}2:" in str(dv.sqref)
    ]


def test_customer_validation(wb):
    ws = wb[L.CUSTOMERS.name]
    (tier,) = _validation_for(ws, "I")
    assert tier.type == "list" and tier.formula1 == '"A,B,C,D"'
    (phone,) = _validation_for(ws, "D")
    assert phone.type == "textLength" and (phone.formula1, phone.formula2) == ("7", "40")
    assert phone.errorStyle == "warning"  # an odd phone is kept, not refused
    (credit,) = _validation_for(ws, "M")
    assert credit.type == "whole" and (credit.formula1, credit.formula2) == ("0", "100")
    (ids,) = _validation_for(ws, "A")
    assert ids.type == "custom" and "COUNTIF" in ids.formula1
    for dv in ws.data_validations.dataValidation:
        assert (
            dv.error
            and re.search(r"[A-Za-z]", dv.error)
            and re.search(r"[\u4e00-\u9fff]", dv.error)
        )


def test_settings_read_by_the_engine_and_hold_no_key(wb):
    rows = list(wb[L.SETTINGS.name].iter_rows(values_only=True))
    settings = settings_from_rows(rows)
    assert settings.provider == "offline"
    assert settings.language is Language.BOTH
    assert settings.api_key_ref.source is KeySource.ENV
    assert settings.region_scheme is DEFAULT_REGION_SCHEME
    # The typed rules the assign operations read are the engine's defaults, not free text.
    assert settings.tier_rules == DEFAULT_TIER_RULES
    assert settings.code_pattern == DEFAULT_CODE_PATTERN
    assert settings.registry.kind is RegistryKind.WORKBOOK
    for label, value, help_text in rows[1:]:
        assert re.search(r"[\u4e00-\u9fff]", label) and re.search(r"[A-Za-z]{3}", label)
        assert help_text and "\n" in help_text  # Chinese line, English line
        # Nothing that looks like a secret: long unbroken letter-digit runs.
        assert not re.search(r"[A-Za-z0-9]{24,}", str(value)), f"{label} looks like a key"
    assert {r[0] for r in rows[1:]} == {s.label for s in L.SETTING_ROWS}


def test_regions_prefilled_with_the_default_region_scheme(wb):
    rows = list(wb[L.REGIONS.name].iter_rows(min_row=2, values_only=True))
    by_province = {r[0]: r[3] for r in rows}
    assert len(rows) == len(by_province) == 34
    assert by_province == {p: r.value for p, r in DEFAULT_REGION_SCHEME.provinces.items()}
    assert set(by_province.values()) == {r.value for r in Region}
    assert by_province["浙江省"] == "华东" and by_province["黑龙江省"] == "东北"
    assert by_province["香港特别行政区"] == by_province["台湾省"] == "港澳台"


def test_every_provider_offered_works(wb):
    """The provider drop-down offers exactly the registry's names, and each builds a provider."""
    from addrkit.geocode.registry import provider_class, provider_names

    ws = wb[L.SETTINGS.name]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value.startswith("地理编码服务"))
    (dv,) = [d for d in ws.data_validations.dataValidation if row[1].coordinate in str(d.sqref)]
    offered = tuple(dv.formula1.strip('"').split(","))
    assert offered == provider_names() and "tencent" not in offered
    for name in offered:
        assert settings_from_rows([(row[0].value, name)]).provider == name
        assert provider_class(name).name == name


@pytest.mark.parametrize("sheet", L.SHEETS[3:], ids=lambda s: s.en)
def test_output_sheets_empty_below_headers(wb, sheet):
    assert wb[sheet.name].max_row == 1


def test_rebuild_gives_the_committed_bytes(tmp_path):
    """The script is the source: rebuilding gives an identical file (fixed dates)."""
    out = tmp_path / "customers.xlsx"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_template.py"), "-o", str(out)], check=True
    )
    assert (
        hashlib.sha256(out.read_bytes()).hexdigest()
        == hashlib.sha256(TEMPLATE.read_bytes()).hexdigest()
    ), "workbook_templates/customers.xlsx is stale: run python scripts/make_template.py"
    with zipfile.ZipFile(out) as z:
        core = z.read("docProps/core.xml").decode()
    assert core.count("2026-01-01T00:00:00Z") == 2
