"""An in-memory stand-in for the part of the xlwings Book/Sheet/Range API the live adapter uses.

There is no Excel on the machines these tests run on, so the live adapter's plan
application is checked against this object. It models the Excel behaviour the adapter
depends on: a string written to a General cell is a formula when it starts with "=",
a number when it looks like one, and text when it starts with an apostrophe (which is
dropped) or when the cell has the Text (@) format; reading gives floats for numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import range_boundaries

DEFAULT_WIDTH = 8.43  # Excel's column width on a new sheet
_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


@dataclass(frozen=True)
class Formula:
    """A cell Excel would calculate: never equal to any value the file adapter writes."""

    text: str


class Note:
    def __init__(self, sheet, key):
        self.sheet, self.key = sheet, key

    @property
    def text(self):
        return self.sheet.notes[self.key]

    @text.setter
    def text(self, value):
        self.sheet.notes[self.key] = value

    def delete(self):
        del self.sheet.notes[self.key]


class FormatCondition:
    def __init__(self, value):
        self.value = value
        self.Interior = type("Interior", (), {"Color": None})()


class FormatConditions:
    def __init__(self, sheet, ref):
        self.sheet, self.ref = sheet, ref

    def Add(self, kind, operator, formula):
        assert (kind, operator) == (1, 3), "only 'cell value equals' rules are modelled"
        fc = FormatCondition(formula)
        self.sheet.cf.setdefault(self.ref, []).append(fc)
        return fc

    def Delete(self):
        self.sheet.cf.pop(self.ref, None)


class RangeApi:
    def __init__(self, rng):
        self.rng = rng

    @property
    def FormatConditions(self):
        return FormatConditions(self.rng.sheet, self.rng.address)

    def ClearComments(self):
        for key in list(self.rng.sheet.notes):
            if key in self.rng.cells():
                del self.rng.sheet.notes[key]


def _parse(cell):
    if isinstance(cell, tuple):
        return cell
    letters = re.match(r"([A-Z]+)(\d+)", cell)
    return int(letters.group(2)), column_index_from_string(letters.group(1))


class Range:
    def __init__(self, sheet, top, left, bottom=None, right=None, ndim=None):
        self.sheet, self.r0, self.c0 = sheet, top, left
        self.r1, self.c1 = bottom or top, right or left
        self.ndim = ndim

    def options(self, ndim=None, **_):
        return Range(self.sheet, self.r0, self.c0, self.r1, self.c1, ndim)

    @property
    def row(self):
        return self.r0

    @property
    def column(self):
        return self.c0

    @property
    def last_cell(self):
        return Range(self.sheet, self.r1, self.c1)

    @property
    def address(self):
        a = f"${get_column_letter(self.c0)}${self.r0}"
        b = f"${get_column_letter(self.c1)}${self.r1}"
        return a if a == b else f"{a}:{b}"

    def cells(self):
        return {(r, c) for r in range(self.r0, self.r1 + 1) for c in range(self.c0, self.c1 + 1)}

    @property
    def value(self):
        grid = [
            [self.sheet.values.get((r, c)) for c in range(self.c0, self.c1 + 1)]
            for r in range(self.r0, self.r1 + 1)
        ]
        if self.ndim == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if len(grid) == 1:
            return grid[0]
        if all(len(r) == 1 for r in grid):
            return [r[0] for r in grid]
        return grid

    @value.setter
    def value(self, value):
        if isinstance(value, list | tuple) and value and isinstance(value[0], list | tuple):
            rows = value
        elif isinstance(value, list | tuple):
            rows = [value]
        else:
            rows = [[value] * (self.c1 - self.c0 + 1)] * (self.r1 - self.r0 + 1)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.sheet.store(self.r0 + i, self.c0 + j, v)

    @property
    def number_format(self):
        found = {self.sheet.formats.get(key, "General") for key in self.cells()}
        return found.pop() if len(found) == 1 else None  # xlwings: None when mixed

    @number_format.setter
    def number_format(self, fmt):
        for key in self.cells():
            self.sheet.formats[key] = fmt

    @property
    def note(self):
        key = (self.r0, self.c0)
        return Note(self.sheet, key) if key in self.sheet.notes else None

    def add_note(self, text):
        self.sheet.notes[(self.r0, self.c0)] = text
        return Note(self.sheet, (self.r0, self.c0))

    @property
    def color(self):
        return self.sheet.colors.get((self.r0, self.c0))

    @color.setter
    def color(self, rgb):
        for key in self.cells():
            if rgb is None:  # xlwings: None removes the fill
                self.sheet.colors.pop(key, None)
            else:
                self.sheet.colors[key] = tuple(rgb)

    @property
    def column_width(self):
        widths = {self.sheet.widths.get(c, DEFAULT_WIDTH) for c in range(self.c0, self.c1 + 1)}
        return widths.pop() if len(widths) == 1 else None

    @column_width.setter
    def column_width(self, width):
        for c in range(self.c0, self.c1 + 1):
            if abs(float(width) - DEFAULT_WIDTH) < 0.01:  # back to Excel's standard width
                self.sheet.widths.pop(c, None)
            else:
                self.sheet.widths[c] = float(width)

    @property
    def font(self):
        return Font(self)

    @property
    def left(self):
        """Points from the sheet's left edge, as xlwings gives them."""
        return self.sheet.x_of(self.c0)

    @property
    def top(self):
        return self.sheet.y_of(self.r0)

    @property
    def api(self):
        return RangeApi(self)

    def clear(self):
        for store in (self.sheet.values, self.sheet.formats, self.sheet.notes, self.sheet.colors):
            for key in self.cells() & set(store):
                del store[key]
        self.sheet.bold -= self.cells()


