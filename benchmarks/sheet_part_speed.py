"""How fast a big sheet part is inflated, skipped through and deflated, each way side by side.

A streamed `addrkit run` inflates the customer sheet part in every process, has its
workers pass over the rows before their pieces, and deflates a gigabyte of new XML.
This times, on one book's biggest sheet part, in this process (CPU seconds, best of
``--repeat``):

- one full inflating pass: zipfile's reader against `deflated_pieces.open_entry`
  (ISA-L when python-isal is installed);
- passing over the first half of the rows: cut row by row (`SheetPart.rows`) against
  `SheetPart.skip_to`;
- deflating ``--deflate-mb`` of the part's XML at level 1: zlib against `raw_compressor`,
  with the compressed size of each.

Usage (repository root; a book from ``benchmarks/assign_scale.py --file --keep``)::

    python benchmarks/sheet_part_speed.py BOOK [--repeat 3] [--deflate-mb 200]
"""

from __future__ import annotations

import argparse
import time
import zipfile
import zlib
from pathlib import Path

from addrkit.workbook.deflated_pieces import open_entry, raw_compressor
from addrkit.workbook.sheet_xml import ROW_NUMBER, SheetPart

_CHUNK = 1 << 22


def _best(repeat: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = work()
        best = min(best, time.process_time() - start)
    return best, result


def _drain(stream) -> int:
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
    stream.close()
    return size


def _row_by_row(archive: zipfile.ZipFile, part: str, first: int) -> int:
    done = 0
    for attrs, _inner, _whole in SheetPart.open(archive, part).rows():
        number = ROW_NUMBER.search(attrs)
        row = int(number.group(1)) if number else done + 1
        if row >= first:
            return done
        done = max(done, row)
    return done


def _deflated_size(compressor, data: bytes) -> int:
    return len(compressor.compress(data)) + len(compressor.flush())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--deflate-mb", type=int, default=200)
    args = parser.parse_args(argv)
    archive = zipfile.ZipFile(args.book)
    info = max(
        (i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")),
        key=lambda i: i.file_size,
    )
    part = info.filename
    print(f"{args.book.name}: {part}, {info.file_size / 1e6:.0f} MB of XML")

    zipfile_s, size = _best(args.repeat, lambda: _drain(archive.open(part)))
    entry_s, size2 = _best(args.repeat, lambda: _drain(open_entry(archive, part)))
    assert size == size2 == info.file_size
    mb = size / 1e6
    print(f"inflate, one pass:  zipfile {zipfile_s:.2f} s ({mb / zipfile_s:.0f} MB/s), "
          f"open_entry {entry_s:.2f} s ({mb / entry_s:.0f} MB/s), ratio {entry_s / zipfile_s:.2f}")  # fmt: skip

    rows = sum(1 for _ in SheetPart.open(archive, part).rows())
    first = rows // 2
    cut_s, done = _best(args.repeat, lambda: _row_by_row(archive, part, first))
    skip_s, done2 = _best(args.repeat, lambda: SheetPart.open(archive, part).skip_to(first))
    assert done == done2, (done, done2)
    print(f"to row {first:,} of {rows:,}: row by row {cut_s:.2f} s, skip_to {skip_s:.2f} s, "
          f"ratio {skip_s / cut_s:.2f}")  # fmt: skip

    stream = archive.open(part)
    data = stream.read(args.deflate_mb * 1_000_000)
    stream.close()
    mb = len(data) / 1e6
    zlib_s, zlib_size = _best(
        args.repeat, lambda: _deflated_size(zlib.compressobj(1, zlib.DEFLATED, -15), data)
    )
    fast_s, fast_size = _best(args.repeat, lambda: _deflated_size(raw_compressor(1), data))
    print(f"deflate {mb:.0f} MB at level 1: zlib {zlib_s:.2f} s ({mb / zlib_s:.0f} MB/s, "
          f"{zlib_size / len(data):.3f} of the size), raw_compressor {fast_s:.2f} s "
          f"({mb / fast_s:.0f} MB/s, {fast_size / len(data):.3f}), ratio {fast_s / zlib_s:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
