"""One zip entry deflated in pieces by several processes, joined without inflating.

A million-row customer sheet is about a gigabyte of XML; deflating it is a third of
the time `addrkit run` spends saving. Forked workers already make the sheet's rows in
pieces (`streaming._sheet_rows`); here each worker also deflates its own piece, so the
parent only copies the compressed bytes into the zip.

Deflate streams join: a raw deflate stream flushed with ``Z_SYNC_FLUSH`` ends on a byte
boundary without a final block, so another stream started by a fresh compressor (one
that refers to nothing before it) may follow it directly; the last one ends with
``Z_FINISH``. The zip entry's CRC-32 is the pieces' CRCs combined (`crc32_combine`),
its size their sum. Where the zip writer is not the one this relies on (another Python's
`zipfile` internals, a stored entry), a piece is inflated and written as plain bytes:
slower, the same file.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from typing import BinaryIO
from zipfile import ZIP_DEFLATED

try:  # ISA-L's deflate: the same format, about 3.5 times zlib's speed at level 1 (and smaller)
    from isal import isal_zlib as _isal_zlib
except ImportError:  # a platform without its wheels: zlib, slower, the same file format
    _isal_zlib = None

__all__ = [
    "DeflatedPiece",
    "crc32_combine",
    "deflate_piece",
    "open_entry",
    "raw_compressor",
    "use_fast_deflate",
    "write_piece",
]

_TRAILER = struct.Struct("<QI")  # after a piece's deflated bytes: its plain size, its CRC-32
_READ = 1 << 22
_CRC32_POLYNOMIAL = 0xEDB88320  # reflected, as zlib's crc32


def _gf2_times(matrix: list[int], vector: int) -> int:
    total = 0
    row = 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of ``a + b`` from ``crc32(a)``, ``crc32(b)`` and ``len(b)``.

    CRC-32 is linear over GF(2): appending ``length2`` zero bytes to ``a`` multiplies its
    CRC by a 32×32 bit matrix, raised here to that power by repeated squaring (about 60
    small matrix products: microseconds, not a pass over the bytes). zlib has this
    function but Python's `zlib` module does not expose it.

    Examples
    --------
    >>> a, b = b"<row>1</row>", b"<row>2</row>"
    >>> crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)
    True
    """
    if length2 <= 0:
        return crc1
    # The operator for one zero bit, squared twice: four zero bits.
    operator = _gf2_square(_gf2_square([_CRC32_POLYNOMIAL] + [1 << n for n in range(31)]))
    # Squared again at each bit of length2: one zero byte, two, four ...; applied to crc1
    # where length2 has that bit.
    while length2:
        operator = _gf2_square(operator)
        if length2 & 1:
            crc1 = _gf2_times(operator, crc1)
        length2 >>= 1
    return crc1 ^ crc2


def raw_compressor(level: int | None):
    """A raw deflate compressor (as a zip entry's) at zlib's ``level`` (None: its default).

    Levels 1 to 3, the fast ones, are ISA-L's when python-isal is installed: a million-row
    sheet is a gigabyte of XML, and ISA-L deflates it five to six times as fast as zlib's
    level 1, into 4-5 % fewer bytes (benchmarks/sheet_part_speed.py, docs/benchmarks.md).
    Any deflate reader reads either.
    """
    if _isal_zlib is not None and level is not None and 1 <= level <= 3:
        return _isal_zlib.compressobj(level, _isal_zlib.DEFLATED, -zlib.MAX_WBITS)
    return zlib.compressobj(
        zlib.Z_DEFAULT_COMPRESSION if level is None else level, zlib.DEFLATED, -zlib.MAX_WBITS
    )


_COMPRESSORS = (type(zlib.compressobj()),) + (
    (type(_isal_zlib.compressobj()),) if _isal_zlib is not None else ()
)


def _level(out) -> int | None:
    zinfo = out._zinfo
    return getattr(zinfo, "compress_level", getattr(zinfo, "_compresslevel", None))


def use_fast_deflate(out) -> None:
    """Have ``out``, a zip entry just opened for writing, deflate through `raw_compressor`
    (nothing changes where the zip writer is not the one expected, see `write_piece`)."""
    if _joinable(out) and out._compress_size == 0 and out._file_size == 0:
        out._compressor = raw_compressor(_level(out))


def deflate_piece(chunks: Iterable[bytes], level: int) -> Iterator[bytes]:
    """``chunks`` deflated as a piece another stream can follow, then its trailer.

    Written by a worker to a file that `DeflatedPiece.read` opens in the parent.
    """
    compressor = raw_compressor(level)
    size = 0
    crc = 0
    for chunk in chunks:
        size += len(chunk)
        crc = zlib.crc32(chunk, crc)
        if deflated := compressor.compress(chunk):
            yield deflated
    yield compressor.flush(zlib.Z_SYNC_FLUSH) + _TRAILER.pack(size, crc)


