"""The address engine: normalise → match divisions → resolve hierarchy → split detail → validate."""

from __future__ import annotations

from .issues import Issue, IssueCode, Severity, Status
from .model import ADMIN_LEVELS, AsWritten, ParsedAddress, Precision
from .parser import parse_address, parse_many

__all__ = [
    "ADMIN_LEVELS",
    "AsWritten",
    "Issue",
    "IssueCode",
    "ParsedAddress",
    "Precision",
    "Severity",
    "Status",
    "parse_address",
    "parse_many",
]
