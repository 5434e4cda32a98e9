"""Package discovery only; all metadata lives in pyproject.toml.

The engine is found under src/; the Excel-facing folders at the top of the
repository are added under the engine's namespace (see ``package-dir``).
"""

from setuptools import find_packages, setup

EXCEL_FACING = ["addrkit.udfs", "addrkit.addin", "addrkit.workbook_templates"]

setup(packages=find_packages("src") + EXCEL_FACING)
