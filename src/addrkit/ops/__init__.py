"""Ribbon operations: each turns the customer table into a change plan.

`OPERATIONS` maps a name (as used by ``addrkit run OP`` and the ribbon) to its
`Operation`. To add one, write a module with an ``OPERATION`` and add it to
``_MODULES`` below.

Examples
--------
>>> from addrkit.ops import OPERATIONS, get_operation
>>> sorted(OPERATIONS)
['assign', 'clean', 'code', 'dedupe', 'merge', 'share', 'summary', 'undo']
>>> get_operation("clean").label_en
'Clean & validate'
"""

from __future__ import annotations

from types import MappingProxyType

from ..errors import UnknownNameError
from . import assign, clean, code, dedupe, merge, share, summary, undo
from .base import CustomerTable, Operation
from .plan import ChangePlan

__all__ = [
    "OPERATIONS",
    "OUTPUT_BLOCKS",
    "ALL",
    "CustomerTable",
    "Operation",
    "ChangePlan",
    "get_operation",
]

_MODULES = (clean, summary, undo, share, dedupe, merge, assign, code)

OPERATIONS = MappingProxyType({m.OPERATION.name: m.OPERATION for m in _MODULES})

# Header blocks operations write beside the table; a re-run fills them again and table
# detection never mistakes them for the customer's own columns.
OUTPUT_BLOCKS: tuple[tuple[str, ...], ...] = (
    clean.CLEAN_HEADERS,
    dedupe.DEDUPE_HEADERS,
    merge.MERGE_HEADERS,
    assign.ASSIGN_HEADERS,
    code.CODE_HEADERS,
)

# What `addrkit run all` runs, in order.
ALL: tuple[str, ...] = ("clean", "summary", "dedupe")


def get_operation(name: str) -> Operation:
    """The operation called `name`; an unknown name lists the valid ones."""
    try:
        return OPERATIONS[name]
    except KeyError:
        valid = ", ".join(sorted(OPERATIONS))
        raise UnknownNameError(f"未知操作 Unknown operation {name!r}; valid: {valid}") from None
