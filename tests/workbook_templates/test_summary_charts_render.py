"""The demo workbook's 汇总 Summary charts, as LibreOffice draws them (no Excel here).

The demo is printed to PDF; the Summary page must carry both chart titles, the province
names a second time (the bar chart's axis, beside the table's column), and coloured
pie slices and bars to the right of the tables. The PNG is kept under ADDRKIT_RENDER_DIR
for a person to look at.
"""

from __future__ import annotations

import subprocess
import sys

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


def test_demo_summary_charts_render_with_chinese_labels(libreoffice, tmp_path):
    demo = tmp_path / "demo.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "addrkit.cli", "demo", "--quiet", "-o", str(demo)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    pdf = libreoffice.to_pdf(demo)
    pages = libreoffice.pages(pdf)
    found = [
        p for p in range(1, pages + 1) if "Customers by province" in libreoffice.text(pdf, p, p)
    ]
    assert found, "no page shows the province chart's title"
    page = found[0]
    text = libreoffice.text(pdf, page, page)
    assert "状态占比 Status shares" in text and "各省客户数" in text
    assert text.count("浙江省") >= 2, "province names not on the bar chart's axis"
    png = libreoffice.to_png(pdf, page, dpi=100)
    assert _coloured_share(png, left=0.55) > 0.01, "no chart colour right of the tables"
    assert _coloured_share(png, left=0.0) < 0.2