class Font:
    def __init__(self, rng):
        self.rng = rng

    @property
    def bold(self):
        return all(key in self.rng.sheet.bold for key in self.rng.cells())

    @bold.setter
    def bold(self, value):
        for key in self.rng.cells():
            if value:
                self.rng.sheet.bold.add(key)
            else:
                self.rng.sheet.bold.discard(key)


class Picture:
    def __init__(self, pictures, name, anchor, png):
        self.pictures, self.name, self.anchor, self.png = pictures, name, anchor, png

    def delete(self):
        del self.pictures[self.name]


class Pictures(dict):
    """sheet.pictures: add(path, name=, anchor=) keeps the file's bytes and the anchor cell."""

    def add(self, image, name=None, anchor=None, update=False, **_):
        name = name or f"Picture {len(self) + 1}"
        if name in self and not update:
            raise ValueError(f"picture {name!r} exists")  # as xlwings does without update
        with open(image, "rb") as f:
            self[name] = Picture(self, name, anchor.address.replace("$", ""), f.read())
        return self[name]

    def __iter__(self):
        return iter(list(self.values()))


class Table:
    def __init__(self, sheet, name, ref):
        self.sheet, self.name = sheet, name
        left, top, right, bottom = range_boundaries(ref)
        self.range = Range(sheet, top, left, bottom, right)

    def resize(self, rng):
        self.range = Range(self.sheet, rng.r0, rng.c0, rng.r1, rng.c1)


class ComSeries:
    """A chart series: its name (the header cell), data labels and plot order."""

    def __init__(self, chart, name):
        self.chart, self.Name = chart, name
        self.HasDataLabels, self.labels = False, None
        self.ApplyDataLabels = _apply_labels(self)

    @property
    def PlotOrder(self):  # noqa: N802 (Excel's name)
        return self.chart.series_list.index(self) + 1

    @PlotOrder.setter
    def PlotOrder(self, value):  # noqa: N802 (as in Excel, the others shift to make room)
        self.chart.series_list.remove(self)
        self.chart.series_list.insert(value - 1, self)


