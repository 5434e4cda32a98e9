"""A worksheet part of an .xlsx file read and rewritten as bytes, for sheets of a million rows.

openpyxl turns every cell into an element tree and back, about 30 µs a cell each way, so
a streamed run over a million-row sheet spent most of its time reading and writing cells
it never changes. Here the part's ``<row>`` elements are cut out of the decompressed XML
with regular expressions:

- `iter_values` gives the cell values of a read-only sheet exactly as openpyxl's
  ``iter_rows(values_only=True)`` gives them (same types: shared and inline strings,
  numbers, booleans, error codes, dates from date-formatted numbers). Rows in the common
  forms Excel and openpyxl write are read by one expression; any row with something else
  (a formula, rich inline text, a carriage return, unusual attributes) is handed to
  openpyxl's own row parser, so the result never differs.
- `SheetPart.rows` hands each row over as it stands in the file, so an edited copy can
  keep every untouched row byte for byte and splice new cells into the others
  (`splice_row`); `cell_xml` writes a new cell, text always as text.

Parts that use a namespace prefix for the sheet elements (``<x:row>``) are not cut:
`SheetPart.open` returns None and callers take openpyxl's path.
"""

from __future__ import annotations

import itertools
import math
import os
import pickle
import re
import threading
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl.reader.excel
from lxml import etree
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.dimensions import SheetDimension

from ..workers import fork_pieces, piece_starts
from .deflated_pieces import open_entry

__all__ = [
    "SheetPart",
    "cell_xml",
    "fast_strings",
    "iter_values",
    "last_column",
    "column_letters",
    "load_read_only",
    "new_row",
    "splice_row",
    "strip_spans",
    "xml_text",
]

