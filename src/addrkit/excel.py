"""Limits of an Excel workbook that the engine, the adapters and the formulas share.

Examples
--------
>>> CELL_TEXT_LIMIT
32767
"""

from __future__ import annotations

__all__ = ["CELL_TEXT_LIMIT"]

CELL_TEXT_LIMIT = 32_767  # Excel keeps at most this many characters in a cell
