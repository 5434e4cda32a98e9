"""Python handlers of the ribbon buttons, keyed by control id.

The add-in's VBA passes the id of the pressed button to :func:`dispatch` through
xlwings' ``RunPython``. Each handler runs one operation on the live workbook
through the xlwings workbook adapter, imported only when a button is pressed so
that importing this module stays cheap and works where Excel does not.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from addrkit.errors import UnknownNameError

__all__ = ["HANDLERS", "handler", "dispatch"]

_HANDLERS: dict[str, Callable[..., Any]] = {}
HANDLERS = MappingProxyType(_HANDLERS)


def handler(control_id: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the function run when the ribbon control ``control_id`` is pressed."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if control_id in _HANDLERS:
            raise ValueError(f"control {control_id} already has a handler")
        _HANDLERS[control_id] = func
        return func

    return register


def _run_on_live_book(operation: str, book: Any = None) -> Any:
    from addrkit.workbook.live import run_operation  # xlwings adapter; needs Excel

    return run_operation(operation, book=book)


@handler("addrkitClean")
def clean(book: Any = None) -> Any:
    """Clean & validate the customer table of the active workbook."""
    return _run_on_live_book("clean", book)


@handler("addrkitSummary")
def summary(book: Any = None) -> Any:
    """Write the summary sheet."""
    return _run_on_live_book("summary", book)


@handler("addrkitDedupe")
def dedupe(book: Any = None) -> Any:
    """Find duplicate customers: group columns and the Duplicates sheet."""
    return _run_on_live_book("dedupe", book)


@handler("addrkitMerge")
def merge(book: Any = None) -> Any:
    """Merge each duplicate group into its kept row."""
    return _run_on_live_book("merge", book)


@handler("addrkitAssign")
def assign(book: Any = None) -> Any:
    """Tiers & regions: each customer's tier, region and sales rep, with the reasons."""
    return _run_on_live_book("assign", book)


@handler("addrkitCode")
def code(book: Any = None) -> Any:
    """Customer codes for the rows without one, from the Settings pattern and registry."""
    return _run_on_live_book("code", book)


@handler("addrkitUndo")
def undo(book: Any = None) -> Any:
    """Undo the last run."""
    return _run_on_live_book("undo", book)


@handler("addrkitShare")
def share(book: Any = None) -> Any:
    """Save a share-ready copy."""
    return _run_on_live_book("share", book)


@handler("addrkitSettings")
def settings(book: Any = None) -> Any:
    """Apply the Settings sheet now."""
    return _run_on_live_book("settings", book)


def dispatch(control_id: str, book: Any = None) -> Any:
    """Run the handler of a ribbon control.

    Examples
    --------
    >>> dispatch("addrkitNoSuchButton")
    Traceback (most recent call last):
    ...
    addrkit.errors.UnknownNameError: 未知按钮 Unknown ribbon control 'addrkitNoSuchButton'; valid: addrkitAssign, addrkitClean, addrkitCode, addrkitDedupe, addrkitMerge, addrkitSettings, addrkitShare, addrkitSummary, addrkitUndo
    """
    func = _HANDLERS.get(control_id)
    if func is None:
        valid = ", ".join(sorted(_HANDLERS))
        raise UnknownNameError(f"未知按钮 Unknown ribbon control {control_id!r}; valid: {valid}")
    return func(book)
