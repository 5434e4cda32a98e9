"""Ribbon operations: each turns the customer table into a change plan.

This is the one registry of operations. `OPERATIONS` maps a name (as used by
``addrkit run OP``) to its `Operation`; the ribbon XML, the add-in's VBA dispatcher,
the Python button handlers and the command line's choices are all generated from it,
so a button cannot point at nothing. To add an operation, write ``ops/<name>.py`` with
an ``OPERATION`` (name, labels, run function, and where its button sits) and add the
module to ``_MODULES`` below.

Examples
--------
>>> from addrkit.ops import OPERATIONS, get_operation
>>> sorted(OPERATIONS)
['assign', 'clean', 'code', 'dedupe', 'geocode', 'map', 'merge', 'settings', 'share', 'summary', 'undo']
>>> get_operation("clean").label_en
'Clean & validate'
>>> [op.name for op in ribbon_operations()]
['clean', 'summary', 'dedupe', 'merge', 'assign', 'code', 'geocode', 'map', 'undo', 'share', 'settings']
>>> ALL
('clean', 'summary', 'dedupe', 'assign', 'geocode', 'map')
"""

from __future__ import annotations

from types import MappingProxyType

from ..errors import UnknownNameError
from . import assign, clean, code, dedupe, geocode, map, merge, settings, share, summary, undo
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace
from .plan import ChangePlan

__all__ = [
    "OPERATIONS",
    "OUTPUT_BLOCKS",
    "ALL",
    "NOT_IN_ALL",
    "CustomerTable",
    "Operation",
    "RibbonGroup",
    "RibbonPlace",
    "ChangePlan",
    "get_operation",
    "ribbon_operations",
]

_MODULES = (clean, summary, undo, share, dedupe, merge, assign, code, geocode, map, settings)


def _registry(modules) -> MappingProxyType:
    found: dict[str, Operation] = {}
    controls: dict[str, str] = {}
    for module in modules:
        op: Operation = module.OPERATION
        if op.name in found:
            raise ValueError(f"two operations are called {op.name!r}")
        if op.control_id in controls:
            raise ValueError(f"{op.name!r} and {controls[op.control_id]!r} share a ribbon id")
        found[op.name] = op
        controls[op.control_id] = op.name
    return MappingProxyType(found)


OPERATIONS = _registry(_MODULES)

# Header blocks operations write beside the table; a re-run fills them again and table
# detection never mistakes them for the customer's own columns.
OUTPUT_BLOCKS: tuple[tuple[str, ...], ...] = (
    clean.CLEAN_HEADERS,
    clean.CONTACT_HEADERS,
    dedupe.DEDUPE_HEADERS,
    merge.MERGE_HEADERS,
    geocode.GEOCODE_HEADERS,
    assign.ASSIGN_HEADERS,
    code.CODE_HEADERS,
)



def get_operation(name: str) -> Operation:
    """The operation called `name`; an unknown name lists the valid ones."""
    try:
        return OPERATIONS[name]
    except KeyError:
        valid = ", ".join(sorted(OPERATIONS))
        raise UnknownNameError(f"未知操作 Unknown operation {name!r}; valid: {valid}") from None


def ribbon_operations() -> tuple[Operation, ...]:
    """The operations that have a ribbon button, in the order the tab shows them:
    by group (`RibbonGroup` order), then by ``order``, then by registry order."""
    groups = list(RibbonGroup)
    listed = [op for op in OPERATIONS.values() if op.ribbon is not None]
    return tuple(
        sorted(
            listed,
            key=lambda op: (groups.index(op.ribbon.group), op.ribbon.order, listed.index(op)),
        )
    )


# The ribbon operations `addrkit run all` leaves out, and why: each needs a person's
# decision, has effects beyond the book, or is no work on the table.
NOT_IN_ALL = MappingProxyType(
    {
        "merge": "fills cells from other rows of a duplicate group: a person checks the groups first",
        "code": "issues customer codes for good (a shared registry never reuses a number)",
        "undo": "takes a run back",
        "share": "writes a separate copy to send, not work on this book",
        "settings": "only checks the Settings sheet, which every run reads anyway",
    }
)

# What `addrkit run all` runs, in the ribbon's order: every other button.
ALL: tuple[str, ...] = tuple(op.name for op in ribbon_operations() if op.name not in NOT_IN_ALL)
