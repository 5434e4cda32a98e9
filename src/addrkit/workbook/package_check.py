"""Look at a workbook file before openpyxl unpacks it, and name what is wrong with it.

A file handed to ``addrkit run`` may be a password-protected workbook (Excel stores it
as an OLE container, not a zip), an old .xls or a CSV renamed to .xlsx, a zip whose
entries are encrypted, a truncated download, or a hostile file: a zip bomb (a few MB
that inflate to many GB) or XML declaring entities (the "billion laughs"). Each gets
its own message, in bounded time and memory: only the zip directory and the first
bytes of each XML part are read here.

The declared sizes in the zip directory are trusted as bounds because Python's zip
reader never returns more bytes than an entry declares.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from ..errors import EncryptedWorkbookError, UnsafeWorkbookError, WorkbookError

__all__ = [
    "check_package",
    "MAX_UNPACKED_BYTES",
    "MAX_RATIO",
    "MAX_COLUMNS",
    "too_wide_message",
    "find_column_past_limit",
]

MAX_UNPACKED_BYTES = 6 << 30  # a full 1,048,576-row customer sheet unpacks to ~1-2 GB
RATIO_FLOOR = 64 << 20  # entries smaller than this are never refused for their ratio
MAX_RATIO = 200  # real sheet XML deflates 5-40x; a bomb of one repeated byte ~1000x
MAX_COLUMNS = 16_384  # Excel's last column, XFD
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_HEAD = 4096  # a DOCTYPE comes before the root element, within the first bytes
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{3,})\d+"')


def _ole_kind(path: Path) -> str:
    """'encrypted' for an Office-encrypted OOXML package, else 'xls'."""
    import olefile  # oletools' dependency: reads the compound file's directory only

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return "encrypted"
    except Exception:  # noqa: BLE001 - a damaged container is reported as an .xls
        pass
    return "xls"


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    for encoding in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        first = text.split("\n", 1)[0]
        # A CSV or tab-separated export: text lines, the first with a delimiter.
        return "\n" in text and any(d in first for d in ",;\t") and printable >= 0.95 * len(text)
    return False


def check_package(path: str | os.PathLike) -> None:
    """Refuse a file openpyxl should not open, with a message a person can act on.

    Raises
    ------
    EncryptedWorkbookError
        Password-protected (Office encryption) or zip-encrypted entries.
    UnsafeWorkbookError
        Inflates past `MAX_UNPACKED_BYTES` or by more than `MAX_RATIO`, or declares XML
        entities.
    WorkbookError
        Not a workbook at all: an .xls, a CSV or text file, a truncated or damaged zip.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "list.xlsx"
    >>> _ = p.write_text("name,address\\n")
    >>> check_package(p)
    Traceback (most recent call last):
    ...
    addrkit.errors.WorkbookError: 这是 CSV/文本文件，不是 .xlsx 工作簿 ...
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(_HEAD)
    name = path.name
    if head.startswith(_OLE_MAGIC):
        if _ole_kind(path) == "encrypted":
            raise EncryptedWorkbookError(
                f"工作簿设有打开密码，addrkit 无法读取：请在 Excel 中打开后取消密码"
                f"（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空）再另存一份 / "
                f"{name} is password-protected (encrypted): remove the password in Excel "
                f"(File → Info → Protect Workbook → Encrypt with Password, clear it) and save a copy"
            )
        raise WorkbookError(
            f"这是旧版 .xls 工作簿（只是改了扩展名）：请在 Excel 中 另存为 .xlsx / "
            f"{name} is an old binary .xls workbook renamed to {path.suffix}: open it in "
            f"Excel and use Save As → Excel Workbook (.xlsx)"
        )
    if not head.startswith(b"PK"):
        if _looks_like_text(head):
            raise WorkbookError(
                f"这是 CSV/文本文件，不是 .xlsx 工作簿 ... 请在 Excel 中打开并另存为 .xlsx，"
                f"或用 addrkit dedupe/parse 处理 CSV / {name} is a CSV or text file, not an .xlsx "
                f"workbook: open it in Excel and Save As .xlsx, or use addrkit dedupe / parse for CSV"
            )
        raise WorkbookError(
            f"无法读取工作簿（文件不是有效的 .xlsx，可能已损坏或不完整）/ Cannot read workbook "
            f"{path}: not a valid .xlsx file, it may be damaged or truncated"
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise WorkbookError(
            f"无法读取工作簿（文件不是有效的 .xlsx，可能已损坏或不完整）/ Cannot read workbook "
            f"{path}: not a valid .xlsx file, it may be damaged or truncated ({err})"
        ) from err
    with archive:
        _check_entries(archive, path)


def _check_entries(archive: zipfile.ZipFile, path: Path) -> None:
    infos = archive.infolist()
    if any(info.flag_bits & 0x1 for info in infos):
        raise EncryptedWorkbookError(
            f"工作簿的压缩包内容已加密（用压缩软件设了密码），addrkit 无法读取：请先解除加密 / "
            f"{path.name} is a zip with encrypted entries (a password set by a zip tool, not by "
            f"Excel): save an unencrypted copy first"
        )
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise UnsafeWorkbookError(
                f"工作簿解压后过大（{info.filename} 压缩比 {ratio:,.0f}:1），疑似压缩炸弹，已拒绝 / "
                f"{path.name} is too large when unpacked: {info.filename} inflates {ratio:,.0f} "
                f"times (limit {MAX_RATIO}); refused as a possible zip bomb"
            )
    if total > MAX_UNPACKED_BYTES:
        raise UnsafeWorkbookError(
            f"工作簿解压后过大（{total / (1 << 30):.1f} GB，上限 {MAX_UNPACKED_BYTES >> 30} GB）/ "
            f"{path.name} is too large when unpacked: {total / (1 << 30):.1f} GB, more than the "
            f"{MAX_UNPACKED_BYTES >> 30} GB limit; split the sheet or use CSV with addrkit parse"
        )
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as part:
                head = part.read(_HEAD)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
            raise WorkbookError(
                f"无法读取工作簿（文件已损坏或不完整）/ Cannot read workbook {path}: it is damaged "
                f"or truncated ({info.filename}: {err})"
            ) from err
        if _DTD.search(head):
            raise UnsafeWorkbookError(
                f"工作簿含有 XML 实体声明（Excel 不会写入），可能是恶意文件，已拒绝 / {path.name} "
                f"declares XML entities in {info.filename} (Excel never writes them); refused as "
                f"a possible entity bomb"
            )


def too_wide_message(path: Path, columns: int) -> str:
    return (
        f"工作表超过 Excel 的 16,384 列（XFD）：{columns:,} 列 / {path.name} has a sheet "
        f"{columns:,} columns wide, more than Excel's 16,384 (column XFD); it was not written "
        f"by Excel and cannot be read safely"
    )


def find_column_past_limit(path: Path) -> int | None:
    """The first column number past `MAX_COLUMNS` a worksheet part uses, or None.

    Called only after openpyxl failed, so normal files never pay for the scan; the
    part sizes were bounded by `check_package`.
    """

    def index(letters: str) -> int:
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        return n

    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                    continue
                with archive.open(name) as part:
                    tail = b""
                    while chunk := part.read(1 << 22):
                        data = tail + chunk
                        for match in _CELL_REF.finditer(data):
                            col = index(match.group(1).decode())
                            if col > MAX_COLUMNS:
                                return col
                        tail = data[-64:]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None
