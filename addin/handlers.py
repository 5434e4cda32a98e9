"""Python handlers of the ribbon buttons, keyed by control id, generated from the registry.

The add-in's VBA passes the id of the pressed button to :func:`dispatch` through
xlwings' ``RunPython``. There is one handler per operation with a ribbon place in
:data:`addrkit.ops.OPERATIONS`; each runs that operation on the live workbook through
the xlwings workbook adapter, imported only when a button is pressed so that importing
this module works where Excel does not.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from types import MappingProxyType
from typing import Any

from addrkit.errors import UnknownNameError
from addrkit.ops import ribbon_operations

__all__ = ["HANDLERS", "dispatch"]


def _run_on_live_book(operation: str, book: Any = None) -> Any:
    from addrkit.workbook.live import run_operation  # xlwings adapter; needs Excel

    return run_operation(operation, book=book)


HANDLERS: MappingProxyType[str, Callable[..., Any]] = MappingProxyType(
    {op.control_id: partial(_run_on_live_book, op.name) for op in ribbon_operations()}
)


def dispatch(control_id: str, book: Any = None) -> Any:
    """Run the handler of a ribbon control.

    Examples
    --------
    >>> dispatch("addrkitNoSuchButton")
    Traceback (most recent call last):
    ...
    addrkit.errors.UnknownNameError: 未知按钮 Unknown ribbon control 'addrkitNoSuchButton'; valid: addrkitAssign, addrkitClean, addrkitCode, addrkitDedupe, addrkitGeocode, addrkitMap, addrkitMerge, addrkitSettings, addrkitShare, addrkitSummary, addrkitUndo
    """
    func = HANDLERS.get(control_id)
    if func is None:
        valid = ", ".join(sorted(HANDLERS))
        raise UnknownNameError(f"未知按钮 Unknown ribbon control {control_id!r}; valid: {valid}")
    return func(book)
