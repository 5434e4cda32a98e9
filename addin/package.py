"""The ``.xlam`` file: an Office Open XML package (a zip of XML parts) with VBA and a ribbon.

Parts: the workbook (content type of a macro-enabled add-in), one hidden-by-design
worksheet, styles, document properties, ``xl/vbaProject.bin`` and
``customUI/customUI14.xml`` (linked from the package relationships with the
Office 2010 ribbon relationship type). Entries carry a fixed timestamp and order,
so the same parts always give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from xml.sax.saxutils import escape

__all__ = [
    "ADDIN_CONTENT_TYPE",
    "RIBBON_RELATIONSHIP",
    "VBA_RELATIONSHIP",
    "SHEET_CODE_NAME",
    "xlam_bytes",
]

ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
SHEET_CODE_NAME = "Sheet1"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _relationships(rels: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels
    )
    return f'{_XML}<Relationships xmlns="{_PKG_R}">{items}</Relationships>'


def _parts(
    vba_project: bytes, customui: str, title: str, description: str
) -> Mapping[str, bytes | str]:
    overrides = {
        "/xl/workbook.xml": ADDIN_CONTENT_TYPE,
        "/xl/worksheets/sheet1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
        "/xl/styles.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    content_types = (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Default Extension="bin" ContentType="{VBA_CONTENT_TYPE}"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in overrides.items())
        + "</Types>"
    )
    return {
        "[Content_Types].xml": content_types,
        "_rels/.rels": _relationships(
            [
                ("rId1", f"{_R}/officeDocument", "xl/workbook.xml"),
                ("rId2", f"{_PKG_R}/metadata/core-properties", "docProps/core.xml"),
                ("rId3", f"{_R}/extended-properties", "docProps/app.xml"),
                ("rId4", RIBBON_RELATIONSHIP, "customUI/customUI14.xml"),
            ]
        ),
        "docProps/core.xml": (
            f"{_XML}<cp:coreProperties"
            ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(title)}</dc:title><dc:description>{escape(description)}</dc:description>"
            "</cp:coreProperties>"
        ),
        "docProps/app.xml": (
            f"{_XML}<Properties"
            ' xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>Microsoft Excel</Application></Properties>"
        ),
        "xl/workbook.xml": (
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_R}">'
            '<workbookPr codeName="ThisWorkbook"/>'
            '<sheets><sheet name="addrkit" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": _relationships(
            [
                ("rId1", f"{_R}/worksheet", "worksheets/sheet1.xml"),
                ("rId2", f"{_R}/styles", "styles.xml"),
                ("rId3", VBA_RELATIONSHIP, "vbaProject.bin"),
            ]
        ),
        "xl/worksheets/sheet1.xml": (
            f'{_XML}<worksheet xmlns="{_MAIN}"><sheetPr codeName="{SHEET_CODE_NAME}"/>'
            "<sheetData/></worksheet>"
        ),
        "xl/styles.xml": (
            f'{_XML}<styleSheet xmlns="{_MAIN}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="1"><xf xfId="0"/></cellXfs></styleSheet>'
        ),
        "xl/vbaProject.bin": vba_project,
        "customUI/customUI14.xml": customui,
    }


def xlam_bytes(vba_project: bytes, customui: str, *, title: str, description: str) -> bytes:
    """Assemble the add-in package.

    Examples
    --------
    >>> blob = xlam_bytes(b"", "<customUI/>", title="t", description="d")
    >>> sorted(zipfile.ZipFile(io.BytesIO(blob)).namelist())[:2]
    ['[Content_Types].xml', '_rels/.rels']
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in _parts(vba_project, customui, title, description).items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()
