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
