"""Shared test switches: ``--live`` for online services; and a real headless LibreOffice
(`soffice`, `libreoffice`): open a workbook, recalculate, export PDF/PNG/CSV/XLSX.

LibreOffice runs with a private profile (never the user's) that recalculates every
formula on load and sets Chinese as the CJK locale, so CJK text gets a Chinese font.
Set ADDRKIT_RENDER_DIR to keep the PDFs and PNGs (CI uploads them for a person to look at).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_LIBREOFFICE_ENV = "ADDRKIT_REQUIRE_LIBREOFFICE"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--live", action="store_true", help="also run tests marked 'live' (real online services)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--live"):
        return
    skip = pytest.mark.skip(reason="talks to an online service: run with --live")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of LibreOffice's ``soffice``; skips with the reason when it is not installed,
    or fails when ADDRKIT_REQUIRE_LIBREOFFICE=1 (CI) says it must be there."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path:
        return path
    message = (
        "LibreOffice (soffice) is not installed; install it with "
        "`apt-get install -y libreoffice-calc poppler-utils fonts-noto-cjk`"
    )
    if os.environ.get(REQUIRE_LIBREOFFICE_ENV) == "1":
        pytest.fail(f"{message} ({REQUIRE_LIBREOFFICE_ENV}=1 requires it)", pytrace=False)
    pytest.skip(message)


CONVERT_TIMEOUT = 300  # seconds; a 2,000-row workbook takes a few
POPPLER_TOOLS = ("pdftoppm", "pdftotext", "pdffonts", "pdfinfo", "pdfimages")

# Recalculate on load always (0), for .xlsx and .ods; Chinese as the CJK locale, so the
# CJK font (Noto Sans CJK, standing in for Office's 等线) uses the simplified Chinese forms.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale_CJK" oor:op="fuse"><value>zh-CN</value></prop></item>
</oor:items>
"""

# Calc's CSV filter: comma, double quote, UTF-8 (76), from line 1, ..., last token -1 = every
# sheet to its own file named <stem>-<sheet>.csv.
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@dataclass(frozen=True)
class LibreOffice:
    """Runs soffice headless with a private profile; every method returns real files."""

    soffice: str
    profile: Path
    out_dir: Path

    def convert(self, workbook: Path, target: str, out_dir: Path) -> subprocess.CompletedProcess:
        """``workbook`` opened and saved as ``target`` (a ``--convert-to`` filter such as
        "pdf" or "xlsx:Calc MS Excel 2007 XML") into ``out_dir``; the caller checks the file."""
        out_dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            self.soffice,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out_dir),
            str(workbook),
        ]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=CONVERT_TIMEOUT)

    def to_pdf(self, workbook: Path) -> Path:
        """Open ``workbook``, recalculate and print it to PDF; fails if it cannot be loaded."""
        out_dir = self.out_dir / workbook.stem
        result = self.convert(workbook, "pdf", out_dir)
        pdf = out_dir / f"{workbook.stem}.pdf"
        if not pdf.exists() or pdf.stat().st_size == 0:
            pytest.fail(
                f"LibreOffice could not load/print {workbook.name} (exit {result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}",
                pytrace=False,
            )
        return pdf

    def to_csv(self, workbook: Path) -> dict[str, Path]:
        """Every sheet as UTF-8 CSV, by sheet name, as LibreOffice read the cells."""
        out_dir = self.out_dir / f"{workbook.stem}-csv"
        result = self.convert(workbook, CSV_ALL_SHEETS, out_dir)
        found = {
            p.stem[len(workbook.stem) + 1 :]: p for p in out_dir.glob(f"{workbook.stem}-*.csv")
        }
        if not found:
            pytest.fail(
                f"LibreOffice wrote no CSV for {workbook.name} (exit {result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}",
                pytrace=False,
            )
        return found

    @staticmethod
    def pages(pdf: Path) -> int:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
        return int(line.split()[1])

    @staticmethod
    def text(pdf: Path, first: int = 1, last: int | None = None) -> str:
        cmd = ["pdftotext", "-layout", "-f", str(first)]
        if last:
            cmd += ["-l", str(last)]
        return subprocess.run(
            [*cmd, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout

    @staticmethod
    def fonts(pdf: Path) -> str:
        return subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout

    @staticmethod
    def to_png(pdf: Path, page: int, dpi: int = 80) -> Path:
        """One page as a PNG next to the PDF (``<stem>-p<page>.png``)."""
        stem = pdf.with_name(f"{pdf.stem}-p{page}")
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
            capture_output=True,
        )
        return stem.with_suffix(".png")

    @staticmethod
    def ink(pdf: Path, page: int) -> float:
        """Share of non-white pixels on a page (grey PGM at low resolution): 0 = blank page."""
        result = subprocess.run(
            ["pdftoppm", "-gray", "-r", "20", "-f", str(page), "-l", str(page), str(pdf)],
            check=True,
            capture_output=True,
        )
        data = result.stdout
        # Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
        header = data.split(b"\n", 3)
        width, height = (int(v) for v in header[1].split())
        pixels = header[3][: width * height]
        return sum(1 for b in pixels if b < 200) / len(pixels)


@pytest.fixture(scope="session")
def libreoffice(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> LibreOffice:
    """A headless LibreOffice with a private profile for the whole run (never the user's:
    a profile in use by another soffice makes a conversion silently do nothing); skips or,
    with ADDRKIT_REQUIRE_LIBREOFFICE=1, fails as `soffice` does when it is missing."""
    missing = [tool for tool in POPPLER_TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} not installed: `apt-get install -y poppler-utils`"
        if os.environ.get(REQUIRE_LIBREOFFICE_ENV) == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    profile = tmp_path_factory.mktemp("lo-profile")
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
    keep = os.environ.get("ADDRKIT_RENDER_DIR")
    out_dir = Path(keep) if keep else tmp_path_factory.mktemp("rendered")
    return LibreOffice(soffice, profile, out_dir)