class ComChart:
    """The few members of Excel's Chart COM object the live adapter sets."""

    def __init__(self):
        self.HasTitle = False
        self.ChartTitle = type("ChartTitle", (), {"Text": None})()
        self.series_list = [ComSeries(self, "Series1")]
        self.category_axis = type("Axis", (), {"ReversePlotOrder": False})()

    @property
    def series(self):
        return self.series_list[0]

    def SeriesCollection(self, index=None):  # noqa: N802 (Excel's name)
        if index is None:
            return type("Series", (), {"Count": len(self.series_list)})()
        return self.series_list[index - 1]  # by plot order, as Excel

    def Axes(self, kind):
        assert kind == 1, "the category axis is modelled"
        return self.category_axis


def _apply_labels(series):
    def apply(kind):
        series.labels = kind

    return apply


class Chart:
    """sheet.charts.add(left, top, width, height): type, source range, name, title."""

    def __init__(self, charts, name, left, top, width, height):
        self.charts, self._name = charts, name
        self.left, self.top, self.width, self.height = left, top, width, height
        self.chart_type, self.source = None, None
        self.api = (object(), ComChart())

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, value):
        self.charts[value] = self.charts.pop(self._name)
        self._name = value

    @property
    def anchor(self):
        """The cell under the chart's top-left corner (the inverse of Range.left/top)."""
        return self.charts.sheet.cell_at(self.left, self.top)

    def set_source_data(self, rng):
        """Excel makes a series of each column right of the first, named by its header."""
        self.source = rng.address.replace("$", "")
        sheet, com = self.charts.sheet, self.api[1]
        com.series_list = [
            ComSeries(com, sheet.values.get((rng.r0, c))) for c in range(rng.c0 + 1, rng.c1 + 1)
        ]

    def delete(self):
        del self.charts[self._name]


class Charts(dict):
    def __init__(self, sheet):
        super().__init__()
        self.sheet = sheet

    def add(self, left=0, top=0, width=355, height=211):
        name = f"Chart {len(self) + 1}"
        self[name] = Chart(self, name, left, top, width, height)
        return self[name]

    def __iter__(self):
        return iter(list(self.values()))


class Tables(dict):
    def __iter__(self):
        return iter(self.values())


class PageSetup:
    """Excel's PageSetup as the adapter sets it (orientation, zoom)."""

    Orientation = 2  # xlLandscape
    Zoom = 100


class PageBreaks:
    """HPageBreaks / VPageBreaks: the cells a manual page break was added before."""

    def __init__(self):
        self.rows = []

    def Add(self, before):  # noqa: N802 (Excel's name)
        self.rows.append(before)


class SheetApi:
    def __init__(self):
        self.PageSetup = PageSetup()
        self.HPageBreaks = PageBreaks()
        self.VPageBreaks = PageBreaks()


class Sheet:
    def __init__(self, book, name):
        self.book, self.name, self.visible = book, name, True
        self.values, self.formats, self.notes, self.colors, self.cf = {}, {}, {}, {}, {}
        self.widths, self.bold = {}, set()  # column → width set; bold cells
        self.tables = Tables()
        self.pictures = Pictures()
        self.charts = Charts(self)
        self.api = SheetApi()

    def store(self, r, c, v):
        key = (r, c)
        if v is None or v == "":
            self.values.pop(key, None)
            return
        if isinstance(v, bool):
            pass
        elif isinstance(v, dt.datetime):
            # Excel shows a date-time written into a General cell with a date format.
            self.formats.setdefault(key, "yyyy-mm-dd h:mm:ss")
        elif isinstance(v, int | float):
            v = float(v)
        elif isinstance(v, str):
            if self.formats.get(key) == "@":
                pass
            elif v.startswith("'"):
                v = v[1:]
            elif v.startswith("="):
                v = Formula(v)
            elif _NUMBER.match(v):
                v = float(v)
        self.values[key] = v

    def x_of(self, col):
        """Points from the left edge to column `col` (a character of width ≈ 7 points)."""
        return sum(self.widths.get(c, DEFAULT_WIDTH) * 7 for c in range(1, col))

    def y_of(self, row):
        return (row - 1) * 15.0  # Excel's default row height

    def cell_at(self, x, y):
        col = 1
        while self.x_of(col + 1) <= x + 0.01:
            col += 1
        return f"{get_column_letter(col)}{int(round(y / 15.0)) + 1}"

    def range(self, a, b=None):
        if isinstance(a, str) and ":" in a:
            left, top, right, bottom = range_boundaries(a.replace("$", ""))
            return Range(self, top, left, bottom, right)
        top, left = _parse(a.replace("$", "") if isinstance(a, str) else a)
        if b is None:
            return Range(self, top, left)
        bottom, right = _parse(b)
        return Range(self, top, left, bottom, right)

    @property
    def used_range(self):
        keys = set(self.values) | set(self.notes)
        if not keys:
            return Range(self, 1, 1)
        return Range(
            self,
            min(r for r, _ in keys),
            min(c for _, c in keys),
            max(r for r, _ in keys),
            max(c for _, c in keys),
        )

    def clear(self):
        # Excel's Clear: contents and formats go; column widths, pictures and charts stay.
        self.values.clear()
        self.formats.clear()
        self.notes.clear()
        self.colors.clear()
        self.cf.clear()
        self.bold.clear()

    def delete(self):
        self.book.sheets._list.remove(self)


