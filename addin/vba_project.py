"""Write ``vbaProject.bin`` from VBA module sources ([MS-OVBA] section 2).

A VBA project storage holds:

- ``PROJECT`` — text: the project's identity, its modules and protection state;
- ``PROJECTwm`` — module names in the code page and in UTF-16;
- ``VBA/dir`` — compressed binary records: project information, references, modules;
- ``VBA/_VBA_PROJECT`` — seven bytes whose version 0xFFFF tells Office to compile
  the project from source instead of trusting a cached compiled form;
- ``VBA/<module>`` — each module's source, compressed.

Everything is derived from the inputs: the same modules give the same bytes.
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from .cfb import write_compound_file
from .ovba_compression import compress

__all__ = [
    "ModuleKind",
    "VbaModule",
    "VbaReference",
    "DEFAULT_REFERENCES",
    "build_vba_project",
    "encrypt_project_data",
    "decrypt_project_data",
]

CODE_PAGE = 1252  # Western: module sources are kept ASCII, so any Excel reads them alike
_LCID = 0x0409


class ModuleKind(Enum):
    """How a module appears in the PROJECT stream (``Module=``, ``Class=``, ``Document=``)."""

    STANDARD = "Module"
    CLASS = "Class"
    DOCUMENT = "Document"


@dataclass(frozen=True, slots=True)
class VbaModule:
    """One VBA module: its name, kind and full source including ``Attribute`` lines."""

    name: str
    kind: ModuleKind
    source: str

    def encoded_source(self) -> bytes:
        """The source as stored: CRLF line ends, in the project's code page."""
        text = self.source.replace("\r\n", "\n").replace("\n", "\r\n")
        if not text.startswith(f'Attribute VB_Name = "{self.name}"'):
            raise ValueError(f"module {self.name!r} must start with its VB_Name attribute")
        return text.encode(f"cp{CODE_PAGE}")


@dataclass(frozen=True, slots=True)
class VbaReference:
    """A registered type library the project references (``libid`` per [MS-OVBA] 2.1.1.8)."""

    name: str
    libid: str


# Office resolves a library by its GUID and version; the path is a hint it corrects.
DEFAULT_REFERENCES = (
    VbaReference(
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation",
    ),
    # The Office library declares IRibbonControl, which ribbon callbacks take.
    VbaReference(
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files"
        r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
)


def build_vba_project(
    project_name: str,
    modules: Sequence[VbaModule],
    references: Sequence[VbaReference] = DEFAULT_REFERENCES,
) -> bytes:
    """Build a complete ``vbaProject.bin``.

    Parameters
    ----------
    project_name : str
        The VBA project name (shown in the VBA editor), ASCII.
    modules : sequence of VbaModule
        Every module, in the order the editor lists them.
    references : sequence of VbaReference
        Type libraries the code uses.

    Returns
    -------
    bytes
        A compound file with the ``PROJECT``, ``PROJECTwm`` and ``VBA/*`` streams.

    Examples
    --------
    >>> src = 'Attribute VB_Name = "Hello"\\nSub Hi()\\nEnd Sub\\n'
    >>> blob = build_vba_project("Demo", [VbaModule("Hello", ModuleKind.STANDARD, src)])
    >>> blob[:8].hex()
    'd0cf11e0a1b11ae1'
    """
    names = [m.name for m in modules]
    if len(set(n.upper() for n in names)) != len(names):
        raise ValueError(f"module names must be unique: {names}")
    streams = {
        "PROJECT": _project_stream(project_name, modules),
        "PROJECTwm": _project_wm_stream(modules),
        "VBA/_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000),
        "VBA/dir": compress(_dir_stream(project_name, modules, references)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(module.encoded_source())
    return write_compound_file(streams)


def _mbcs(text: str) -> bytes:
    return text.encode(f"cp{CODE_PAGE}")


def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _dir_stream(
    project_name: str, modules: Sequence[VbaModule], references: Sequence[VbaReference]
) -> bytes:
    out = bytearray()
    # PROJECTINFORMATION ([MS-OVBA] 2.3.4.2.1)
    out += _record(0x0001, struct.pack("<I", 1))  # SysKind: 32-bit Windows
    out += _record(0x0002, struct.pack("<I", _LCID))
    out += _record(0x0014, struct.pack("<I", _LCID))  # LcidInvoke
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))
    out += _record(0x0004, _mbcs(project_name))
    out += _record(0x0005, b"") + _record(0x0040, b"")  # doc string, MBCS + Unicode
    out += _record(0x0006, b"") + _record(0x003D, b"")  # help file 1 and 2
    out += _record(0x0007, struct.pack("<I", 0))  # help context
    out += _record(0x0008, struct.pack("<I", 0))  # lib flags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version: Reserved=4, major, minor
    out += _record(0x000C, b"") + _record(0x003C, b"")  # conditional-compilation constants
    # PROJECTREFERENCES (2.3.4.2.2)
    for ref in references:
        out += _record(0x0016, _mbcs(ref.name)) + _record(0x003E, ref.name.encode("utf-16-le"))
        libid = _mbcs(ref.libid)
        registered = struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0)
        out += _record(0x000D, registered)
    # PROJECTMODULES (2.3.4.2.3)
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # project cookie
    for module in modules:
        out += _record(0x0019, _mbcs(module.name))
        out += _record(0x0047, module.name.encode("utf-16-le"))
        out += _record(0x001A, _mbcs(module.name)) + _record(
            0x0032, module.name.encode("utf-16-le")
        )
        out += _record(0x001C, b"") + _record(0x0048, b"")  # module doc string
        out += _record(0x0031, struct.pack("<I", 0))  # source starts at offset 0: no p-code
        out += _record(0x001E, struct.pack("<I", 0))  # help context
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # module cookie
        kind_id = 0x0021 if module.kind is ModuleKind.STANDARD else 0x0022
        out += _record(kind_id, b"")
        out += _record(0x002B, b"")  # module terminator
    out += _record(0x0010, b"")  # dir terminator
    return bytes(out)


