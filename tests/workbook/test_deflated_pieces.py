"""Pieces deflated apart and joined into one zip entry read back as the plain bytes.

`addrkit run` on a big sheet has its workers deflate their pieces of the customer sheet
and copies them into the zip (`deflated_pieces`). A wrong join is a damaged workbook, so
the file is checked three ways: zipfile's own CRC check, an independent unzip, and the
bytes read back.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import zipfile
import zlib

import pytest

from addrkit.workbook import deflated_pieces
from addrkit.workbook.deflated_pieces import (
    DeflatedPiece,
    _joinable,
    crc32_combine,
    deflate_piece,
    open_entry,
    use_fast_deflate,
    write_piece,
)


def test_crc32_combine_equals_the_crc_of_the_joined_bytes():
    rng = random.Random(7)
    for length1, length2 in [(0, 0), (0, 5), (5, 0), (1, 1), (100, 3), (3, 100), (70000, 123457)]:
        a, b = rng.randbytes(length1), rng.randbytes(length2)
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)
    # A piece longer than 4 GiB (a zip64 entry's size), checked against the bytes.
    big = (4 << 30) + 12345
    a = b"<sheetData>"
    assert crc32_combine(zlib.crc32(a), _crc_of_zeros(big), big) == _crc_of_zeros(
        big, zlib.crc32(a)
    )


def _crc_of_zeros(n: int, crc: int = 0) -> int:
    block = bytes(1 << 24)
    while n:
        step = min(n, len(block))
        crc = zlib.crc32(block[:step], crc)
        n -= step
    return crc


def _piece(data: bytes, level: int = 1, chunk: int = 997) -> DeflatedPiece:
    file = io.BytesIO()
    for out in deflate_piece((data[i : i + chunk] for i in range(0, len(data), chunk)), level):
        file.write(out)
    piece = DeflatedPiece.read(file)
    assert piece is not None
    return piece


def _rows(rng: random.Random, n: int, tag: str) -> bytes:
    # Repetitive markup like a sheet's (long back-references) with random text in it.
    return b"".join(
        b'<row r="%d"><c t="inlineStr"><is><t>%s %s</t></is></c></row>'
        % (i, tag.encode(), rng.randbytes(rng.randrange(0, 40)).hex().encode())
        for i in range(n)
    )


@pytest.mark.parametrize("deflater", ["isa-l", "zlib"])
@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_pieces_joined_into_an_entry_read_back_as_the_plain_bytes(
    tmp_path, monkeypatch, compression, deflater
):
    from isal import isal_zlib  # a dependency: the fast deflate is tested, never skipped

    if deflater == "zlib":  # as on a platform without python-isal's wheels
        monkeypatch.setattr(deflated_pieces, "_isal_zlib", None)
    rng = random.Random(11)
    parts = [
        b"<sheetData>" + _rows(rng, 3000, "head"),
        _piece(_rows(rng, 5000, "one")),
        _piece(b""),  # a worker whose piece had no rows
        _rows(rng, 10, "between"),
        _piece(_rows(rng, 4000, "two"), level=6),
        _piece(_rows(rng, 1, "three")),
        b"</sheetData>",
    ]
    plain = b"".join(p if isinstance(p, bytes) else b"".join(p.inflated()) for p in parts)
    path = tmp_path / "joined.zip"
    with zipfile.ZipFile(path, "w", compression, compresslevel=1) as z:
        z.writestr("before.xml", b"<a/>")
        with z.open("sheet.xml", "w", force_zip64=True) as out:
            # This Python's zip writer is the one pieces are copied into without inflating.
            assert _joinable(out) == (compression == zipfile.ZIP_DEFLATED)
            use_fast_deflate(out)
            if compression == zipfile.ZIP_DEFLATED:  # level 1: ISA-L's deflate when there
                assert isinstance(out._compressor, type(isal_zlib.compressobj())) == (
                    deflater == "isa-l"
                )
            for p in parts:
                if isinstance(p, bytes):
                    out.write(p)
                else:
                    write_piece(out, p)
        z.writestr("after.xml", b"<b/>")
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None  # every entry's CRC
        assert z.read("sheet.xml") == plain
        assert z.getinfo("sheet.xml").file_size == len(plain)
        assert (z.read("before.xml"), z.read("after.xml")) == (b"<a/>", b"<b/>")
        if compression == zipfile.ZIP_DEFLATED:  # the pieces were copied, not inflated
            assert z.getinfo("sheet.xml").compress_size < len(plain) / 2
    unzip = shutil.which("unzip") or shutil.which("bsdtar")
    if unzip is None and os.environ.get("CI"):
        pytest.fail("no unzip or bsdtar to check the joined zip with")
    if unzip is not None:  # another implementation reads it too
        check = [unzip, "-tq", str(path)] if unzip.endswith("unzip") else [unzip, "-tf", str(path)]
        assert subprocess.run(check, capture_output=True).returncode == 0


def test_a_piece_that_does_not_inflate_to_its_trailer_is_refused(tmp_path):
    piece = _piece(b"<row/>" * 1000)
    piece.size += 1  # the trailer says one byte more than the piece holds
    path = tmp_path / "stored.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        with pytest.raises(ValueError, match="trailer"), z.open("sheet.xml", "w") as out:
            write_piece(out, piece)


def test_a_file_too_short_to_hold_a_trailer_is_no_piece():
    assert DeflatedPiece.read(io.BytesIO(b"short")) is None


def _zip_with(tmp_path, data: bytes, compression=zipfile.ZIP_DEFLATED):
    path = tmp_path / f"entry{compression}.zip"
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("a.xml", b"<first/>")
        z.writestr("sheet.xml", data)
    return path


def test_an_entry_inflated_by_isa_l_reads_as_zipfile_reads_it(tmp_path):
    data = _rows(random.Random(3), 40_000, "x")  # several megabytes, many inflate steps
    path = _zip_with(tmp_path, data)
    with zipfile.ZipFile(path) as z:
        entry = open_entry(z, "sheet.xml")
        assert type(entry).__name__ == "_InflatedEntry"  # ISA-L's path, not zipfile's
        got = []
        for n in (1, 7, 1 << 16, 3 << 20, -1, 10):  # odd sizes, the rest, then nothing
            got.append(entry.read(n))
            assert n < 0 or len(got[-1]) <= n
        entry.close()
        assert b"".join(got) == data and got[-1] == b""
        # A stored entry is zipfile's to read.
    with zipfile.ZipFile(_zip_with(tmp_path, data, zipfile.ZIP_STORED)) as z:
        assert open_entry(z, "sheet.xml").read() == data


def test_an_entry_that_does_not_check_out_is_refused(tmp_path):
    data = _rows(random.Random(4), 20_000, "y")
    path = _zip_with(tmp_path, data)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("sheet.xml")
    raw = bytearray(path.read_bytes())
    # The central directory's CRC of the entry, changed: the bytes inflate, the CRC fails.
    at = raw.rfind(b"PK\x01\x02")
    raw[at + 16] ^= 0xFF
    bad_crc = tmp_path / "crc.zip"
    bad_crc.write_bytes(bytes(raw))
    with zipfile.ZipFile(bad_crc) as z, pytest.raises(zipfile.BadZipFile, match="CRC"):
        open_entry(z, "sheet.xml").read()
    # A byte of the deflated data changed: refused too (as zipfile refuses it).
    raw = bytearray(path.read_bytes())
    raw[info.header_offset + 30 + len("sheet.xml") + info.compress_size // 2] ^= 0x55
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    with zipfile.ZipFile(damaged) as z:
        with pytest.raises(Exception) as by_zipfile:
            z.read("sheet.xml")
        with pytest.raises(Exception) as by_isal:
            open_entry(z, "sheet.xml").read()
    assert by_zipfile.value and by_isal.value
