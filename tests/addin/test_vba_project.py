"""PROJECT-stream encryption against a project written by Excel (xlwings' quickstart add-in)."""

from __future__ import annotations

import io
import os
import zipfile

import olefile
import pytest
from addrkit.addin.vba_project import (
    ModuleKind,
    VbaModule,
    build_vba_project,
    decrypt_project_data,
    encrypt_project_data,
)


def _excel_project_stream() -> str:
    import xlwings

    path = os.path.join(os.path.dirname(xlwings.__file__), "quickstart_addin.xlam")
    blob = zipfile.ZipFile(path).read("xl/vbaProject.bin")
    return olefile.OleFileIO(io.BytesIO(blob)).openstream("PROJECT").read().decode("cp1252")


def _values(text: str) -> dict[str, str]:
    return dict(
        line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("&")
    )


def test_decrypts_what_excel_wrote():
    values = _values(_excel_project_stream())
    key = sum(values["ID"].strip('"').encode()) & 0xFF
    assert decrypt_project_data(values["CMG"].strip('"'), key) == bytes(4)  # not protected
    assert decrypt_project_data(values["DPB"].strip('"'), key) == b"\x00"  # no password
    assert decrypt_project_data(values["GC"].strip('"'), key) == b"\xff"  # visible


@pytest.mark.parametrize("seed", [0, 0x1C, 0x06, 0xFF])
def test_encryption_round_trips(seed):
    for data in (b"", b"\x00", bytes(range(40))):
        assert decrypt_project_data(encrypt_project_data(data, 0xA5, seed), 0xA5) == data


def test_our_project_stream_decrypts_to_unprotected_and_visible():
    module = VbaModule("M", ModuleKind.STANDARD, 'Attribute VB_Name = "M"\nSub A()\nEnd Sub\n')
    blob = build_vba_project("P", [module])
    text = olefile.OleFileIO(io.BytesIO(blob)).openstream("PROJECT").read().decode("cp1252")
    values = _values(text)
    key = sum(values["ID"].strip('"').encode()) & 0xFF
    assert decrypt_project_data(values["GC"].strip('"'), key) == b"\xff"
    assert "Module=M" in text and 'Name="P"' in text


def test_module_without_its_name_attribute_is_refused():
    with pytest.raises(ValueError, match="VB_Name"):
        build_vba_project("P", [VbaModule("M", ModuleKind.STANDARD, "Sub A()\nEnd Sub\n")])
