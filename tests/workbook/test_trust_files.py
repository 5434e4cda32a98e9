"""Files a customer really brings: macros, read-only files, unusual headers, passwords,
hostile archives. Each either works without losing anything or stops with its own clear
message, a non-zero exit and the file untouched."""

from __future__ import annotations

import stat
import zipfile

import openpyxl
import pytest

from addrkit.cli import main
from addrkit.ops.clean import CLEAN_HEADERS

from .books import HEADERS, ROWS, make_book
from .special_books import (
    content_types,
    make_encrypted,
    make_entity_bomb,
    make_wide,
    make_xlsm,
    make_zip_bomb,
    make_zip_encrypted,
    vba_module_names,
)

SIX_MODULES = [
    "Module1.bas",
    "Module2.bas",
    "Module3.bas",
    "Module4.bas",
    "Sheet1.cls",
    "ThisWorkbook.cls",
]


def run(capsys, *argv):
    code = main(["run", *map(str, argv), "--quiet"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


# --- macro-enabled workbooks -------------------------------------------------------


@pytest.mark.parametrize("streamed", [False, True])
def test_xlsm_keeps_every_vba_module_and_its_type(tmp_path, capsys, monkeypatch, streamed):
    if streamed:
        monkeypatch.setattr("addrkit.workbook.run_file.STREAM_ROWS", 0)
    path = make_xlsm(tmp_path / "book.xlsm")
    assert vba_module_names(path) == SIX_MODULES
    code, out, err = run(capsys, "clean", path)
    assert code == 0, err
    assert "xl/vbaProject.bin" in zipfile.ZipFile(path).namelist()
    assert "sheet.macroEnabled.main+xml" in content_types(path)
    assert vba_module_names(path) == SIX_MODULES
    wb = openpyxl.load_workbook(path)
    headers = [c.value for c in wb["客户 Customers"][1]]
    assert headers[len(HEADERS) : len(HEADERS) + 8] == list(CLEAN_HEADERS)


def test_xlsm_written_elsewhere_keeps_its_macros(tmp_path, capsys):
    path = make_xlsm(tmp_path / "book.xlsm")
    code, _, err = run(capsys, "clean", path, "-o", tmp_path / "out.xlsm")
    assert code == 0, err
    assert vba_module_names(tmp_path / "out.xlsm") == SIX_MODULES


def test_macros_into_an_xlsx_name_are_refused(tmp_path, capsys):
    path = make_xlsm(tmp_path / "book.xlsm")
    code, _, err = run(capsys, "clean", path, "-o", tmp_path / "out.xlsx")
    assert code == 1
    assert ".xlsm" in err and "VBA" in err
    assert not (tmp_path / "out.xlsx").exists()


# --- permissions -----------------------------------------------------------------------


def test_read_only_workbook_is_not_replaced(tmp_path, capsys):
    path = make_book(tmp_path / "b.xlsx")
    path.chmod(0o444)
    before = path.read_bytes()
    code, _, err = run(capsys, "clean", path)
    assert code == 1
    assert "-o" in err and "只读" in err and "read-only" in err
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert not list(tmp_path.glob("*backup*"))


def test_read_only_workbook_written_beside_with_o(tmp_path, capsys):
    path = make_book(tmp_path / "b.xlsx")
    path.chmod(0o444)
    before = path.read_bytes()
    code, _, err = run(capsys, "clean", path, "-o", tmp_path / "b-clean.xlsx")
    assert code == 0, err
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert openpyxl.load_workbook(tmp_path / "b-clean.xlsx")["客户 Customers"].max_column > 5


def test_folder_without_write_permission_stops_with_o_named(tmp_path, capsys):
    folder = tmp_path / "shared"
    folder.mkdir()
    path = make_book(folder / "b.xlsx")
    before = path.read_bytes()
    folder.chmod(0o555)
    try:
        code, _, err = run(capsys, "clean", path)
        assert code == 1
        assert "-o" in err and "folder" in err
        assert path.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["b.xlsx"]
        code, _, err = run(capsys, "clean", path, "-o", tmp_path / "b-clean.xlsx")
        assert code == 0, err
    finally:
        folder.chmod(0o755)


# --- the address column ------------------------------------------------------------------


@pytest.mark.parametrize("header", ["收货信息", "Ship to"])
def test_unrecognised_address_header_changes_nothing(tmp_path, capsys, header):
    headers = [header if h == "地址" else h for h in HEADERS]
    path = make_book(tmp_path / "b.xlsx", headers=headers)
    before = path.read_bytes()
    code, _, err = run(capsys, "clean", path)
    assert code == 1
    assert header in err and "--address-col" in err and "地址" in err
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*backup*"))


def test_address_col_names_the_column(tmp_path, capsys):
    headers = [("Ship to" if h == "地址" else h) for h in HEADERS]
    path = make_book(tmp_path / "b.xlsx", headers=headers)
    code, out, err = run(capsys, "clean", path, "--address-col", "Ship to")
    assert code == 0, err
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    assert ws.cell(2, len(HEADERS) + 1).value == "浙江省杭州市西湖区文三路90号"


def test_address_col_that_does_not_exist_lists_the_headers(tmp_path, capsys):
    path = make_book(tmp_path / "b.xlsx")
    before = path.read_bytes()
    code, _, err = run(capsys, "clean", path, "--address-col", "Nope")
    assert code == 1
    assert "Nope" in err and "客户名称" in err
    assert path.read_bytes() == before


def test_settings_sheet_names_the_address_column(tmp_path, capsys):
    headers = [("收货信息" if h == "地址" else h) for h in HEADERS]
    path = make_book(tmp_path / "b.xlsx", headers=headers)
    wb = openpyxl.load_workbook(path)
    wb["设置 Settings"].append(("地址列 Address column", "收货信息"))
    wb.save(path)
    code, _, err = run(capsys, "clean", path)
    assert code == 0, err
    ws = openpyxl.load_workbook(path)["客户 Customers"]
    assert ws.cell(2, len(HEADERS) + 1).value == "浙江省杭州市西湖区文三路90号"


# --- unreadable files: each its own message ------------------------------------------------


def _unchanged_run(capsys, path, *words):
    before = path.read_bytes()
    code, _, err = run(capsys, "clean", path)
    assert code == 1
    for word in words:
        assert word in err, err
    assert path.read_bytes() == before
    return err


def test_password_protected_workbook_says_password(tmp_path, capsys):
    path = make_encrypted(tmp_path / "locked.xlsx")
    err = _unchanged_run(capsys, path, "密码", "password")
    assert "damaged" not in err


def test_zip_encrypted_workbook_says_encrypted(tmp_path, capsys):
    path = make_zip_encrypted(tmp_path / "zipped.xlsx")
    _unchanged_run(capsys, path, "加密", "encrypted")


def test_xls_renamed_xlsx_says_old_format(tmp_path, capsys):
    import olefile  # an old binary .xls is an OLE compound file

    assert olefile
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    _unchanged_run(capsys, path, ".xls", "Save As")


def test_csv_renamed_xlsx_says_csv(tmp_path, capsys):
    path = tmp_path / "list.xlsx"
    path.write_text("客户名称,地址\n甲,杭州\n", encoding="utf-8")
    _unchanged_run(capsys, path, "CSV")


def test_truncated_workbook_says_damaged(tmp_path, capsys):
    path = make_book(tmp_path / "b.xlsx")
    path.write_bytes(path.read_bytes()[:-300])
    _unchanged_run(capsys, path, "damaged")


def test_garbled_part_says_damaged(tmp_path, capsys):
    path = make_book(tmp_path / "b.xlsx")
    src = zipfile.ZipFile(path)
    parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    src.close()
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b'"/>', b'"x/>', 1)
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    _unchanged_run(capsys, path, "damaged")


def test_zip_bomb_is_refused_before_unpacking(tmp_path, capsys):
    import resource
    import time

    path = make_zip_bomb(tmp_path / "bomb.xlsx", size=3 << 30)
    assert path.stat().st_size < 8 << 20
    start = time.perf_counter()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _unchanged_run(capsys, path, "too large", "过大")
    assert time.perf_counter() - start < 10
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kb < 200_000


def test_xml_entity_bomb_is_refused(tmp_path, capsys):
    path = make_entity_bomb(tmp_path / "lol.xlsx")
    _unchanged_run(capsys, path, "entit")


def test_100000_columns_is_refused_quickly(tmp_path, capsys):
    _unchanged_run(capsys, make_wide(tmp_path / "wide.xlsx"), "16,384")


def test_unpacked_size_limit(tmp_path, capsys, monkeypatch):
    # The total limit (6 GB) is tested at a small scale: the rule, not the size.
    monkeypatch.setattr("addrkit.workbook.package_check.MAX_UNPACKED_BYTES", 2_000)
    _unchanged_run(capsys, make_book(tmp_path / "b.xlsx"), "too large", "过大")


def test_rows_of_longest_text_run_without_loss(tmp_path, capsys):
    rows = [[f"C{i}", "甲", "13812345678", "浙" + "x" * 32766, None] for i in range(200)]
    path = make_book(tmp_path / "long.xlsx", rows=rows)
    code, _, err = run(capsys, "clean", path)
    assert code == 0, err
    ws = openpyxl.load_workbook(path, read_only=True)["客户 Customers"]
    got = [r[3] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert got == [r[3] for r in rows]


def test_rows_are_as_written(tmp_path):
    # The fixtures themselves: guards the tests above against a silently empty book.
    path = make_book(tmp_path / "b.xlsx")
    assert openpyxl.load_workbook(path)["客户 Customers"].max_row == len(ROWS) + 1


# --- the ribbon (live book) reads the same Settings rows ----------------------------------


def _live_book(tmp_path, header, settings_row=None):
    from .fake_xlwings import Book

    headers = [header if h == "地址" else h for h in HEADERS]
    path = make_book(tmp_path / "b.xlsx", headers=headers)
    wb = openpyxl.load_workbook(path)
    if settings_row:
        wb["设置 Settings"].append(settings_row)
    return Book.from_openpyxl(wb)


def test_live_book_with_unrecognised_address_header_is_not_changed(tmp_path):
    import copy

    from addrkit.errors import TableNotFoundError
    from addrkit.workbook.live import run_operation

    book = _live_book(tmp_path, "收货信息")
    before = copy.deepcopy({s.name: dict(s.values) for s in book.sheets})
    with pytest.raises(TableNotFoundError, match="收货信息"):
        run_operation("clean", book, user="t")
    assert {s.name: dict(s.values) for s in book.sheets} == before


def test_live_book_reads_the_address_column_from_settings(tmp_path):
    from addrkit.workbook.live import run_operation

    book = _live_book(tmp_path, "收货信息", ("地址列 Address column", "收货信息"))
    run_operation("clean", book, user="t")
    assert book.sheets["客户 Customers"].values[(2, len(HEADERS) + 1)] == "浙江省杭州市西湖区文三路90号"


def test_no_table_at_all_lists_the_texts_seen(tmp_path, capsys):
    path = make_book(
        tmp_path / "b.xlsx", headers=["Who", "Ship to", "Revenue"], rows=[["甲", "杭州", 1]]
    )
    before = path.read_bytes()
    code, _, err = run(capsys, "clean", path)
    assert code == 1
    assert "'Ship to'" in err and "--address-col" in err
    assert path.read_bytes() == before
