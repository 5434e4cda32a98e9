"""Save a workbook whose sheets carry many notes, writing the note parts as a stream.

openpyxl keeps a record object per note and, when it saves, builds the whole notes part
and its VML drawing as element trees in memory: about 7 KB a note, so the 800,000 notes
of a million-row clean would need more than 5 GB, and 100,000 notes take seconds. Here a
sheet's notes are given as plain ``(row, column, text)`` tuples (`set_notes` for a
write-only sheet, `add_notes` for a sheet held in memory, beside the notes its cells
already carry) and both parts are written straight into the zip, element by element, in
the same form openpyxl writes them (the same part names, relationships and shape markup),
so the file reads back the same.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.comments.comment_sheet import AuthorList, CommentSheet
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import Relationship
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import ARC_SHARED_STRINGS, ARC_WORKBOOK_RELS, SHARED_STRINGS

from .deflated_pieces import DeflatedPiece, use_fast_deflate, write_piece
from .row_writer import RowWriter

__all__ = [
    "NoteCell",
    "SHARED_STRINGS_XML",
    "SHEET_DIMENSION",
    "SHEET_ROWS",
    "set_notes",
    "add_notes",
    "save_with_notes",
]

NoteCell = tuple[int, int, str]  # 1-based row, 1-based column, note text

# A write-only sheet may carry its rows as ready markup (an iterable of bytes, one
# ``<row>`` each, or `DeflatedPiece`s of many rows deflated by a worker) under
# SHEET_ROWS: they are written in place of its empty sheetData.
# A workbook may carry a shared strings part (bytes) under SHARED_STRINGS_XML, which
# such rows index; it is written with its relationship and content type.
SHEET_ROWS = "_addrkit_sheet_rows"
SHARED_STRINGS_XML = "_addrkit_shared_strings"
SHEET_DIMENSION = "_addrkit_dimension"  # the used range ("A1:K1000") of such a sheet
_BEFORE_DIMENSION = re.compile(rb"<sheetViews\b|<sheetFormatPr\b|<cols\b|<sheetData\b")
_EMPTY_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_SST_REL = (
    b'<Relationship Id="rIdAddrkitStrings" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
)
_PENDING = "_addrkit_notes"  # attribute of an in-memory sheet: its `add_notes` notes
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_FLUSH = 1 << 20  # bytes of markup gathered before each write to the zip
_VML_HEAD = (
    '<xml><ns0:shapelayout xmlns:ns0="urn:schemas-microsoft-com:office:office" '
    'xmlns:ns1="urn:schemas-microsoft-com:vml" ns1:ext="edit"><ns0:idmap ns1:ext="edit" '
    'data="1"/></ns0:shapelayout><ns2:shapetype xmlns:ns2="urn:schemas-microsoft-com:vml" '
    'xmlns:ns3="urn:schemas-microsoft-com:office:office" id="_x0000_t202" '
    'coordsize="21600,21600" ns3:spt="202" path="m,l,21600r21600,l21600,xe"><ns2:stroke '
    'joinstyle="miter"/><ns2:path gradientshapeok="t" ns3:connecttype="rect"/></ns2:shapetype>'
)
_VML_SHAPE = (
    '<ns0:shape xmlns:ns0="urn:schemas-microsoft-com:vml" '
    'xmlns:ns1="urn:schemas-microsoft-com:office:office" type="#_x0000_t202" '
    'style="position:absolute; margin-left:59.25pt;margin-top:1.5pt;width:{width}px;'
    'height:{height}px;z-index:1;visibility:hidden" fillcolor="#ffffe1" ns1:insetmode="auto" '
    'id="_x0000_s{idx:04d}"><ns0:fill color2="#ffffe1"/><ns0:shadow color="black" '
    'obscured="t"/><ns0:path ns1:connecttype="none"/><ns0:textbox '
    'style="mso-direction-alt:auto"><div style="text-align:left"/></ns0:textbox><ns2:ClientData '
    'xmlns:ns2="urn:schemas-microsoft-com:office:excel" ObjectType="Note"><ns2:MoveWithCells/>'
    "<ns2:SizeWithCells/><ns2:AutoFill>False</ns2:AutoFill><ns2:Row>{row}</ns2:Row>"
    "<ns2:Column>{col}</ns2:Column></ns2:ClientData></ns0:shape>"
)


class _Notes(list):
    """A sheet's notes as tuples, with the author and box size they all share.

    ``others`` holds notes of other authors or sizes (those a loaded sheet already had)
    as ``(row, column, text, author, height, width)``.
    """

    def __init__(self, cells: Sequence[NoteCell], author: str, size: tuple[int, int]) -> None:
        super().__init__(cells)
        self.author = author
        self.height, self.width = size
        self.others: list[tuple[int, int, str, str, int, int]] = []

    def __bool__(self) -> bool:  # openpyxl writes the notes parts only for a true value
        return len(self) > 0 or bool(self.others)

    def all(self):
        """Every note as ``(row, column, text, author, height, width)``, top to bottom."""
        mine = ((r, c, t, self.author, self.height, self.width) for r, c, t in self)
        if not self.others:
            return mine
        return iter(sorted([*mine, *self.others], key=lambda n: (n[0], n[1])))


def set_notes(ws, cells: Sequence[NoteCell], *, author: str, size: tuple[int, int]) -> None:
    """Give a write-only sheet its notes; call after its last row, before saving.

    The sheet then ends with the ``legacyDrawing`` reference Excel needs for notes.
    ``size`` is (height, width) in pixels.
    """
    ws._comments = _Notes(cells, author, size)


def add_notes(ws, cells: Sequence[NoteCell], *, author: str, size: tuple[int, int]) -> None:
    """Give a sheet held in memory notes to save as a stream (see `save_with_notes`).

    A note the cell already carries is replaced, as ``cell.comment = ...`` would.
    ``size`` is (height, width) in pixels.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> add_notes(ws, [(2, 3, "MISSING_CITY: 缺少城市")], author="addrkit", size=(120, 320))
    >>> getattr(ws, _PENDING)[0]
    (2, 3, 'MISSING_CITY: 缺少城市')
    """
    for row, col, _ in cells:
        cell = ws._cells.get((row, col))
        if cell is not None and cell._comment is not None:
            cell.comment = None
    pending = getattr(ws, _PENDING, None)
    if pending is None or (pending.author, (pending.height, pending.width)) != (author, size):
        notes = _Notes(cells, author, size)
        if pending is not None:
            notes.others = [*pending.others, *pending.all()]
        setattr(ws, _PENDING, notes)
    else:
        pending.extend(cells)


class _SheetWriter(RowWriter):
    """The sheet writer, with the `add_notes` notes joining the cells' own notes."""

    def write_rows(self):
        super().write_rows()
        pending = getattr(self.ws, _PENDING, None)
        if pending is None:
            return
        notes = _Notes(pending, pending.author, (pending.height, pending.width))
        notes.others = [*pending.others, *map(_record_tuple, self.ws._comments)]
        self.ws._comments = notes


