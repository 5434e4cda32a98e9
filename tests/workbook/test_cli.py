"""`addrkit run` and `addrkit demo` as a user calls them (a real child process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from addrkit.ops.clean import CLEAN_HEADERS

from .books import HEADERS, make_book


def addrkit(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "addrkit.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_run_all_then_undo(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    original = path.read_bytes()
    done = addrkit("run", "all", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "backup" in done.stdout and "clean: rows 8" in done.stdout
    assert "100%" in done.stderr  # the progress bar
    wb = openpyxl.load_workbook(path)
    assert "汇总 Summary" in wb.sheetnames
    headers = [c.value for c in wb["客户 Customers"][1]]
    assert headers[len(HEADERS) : len(HEADERS) + 8] == list(CLEAN_HEADERS)
    assert "重复组" in headers and "重复 Duplicates" in wb.sheetnames  # all includes dedupe
    # … and tiers & regions, geocode and map: every ribbon button that makes sense in a batch
    assert {"客户分级", "销售区域", "纬度", "定位状态"} <= set(headers)
    assert wb["地图 Map"]._images and "地理编码 Geocoded" in wb.sheetnames
    assert (tmp_path / "b-map.html").exists()
    assert "编码说明" not in headers and "合并到" not in headers  # left to a person
    undone = addrkit("run", "undo", str(path), cwd=tmp_path)
    assert undone.returncode == 0, undone.stderr
    assert path.read_bytes() == original


def test_run_reports_a_broken_file_without_traceback(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"nope")
    done = addrkit("run", "clean", "bad.xlsx", cwd=tmp_path)
    assert done.returncode == 1
    assert "damaged or truncated" in done.stderr and "Traceback" not in done.stderr


def test_demo_writes_the_cleaned_sample_in_the_current_directory(tmp_path):
    done = addrkit("demo", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "addrkit-demo.xlsx"
    assert str(out) in done.stdout and "clean: rows 2000" in done.stdout
    wb = openpyxl.load_workbook(out)
    ws = wb["客户 Customers"]
    headers = [c.value for c in ws[1]]
    assert "标准地址" in headers and "状态" in headers
    statuses = [
        r[0]
        for r in ws.iter_rows(
            min_row=2,
            min_col=headers.index("状态") + 1,
            max_col=headers.index("状态") + 1,
            values_only=True,
        )
    ]
    assert len(statuses) == 2000 and set(statuses) <= {"OK", "FIXED", "WARNING", "ERROR"}
    # The sample's contact-prefixed address cells: the person and number in columns of
    # their own (the sample has its own 联系人 column, so ours is told apart), the address
    # parsed from the rest.
    rows = [dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    carried = [r for r in rows if r["联系人 (标准)"]]
    assert len(carried) >= 10
    for r in carried:
        assert r["地址"].startswith(r["联系人 (标准)"]) and r["联系电话"] in r["地址"]
        assert r["联系人 (标准)"] not in (r["标准地址"] or "")
    assert wb["汇总 Summary"]["B2"].value == 2000
    assert len(wb["地图 Map"]._images) == 2  # the customers and the provinces
    assert "纬度" in headers and wb["地理编码 Geocoded"].max_row == 2001
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "addrkit-demo-map.html",
        "addrkit-demo.xlsx",
    ]


def test_run_all_is_every_batch_button_and_the_readme_says_which():
    """`all` is derived from the ribbon: a new button is in it unless NOT_IN_ALL says why."""
    from addrkit.ops import ALL, NOT_IN_ALL, ribbon_operations

    ribbon = [op.name for op in ribbon_operations()]
    assert set(ALL) | set(NOT_IN_ALL) == set(ribbon) and not set(ALL) & set(NOT_IN_ALL)
    assert list(ALL) == [n for n in ribbon if n in ALL]  # the ribbon's order
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "`all` (" + ", ".join(f"`{n}`" for n in ALL) + ")" in readme

def test_clean_writes_contact_columns_when_address_cells_carry_them(tmp_path):
    # A real workbook with contact-prefixed address cells, cleaned by the command line and
    # read back: the person and number are columns of their own, the address is parsed.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户 Customers"
    ws.append(["客户名称", "地址"])
    ws.append(["甲", "王超平 13145920644 辽宁省大连市瓦房店市兴业路60号"])
    ws.append(["乙", "浙江省杭州市西湖区文三路90号"])
    path = tmp_path / "c.xlsx"
    wb.save(path)
    done = addrkit("run", "clean", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    headers = rows[0]
    assert headers[2 : 2 + len(CLEAN_HEADERS)] == list(CLEAN_HEADERS)
    assert headers[-2:] == ["联系人", "联系电话"]
    first, second = (dict(zip(headers, r, strict=True)) for r in rows[1:3])
    assert (first["联系人"], first["联系电话"]) == ("王超平", "13145920644")
    assert first["标准地址"] == "辽宁省大连市瓦房店市兴业路60号"
    assert first["地址"] == "王超平 13145920644 辽宁省大连市瓦房店市兴业路60号"  # kept as typed
    assert (second["联系人"], second["联系电话"]) == (None, None)
    # A second run fills the same columns again rather than adding two more.
    again = addrkit("run", "clean", str(path), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    headers = [c.value for c in openpyxl.load_workbook(path)["客户 Customers"][1]]
    assert headers.count("联系人") == 1


def test_clean_adds_no_contact_columns_when_no_cell_carries_one(tmp_path):
    path = make_book(tmp_path / "b.xlsx")
    done = addrkit("run", "clean", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    headers = [c.value for c in openpyxl.load_workbook(path)["客户 Customers"][1]]
    assert "联系人" not in headers