class Sheets:
    def __init__(self, book):
        self.book, self._list = book, []

    def __iter__(self):
        return iter(list(self._list))

    def __len__(self):
        return len(self._list)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._list[key]
        for s in self._list:
            if s.name == key:
                return s
        raise KeyError(key)

    def add(self, name, after=None):
        sheet = Sheet(self.book, name)
        index = self._list.index(after) + 1 if after is not None else 0
        self._list.insert(index, sheet)
        return sheet


class App:
    def __init__(self):
        self.status_bar = False
        self.history = []

    def __setattr__(self, key, value):
        if key == "status_bar" and hasattr(self, "history"):
            self.history.append(value)
        object.__setattr__(self, key, value)


class Names(dict):
    pass


class BookApi:
    def __init__(self, book):
        self.book = book

    def SaveCopyAs(self, path):
        self.book.to_openpyxl().save(path)


class Book:
    def __init__(self, fullname="book.xlsx"):
        self.app = App()
        self.sheets = Sheets(self)
        self.names = Names()
        self.fullname = str(fullname)
        self.api = BookApi(self)

    def to_openpyxl(self):
        """The book as Excel would save it: values (formulas as formulas), formats, notes."""
        import openpyxl
        from openpyxl.comments import Comment

        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for sheet in self.sheets:
            ws = wb.create_sheet(sheet.name)
            ws.sheet_state = "visible" if sheet.visible else "hidden"
            for (r, c), v in sheet.values.items():
                cell = ws.cell(r, c, v.text if isinstance(v, Formula) else v)
                if isinstance(v, str):
                    cell.data_type = "s"
            for (r, c), fmt in sheet.formats.items():
                ws.cell(r, c).number_format = fmt
            for (r, c), text in sheet.notes.items():
                ws.cell(r, c).comment = Comment(text, "addrkit")
        return wb

    @classmethod
    def from_openpyxl(cls, wb, fullname="book.xlsx"):
        """A fake live book holding the same cells, notes and tables as an openpyxl workbook."""
        book = cls(fullname)
        for ws in wb.worksheets:
            sheet = book.sheets.add(
                ws.title, after=book.sheets[len(book.sheets) - 1] if len(book.sheets) else None
            )
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        sheet.values[(cell.row, cell.column)] = (
                            float(cell.value)
                            if isinstance(cell.value, int | float)
                            and not isinstance(cell.value, bool)
                            else cell.value
                        )
                    if cell.comment is not None:
                        sheet.notes[(cell.row, cell.column)] = cell.comment.text
            for name, table in ws.tables.items():
                sheet.tables[name] = Table(
                    sheet, name, table.ref if hasattr(table, "ref") else table
                )
            sheet.visible = ws.sheet_state == "visible"
        return book