def _record_tuple(record) -> tuple[int, int, str, str, int, int]:
    col, row = coordinate_from_string(record.ref)
    return (
        row,
        column_index_from_string(col),
        record.content,
        record.author,
        record.height,
        record.width,
    )


def _xml_text(text: str) -> str:
    # XML 1.0 has no place for most control characters; openpyxl drops them too.
    return escape("".join(ch for ch in text if ch >= " " or ch in "\t\n\r"))


class _StringsPart:
    path = "/" + ARC_SHARED_STRINGS
    mime_type = SHARED_STRINGS


class _Archive:
    """The zip being written, adding the shared strings relationship to the workbook's."""

    def __init__(self, archive: ZipFile) -> None:
        self._archive = archive

    def writestr(self, name, data, *args, **kwargs):
        if name == ARC_WORKBOOK_RELS:
            data = data.encode() if isinstance(data, str) else data
            data = data.replace(b"</Relationships>", _SST_REL + b"</Relationships>", 1)
        return self._archive.writestr(name, data, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._archive, name)


class _Writer(ExcelWriter):
    def write_data(self) -> None:
        strings = getattr(self.workbook, SHARED_STRINGS_XML, None)
        if strings is not None:
            self._archive.writestr(ARC_SHARED_STRINGS, strings)
            self.manifest.append(_StringsPart())
            self._archive = _Archive(self._archive)
        super().write_data()

    def write_worksheet(self, ws) -> None:
        if self.workbook.write_only:
            rows = getattr(ws, SHEET_ROWS, None)
            if rows is None:
                super().write_worksheet(ws)
            else:
                self._write_rows_markup(ws, rows)
            return
        # openpyxl's own steps for a sheet in memory, with the faster writer adding the notes
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws)
        writer.write()
        ws._rels = writer._rels
        writer.save_into(self._archive, ws.path[1:])
        self.manifest.append(ws)
        writer.cleanup()

    def _write_rows_markup(self, ws, rows) -> None:
        # openpyxl's steps for a write-only sheet, its rows streamed into the empty sheetData
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if not ws.closed:
            ws.close()
        writer = ws._writer
        ws._rels = writer._rels
        with open(writer.out, "rb") as f:
            xml = f.read()
        dimension = getattr(ws, SHEET_DIMENSION, None)
        if dimension:  # where Excel puts it: readers size the sheet without reading it
            at = _BEFORE_DIMENSION.search(xml).start()
            xml = xml[:at] + f'<dimension ref="{dimension}"/>'.encode() + xml[at:]
        empty = _EMPTY_DATA.search(xml)
        with self._archive.open(ws.path[1:], "w", force_zip64=True) as out:
            use_fast_deflate(out)
            out.write(xml[: empty.start()] + b"<sheetData>")
            buffer: list[bytes] = []
            size = 0
            for row in rows:
                if type(row) is DeflatedPiece:  # rows a worker made and deflated
                    out.write(b"".join(buffer))
                    buffer, size = [], 0
                    write_piece(out, row)
                    continue
                buffer.append(row)
                size += len(row)
                if size > _FLUSH:
                    out.write(b"".join(buffer))
                    buffer, size = [], 0
            buffer.append(b"</sheetData>" + xml[empty.end() :])
            out.write(b"".join(buffer))
        self.manifest.append(ws)
        writer.cleanup()

    def _write_comment(self, ws) -> None:
        notes = ws._comments
        if not isinstance(notes, _Notes):  # notes attached to cells: openpyxl's own way
            super()._write_comment(ws)
            return
        authors = list(dict.fromkeys([notes.author, *(n[3] for n in notes.others)]))
        author_id = {a: i for i, a in enumerate(authors)}
        cs = CommentSheet(authors=AuthorList(authors), commentList=[])
        self._comments.append(cs)
        cs._id = len(self._comments)
        _write_stream(
            self._archive,
            cs.path[1:],
            f'<comments xmlns="{_NS}"><authors>'
            + "".join(f"<author>{escape(a)}</author>" for a in authors)
            + "</authors><commentList>",
            (
                f'<comment ref="{get_column_letter(col)}{row}" authorId="{author_id[author]}" '
                f'shapeId="0"><text><t>{_xml_text(text)}</t></text></comment>'
                for row, col, text, author, _, _ in notes.all()
            ),
            "</commentList></comments>",
        )
        self.manifest.append(cs)
        ws.legacy_drawing = f"xl/drawings/commentsDrawing{cs._id}.vml"
        _write_stream(
            self._archive,
            ws.legacy_drawing,
            _VML_HEAD,
            (
                _VML_SHAPE.format(width=width, height=height, idx=idx, row=row - 1, col=col - 1)
                for idx, (row, col, _, _, height, width) in enumerate(notes.all(), 1026)
            ),
            "</xml>",
        )
        self.vba_modified.add(ws.legacy_drawing)
        ws._rels.append(Relationship(Id="comments", type=cs._rel_type, Target=cs.path))


def _write_stream(archive: ZipFile, name: str, head: str, parts, tail: str) -> None:
    with archive.open(name, "w", force_zip64=True) as out:
        buffer = [head]
        size = len(head)
        for part in parts:
            buffer.append(part)
            size += len(part)
            if size > _FLUSH:
                out.write("".join(buffer).encode())
                buffer, size = [], 0
        buffer.append(tail)
        out.write("".join(buffer).encode())


def save_with_notes(
    wb: Workbook, path: str | os.PathLike, *, compresslevel: int | None = None
) -> None:
    """Save a workbook like ``wb.save(path)``, writing `set_notes`/`add_notes` notes as a stream.

    ``compresslevel`` is zlib's (1 fastest … 9 smallest; None: zlib's default, 6).
    """
    wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=compresslevel) as archive:
        _Writer(wb, archive).save()
