"""addrkit: customer addresses in Excel, validated, standardised, parsed, deduplicated.

The engine (this package) never imports xlwings; Excel is one adapter, files another.

Examples
--------
>>> import addrkit
>>> addrkit.parse_address("浙江杭州西湖区文三路90号").normalized
'浙江省杭州市西湖区文三路90号'
"""

from __future__ import annotations

from .address import (
    AsWritten,
    Issue,
    IssueCode,
    ParsedAddress,
    Precision,
    Severity,
    Status,
    parse_address,
    parse_many,
)
from .errors import AddrkitError

__version__ = "0.1.0"

__all__ = [
    "AddrkitError",
    "AsWritten",
    "Issue",
    "IssueCode",
    "ParsedAddress",
    "Precision",
    "Severity",
    "Status",
    "parse_address",
    "parse_many",
    "parse_frame",
    "__version__",
]


def __getattr__(name: str):
    # parse_frame needs pandas: imported on first use, so `import addrkit` (a formula's
    # cold start, `addrkit parse`) never pays for it.
    if name == "parse_frame":
        from .frame import parse_frame

        return parse_frame
    raise AttributeError(f"module 'addrkit' has no attribute {name!r}")
