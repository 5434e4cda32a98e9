"""The demo workbook's 汇总 Summary charts, as LibreOffice draws them (no Excel here).

The demo is printed to PDF once. The Summary prints its tables first, then the column
of charts and the picture on pages of their own: the charts' page must carry both chart
titles, the province names on the bar chart's axis and coloured pie slices and bars.
The region × tier chart must draw too: every region on its axis, its tiers in the
legend in order, counts beside the bars; and its picture prints whole on one page.
The PNGs are kept under ADDRKIT_RENDER_DIR for a person to look at.

LibreOffice writes a chart's text onto every page of the chart column, drawn or clipped
away, so "the page shows X" is checked where the chart is known to be drawn.
"""

from __future__ import annotations

import re
import subprocess
import sys

import openpyxl
import pytest

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def _coloured_share(png, left: float) -> float:
    """Share of strongly coloured pixels right of `left` (a fraction of the width):
    text is black and header fills are pale, chart slices and bars are saturated."""
    from PIL import Image

    image = Image.open(png).convert("HSV")
    width, height = image.size
    data = image.crop((int(width * left), 0, width, height)).tobytes()  # H, S, V bytes
    saturation, value = data[1::3], data[2::3]
    coloured = sum(1 for s, v in zip(saturation, value, strict=True) if s > 100 and v > 80)
    return coloured / len(saturation)


@pytest.fixture(scope="module")
def demo(libreoffice, tmp_path_factory):
    """The demo workbook and its PDF as LibreOffice prints it."""
    book = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "demo", "--quiet", "-o", str(book)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    return book, libreoffice.to_pdf(book)


def _region_tier_table(book) -> list[tuple]:
    """The Summary's region × tier rows as written: header, a row per region (no totals)."""
    ws = openpyxl.load_workbook(book, read_only=True)["汇总 Summary"]
    rows = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if "区域 Region" in r)
    header = rows[start][rows[start].index("区域 Region") :]  # the rightmost table
    cross = [tuple(header)]
    for row in rows[start + 1 :]:
        cells = tuple(row[-len(header) :])
        if cells[0] == "合计 Total":
            return cross
        cross.append(cells)
    raise AssertionError("the region × tier table has no totals row")


def test_demo_summary_charts_render_with_chinese_labels(libreoffice, demo):
    _, pdf = demo
    pages = libreoffice.pages(pdf)
    found = [
        p for p in range(1, pages + 1) if "Customers by province" in libreoffice.text(pdf, p, p)
    ]
    assert found, "no page shows the province chart's title"
    page = found[0]
    text = libreoffice.text(pdf, page, page)
    assert "状态占比 Status shares" in text and "各省客户数" in text
    assert "浙江省" in text, "province names not on the bar chart's axis"
    tables = [p for p in range(1, page) if "省 Province" in libreoffice.text(pdf, p, p)]
    assert tables and "浙江省" in libreoffice.text(pdf, tables[-1], tables[-1])
    png = libreoffice.to_png(pdf, page, dpi=100)
    assert _coloured_share(png, left=0.0) > 0.003, "no chart colour on the charts' page"
    assert _coloured_share(png, left=0.0) < 0.2


def test_region_tier_chart_renders_every_region_and_tier(libreoffice, demo):
    book, pdf = demo
    header, *regions = _region_tier_table(book)
    tiers = [str(t) for t in header[1:-1]]
    assert len(regions) >= 5 and "A" in tiers
    pages = libreoffice.pages(pdf)
    # The native chart's title; the table above it is headed 区域 × 分级 Region × tier.
    found = [p for p in range(1, pages + 1) if "Customers by region" in libreoffice.text(pdf, p, p)]
    assert found, "no page shows the region × tier chart's title"
    text = libreoffice.text(pdf, found[0], found[0])
    assert "区域 × 分级" in text and "Customers by region" in text
    for region, *_ in regions:  # on the chart's axis (the table prints on its own pages)
        zh = re.sub(r"[()（）]", "", str(region)).split()[0]
        assert zh in text, f"{region} not on the chart's axis"
    untiered = [t for t in tiers if "Untiered" in t]
    assert not untiered or "Untiered" in text, "the untiered bar is not in the legend"
    biggest = max(n for row in regions for n in row[1:-1])
    counts = re.findall(rf"(?<!\d){biggest}(?!\d)", text)
    assert counts, "no count beside the bars"
    png = libreoffice.to_png(pdf, found[0], dpi=100)
    assert _coloured_share(png, left=0.0) > 0.0008  # thin bars, at the page's zoom


