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
    "__version__",
]
