"""Shared test switches: ``--live`` for online services, and the LibreOffice finder."""

from __future__ import annotations

import os
import shutil

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
