"""The compiled-engine benchmark compiles modules that exist and are the engine's hot path."""

from __future__ import annotations

from benchmarks.compiled_engine import ENGINE_MODULES, REPO


def test_every_module_it_compiles_exists():
    # A renamed engine module would otherwise make the benchmark compare two interpreted runs.
    assert all((REPO / "src" / module).is_file() for module in ENGINE_MODULES)
    assert "addrkit/address/parser.py" in ENGINE_MODULES  # the script checks this one was compiled
