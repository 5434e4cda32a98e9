"""`addrkit template [PATH]`: copies the bundled workbook, never overwrites without --force."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from addrkit.cli import main

TEMPLATE = Path(__file__).resolve().parents[2] / "workbook_templates" / "customers.xlsx"


def test_default_path_is_customers_xlsx_in_the_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["template"]) == 0
    written = tmp_path / "customers.xlsx"
    assert written.read_bytes() == TEMPLATE.read_bytes()
    assert "customers.xlsx" in capsys.readouterr().out
    assert load_workbook(written).sheetnames[0] == "客户 Customers"


def test_refuses_to_overwrite_and_keeps_the_file(tmp_path, capsys):
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"my own work")
    assert main(["template", str(target)]) == 1
    assert target.read_bytes() == b"my own work"
    err = capsys.readouterr().err
    assert "--force" in err and "已存在" in err


def test_force_overwrites(tmp_path):
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"old")
    assert main(["template", str(target), "--force"]) == 0
    assert target.read_bytes() == TEMPLATE.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["mine.xlsx"]  # no temp file left


def test_folder_target_gets_customers_xlsx(tmp_path):
    assert main(["template", str(tmp_path)]) == 0
    assert (tmp_path / "customers.xlsx").read_bytes() == TEMPLATE.read_bytes()


def test_wrong_extension_and_missing_folder_are_clear_errors(tmp_path, capsys):
    assert main(["template", str(tmp_path / "book.xlsm")]) == 1
    assert ".xlsx" in capsys.readouterr().err
    assert not (tmp_path / "book.xlsm").exists()
    assert main(["template", str(tmp_path / "no" / "such" / "book.xlsx")]) == 1
    assert "Cannot write" in capsys.readouterr().err


def test_installed_command_line(tmp_path):
    out = tmp_path / "c.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "template", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == TEMPLATE.read_bytes()


def test_template_and_sample_carry_the_coordinate_system_row(tmp_path):
    """The geocode operation reads 坐标系 Coordinate system: both bundled books offer it,
    with a drop-down of the three systems, and the settings check names a bad value."""
    from addrkit.ops.settings import BAD, run_settings
    from addrkit.progress import Progress
    from addrkit.settings import settings_from_rows

    assert main(["template", str(tmp_path / "t.xlsx")]) == 0
    for book in (tmp_path / "t.xlsx", TEMPLATE.with_name("sample_customers.xlsx")):
        ws = load_workbook(book)["设置 Settings"]
        (row,) = [r for r in ws.iter_rows(min_row=2) if r[0].value == "坐标系 Coordinate system"]
        assert row[1].value == "wgs84"
        assert "GCJ-02" in row[2].value and "百度" in row[2].value
        (dv,) = [d for d in ws.data_validations.dataValidation if row[1].coordinate in str(d.sqref)]
        assert dv.type == "list" and dv.formula1 == '"wgs84,gcj02,bd09"'
        rows = [tuple(c.value for c in r) for r in ws.iter_rows()]
        assert settings_from_rows(rows).crs == "wgs84"
        rows = [(r[0], "utm50n" if r[0] == row[0].value else r[1]) for r in rows]
        plan = run_settings(None, settings_from_rows(rows, strict=False), Progress())
        (bad,) = [r for r in plan.sheets[0].rows if r[3] == BAD]
        assert bad[:3] == ("坐标系 Coordinate system", "utm50n", "wgs84")
        assert "wgs84、gcj02 或 bd09" in bad[4] and "must be wgs84, gcj02 or bd09" in bad[4]