def _words(pdf, page: int) -> list[tuple[str, float, float]]:
    """(word, x, y) of every word on a page, as poppler reads the PDF (y grows down)."""
    from xml.etree import ElementTree

    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    root = ElementTree.fromstring(xhtml)
    return [
        (w.text or "", float(w.get("xMin")), float(w.get("yMin")))
        for w in root.iter("{http://www.w3.org/1999/xhtml}word")
    ]


def test_region_tier_legend_reads_in_tier_order(libreoffice, demo):
    """The chart's legend lists the tiers top down as the table's columns run (it read
    Untiered, D, C, B, A). Its entries are the tier names nearest the last 'Untiered' on
    the page: the table's header row above has the same names."""
    book, pdf = demo
    header, *_ = _region_tier_table(book)
    tiers = [str(t).split()[-1] for t in header[1:-1]]  # 未分级 Untiered → Untiered
    assert tiers[0] == "A" and tiers[-1] == "Untiered"
    pages = libreoffice.pages(pdf)
    page = next(
        p for p in range(1, pages + 1) if "Customers by region" in libreoffice.text(pdf, p, p)
    )
    words = _words(pdf, page)
    anchor = max((w for w in words if w[0] == "Untiered"), key=lambda w: w[2])
    entries = []
    for tier in tiers:
        found = [w for w in words if w[0] == tier]
        assert found, f"tier {tier} not on the chart's page"
        entries.append(min(found, key=lambda w: abs(w[1] - anchor[1]) + abs(w[2] - anchor[2])))
    shown = [w[0] for w in sorted(entries, key=lambda w: (round(w[2]), w[1]))]
    assert shown == tiers, f"legend reads {shown}"
    png = libreoffice.to_png(pdf, page, dpi=100)
    assert png.exists()


def _summary_picture_size(book) -> tuple[int, int]:
    """Width and height in pixels of the region × tier picture on the Summary sheet."""
    import io
    import zipfile

    from PIL import Image

    with zipfile.ZipFile(book) as z:
        sizes = [
            Image.open(io.BytesIO(z.read(n))).size
            for n in z.namelist()
            if n.startswith("xl/media/")
        ]
    # The map pictures are 960 x 720; the region × tier picture is 800 px wide.
    (size,) = [s for s in sizes if s[0] == 800]
    return size


def test_summary_picture_prints_whole_on_one_page(libreoffice, demo):
    """The region × tier picture sat across a page break (its top on one page, the rest
    on the next). Every page that draws any of it is listed by pdfimages: one only."""
    book, pdf = demo
    width, height = _summary_picture_size(book)
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    # page num type width height color comp bpc enc interp object-id ...
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    drawn = [
        r for r in rows if r[2] == "image" and abs(int(r[4]) / int(r[3]) - height / width) < 0.01
    ]
    assert drawn, "the region × tier picture is not in the PDF"
    assert len({r[10] for r in drawn}) == 1  # one picture ...
    pages = sorted({int(r[0]) for r in drawn})
    assert len(pages) == 1, f"the picture is printed in pieces on pages {pages}"
    png = libreoffice.to_png(pdf, pages[0], dpi=60)
    assert libreoffice.ink(pdf, pages[0]) > 0.002 and png.exists()