_CHUNK = 1 << 22
_READ_BATCH = 512  # rows read together: their escaped texts are decoded by one parse
_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_SHEET_DATA_END = b"</sheetData>"
_AFTER_NAME = (b" ", b">", b"\t", b"\n", b"\r")  # what may follow "<row" in a row's start tag
_ROOT = re.compile(rb"<worksheet\b[^>]*>")
_ENCODING = re.compile(rb"<\?xml[^>]*encoding=[\"']([^\"']+)")
ROW_NUMBER = re.compile(rb'(?:^|\s)r="(\d+)"')
_ROW_START = re.compile(rb'<row r="(\d+)"')  # how Excel and openpyxl start every row
_SPANS = re.compile(rb'\sspans="[^"]*"')
# A cell as Excel and openpyxl write it: r, then s and t in either order; a number,
# a shared string index, a boolean, an error or a plain inline string.
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?(?: s="(\d+)")?\s*'
    rb'(?:/>|>(?:<v>([^<]*)</v>|(<is><t(?: xml:space="preserve")?>)([^<]*)</t></is>)?</c>)'
)
_ANY_CELL = re.compile(rb"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_CELL_REF = re.compile(rb'<c\b[^>]*?\sr="([A-Z]{1,3})\d+"')
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _entity(m: re.Match) -> str:
    name = m.group(1)
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _NAMED[name]


def _decoded(raws: list[bytes]) -> dict[bytes, str]:
    """Escaped texts decoded by one XML parse (CJK text is often all character references)."""
    root = etree.fromstring(b"<r><t>" + b"</t><t>".join(raws) + b"</t></r>")
    return {raw: t.text or "" for raw, t in zip(raws, root, strict=True)}


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return _ENTITY.sub(_entity, text) if "&" in text else text


_COLUMNS: dict[bytes, int] = {}


def _column(letters: bytes) -> int:
    try:
        return _COLUMNS[letters]
    except KeyError:
        col = _COLUMNS[letters] = column_index_from_string(letters.decode())
        return col


class SheetPart:
    """One worksheet part: the XML before its rows (`head`), the rows, the XML after them."""

    def __init__(self, stream, head: bytes, buffer: bytes, empty: bool) -> None:
        self._stream = stream
        self.head = head  # up to and including the <sheetData> start tag
        self._buffer = buffer
        self._empty = empty
        self.tail = b""  # from </sheetData> on; known once the rows are read
        root = _ROOT.search(head)
        self.root = root.group(0) if root else b"<worksheet>"

    @classmethod
    def open(cls, archive: zipfile.ZipFile, part: str) -> SheetPart | None:
        """The part ready to read, or None when its markup is not in the plain form."""
        stream = open_entry(archive, part)
        data = b""
        while True:
            chunk = stream.read(_CHUNK)
            data += chunk
            found = _SHEET_DATA.search(data)
            if found or not chunk:
                break
        declared = _ENCODING.match(data)
        if (
            found is None
            or not _ROOT.search(data, 0, found.start())
            or (declared and declared.group(1).lower() not in (b"utf-8", b"utf8"))
        ):
            stream.close()
            return None
        empty = found.group(1) == b"/"
        return cls(stream, data[: found.end()], data[found.end() :], empty)

    def close(self) -> None:
        self._stream.close()

    def skip_to(self, first: int) -> int | None:
        """Pass over the rows before the first one (in the markup's order) numbered
        `first` or more, without cutting them out: `rows` then starts at that row.

        A forked worker starts its piece of a million-row sheet here, in about half the
        time of cutting out the rows before it one by one (benchmarks/sheet_part_speed.py;
        most of what is left is the inflating). Returns the highest row number passed
        over (0: none), or None when a row start tag is not in the form ``<row r="N"``
        (then the part is spent: open it again and read it row by row).
        """
        if self._empty:
            return 0
        buffer, done = self._buffer, 0
        while True:
            end = buffer.find(_SHEET_DATA_END)
            # Tags before the last "<row" are whole; that one may be cut by the chunk's end.
            cut = end if end >= 0 else max(buffer.rfind(b"<row"), 0)
            numbers = [int(n) for n in _ROW_START.findall(buffer, 0, cut)]
            if len(numbers) != buffer.count(b"<row", 0, cut):
                return None
            top = max(numbers, default=0)
            if top >= first:
                at = next(i for i, n in enumerate(numbers) if n >= first)
                start = next(itertools.islice(_ROW_START.finditer(buffer, 0, cut), at, None))
                self._buffer = buffer[start.start() :]
                return max(done, max(numbers[:at], default=0))
            done = max(done, top)
            if end >= 0:
                self._buffer = buffer[end:]
                return done
            chunk = self._stream.read(_CHUNK)
            if not chunk:
                return None
            buffer = buffer[cut:] + chunk

    def rows(self) -> Iterator[tuple[bytes, bytes | None, bytes]]:
        """Each row as (attributes, inner XML or None when self-closing, whole element)."""
        if self._empty:
            self.tail = self._buffer + self._stream.read()
            return
        buffer = self._buffer
        while True:
            # Cut at each end tag (a C-speed split; the expression is ~10× slower over a
            # million rows): a piece holding one start tag is that row; anything else in a
            # piece (self-closing rows before it) goes through the expression.
            pieces = buffer.split(b"</row>")
            rest = pieces.pop()
            for piece in pieces:
                start = piece.find(b"<row")
                gt = piece.find(b">", start)
                if (
                    start >= 0
                    and (start == 0 or piece[:start].isspace())
                    and piece[start + 4 : start + 5] in _AFTER_NAME
                    and piece[gt - 1 : gt] != b"/"
                    and piece.find(b"<row", gt) < 0
                ):
                    yield piece[start + 4 : gt], piece[gt + 1 :], piece[start:] + b"</row>"
                    continue
                for m in _ROW.finditer(piece + b"</row>"):
                    yield m.group(1), m.group(2), m.group(0)
            end = rest.find(_SHEET_DATA_END)
            if end >= 0:
                for m in _ROW.finditer(rest, 0, end):  # self-closing rows at the end
                    yield m.group(1), m.group(2), m.group(0)
                self.tail = rest[end:] + self._stream.read()
                return
            chunk = self._stream.read(_CHUNK)
            if not chunk:
                raise ValueError("worksheet part ends inside <sheetData>")
            buffer = rest + chunk


class _RowReader:
    """Cell values of each row; rows outside the plain forms go to openpyxl's parser."""

    def __init__(self, ws, part: SheetPart) -> None:
        wb = ws.parent
        self.strings = ws._shared_strings
        self.dates = wb._date_formats
        self.timedeltas = wb._timedelta_formats
        self.epoch = wb.epoch
        self.part = part
        self.parser = WorkSheetParser(
            None,
            self.strings,
            data_only=wb.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )

    def rows(self, first: int = 1) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
        """(sheet row number, [(column, value)]) of each row; rows numbered below
        `first` in their own markup are given without their cells (not read)."""
        counter = 0
        batch: list[tuple[bytes, bytes | None]] = []
        for attrs, inner, _whole in self.part.rows():
            batch.append((attrs, inner))
            if len(batch) >= _READ_BATCH:
                counter = yield from self._batch(batch, counter, first)
                batch = []
        yield from self._batch(batch, counter, first)

    def _batch(self, batch: list[tuple[bytes, bytes | None]], counter: int, first: int = 1):
        """The rows of a batch; the escaped texts of all of them decoded by one parse
        (a parse per row cost more than the cells: CJK text is often all references)."""
        matches: list[list | None] = []
        escaped: list[bytes] = []
        numbers: list[int | None] = []  # each row's stated number, looked for once
        for attrs, inner in batch:
            found = None
            number = ROW_NUMBER.search(attrs)
            numbers.append(int(number.group(1)) if number is not None else None)
            if first > 1 and numbers[-1] is not None and numbers[-1] < first:
                matches.append(None)  # a row that states a number below `first`: not read
                continue
            if inner and b"\r" not in inner:
                found = _CELL.findall(inner)
                if len(found) != inner.count(b"<c ") + inner.count(b"<c>"):
                    found = None
                elif b"&" in inner:
                    escaped += [x[6] or x[4] for x in found if b"&" in (x[6] or x[4])]
            matches.append(found)
        texts = _decoded(list(dict.fromkeys(escaped))) if escaped else {}
        for (attrs, inner), number, found in zip(batch, numbers, matches, strict=True):
            if number is None and b" r=" in attrs:  # a row number such as "5.0"
                counter, cells = self._slow(attrs, inner, counter)
                yield counter, cells
                continue
            counter = number if number is not None else counter + 1
            if not inner or counter < first:
                yield counter, []
                continue
            cells = self._cells(found, texts) if found is not None else None
            if cells is None:
                counter, cells = self._slow(attrs, inner, counter)
            yield counter, cells
        return counter

    def _cells(self, found: list[tuple], texts: dict[bytes, str]) -> list[tuple[int, Any]] | None:
        cells = []
        columns = _COLUMNS
        for letters, s1, kind, s2, v, is_mark, is_text in found:
            col = columns.get(letters) or _column(letters)
            if kind == b"" or kind == b"n":
                if not v:
                    value = None
                else:
                    fraction = b"." in v or b"E" in v or b"e" in v
                    try:  # int() and float() read ASCII bytes as they read the text
                        value = float(v) if fraction else int(v)
                    except ValueError:  # other digits (not Excel's): as the text reads
                        text = v.decode()
                        value = float(text) if fraction else int(text)
                    style = int(s1 or s2 or 0)
                    if style and style in self.dates:
                        try:
                            value = from_excel(
                                value, self.epoch, timedelta=style in self.timedeltas
                            )
                        except (OverflowError, ValueError):
                            value = "#VALUE!"
            elif kind == b"s":
                value = self.strings[int(v)] if v else None
            elif kind == b"inlineStr":
                if not is_mark:
                    value = None
                elif b"&" in is_text:
                    value = texts[is_text]
                else:
                    value = is_text.decode()
            elif kind == b"b":
                value = bool(int(v)) if v else None
            elif kind == b"str" or kind == b"e":
                value = (texts[v] if b"&" in v else v.decode()) if v else None
            elif kind == b"d":
                value = from_ISO8601(v.decode()) if v else None
            else:
                return None
            cells.append((col, value))
        return cells

    def _slow(self, attrs: bytes, inner: bytes | None, counter: int):
        xml = self.part.root + b"<row" + attrs + b">" + (inner or b"") + b"</row></worksheet>"
        element = etree.fromstring(xml)[0]
        self.parser.row_counter = counter
        number, cells = self.parser.parse_row(element)
        return number, [(c["column"], c["value"]) for c in cells]


# Rows below which a sheet is read in one process: forking and handing rows back cost
# more than reading them here.
READ_ROWS_PER_WORKER = 50_000
# The first piece, read here, is this many times a worker's: with equal pieces of a
# million rows the worker took 12.1 s of CPU and this process 10.8 s (a worker also
# inflates the rows before its piece and pickles its rows; this process unpickles them).
READ_FIRST_PIECE_SHARE = 1.1


def iter_values(
    ws, min_row=None, max_row=None, min_col=None, max_col=None, *, jobs: int = 1
) -> Iterator[tuple] | None:
    """``ws.iter_rows(..., values_only=True)`` of an openpyxl read-only sheet, read fast;
    None when the sheet's markup is not in the plain form (use openpyxl then).

    With ``jobs`` > 1 and a sheet that states its size, pieces of the rows are read by
    forked workers while this process reads the first (see `_split_values`)."""
    part = SheetPart.open(ws.parent._archive, ws._worksheet_path)
    if part is None:
        return None
    min_row, max_row = min_row or 1, max_row or ws.max_row
    min_col, max_col = min_col or 1, max_col or ws.max_column
    path = getattr(ws.parent._archive, "filename", None)
    pieces = 0
    if jobs > 1 and max_row and path and os.path.isfile(path):
        pieces = min(jobs, (max_row + 1 - min_row) // READ_ROWS_PER_WORKER)
    if pieces < 2:
        return _values(ws, part, min_row, max_row, min_col, max_col)
    n = max_row + 1 - min_row
    bounds = [*piece_starts(min_row, n, pieces, READ_FIRST_PIECE_SHARE), max_row + 1]

    def reopen() -> SheetPart:
        return SheetPart.open(zipfile.ZipFile(path), ws._worksheet_path)

    return _split_values(ws, part, reopen, bounds, min_col, max_col)


def _split_values(ws, part: SheetPart, reopen, bounds: list[int], min_col, max_col):
    """`_values` over the rows [bounds[0], bounds[-1]), the piece [bounds[k], bounds[k+1])
    for k ≥ 1 read by a forked worker and handed back pickled.

    A range's values do not depend on the rows outside it (a row out of order is dropped
    whichever range it falls in, as `_values` drops it), so the pieces joined are the
    whole read; a piece whose worker failed is read here instead.
    """

    def skipped(k: int) -> SheetPart:  # the part, read from the first row of piece k
        part = reopen()
        if part.skip_to(bounds[k]) is None:
            part.close()
            part = reopen()
        return part

    def piece(k: int) -> Iterator[bytes]:
        rows = list(_values(ws, skipped(k), bounds[k], bounds[k + 1] - 1, min_col, max_col))
        yield pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)

    workers = fork_pieces(lambda k: piece(k + 1), len(bounds) - 2)
    try:
        yield from _values(ws, part, bounds[0], bounds[1] - 1, min_col, max_col)
        for k in range(1, len(bounds) - 1):
            done = workers[k - 1].result() if workers else None
            if done is not None:
                yield from pickle.load(done)
            else:
                yield from _values(ws, skipped(k), bounds[k], bounds[k + 1] - 1, min_col, max_col)
    finally:
        for w in workers:
            w.stop()


def _values(ws, part: SheetPart, min_row, max_row, min_col, max_col) -> Iterator[tuple]:
    # openpyxl's ReadOnlyWorksheet._cells_by_row and _get_row, values only
    empty_row = (None,) * (max_col + 1 - min_col) if max_col is not None else ()
    counter, idx = min_row, 1
    try:
        for idx, row in _RowReader(ws, part).rows(min_row):
            if max_row is not None and idx > max_row:
                break
            for _ in range(counter, idx):
                counter += 1
                yield empty_row
            if counter <= idx:
                counter += 1
                if not row and not max_col:
                    yield ()
                    continue
                last = max_col or row[-1][0]
                out = [None] * (last + 1 - min_col)
                for col, value in row:
                    if min_col <= col <= last:
                        out[col - min_col] = value
                yield tuple(out)
    finally:
        part.close()
    if max_row is not None and max_row < idx:
        for _ in range(counter, max_row + 1):
            yield empty_row


# --- writing -----------------------------------------------------------------------------

_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def xml_text(text: str) -> str:
    """Text escaped for element content (a carriage return kept as a reference)."""
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        return text.translate(_XML_ESCAPES)
    return text


def cell_xml(ref: str, value: Any, style: int = 0) -> str:
    """A ``<c>`` element for a plain value: text is always written as text (an inline
    string, never a formula), numbers and booleans as values; None is an empty cell,
    kept only when it has a style. Dates are the caller's (as a number with a style)."""
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{xml_text(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, float):
        if not math.isfinite(value):
            return f'<c r="{ref}"{s}/>' if style else ""
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    raise TypeError(f"no cell markup for {type(value).__name__}")


_STYLE = re.compile(rb'<c\b[^>]*?\ss="(\d+)"')


_LETTERS: dict[int, str] = {}


def column_letters(col: int) -> str:
    """A column's letters (remembered: called for every new cell)."""
    try:
        return _LETTERS[col]
    except KeyError:
        found = _LETTERS[col] = get_column_letter(col)
        return found


def last_column(inner: bytes) -> int:
    """The column of a row's last cell (0 for none; very large when it has no reference,
    so that callers take the cell-by-cell path)."""
    last = max(inner.rfind(b"<c "), inner.rfind(b"<c>"))
    if last < 0:
        return 0
    m = _CELL_REF.match(inner, last)
    return _column(m.group(1)) if m and inner.startswith(b'<c r="', last) else 1 << 30


def strip_spans(attrs: bytes) -> bytes:
    """Row attributes without ``spans`` (a hint of the used columns, no longer true)."""
    return _SPANS.sub(b"", attrs)


def _cell_style(cell: bytes) -> int:
    m = _STYLE.match(cell)
    return int(m.group(1)) if m else 0


def splice_row(
    row: int, attrs: bytes, inner: bytes | None, new: dict[int, tuple[Any, int | None]]
) -> bytes:
    """A row element with new cells (column → (value, style)) in place of the row's own
    cells of those columns, in column order. A style of None keeps the replaced cell's."""
    if attrs and b"spans" in attrs:  # a hint of the used columns: no longer true
        attrs = _SPANS.sub(b"", attrs)
    inner = inner or b""
    # Cells come in column order: when the last one is left of every new cell (the common
    # case, new columns to the right of the table), the new cells are simply appended.
    if last_column(inner) < min(new):
        added = "".join(
            cell_xml(f"{column_letters(c)}{row}", v, s or 0) for c, (v, s) in sorted(new.items())
        )
        return b"<row" + attrs + b">" + inner + added.encode() + b"</row>"
    cells: list[tuple[int, bytes]] = []
    col = 0
    for m in _ANY_CELL.finditer(inner):
        ref = _CELL_REF.match(m.group(0))
        col = _column(ref.group(1)) if ref else col + 1
        cells.append((col, m.group(0)))
    old = dict(cells)
    kept = [(c, x) for c, x in cells if c not in new]
    for c, (v, s) in new.items():
        if s is None:
            s = _cell_style(old[c]) if c in old else 0
        kept.append((c, cell_xml(f"{column_letters(c)}{row}", v, s).encode()))
    kept.sort(key=lambda cx: cx[0])
    extra = _ANY_CELL.sub(b"", inner)  # anything in the row that is not a cell
    return b"<row" + attrs + b">" + b"".join(x for _, x in kept) + extra + b"</row>"


def new_row(row: int, new: dict[int, tuple[Any, int | None]]) -> bytes:
    """A row element holding only new cells."""
    body = "".join(
        cell_xml(f"{column_letters(c)}{row}", v, s or 0) for c, (v, s) in sorted(new.items())
    )
    return f'<row r="{row}">{body}</row>'.encode() if body else b""


def fast_strings(archive: zipfile.ZipFile, part: str) -> list[str] | None:
    """The shared strings table as openpyxl reads it (``Text.content`` of each item,
    ``x005F_`` removed); items other than one plain ``<t>`` go through openpyxl."""
    from openpyxl.cell.text import Text

    data = archive.read(part)
    root = re.search(rb"<sst\b[^>]*>", data)
    if root is None or b"\r" in data:
        return None
    out: list[str] = []
    simple = re.compile(
        rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|<si>(.*?)</si>|<si/>', re.S
    )
    for m in simple.finditer(data, root.end()):
        plain, other = m.group(1), m.group(2)
        if plain is not None:
            text = _unescape(plain)
        elif other is not None:
            node = etree.fromstring(root.group(0) + b"<si>" + other + b"</si></sst>")[0]
            text = Text.from_tree(node).content
        else:
            text = ""
        out.append(text.replace("x005F_", ""))
    return out


_SIZE_LOCK = threading.Lock()
_DIMENSION = re.compile(rb"<dimension\b[^>]*?\sref=\"([^\"]*)\"")


class _SizedSheet(ReadOnlyWorksheet):
    """A read-only sheet sized from the ``<dimension>`` before its rows, without reading
    the rows when there is none (openpyxl parses the whole part to find that out)."""

    def _get_size(self) -> None:
        with self._get_source() as src:
            data = b""
            while chunk := src.read(1 << 16):
                data += chunk
                if _SHEET_DATA.search(data) or len(data) > _CHUNK:
                    break
        found = _SHEET_DATA.search(data)
        if found is None:  # not the plain form: openpyxl's way
            super()._get_size()
            return
        dim = _DIMENSION.search(data, 0, found.start())
        if dim is not None:
            bounds = SheetDimension(ref=dim.group(1).decode()).boundaries
            self._min_column, self._min_row, self._max_column, self._max_row = bounds


def load_read_only(path, *, keep_vba: bool, data_only: bool = False):
    """``openpyxl.load_workbook(path, read_only=True, ...)`` with the shared strings read by
    `fast_strings`; the workbook remembers their part (`STRINGS_PART`) for copies."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class _Reader(ExcelReader):
        strings_part: str | None = None

        def read_strings(self) -> None:
            ct = self.package.find(SHARED_STRINGS)
            self.strings_part = ct.PartName[1:] if ct is not None else None
            strings = fast_strings(self.archive, self.strings_part) if ct is not None else None
            if strings is None:
                super().read_strings()
            else:
                self.shared_strings = strings

    reader = _Reader(path, read_only=True, keep_vba=keep_vba, data_only=data_only)
    with _SIZE_LOCK:  # openpyxl reads a sheet with no <dimension> to its end to size it
        module = openpyxl.reader.excel
        module.ReadOnlyWorksheet = _SizedSheet
        try:
            reader.read()
        finally:
            module.ReadOnlyWorksheet = ReadOnlyWorksheet
    setattr(reader.wb, STRINGS_PART, reader.strings_part)
    return reader.wb


STRINGS_PART = "_addrkit_strings_part"
