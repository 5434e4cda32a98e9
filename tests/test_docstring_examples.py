"""The examples in docstrings run as written: they are the first documentation people read,
and an example that no longer holds misleads."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

# The Excel-facing packages live outside src/ (mapped in pyproject.toml): in an editable
# install they are not under addrkit.__path__, so each is walked from its own path.
_ROOTS = ("addrkit", "addrkit.udfs", "addrkit.addin", "addrkit.workbook_templates")


def _modules_with_examples() -> list[str]:
    finder = doctest.DocTestFinder()
    names = set()
    for root in _ROOTS:
        package = importlib.import_module(root)
        for info in pkgutil.walk_packages(package.__path__, root + "."):
            module = importlib.import_module(info.name)
            if any(test.examples for test in finder.find(module)):
                names.add(info.name)
    return sorted(names)


MODULES = _modules_with_examples()


def test_examples_are_found():
    # The collector itself could silently find nothing (a layout change): the engine,
    # the operations and the formulas all document themselves with examples.
    for package in ("addrkit.address", "addrkit.ops", "addrkit.udfs"):
        assert any(name.startswith(package + ".") for name in MODULES), package


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run_as_written(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
