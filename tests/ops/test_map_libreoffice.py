"""The workbook with the map pictures opens in a real LibreOffice and prints them."""

from __future__ import annotations

import re
import subprocess

import pytest

from addrkit.progress import Progress
from addrkit.workbook.run_file import run_file

from .test_geocode_map import _book

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def test_map_sheet_prints_with_its_pictures(libreoffice, tmp_path):
    book = _book(tmp_path / "map.xlsx")
    result = run_file(["geocode", "map"], book, progress=Progress())
    n_images = len(result.plans[1].images)
    pdf = libreoffice.to_pdf(book)
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    # page num type width height color comp bpc enc interp object-id ...: each picture
    # comes through at its own size, and the map sheet prints on as many pages as it
    # has pictures (a page break keeps each whole; none spills onto an extra page).
    pictures = [
        line.split()
        for line in listing.splitlines()[2:]
        if re.match(r"\s*\d+\s+\d+\s+image\s+960\s+720\b", line)
    ]
    assert len({fields[10] for fields in pictures}) == n_images
    pages = sorted({int(fields[0]) for fields in pictures})
    assert len(pages) == n_images and pages == list(range(pages[0], pages[0] + n_images))
    text = libreoffice.text(pdf, pages[0], pages[0])
    assert "区域 / 类别 Category" in text and "合计 Total on the map" in text
