"""The registry of formulas: every UDF the add-in exposes, by its Excel name.

A formula is declared once with :func:`formula`, which records what the add-in
builder needs (name, arguments, descriptions) as a plain :class:`FormulaSpec` and
applies xlwings' ``@xw.func`` / ``@xw.arg`` decorators for Excel. xlwings only
attaches its own metadata on Windows, so the spec is kept here: the add-in is
built on any system from it. ``addrkit.udfs`` exports every registered formula
under its Excel name, where xlwings looks it up.

A new formula (``DUP_GROUP``, ``GEOCODE`` …) plugs in by living in a module listed
in :data:`FORMULA_MODULES`.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import xlwings as xw

__all__ = [
    "CATEGORY",
    "FORMULA_MODULES",
    "ArgSpec",
    "Cells",
    "Value",
    "FormulaSpec",
    "formula",
    "formulas",
]

# Modules whose import registers formulas.
FORMULA_MODULES = (
    "addrkit.udfs.address",
    "addrkit.udfs.dedupe",
    "addrkit.udfs.geocode",
    "addrkit.udfs.assign",
)
CATEGORY = "addrkit"  # Excel's function-wizard category
_EXCEL_HELP_LIMIT = 255  # Application.MacroOptions accepts at most 255 characters a text


@dataclass(frozen=True, slots=True)
class Cells:
    """Help for an argument that takes a cell or a range (passed as rows; errors as text)."""

    doc: str


@dataclass(frozen=True, slots=True)
class Value:
    """Help for an argument that takes one plain value (a part name, a flag)."""

    doc: str


@dataclass(frozen=True, slots=True)
class ArgSpec:
    name: str
    doc: str
    optional: bool
    cells: bool


@dataclass(frozen=True, slots=True)
class FormulaSpec:
    """What Excel needs to know about one formula."""

    name: str
    description: str
    args: tuple[ArgSpec, ...]
    function: Callable[..., Any]


_FORMULAS: dict[str, FormulaSpec] = {}


def _description(func: Callable[..., Any]) -> str:
    first_paragraph = inspect.cleandoc(func.__doc__ or "").split("\n\n")[0]
    return " ".join(first_paragraph.split())


def formula(**arg_help: Cells | Value) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a function as an Excel formula; every argument needs its help text.

    The first paragraph of the docstring is the formula's description in Excel.

    Examples
    --------
    >>> @formula(x=Value("任意值 Any value"))
    ... def DEMO_TWICE(x):
    ...     '''两倍 Twice the value.'''
    ...     return 2 * x
    >>> spec = formulas()["DEMO_TWICE"]
    >>> spec.description, [a.name for a in spec.args], spec.function(21)
    ('两倍 Twice the value.', ['x'], 42)
    >>> _ = _FORMULAS.pop("DEMO_TWICE")
    """

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        name = func.__name__
        parameters = inspect.signature(func).parameters
        if set(parameters) != set(arg_help):
            raise TypeError(f"{name}: help must be given for exactly {list(parameters)}")
        args = tuple(
            ArgSpec(
                p.name,
                arg_help[p.name].doc,
                p.default is not inspect.Parameter.empty,
                isinstance(arg_help[p.name], Cells),
            )
            for p in parameters.values()
        )
        description = _description(func)
        for text in (description, *(a.doc for a in args)):
            if not text or len(text) > _EXCEL_HELP_LIMIT:
                raise ValueError(f"{name}: help texts must have 1-255 characters: {text!r}")
        if name in _FORMULAS:
            raise ValueError(f"formula {name} is registered twice")
        func = _guarded(func)
        for arg in args:
            options = {"ndim": 2, "err_to_str": True} if arg.cells else {}
            func = xw.arg(arg.name, doc=arg.doc, **options)(func)
        func = xw.func(category=CATEGORY)(func)
        _FORMULAS[name] = FormulaSpec(name, description, args, func)
        return func

    return register


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """The formula, with any exception turned into text a cell can show.

    Each formula handles bad cells itself; this is the last line, so that input nobody
    foresaw gives a readable answer in the cell instead of #VALUE! and a Python traceback.
    """

    @functools.wraps(func)  # xlwings reads the signature through __wrapped__
    def guarded(*args: Any) -> Any:
        try:
            return func(*args)
        except Exception as err:  # noqa: BLE001 - the cell must show something readable
            return (
                f"错误 ERROR: {func.__name__} 无法处理此输入 / cannot handle this input "
                f"({type(err).__name__})"
            )

    return guarded


def formulas() -> Mapping[str, FormulaSpec]:
    """Every registered formula by Excel name, after importing :data:`FORMULA_MODULES`."""
    for module_name in FORMULA_MODULES:
        importlib.import_module(module_name)
    return MappingProxyType(_FORMULAS)
