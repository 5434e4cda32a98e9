"""A minimal writer of Compound File Binary files ([MS-CFB], version 3).

``vbaProject.bin`` is a compound file: a small file system of *storages* (folders)
and *streams* (files) inside one file of 512-byte sectors. This writer builds one
in a single pass from a mapping of stream paths to bytes. It writes nothing that
varies between runs (no timestamps, no random identifiers), so the same streams
always give the same bytes.

Layout: header, FAT sectors, directory sectors, mini FAT sectors, the mini
stream (holding every stream smaller than 4096 bytes in 64-byte mini sectors),
then the large streams. Up to 109 FAT sectors are addressed from the header,
which covers files of about 7 MB — far beyond any VBA project.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["write_compound_file"]

SECTOR = 512
MINI_SECTOR = 64
MINI_STREAM_CUTOFF = 4096
_HEADER_DIFAT_SLOTS = 109
_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    index: int = 0
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    color: int = _BLACK
    start: int = _ENDOFCHAIN


def write_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """Build a compound file holding ``streams``.

    Parameters
    ----------
    streams : Mapping[str, bytes]
        Stream paths (``"VBA/dir"``; ``/`` separates storages) to their contents.
        Storages are created for every folder named in a path.

    Returns
    -------
    bytes
        The whole compound file.

    Examples
    --------
    >>> import io, olefile
    >>> blob = write_compound_file({"PROJECT": b"x", "VBA/dir": b"y" * 5000})
    >>> sorted("/".join(p) for p in olefile.OleFileIO(io.BytesIO(blob)).listdir())
    ['PROJECT', 'VBA/dir']
    """
    root = _Entry("Root Entry", _ROOT)
    for path, data in sorted(streams.items()):  # sorted: insertion order must not matter
        *folders, leaf = path.split("/")
        node = root
        for folder in folders:
            node = node.children.setdefault(folder, _Entry(folder, _STORAGE))
        node.children[leaf] = _Entry(leaf, _STREAM, bytes(data))

    entries = _number_entries(root)
    for entry in entries:
        if entry.children:
            entry.child = _link_siblings(list(entry.children.values()))

    small = [e for e in entries if e.kind == _STREAM and len(e.data) < MINI_STREAM_CUTOFF]
    large = [e for e in entries if e.kind == _STREAM and len(e.data) >= MINI_STREAM_CUTOFF]

    mini_stream, mini_fat = bytearray(), []
    for entry in small:
        if not entry.data:
            continue  # an empty stream owns no sector
        entry.start = len(mini_stream) // MINI_SECTOR
        count = _sectors(len(entry.data), MINI_SECTOR)
        mini_fat += [entry.start + i + 1 for i in range(count - 1)] + [_ENDOFCHAIN]
        mini_stream += entry.data.ljust(count * MINI_SECTOR, b"\x00")

    directory = b"".join(_pack_entry(e, len(mini_stream)) for e in entries)
    directory_sectors = _sectors(len(directory), SECTOR)
    mini_fat_sectors = _sectors(len(mini_fat) * 4, SECTOR)
    mini_stream_sectors = _sectors(len(mini_stream), SECTOR)
    large_sectors = sum(_sectors(len(e.data), SECTOR) for e in large)
    others = directory_sectors + mini_fat_sectors + mini_stream_sectors + large_sectors
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < fat_sectors + others:
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT_SLOTS:
        raise ValueError("compound file too large for this writer (over about 7 MB)")

    fat: list[int] = [_FATSECT] * fat_sectors

    def allocate(count: int) -> int:
        first = len(fat)
        fat.extend(first + i + 1 for i in range(count - 1))
        fat.append(_ENDOFCHAIN)
        return first

    directory_start = allocate(directory_sectors)
    mini_fat_start = allocate(mini_fat_sectors) if mini_fat_sectors else _ENDOFCHAIN
    root.start = allocate(mini_stream_sectors) if mini_stream_sectors else _ENDOFCHAIN
    for entry in large:
        entry.start = allocate(_sectors(len(entry.data), SECTOR))
    # Positions are known only now: pack the directory again with the real start sectors.
    directory = b"".join(_pack_entry(e, len(mini_stream)) for e in entries)

    header = _pack_header(fat_sectors, directory_start, mini_fat_start, mini_fat_sectors)
    body = [
        _pad(struct.pack(f"<{len(fat)}I", *fat), fat_sectors * SECTOR, b"\xff"),
        _pad(directory, directory_sectors * SECTOR, _UNUSED_ENTRY),
        _pad(struct.pack(f"<{len(mini_fat)}I", *mini_fat), mini_fat_sectors * SECTOR, b"\xff"),
        _pad(bytes(mini_stream), mini_stream_sectors * SECTOR),
    ]
    body += [_pad(e.data, _sectors(len(e.data), SECTOR) * SECTOR) for e in large]
    return header + b"".join(body)


def _sectors(size: int, sector: int) -> int:
    return -(-size // sector)


def _pad(data: bytes, size: int, filler: bytes = b"\x00") -> bytes:
    missing = size - len(data)
    return data + (filler * (missing // len(filler) + 1))[:missing]


def _number_entries(root: _Entry) -> list[_Entry]:
    """Every entry, root first, breadth-first; sets each entry's directory index."""
    ordered = [root]
    for entry in ordered:  # grows while iterating: breadth-first walk
        ordered.extend(entry.children.values())
    for index, entry in enumerate(ordered):
        entry.index = index
    return ordered


