"""Native Excel charts from a plan's `ChartSpec`, built with openpyxl's chart objects.

The chart is written as DrawingML referring to the sheet's cells, so it stays live in
Excel: change a count and the bar follows; the user can restyle or move it. Both file
writers (the loaded and the streamed one) draw with `add_charts`; the live adapter draws
the same spec through xlwings (`addrkit.workbook.live`).
"""

from __future__ import annotations

from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

from ..ops.plan import ChartKind, ChartSpec

__all__ = ["openpyxl_chart", "add_charts"]


AXIS_TEXT_SIZE = 800  # hundredths of a point: 8 pt keeps 30-odd province names apart


def _text_size(size: int) -> RichText:
    properties = CharacterProperties(sz=size)
    return RichText(
        p=[Paragraph(pPr=ParagraphProperties(defRPr=properties), endParaRPr=properties)]
    )


def _labels(*, percent: bool) -> DataLabelList:
    labels = DataLabelList()
    labels.showVal = not percent
    labels.showPercent = percent
    labels.showCatName = False
    labels.showSerName = False
    labels.showLegendKey = False
    labels.txPr = _text_size(AXIS_TEXT_SIZE)
    return labels


def openpyxl_chart(spec: ChartSpec, ws):
    """The openpyxl chart object for `spec`, its data referring to `ws`'s cells.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> spec = ChartSpec("状态", ChartKind.PIE, 1, 2, 5, 1, (2,), "F2")
    >>> chart = openpyxl_chart(spec, ws)
    >>> type(chart).__name__, chart.anchor
    ('PieChart', 'F2')
    """
    categories = Reference(
        ws, min_col=spec.label_col, min_row=spec.first_row, max_row=spec.last_row
    ).__str__()
    data = Reference(
        ws,
        min_col=spec.value_cols[0],
        max_col=spec.value_cols[-1],
        min_row=spec.header_row,
        max_row=spec.last_row,
    )
    if spec.kind is ChartKind.PIE:
        chart = PieChart()
        chart.dataLabels = _labels(percent=True)
        chart.legend.position = "r"
    else:
        chart = BarChart()
        chart.type = "bar" if spec.kind is ChartKind.BAR else "col"
        chart.grouping = "clustered"
        chart.dataLabels = _labels(percent=False)
        # openpyxl marks axes deleted unless told: Excel would draw bars without labels.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.majorGridlines = None
        if spec.kind is ChartKind.BAR:
            chart.x_axis.scaling.orientation = "maxMin"  # first row (the largest) on top
            chart.y_axis.crosses = "max"  # keeps the value axis at the bottom when flipped
        chart.x_axis.tickLblSkip = 1  # every category named, not every other one
        chart.x_axis.txPr = _text_size(AXIS_TEXT_SIZE)
        if len(spec.value_cols) == 1:
            chart.legend = None  # one series: its name is the title's business
        chart.gapWidth = 60
    chart.add_data(data, titles_from_data=True)
    if spec.kind is ChartKind.BAR and len(chart.series) > 1:
        _legend_in_column_order(chart)
    # Category names are text: a string reference (openpyxl's set_categories makes a
    # numeric one, which Excel reads as 1, 2, 3… when it rebuilds the cache).
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=categories))
    chart.title = spec.title
    chart.width, chart.height = spec.width, spec.height
    chart.anchor = spec.anchor
    if spec.kind is ChartKind.PIE:
        chart.plot_area.layout = Layout(ManualLayout(x=0.05, y=0.12, w=0.55, h=0.8))
    return chart


def _legend_in_column_order(chart) -> None:
    """Series written last column first, so the legend reads in the table's column order.

    A horizontal bar chart's legend lists its series bottom to top (Excel and LibreOffice
    both), and with the categories flipped to put the first row on top it read D, C, B, A.
    LibreOffice ignores the series' plot order (``c:order``), so the series themselves go
    in reverse; each tier keeps its colour only by position, which nothing relies on.
    """
    chart.series = list(reversed(chart.series))
    for i, series in enumerate(chart.series):
        series.idx = i
        series.order = i


def add_charts(ws, specs) -> None:
    """Draw every spec on `ws` (a loaded or a write-only sheet)."""
    for spec in specs:
        ws.add_chart(openpyxl_chart(spec, ws))
