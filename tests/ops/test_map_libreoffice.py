"""The workbook with the map pictures opens in a real LibreOffice and prints them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from addrkit.progress import Progress
from addrkit.workbook.run_file import run_file

from .test_geocode_map import _book

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale_CJK" oor:op="fuse"><value>zh-CN</value></prop></item>
</oor:items>
"""


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} not installed: `apt-get install -y poppler-utils`"
        if os.environ.get("ADDRKIT_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


def test_map_sheet_prints_with_its_pictures(soffice, tmp_path):
    book = _book(tmp_path / "map.xlsx")
    result = run_file(["geocode", "map"], book, progress=Progress())
    n_images = len(result.plans[1].images)
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
        capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    pdf = tmp_path / "map.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0, "LibreOffice could not open the workbook"
    listing = subprocess.run(
        [_poppler("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
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
    first = str(pages[0])
    text = subprocess.run(
        [_poppler("pdftotext"), "-f", first, "-l", first, str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "区域 / 类别 Category" in text and "合计 Total on the map" in text