def _sort_key(entry: _Entry) -> tuple[int, str]:
    # [MS-CFB] 2.6.4: shorter names first, then code-point order of the upper-cased names.
    return (len(entry.name.encode("utf-16-le")), entry.name.upper())


def _link_siblings(siblings: list[_Entry]) -> int:
    """Arrange siblings as a balanced red-black tree; return the root's index.

    A tree split at the middle has all its leaves on the last two levels; colouring
    the nodes of an incomplete last level red keeps every path's black count equal.
    """
    siblings.sort(key=_sort_key)
    depth_of: dict[int, int] = {}

    def build(items: list[_Entry], depth: int) -> int:
        if not items:
            return _NOSTREAM
        middle = len(items) // 2
        node = items[middle]
        depth_of[node.index] = depth
        node.left = build(items[:middle], depth + 1)
        node.right = build(items[middle + 1 :], depth + 1)
        return node.index

    top = build(siblings, 0)
    deepest = max(depth_of.values())
    complete = len(siblings) == 2 ** (deepest + 1) - 1
    for node in siblings:
        node.color = _RED if depth_of[node.index] == deepest and not complete else _BLACK
    return top


def _pack_entry(entry: _Entry, mini_stream_size: int) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\x00\x00"
    if len(name) > 64:
        raise ValueError(f"compound file names hold at most 31 characters: {entry.name!r}")
    size = mini_stream_size if entry.kind == _ROOT else len(entry.data)
    start = entry.start if (entry.kind == _ROOT or entry.data) else _ENDOFCHAIN
    if entry.kind == _STORAGE:
        start, size = 0, 0
    return struct.pack(
        "<64sHBBIII16sI8s8sIQ",
        name,
        len(name),
        entry.kind,
        entry.color,
        entry.left,
        entry.right,
        entry.child,
        b"\x00" * 16,  # CLSID
        0,  # state bits
        b"\x00" * 8,  # creation time: left empty so builds are reproducible
        b"\x00" * 8,  # modification time
        start,
        size,
    )


_UNUSED_ENTRY = struct.pack(
    "<64sHBBIII16sI8s8sIQ",
    b"",
    0,
    0,
    0,
    _NOSTREAM,
    _NOSTREAM,
    _NOSTREAM,
    b"\x00" * 16,
    0,
    b"\x00" * 8,
    b"\x00" * 8,
    0,
    0,
)


def _pack_header(
    fat_sectors: int, directory_start: int, mini_fat_start: int, mini_fat_sectors: int
) -> bytes:
    difat = list(range(fat_sectors)) + [_FREESECT] * (_HEADER_DIFAT_SLOTS - fat_sectors)
    return struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        _SIGNATURE,
        b"\x00" * 16,
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # little-endian byte order mark
        9,  # sector shift: 2**9 = 512
        6,  # mini sector shift: 2**6 = 64
        b"\x00" * 6,
        0,  # directory sector count (must be 0 in version 3)
        fat_sectors,
        directory_start,
        0,  # transaction signature
        MINI_STREAM_CUTOFF,
        mini_fat_start,
        mini_fat_sectors,
        _ENDOFCHAIN,  # no DIFAT sectors
        0,
        *difat,
    )