def _project_id(project_name: str, modules: Sequence[VbaModule]) -> str:
    # A stable identity: the same project name and module names give the same GUID.
    seed = project_name + "|" + "|".join(m.name for m in modules)
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "addrkit-vba:" + seed)).upper() + "}"


def _project_stream(project_name: str, modules: Sequence[VbaModule]) -> bytes:
    project_id = _project_id(project_name, modules)
    lines = [f'ID="{project_id}"']
    for module in modules:
        suffix = "/&H00000000" if module.kind is ModuleKind.DOCUMENT else ""
        lines.append(f"{module.kind.value}={module.name}{suffix}")
    key = _project_key(project_id)
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        # Protection state, password and visibility ([MS-OVBA] 2.3.1.15-17): none, none, visible.
        f'CMG="{encrypt_project_data(_NOT_PROTECTED, key)}"',
        f'DPB="{encrypt_project_data(_NO_PASSWORD, key)}"',
        f'GC="{encrypt_project_data(_VISIBLE, key)}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
    ]
    return _mbcs("\r\n".join(lines) + "\r\n")


def _project_wm_stream(modules: Sequence[VbaModule]) -> bytes:
    out = bytearray()
    for module in modules:
        out += _mbcs(module.name) + b"\x00" + module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def _project_key(project_id: str) -> int:
    return sum(_mbcs(project_id)) & 0xFF


_NOT_PROTECTED = bytes(4)  # ProjectProtectionState: no lock of any kind
_NO_PASSWORD = b"\x00"
_VISIBLE = b"\xff"
_SEED = 0x1C  # any byte is valid; a fixed one keeps builds reproducible
_VERSION = 2


def encrypt_project_data(data: bytes, project_key: int, seed: int = _SEED) -> str:
    """Encrypt a PROJECT-stream value ([MS-OVBA] 2.4.3.2), returned as upper-case hex.

    Examples
    --------
    >>> decrypt_project_data(encrypt_project_data(b"\\xff", 0xE7), 0xE7)
    b'\\xff'
    """
    out = bytearray([seed, seed ^ _VERSION, seed ^ project_key])
    unencrypted_1, encrypted_1, encrypted_2 = project_key, out[2], out[1]
    ignored = b"\x00" * ((seed & 6) // 2)
    for byte in ignored + struct.pack("<I", len(data)) + data:
        encrypted = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(encrypted)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, encrypted, byte
    return out.hex().upper()


def decrypt_project_data(hex_text: str, project_key: int | None = None) -> bytes:
    """Decrypt a PROJECT-stream value ([MS-OVBA] 2.4.3.3); checks the version and key."""
    raw = bytes.fromhex(hex_text)
    seed = raw[0]
    if raw[1] ^ seed != _VERSION:
        raise ValueError("not an MS-OVBA encrypted value (bad version byte)")
    key = raw[2] ^ seed
    if project_key is not None and key != project_key:
        raise ValueError("encrypted value belongs to another project")
    unencrypted_1, encrypted_1, encrypted_2 = key, raw[2], raw[1]
    plain = bytearray()
    for encrypted in raw[3:]:
        byte = encrypted ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, encrypted, byte
    ignored = (seed & 6) // 2
    length = struct.unpack("<I", plain[ignored : ignored + 4])[0]
    data = bytes(plain[ignored + 4 :])
    if len(data) != length:
        raise ValueError("encrypted value has the wrong length")
    return data