class DeflatedPiece:
    """A piece of an entry made by `deflate_piece`: its deflated bytes in ``file``
    (the first ``length`` bytes), their plain ``size`` and ``crc``."""

    __slots__ = ("crc", "file", "length", "size")

    def __init__(self, file: BinaryIO, length: int, size: int, crc: int) -> None:
        self.file, self.length, self.size, self.crc = file, length, size, crc

    @classmethod
    def read(cls, file: BinaryIO) -> DeflatedPiece | None:
        """The piece in ``file`` (from its start), or None when the file holds none."""
        end = file.seek(0, 2)
        if end < _TRAILER.size:
            return None
        file.seek(end - _TRAILER.size)
        size, crc = _TRAILER.unpack(file.read(_TRAILER.size))
        file.seek(0)
        return cls(file, end - _TRAILER.size, size, crc)

    def chunks(self) -> Iterator[bytes]:
        """The deflated bytes, a few megabytes at a time."""
        self.file.seek(0)
        left = self.length
        while left > 0:
            data = self.file.read(min(_READ, left))
            if not data:
                raise EOFError("a deflated piece is shorter than its trailer says")
            left -= len(data)
            yield data

    def inflated(self) -> Iterator[bytes]:
        """The plain bytes, checked against the piece's size and CRC."""
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        size = 0
        crc = 0
        for data in self.chunks():
            plain = inflater.decompress(data)
            size += len(plain)
            crc = zlib.crc32(plain, crc)
            yield plain
        if (size, crc) != (self.size, self.crc):
            raise ValueError("a deflated piece does not inflate to what its trailer says")


def open_entry(archive: zipfile.ZipFile, name: str):
    """``archive.open(name)``, inflated by ISA-L when it can be (2.4 times the speed of
    zipfile's zlib on the half-gigabyte sheet of a million rows: sheet_part_speed.py).

    Only a deflated, unencrypted entry of an archive on disk is read this way; the CRC-32
    and size are checked at the end as zipfile checks them. Anything else: zipfile.
    """
    info = archive.getinfo(name)
    path = getattr(archive, "filename", None)
    if (
        _isal_zlib is None
        or info.compress_type != ZIP_DEFLATED
        or info.flag_bits & 0x1
        or not path
        or not os.path.isfile(path)
    ):
        return archive.open(name)
    return _InflatedEntry(path, info)


_INFLATE_READ = 1 << 19  # compressed bytes inflated at a time: a few megabytes of XML
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then the name's and extra's lengths


class _InflatedEntry:
    """A deflated zip entry read as plain bytes (``read``, ``close``), inflated by ISA-L."""

    def __init__(self, path: str, info: zipfile.ZipInfo) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        try:
            self._file.seek(info.header_offset)
            head = self._file.read(_LOCAL_HEADER.size)
            if len(head) < _LOCAL_HEADER.size:
                raise zipfile.BadZipFile(f"Truncated file header: {info.filename}")
            magic, name_length, extra_length = _LOCAL_HEADER.unpack(head)
            if magic != b"PK\x03\x04":
                raise zipfile.BadZipFile(f"Bad magic number for file header: {info.filename}")
            self._file.seek(name_length + extra_length, 1)
        except BaseException:
            self._file.close()
            raise
        self._info = info
        self._left = info.compress_size
        self._inflater = _isal_zlib.decompressobj(-zlib.MAX_WBITS)
        self._crc = 0
        self._size = 0
        self._pending = b""  # inflated, not read yet from self._at on
        self._at = 0

    def read(self, n: int = -1) -> bytes:
        while (n < 0 or len(self._pending) - self._at < n) and self._left > 0:
            raw = self._file.read(min(_INFLATE_READ, self._left))
            if not raw:
                raise EOFError(f"the zip entry {self._info.filename} is cut short")
            self._left -= len(raw)
            plain = self._inflater.decompress(raw)
            self._crc = _isal_zlib.crc32(plain, self._crc)
            self._size += len(plain)
            self._pending = self._pending[self._at :] + plain
            self._at = 0
            if self._left == 0:
                self._check()
        end = len(self._pending) if n < 0 else self._at + n
        data = self._pending[self._at : end]
        self._at = end
        return data

    def _check(self) -> None:
        info = self._info
        if not self._inflater.eof or self._size != info.file_size:
            raise zipfile.BadZipFile(f"the zip entry {info.filename} does not inflate whole")
        if self._crc != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")

    def close(self) -> None:
        self._file.close()


def _joinable(out) -> bool:
    """Whether ``out`` is the zip writer `write_piece` knows how to append to."""
    zinfo = getattr(out, "_zinfo", None)
    return (
        zinfo is not None
        and zinfo.compress_type == ZIP_DEFLATED
        and isinstance(getattr(out, "_compressor", None), _COMPRESSORS)
        and all(hasattr(out, a) for a in ("_crc", "_file_size", "_compress_size", "_fileobj"))
    )


def write_piece(out, piece: DeflatedPiece) -> None:
    """Append ``piece`` to ``out``, a zip entry open for writing (``ZipFile.open(name, "w")``).

    The entry's own compressor is flushed to a byte boundary, the piece's bytes follow,
    and a fresh compressor takes what comes next (its back-references must not reach into
    the piece, which it never saw). The entry's CRC and sizes are kept as `write` keeps
    them, so closing the entry writes a correct header.
    """
    if not _joinable(out):
        for plain in piece.inflated():
            out.write(plain)
        return
    flushed = out._compressor.flush(zlib.Z_SYNC_FLUSH)
    out._fileobj.write(flushed)
    out._compress_size += len(flushed)
    for data in piece.chunks():
        out._fileobj.write(data)
        out._compress_size += len(data)
    out._crc = crc32_combine(out._crc, piece.crc, piece.size)
    out._file_size += piece.size
    out._compressor = raw_compressor(_level(out))
