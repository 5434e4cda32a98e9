"""The region × tier picture of the 汇总 Summary sheet: drawn, sized for its bars, placed
under the native chart, and seen in what LibreOffice renders."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from addrkit.workbook_templates import layout as L
from PIL import Image

from addrkit.assign.picture import COLOURS, figure_size, region_tier_png
from addrkit.maps.fonts import find_cjk_font
from addrkit.ops.summary import PICTURE, SUMMARY_SHEET
from addrkit.workbook.run_file import run_file

SAMPLE = Path(L.__file__).with_name("sample_customers.xlsx")


def _cross(n_regions: int, tiers: tuple[str, ...]) -> list[tuple]:
    header = ("区域 Region", *tiers, "合计 Total")
    rows = [
        (f"区域{r} Region {r}", *((r + 1) * (t + 1) for t in range(len(tiers))), 0)
        for r in range(n_regions)
    ]
    return [("t",), header, *rows, ("合计 Total", *([0] * len(tiers)), 0)]


def test_the_picture_grows_with_regions_and_tiers():
    small = region_tier_png(_cross(3, ("A", "B")), font=None)
    big = region_tier_png(_cross(30, ("A", "B", "C", "D", "未分级 Untiered")), font=None)
    assert small[0][:4] == big[0][:4] == b"\x89PNG"
    assert small[1] == big[1]  # the same width …
    assert big[2] > 4 * small[2]  # … and height for every bar
    per_bar = (big[2] - small[2]) / (30 * 5 - 3 * 2)
    assert per_bar >= 15  # pixels per bar at 100 dpi: a count printed beside it fits
    assert figure_size(1, 1)[1] == 3.5  # never smaller than a readable frame
    assert region_tier_png([("t",), ("区域 Region", "合计 Total"), ("合计 Total", 0)]) is None


def test_english_only_without_a_chinese_font_still_draws():
    png, width, height = region_tier_png(_cross(4, ("A", "B", "C")), font=None)
    image = Image.open(io.BytesIO(png))
    assert image.size == (width, height)
    colours = {c for _, c in image.convert("RGB").getcolors(1 << 20)}
    first = tuple(int(COLOURS[0][i : i + 2], 16) for i in (1, 3, 5))
    assert first in colours  # tier A's bars are drawn


@pytest.mark.skipif(find_cjk_font() is None, reason="no Chinese font installed to draw with")
def test_summary_places_the_picture_under_the_native_chart_and_it_renders(tmp_path, libreoffice):
    path = tmp_path / "book.xlsx"
    shutil.copy(SAMPLE, path)
    result = run_file(["assign", "summary"], path)
    summary = next(p for p in result.plans if p.operation == "summary")
    (image,) = summary.images
    chart = summary.sheets[0].charts[-1]
    assert image.sheet == SUMMARY_SHEET and image.name == PICTURE
    below = chart.anchor_row + int(chart.height / 0.53)
    assert image.anchor[0] == chart.anchor[0] and int(image.anchor[1:]) > below
    wb = openpyxl.load_workbook(path)
    assert len(wb[SUMMARY_SHEET]._images) == 1
    # A run of Summary again replaces the picture; it never stacks a second one.
    run_file(["summary"], path)
    assert len(openpyxl.load_workbook(path)[SUMMARY_SHEET]._images) == 1

    # LibreOffice draws the Summary sheet alone with the picture's bars on it.
    for name in wb.sheetnames:
        if name != SUMMARY_SHEET:
            del wb[name]
    alone = tmp_path / "summary.xlsx"
    wb.save(alone)
    pdf = libreoffice.to_pdf(alone)
    pages = [
        Image.open(libreoffice.to_png(pdf, p, dpi=100)).convert("RGB")
        for p in range(1, libreoffice.pages(pdf) + 1)  # the picture prints on a page of its own
    ]
    target = tuple(int(COLOURS[0][i : i + 2], 16) for i in (1, 3, 5))  # tier A, dark blue

    def near(c) -> bool:
        return all(abs(a - b) <= 12 for a, b in zip(c, target, strict=True))

    dark = sum(n for page in pages for n, c in page.getcolors(1 << 24) if near(c))
    assert dark > 50  # the picture's tier-A bars are on the rendered pages
