"""Apply change plans to a sheet too big to hold in memory: stream it into a new file.

openpyxl's write-only mode cannot edit a workbook, so every sheet is copied into a new
write-only workbook. The customer sheet is copied as bytes (`sheet_xml`): each row of its
XML as it stands, the output block's cells and the plans' edits of customer cells (the
codes Customer codes puts into empty 客户编号 cells) spliced into the rows as they pass,
text always written as text. The copy takes over the source's style tables and shared
strings, so the customer sheet keeps its values, types, cell styles (fonts, fills,
borders, number formats) and rich text. Other sheets are copied through openpyxl's
read-only rows: values, text-versus-formula and number formats survive. Everywhere hidden
sheets, notes and conditional formats survive, and the plan's own sheets get their
widths, header style and charts; column widths, merged cells, Excel table definitions,
charts and pictures of the source do not (openpyxl's streaming modes do not carry them).
`addrkit run` says so when it takes this path. A customer sheet whose XML is not in the
plain form (a namespace prefix on its elements) goes through openpyxl's rows instead.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import zipfile
from bisect import bisect_left
from collections.abc import Iterator
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from ..excel import CELL_TEXT_LIMIT
from ..ops.base import CustomerTable
from ..ops.plan import ChangePlan, SheetWrite
from ..table import TableLocation
from ..workers import GiveUp, fork_pieces, piece_starts
from .changelog import LOG_FIELDS, LOG_SHEET, log_columns, run_log_rows
from .charts import add_charts
from .deflated_pieces import DeflatedPiece, deflate_piece
from .file_apply import (
    COMMENT_SIZE,
    HEADER_STYLE,
    cf_rule,
    fitted_widths,
    print_layout,
    readable_layout,
)
from .files import open_workbook, replacing
from .layout import (
    ILLEGAL_XML,
    BlockLayout,
    cell_value,
    edit_position,
    extend_location,
    find_sheet,
    resolve_block,
)
from .note_parts import (
    SHARED_STRINGS_XML,
    SHEET_DIMENSION,
    SHEET_ROWS,
    NoteCell,
    save_with_notes,
    set_notes,
)
from .sheet_xml import (
    ROW_NUMBER,
    STRINGS_PART,
    SheetPart,
    cell_xml,
    column_letters,
    last_column,
    new_row,
    splice_row,
    strip_spans,
    xml_text,
)

__all__ = ["stream_apply"]

_BOLD = Font(bold=True)
# zlib level of streamed saves: level 1 deflates a million-row sheet several times faster
# than the default 6, for a file about a fifth larger.
STREAM_COMPRESSION = 1


def _text_cell(ws, value: Any, **style) -> Any:
    """A write-only cell that stays text; plain values are returned as they are (faster)."""
    value = cell_value(value)
    if isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES or style):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        for key, v in style.items():
            setattr(cell, key, v)
        return cell
    if style:
        cell = WriteOnlyCell(ws, value=value)
        for key, v in style.items():
            setattr(cell, key, v)
        return cell
    return value


class _NumberFormats:
    """The number format of each source cell style that shows a number differently
    from General (dates, ``#,##0.00``, percentages), as a style for the copied cell.

    Read-only cells carry only a style id: each id is looked up once. Formats of text
    cells (``@``) are left out: they do not change what a text shows, and wrapping
    every text cell of a million rows would cost more than the whole copy saves.
    """

    def __init__(self, ws_out) -> None:
        self.ws = ws_out
        self.styles: dict[int, Any] = {}

    def style_for(self, cell) -> Any:
        sid = getattr(cell, "_style_id", 0)
        if not sid:
            return None
        try:
            return self.styles[sid]
        except KeyError:
            pass
        style = None
        fmt = cell.number_format
        if fmt and fmt != "General" and fmt != "@":
            probe = WriteOnlyCell(self.ws, value=0)
            probe.number_format = fmt  # registers it in the output book once
            style = probe._style
        self.styles[sid] = style
        return style


def _copy_cell(ws, cell, formats: _NumberFormats) -> Any:
    value = getattr(cell, "value", None)
    if value is None:
        return None
    kind = getattr(cell, "data_type", None)
    if isinstance(value, str):
        # Text that openpyxl would take for a formula or an error code keeps its type.
        if kind in ("s", "e", "str", "inlineStr") and (
            value.startswith("=") or kind == "e" or value in ERROR_CODES
        ):
            out = WriteOnlyCell(ws, value=value)
            out.data_type = "e" if kind == "e" else "s"
            return out
        return value
    style = formats.style_for(cell) if not isinstance(value, bool) else None
    if style is None:
        return value
    out = WriteOnlyCell(ws, value=value)
    out._style = style  # shared, never changed: one style record per format
    return out


class _Styles:
    """Style ids in the output book for cells written as markup: fills, date formats,
    number formats and the shaded header, each registered once."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self._ids: dict[tuple, int] = {}
        # Set in a forked worker: a style first needed there would get an id the
        # parent's book never registers, so the worker gives up its rows instead.
        self.frozen = False

    def _id(self, key: tuple, **style) -> int:
        found = self._ids.get(key)
        if found is None:
            if self.frozen:
                raise GiveUp(f"style {key} first needed in a worker")
            cell = WriteOnlyCell(self.ws, value=None)
            for name, v in style.items():  # a date value brings its number format
                setattr(cell, name, v)
            found = self._ids[key] = cell.style_id
        return found

    def fill(self, color: str) -> int:
        found = self._ids.get(("fill", color))  # looked up before a PatternFill is built
        if found is not None:
            return found
        return self._id(
            ("fill", color), fill=PatternFill(start_color=color, end_color=color, fill_type="solid")
        )

    def number_format(self, fmt: str) -> int:
        return self._id(("format", fmt), number_format=fmt)

    def header(self) -> int:
        return self._id(("header",), **HEADER_STYLE)

    def bold(self) -> int:
        return self._id(("bold",), font=_BOLD)

    def plain(self, value: Any, style: int | None) -> tuple[Any, int | None]:
        """A value `cell_xml` writes: dates become Excel serial numbers with a date style."""
        kind = type(value)
        if value is None or kind is int or kind is float or kind is bool:
            return value, style
        value = cell_value(value)
        if isinstance(value, dt.date | dt.time | dt.timedelta):
            date_style = self._id(("date", type(value)), value=value)
            return to_excel(value), style or date_style
        return value, style


class _Overlay:
    """The output cells of one sheet row, built when the row is written (not all at once:
    a million rows of prepared cells would not fit the memory budget), as
    {column: (value, style id)} for `sheet_xml` (style None: keep the replaced cell's).

    Notes are not attached to cells (openpyxl would keep a heavy record of each);
    they are collected in `notes` as (row, column, text) and saved by `note_parts`.
    """

    def __init__(self, plans, blocks, ws, edits: dict[int, dict[int, Any]]) -> None:
        self.ws = ws
        self.notes: list[NoteCell] = []
        self.edits = edits  # sheet row → {sheet column: new value} of customer cells
        self.parts = []
        self._fill_rows: dict[tuple[int, str], dict[int, Any]] = {}
        self.styles = _Styles(ws)
        for plan, block in zip(plans, blocks, strict=True):
            if block is None:
                continue
            fills = {(h.row, h.header): h.fill for h in plan.highlights}
            at = {column.header: block.start_col + j for j, column in enumerate(plan.columns)}
            for c in plan.comments:
                if 0 <= c.row < block.n_rows and c.header in at:
                    self.notes.append((block.first_data_row + c.row, at[c.header], c.text))
            self.parts.append((plan, block, fills))
            for h in plan.highlights:  # the same fills by sheet column, for `tails`
                self._fill_rows.setdefault((block.start_col, h.header), {})[h.row] = h.fill
        self.notes.sort(key=lambda n: (n[0], n[1]))
        self._edit_rows = sorted(edits)  # rows `tails` sends down the general path
        # Every style the blocks use registered now, in one order, before any row is
        # written: rows spliced by forked workers (`_sheet_rows`) then mean the same ids.
        if self.parts:
            self.styles.bold()
        for plan, _, _ in self.parts:
            for color in dict.fromkeys(h.fill.value for h in plan.highlights):
                self.styles.fill(color)

    def pop(self, row: int) -> dict[int, tuple[Any, int | None]]:
        cells = {col: self.styles.plain(v, None) for col, v in self.edits.pop(row, {}).items()}
        for plan, block, fills in self.parts:
            if row == block.header_row:
                for j, header in enumerate(block.headers):
                    cells[block.start_col + j] = self.styles.plain(header, self.styles.bold())
                continue
            i = row - block.first_data_row
            if not 0 <= i < block.n_rows:
                continue
            for j, column in enumerate(plan.columns):
                fill = fills.get((i, column.header))
                style = self.styles.fill(fill.value) if fill is not None else 0
                cells[block.start_col + j] = self.styles.plain(column.values[i], style)
        return cells

    def last_row(self) -> int:
        return max((b.last_row for _, b, _ in self.parts), default=0)

    def tails(self, start: int, stop: int) -> list[tuple[int | None, str]]:
        """For each sheet row in [start, stop): (first new column, markup of the row's new
        block cells in column order), or (None, "") for a row the general path must take
        (a header row or a row with edits of customer cells). Built a column at a time."""
        n = stop - start
        left: list[int | None] = [1 << 30] * n
        columns: list[tuple[int, list[str]]] = []
        for plan, block, _ in self.parts:
            i0 = max(start - block.first_data_row, 0)
            i1 = min(stop - block.first_data_row, block.n_rows)
            if i1 <= i0:
                continue
            offset = block.first_data_row + i0 - start  # list position of data row i0
            for j, column in enumerate(plan.columns):
                col = block.start_col + j
                cells = self._column_cells(
                    column_letters(col),
                    block.first_data_row + i0,
                    column.values[i0:i1],
                    self._fill_rows.get((block.start_col, column.header), {}),
                    i0,
                )
                padded = [""] * offset + cells + [""] * (n - offset - len(cells))
                columns.append((col, padded))
            for k in range(offset, offset + i1 - i0):
                if left[k] > block.start_col:
                    left[k] = block.start_col
        columns.sort(key=lambda c: c[0])
        tails = (
            list(map("".join, zip(*(c for _, c in columns), strict=True))) if columns else [""] * n
        )
        out = list(zip(left, tails, strict=True))
        for _, block, _ in self.parts:
            if start <= block.header_row < stop:
                out[block.header_row - start] = (None, "")
        rows = self._edit_rows
        for k in range(bisect_left(rows, start), bisect_left(rows, stop)):
            out[rows[k] - start] = (None, "")
        return out

    def _column_cells(
        self, letters: str, first_row: int, values, fills: dict[int, Any], i0: int
    ) -> list[str]:
        """The ``<c>`` markup of one column's values, as `cell_xml` writes each ("" for an
        empty cell without a style)."""
        out = []
        append = out.append
        plain = self.styles.plain
        row = first_row
        for i, value in enumerate(values):
            fill = fills.get(i0 + i) if fills else None  # data row i0 + i
            style = self.styles.fill(fill.value) if fill is not None else 0
            if value.__class__ is str and value:
                append(_text_xml(f"{letters}{row}", value, style))
            else:
                value, date_style = plain(value, None)
                append(cell_xml(f"{letters}{row}", value, style or date_style or 0))
            row += 1
        return out


def _text_xml(ref: str, value: str, style: int) -> str:
    """`cell_xml` of `cell_value` of a non-empty ``str``, in one step (most new cells)."""
    if ILLEGAL_XML.search(value) or len(value) > CELL_TEXT_LIMIT:
        value = cell_value(value)
    s = f' s="{style}"' if style else ""
    # what `cell_xml` tests as value != value.strip(), for a non-empty text
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{xml_text(value)}</t></is></c>'


# Rows handled together: the new cells of a batch are built a column at a time, which
# costs a fraction of building them cell by cell per row (a million rows, five columns).
_BATCH = 4096


# Rows below which a sheet is spliced in one process: forking and handing a worker's
# rows over cost more than splicing them here.
ROWS_PER_WORKER = 50_000
# The first piece, spliced here, is this many times a worker's (a worker also inflates
# the rows before its piece, and writes its deflated piece out to be copied). On a
# million rows (benchmarks/run_phases.py): equal pieces, worker 14.1 s of CPU against
# this process's 11.8 s; 1.2 times, 10.3 s against 11.7 s (ISA-L deflating both).
FIRST_PIECE_SHARE = 1.1

_Row = tuple[int, bytes, bytes | None, bytes]  # sheet row number, attributes, inner XML, element


def _numbered(rows) -> Iterator[_Row]:
    """Each row of a part with its sheet row number: stated, else one past the previous."""
    counter = 0
    for attrs, inner, whole in rows:
        number = ROW_NUMBER.search(attrs)
        counter = int(number.group(1)) if number else counter + 1
        yield counter, attrs, inner, whole


def _sheet_rows(part: SheetPart, overlay: _Overlay, splits=(), reopen=None):
    """The customer sheet's rows as markup: untouched rows byte for byte, the others with
    the overlay's cells spliced in, rows the overlay adds (blank rows, rows past the end)
    in their places.

    ``splits`` (sheet rows, ascending) cut the rows into pieces; each piece after the
    first is spliced and deflated by a forked worker that reads the part again
    (``reopen()``) while this process splices the first, so a million rows use every
    core; such pieces come as `DeflatedPiece`s, which the writer copies into the zip. The markup is
    the same byte for byte: a worker starts from the state the rows before its piece
    leave (row counter, highest row written). If any worker gives up (a row out of
    order reaching back before its piece, a style the parent has not registered) or
    fails, this process splices the rest itself.
    """
    workers = []
    try:
        numbered = _numbered(part.rows())
        if splits:
            bounds = [*splits, None]
            workers = fork_pieces(
                lambda k: deflate_piece(
                    _piece(reopen, overlay, bounds[k], bounds[k + 1]), STREAM_COMPRESSION
                ),
                len(splits),
            )
        stop = splits[0] if workers else None
        pending, done = yield from _splice(numbered, overlay, 0, stop)
        if pending is None:  # the rows ended before the first piece: nothing left
            return
        made = [DeflatedPiece.read(f) if (f := w.result()) is not None else None for w in workers]
        if all(p is not None for p in made):
            yield from made  # deflated already: the writer copies them into the zip
            return
        yield from _splice(numbered, overlay, done, None, pending)
    finally:
        for w in workers:
            w.stop()
        part.close()


def _piece(reopen, overlay: _Overlay, first: int, stop: int | None):
    """In a forked worker: the markup `_sheet_rows` gives from the first row numbered
    `first` or more up to (not including) the first numbered `stop` or more."""
    overlay.styles.frozen = True
    part = reopen()
    try:
        done = part.skip_to(first)
        if done is not None:
            numbered = _numbered(part.rows())
            row = next(numbered, None)
            if row is not None:
                yield from _splice(numbered, overlay, done, stop, row, floor=first)
            return
        part.close()  # a row start tag in another form: read the rows one by one
        part = reopen()
        numbered = _numbered(part.rows())
        done = 0
        for row in numbered:
            if row[0] >= first:
                yield from _splice(numbered, overlay, done, stop, row, floor=first)
                return
            done = max(done, row[0])
    finally:
        part.close()


def _splice(numbered, overlay: _Overlay, done: int, stop=None, pending=None, floor: int = 0):
    """Splice rows from `pending` then `numbered` on, `done` being the highest row
    written before them, up to the first row numbered `stop` or more; that row and the
    highest row written are returned (None: the rows ended, and the overlay's rows past
    them were written too). A row out of order below `floor` raises `GiveUp`."""
    batch: list[_Row] = []
    rows = itertools.chain((pending,), numbered) if pending is not None else numbered
    for row in rows:
        counter, attrs, inner, whole = row
        if counter <= done:  # rows out of order: not Excel's, but keep them
            if counter < floor:
                raise GiveUp(f"row {counter} comes after row {done}")
            yield from _spliced(overlay, batch)
            batch = []
            extra = overlay.pop(counter)
            yield splice_row(counter, attrs, inner, extra) if extra else whole
            continue
        if stop is not None and counter >= stop:
            yield from _spliced(overlay, batch)
            return row, done
        for r in range(done + 1, counter):  # rows the source leaves out
            batch.append((r, b"", None, b""))
        done = counter
        batch.append(row)
        if len(batch) >= _BATCH:
            yield from _spliced(overlay, batch)
            batch = []
    for r in range(done + 1, overlay.last_row() + 1):
        batch.append((r, b"", None, b""))
        if len(batch) >= _BATCH:
            yield from _spliced(overlay, batch)
            batch = []
    yield from _spliced(overlay, batch)
    return None, done


def _spliced(overlay: _Overlay, batch: list[tuple[int, bytes, bytes | None, bytes]]):
    """A batch of consecutive rows with the overlay's cells in them. A row whose new cells
    all lie right of its last cell gets them appended (the common case: the output block
    beside the table); others (edits of customer cells, headers) are spliced cell by cell."""
    if not batch:
        return
    first = batch[0][0]
    tails = overlay.tails(first, batch[-1][0] + 1)
    for (row, attrs, inner, whole), (left, tail) in zip(batch, tails, strict=True):
        if left is None:  # not a plain data row of the blocks: the general path
            extra = overlay.pop(row)
            if not whole:
                if extra:
                    yield new_row(row, extra)
            else:
                yield splice_row(row, attrs, inner, extra) if extra else whole
            continue
        if not tail:
            if whole:
                yield whole
            continue
        if not whole:
            yield b'<row r="%d">' % row + tail.encode() + b"</row>"
            continue
        if inner and last_column(inner) >= left:
            yield splice_row(row, attrs, inner, overlay.pop(row))
            continue
        if b"spans" in attrs:  # a hint of the used columns: no longer true
            attrs = strip_spans(attrs)
        yield b"<row" + attrs + b">" + (inner or b"") + tail.encode() + b"</row>"


def _styled(ws, value: Any, style: int | None) -> Any:
    """An overlay cell for openpyxl's writer (the path for sheets not copied as bytes)."""
    if not style:
        return _text_cell(ws, value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell._style = copy(ws.parent._cell_styles[style])
    return cell


def _place(row: tuple, cols: list[int]) -> list:
    out = [None] * max(cols)
    for col, value in zip(cols, row, strict=True):
        out[col - 1] = value
    return out


def _place_images(out: Workbook, plans: list[ChangePlan]) -> None:
    """The plans' pictures on their sheets (the map). A read-only source hands over no
    pictures, so there is never an old one at the anchor to replace."""
    from openpyxl.drawing.image import Image  # needs Pillow; only maps place images

    for plan in plans:
        for image in plan.images:
            name = find_sheet(out.sheetnames, image.sheet)
            ws = out[name] if name is not None else out.create_sheet(image.sheet)
            ws.add_image(Image(io.BytesIO(image.png)), image.anchor)


def _markup_rows(ws, rows, write: SheetWrite | None = None, *, shaded_header: bool = False):
    """Rows of a sheet written whole (a plan's sheet, a new log) as row markup, for
    `note_parts` to put in place of the sheet's empty sheetData: text always as text,
    numbers in the plan's formats, the header row shaded. Written this way rather than
    through openpyxl's cells, which cost ~30 µs each: the code registry and the log of a
    million-row run hold tens of thousands of rows."""
    styles = _Styles(ws)
    width = max((len(r) for r in rows), default=0) if shaded_header else 0
    for r, row in enumerate(rows, start=1):
        cells = []
        header = r == 1 and shaded_header
        for c, value in enumerate(row):
            if value.__class__ is str and value and not header:
                # Most cells: text, which takes no number format and no style.
                cells.append(_text_xml(f"{column_letters(c + 1)}{r}", value, 0))
                continue
            style = 0
            if header:
                style = styles.header()
            elif write is not None and value is not None and value != "":
                fmt = write.number_format_at(c, value)
                style = styles.number_format(fmt) if fmt is not None else 0
            value, style = styles.plain(None if value == "" else value, style)
            cells.append(cell_xml(f"{column_letters(c + 1)}{r}", value, style or 0))
        if header:  # the whole header row shaded, as wide as the widest row
            cells += [
                cell_xml(f"{column_letters(c + 1)}1", None, style) for c in range(len(row), width)
            ]
        body = "".join(cells)
        if body:
            yield f'<row r="{r}">{body}</row>'.encode()


def _write_rows(ws, rows) -> None:
    for row in rows:
        ws.append([_text_cell(ws, v) if v != "" else None for v in row])


def _write_sheet(ws, write: SheetWrite) -> None:
    """A whole sheet of a plan laid out as the loaded path lays it out: column widths
    (Excel's narrow default cuts the labels), shaded header, page and view settings, and
    numbers in the columns that have a format."""
    if write.hidden:
        ws.sheet_state = "hidden"
    for c, width in enumerate(write.column_widths or fitted_widths(write.rows), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    n_columns = max((len(r) for r in write.rows), default=0)
    if not write.hidden and n_columns:
        readable_layout(ws, n_columns, len(write.rows))
    if write.printing is not None:
        print_layout(ws, write.printing)
    ws._get_writer()  # made now: the charts below are kept with the sheet's other parts
    setattr(ws, SHEET_ROWS, _markup_rows(ws, write.rows, write, shaded_header=True))
    add_charts(ws, write.charts)


def stream_apply(
    source: str | os.PathLike | Workbook,
    target: str | os.PathLike,
    plans: list[ChangePlan],
    table: CustomerTable,
    *,
    when: dt.datetime,
    user: str,
    jobs: int = 1,
) -> Path:
    """Write `source` with every plan applied to `target` (atomically), streaming rows.

    `source` is a path or a workbook open read-only (the one `table` was read from:
    opening it again would cost a pass over each sheet that states no size); a workbook
    given is closed before `target` is replaced. Old values of an existing output block
    and of edited customer cells come from `table` (it holds every table column), so the
    log is complete without a second pass. With ``jobs`` > 1 the customer sheet's rows
    are spliced by that many processes (where ``fork`` exists), with the same result.
    """
    location: TableLocation = table.location
    row_keys = table.row_keys()
    blocks: list[BlockLayout | None] = []
    log_rows: list[tuple] = []
    edits: dict[int, dict[int, Any]] = {}
    for plan in plans:
        block = resolve_block(plan, location)
        old = None
        if block is not None and block.existing:
            offset = block.start_col - location.first_col
            old = table.frame.iloc[:, offset : offset + len(block.headers)].values.tolist()
        edited = _edits(plan, location, table, edits)
        blocks.append(block)
        log_rows += run_log_rows(
            plan, block, old, row_keys, edited, location.sheet, when=when, user=user
        )
        location = extend_location(location, block)

    src = source if isinstance(source, Workbook) else open_workbook(source, read_only=True)
    try:
        out = _copy_book(src, plans, blocks, table, log_rows, edits, jobs)
    finally:
        src.close()
    target = Path(target)
    with replacing(target, f"无法写入工作簿 / Cannot write workbook {target}") as tmp:
        save_with_notes(out, tmp, compresslevel=STREAM_COMPRESSION)
    return target


def _edits(
    plan: ChangePlan, location: TableLocation, table: CustomerTable, edits: dict
) -> list[tuple]:
    """Where each of the plan's edits of customer cells goes, added to ``edits``
    (sheet row → {column: value}); returns them with their old values for the log,
    read from ``table`` (it holds every table column as it was read)."""
    done = []
    width = table.frame.shape[1]
    for edit in plan.edits:
        r, c = edit_position(location, edit)
        j = c - location.first_col
        old = edits.get(r, {}).get(c, table.frame.iat[edit.row, j] if j < width else None)
        edits.setdefault(r, {})[c] = edit.value
        done.append((edit, r, c, old))
    return done


def _share_styles(src, out: Workbook) -> None:
    """Give the copy the source's style tables, so a source cell's style id means the same
    in the copy (rows copied as bytes keep their fonts, fills, borders and formats)."""
    for attr in (
        "_borders",
        "_fonts",
        "_fills",
        "_number_formats",
        "_protections",
        "_alignments",
        "_table_styles",
        "_cell_styles",
        "_named_styles",
        "_colors",
    ):
        setattr(out, attr, getattr(src, attr))
    out._differential_styles.styles = src._differential_styles.styles


def _raw_part(src, ws_in) -> SheetPart | None:
    """The source sheet's part to copy as bytes, if it is a read-only sheet in plain markup."""
    if not isinstance(ws_in, ReadOnlyWorksheet):
        return None
    return SheetPart.open(src._archive, ws_in._worksheet_path)


def _dimension(ws_in, overlay: _Overlay) -> str | None:
    """The used range of the copy, when the source states its own (else none is written)."""
    if not (ws_in.max_row and ws_in.max_column):
        return None
    top, left = ws_in.min_row or 1, ws_in.min_column or 1
    bottom, right = ws_in.max_row, ws_in.max_column
    for _, block, _ in overlay.parts:
        top, left = min(top, block.header_row), min(left, block.start_col)
        bottom, right = max(bottom, block.last_row), max(right, block.end_col)
    for row, cells in overlay.edits.items():
        bottom, right = max(bottom, row), max(right, *cells)
    return f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}"


def _sheet_extras(ws_out, overlay: _Overlay, plans, blocks) -> None:
    """The customer sheet's notes and the plans' conditional formats."""
    if overlay.notes:
        set_notes(ws_out, overlay.notes, author="addrkit", size=COMMENT_SIZE)
    for plan, block in zip(plans, blocks, strict=True):
        for cf in plan.conditional_formats if block is not None else ():
            for rule in cf.rules:
                ws_out.conditional_formatting.add(
                    block.data_ref(cf.header), cf_rule(rule.value, rule.fill)
                )


def _splits(location: TableLocation, jobs: int) -> list[int]:
    """Sheet rows at which the customer rows are cut into pieces, one per process, the
    first `FIRST_PIECE_SHARE` times the size of the others (none for a sheet too short
    to be worth a fork).

    Examples
    --------
    >>> loc = TableLocation("客户", 1, 1, 3, 200_001, ("a", "b", "c"), ())
    >>> _splits(loc, 2), _splits(loc, 1)
    ([104764], [])
    """
    n = location.n_rows
    pieces = max(1, min(jobs, n // ROWS_PER_WORKER))
    return piece_starts(location.header_row + 1, n, pieces, FIRST_PIECE_SHARE)[1:]


def _reopen(src, ws_in):
    """How a forked worker opens the source sheet part for itself (a file descriptor
    shared with the parent would share its position), or None for a source not on disk."""
    path = getattr(src._archive, "filename", None)
    if not path or not os.path.isfile(path):
        return None
    return lambda: SheetPart.open(zipfile.ZipFile(path), ws_in._worksheet_path)


def _copy_book(
    src, plans, blocks, table: CustomerTable, log_rows: list[tuple], edits: dict, jobs: int = 1
) -> Workbook:
    """A write-only copy of every sheet of `src`, the output blocks laid over the customer sheet."""
    out = Workbook(write_only=True)
    _share_styles(src, out)
    # A macro-enabled book keeps its VBA project (open_workbook kept it) and its type.
    out.vba_archive = getattr(src, "vba_archive", None)
    out.code_name = getattr(src, "code_name", None)
    replaced: dict[str, SheetWrite] = {}
    for plan in plans:
        for sheet in plan.sheets:
            replaced[find_sheet(src.sheetnames, sheet.name) or sheet.name] = sheet
    log_name = find_sheet(src.sheetnames, LOG_SHEET)

    for name in src.sheetnames:
        ws_in = src[name]
        ws_out = out.create_sheet(name)
        ws_out.sheet_state = ws_in.sheet_state
        if name in replaced:
            _write_sheet(ws_out, replaced.pop(name))
            continue
        overlay = _Overlay(plans, blocks, ws_out, edits) if name == table.location.sheet else None
        part = _raw_part(src, ws_in) if overlay is not None else None
        if part is not None:  # rows copied as they stand, new cells spliced in at save
            ws_out._get_writer()  # made now, or it would drop the notes set below
            reopen = _reopen(src, ws_in)
            splits = _splits(table.location, jobs) if reopen is not None else []
            setattr(ws_out, SHEET_ROWS, _sheet_rows(part, overlay, splits, reopen))
            setattr(ws_out, SHEET_DIMENSION, _dimension(ws_in, overlay))
            strings = getattr(src, STRINGS_PART, None)
            if strings:  # the rows' shared-string indexes keep their table
                setattr(out, SHARED_STRINGS_XML, src._archive.read(strings))
            _sheet_extras(ws_out, overlay, plans, blocks)
            continue
        used = r = 0
        log_header: list = []
        formats = _NumberFormats(ws_out)
        for r, row in enumerate(ws_in.iter_rows(), start=1):
            values = [_copy_cell(ws_out, c, formats) for c in row]
            if name == log_name and r == 1:
                log_header = [getattr(c, "value", None) for c in row]
                cols, added = log_columns(log_header)
                values += [None] * (max(cols) - len(values))
                for zh in added:
                    values[cols[[f for f, _ in LOG_FIELDS].index(zh)] - 1] = zh
            if values and any(v is not None for v in values):
                used = r
            extra = overlay.pop(r) if overlay is not None else None
            if extra:
                values += [None] * (max(extra) - len(values))
                for col, (value, style) in extra.items():
                    values[col - 1] = _styled(ws_out, value, style)
            ws_out.append(values)
        while overlay is not None and r < overlay.last_row():  # output rows past the sheet's end
            r += 1
            extra = overlay.pop(r)
            values = [None] * max(extra, default=0)
            for col, (value, style) in extra.items():
                values[col - 1] = _styled(ws_out, value, style)
            ws_out.append(values)
        if overlay is not None:
            _sheet_extras(ws_out, overlay, plans, blocks)
        if name == log_name:
            cols, _ = log_columns(log_header)
            if used == 0:
                _write_rows(ws_out, [[zh for zh, _ in LOG_FIELDS]])
            _write_rows(ws_out, [_place(row, cols) for row in log_rows])
    for name, sheet in replaced.items():
        _write_sheet(out.create_sheet(name), sheet)
    _place_images(out, plans)
    if log_name is None and log_rows:
        ws = out.create_sheet(LOG_SHEET)
        ws._get_writer()
        setattr(ws, SHEET_ROWS, _markup_rows(ws, [[zh for zh, _ in LOG_FIELDS], *log_rows]))
    return out
