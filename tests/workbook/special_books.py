"""Real files of the kinds a customer brings that plain .xlsx tests never see.

A macro-enabled workbook with a real VBA project (built by the add-in's own VBA writer),
an Office-encrypted workbook (msoffcrypto-tool, the format Excel writes for "Encrypt with
password"), a zip with encrypted entries, a zip bomb and an XML entity bomb.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from addrkit.addin.vba_project import ModuleKind, VbaModule, build_vba_project

from .books import make_book

XLSM_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_DOC_BASE = "0{00020819-0000-0000-C000-000000000046}"
_SHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_DOC_ATTRS = [
    "Attribute VB_GlobalNameSpace = False",
    "Attribute VB_Creatable = False",
    "Attribute VB_PredeclaredId = True",
    "Attribute VB_Exposed = True",
    "Attribute VB_TemplateDerived = False",
    "Attribute VB_Customizable = True",
]


def vba_modules() -> list[VbaModule]:
    """Six modules, as a real customer book has: two document modules, four standard ones."""
    modules = [
        VbaModule(
            "ThisWorkbook",
            ModuleKind.DOCUMENT,
            "\n".join(
                ['Attribute VB_Name = "ThisWorkbook"', f'Attribute VB_Base = "{_DOC_BASE}"']
                + _DOC_ATTRS
                + ["Private Sub Workbook_Open()", "    Module1.Hello", "End Sub", ""]
            ),
        ),
        VbaModule(
            "Sheet1",
            ModuleKind.DOCUMENT,
            "\n".join(
                ['Attribute VB_Name = "Sheet1"', f'Attribute VB_Base = "{_SHEET_BASE}"']
                + _DOC_ATTRS
                + [""]
            ),
        ),
    ]
    for i in range(1, 5):
        modules.append(
            VbaModule(
                f"Module{i}",
                ModuleKind.STANDARD,
                f'Attribute VB_Name = "Module{i}"\nPublic Sub Hello{i}()\n'
                f'    MsgBox "customer macro {i}"\nEnd Sub\n',
            )
        )
    return modules


def make_xlsm(path: Path, **book) -> Path:
    """The test customer book saved as .xlsm with a six-module VBA project."""
    plain = make_book(path.with_suffix(".plain.xlsx"), **book)
    src = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                text = data.decode().replace(XLSX_TYPE, XLSM_TYPE)
                text = text.replace(
                    "<Default ",
                    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    "<Default ",
                    1,
                )
                data = text.encode()
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.decode().replace(
                    "</Relationships>",
                    f'<Relationship Id="rIdVba" Type="{VBA_REL}" Target="vbaProject.bin"/>'
                    "</Relationships>",
                ).encode()
            elif item.filename == "xl/workbook.xml":
                data = re.sub(
                    rb"<workbookPr(\s[^>]*)?/>", rb'<workbookPr codeName="ThisWorkbook"\1/>', data,
                    count=1,
                )
            elif item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(
                    rb"<sheetPr(\s[^>]*)?>", rb'<sheetPr codeName="Sheet1"\1>', data, count=1
                )
            dst.writestr(item, data)
        dst.writestr("xl/vbaProject.bin", build_vba_project("CustomerBook", vba_modules()))
    src.close()
    plain.unlink()
    path.write_bytes(out.getvalue())
    return path


def vba_module_names(path: Path) -> list[str]:
    """Module names olevba reads back from a file (empty when it has no VBA)."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        if not parser.detect_vba_macros():
            return []
        return sorted({name for _, _, name, _ in parser.extract_macros()})
    finally:
        parser.close()


def content_types(path: Path) -> str:
    return zipfile.ZipFile(path).read("[Content_Types].xml").decode()


def make_encrypted(path: Path, password: str = "secret") -> Path:
    """The test customer book encrypted as Excel encrypts it (OLE container, agile)."""
    import msoffcrypto.format.ooxml  # noqa: F401 - imported to fail early when missing

    plain = make_book(path.with_suffix(".plain.xlsx"))
    done = subprocess.run(
        [sys.executable, "-m", "msoffcrypto", "-e", "-p", password, str(plain), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    plain.unlink()
    assert done.returncode == 0, done.stderr
    return path


def make_zip_encrypted(path: Path) -> Path:
    """A zip whose entries carry the "encrypted" flag (what zip -e gives): Python cannot read them."""
    plain = make_book(path.with_suffix(".plain.xlsx"))
    data = bytearray(plain.read_bytes())
    plain.unlink()
    # Set general-purpose flag bit 0 (encrypted) in every local and central header.
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := data.find(sig, start)) != -1:
            data[at + offset] |= 0x01
            start = at + 4
    path.write_bytes(bytes(data))
    return path


def make_zip_bomb(path: Path, size: int = 2 << 30) -> Path:
    """A small .xlsx whose sheet part inflates to `size` bytes of one repeated byte."""
    plain = make_book(path.with_suffix(".plain.xlsx"))
    src = zipfile.ZipFile(plain)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item.filename))
                continue
            with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                block = b" " * (1 << 20)
                for _ in range(size // len(block)):
                    part.write(block)
    src.close()
    plain.unlink()
    return path


def make_entity_bomb(path: Path) -> Path:
    """A workbook whose customer sheet defines a billion-laughs entity and uses it in a cell."""
    plain = make_book(path.with_suffix(".plain.xlsx"))
    src = zipfile.ZipFile(plain)
    dtd = (
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + "]>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                assert "<t>C1</t>" in text
                text = text.replace("<t>C1</t>", "<t>&j;</t>", 1)
                at = text.index("<worksheet")
                data = (text[:at] + dtd + text[at:]).encode()
            dst.writestr(item, data)
    src.close()
    plain.unlink()
    return path


def make_wide(path: Path, last_column: str = "EQXD") -> Path:
    """A workbook with a header row 16,384 cells wide and one cell at column 100,000 (EQXD)."""
    from openpyxl.utils import get_column_letter

    plain = make_book(path.with_suffix(".plain.xlsx"))
    src = zipfile.ZipFile(plain)
    parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    src.close()
    plain.unlink()
    cells = "".join(
        f'<c r="{get_column_letter(c)}40" t="inlineStr"><is><t>h{c}</t></is></c>'
        for c in range(1, 16385)
    )
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    end = sheet.index("</sheetData>")
    row = f'<row r="40">{cells}<c r="{last_column}40"><v>1</v></c></row>'
    sheet = sheet[:end] + row + sheet[end:]
    parts["xl/worksheets/sheet1.xml"] = re.sub(r"<dimension [^>]*/>", "", sheet).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path
