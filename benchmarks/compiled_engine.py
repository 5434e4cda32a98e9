"""Would compiling the engine as it is make it fast enough? Interpreted against Cython-compiled.

The parse speed target (50,000 addresses a second in one process) is about twice what the
engine does interpreted. The cheapest way to get compiled speed would be to compile the
same Python modules with Cython, unchanged. This script measures what that gives, in one
run on one machine:

1. copies ``src/addrkit`` to a temporary folder and compiles the engine's modules there
   with Cython (``cythonize`` + ``build_ext --inplace``; needs ``pip install cython
   setuptools`` and a C compiler, which is why the product does not do this itself);
2. times ``list(parse_many(texts))`` on the NCAP dev+train texts cycled to ``--lines``
   lines, in a fresh child process per run, interpreted and compiled alternating (each
   after load, engine caches empty), median of ``--runs``;
3. checks that both give the same results (a digest of every parsed address).

Usage (from the repository root, in an environment with the package's dependencies)::

    python -m benchmarks.compiled_engine --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.ncap import NcapNotFoundError
from benchmarks.parse_speed import TARGET_IN_PROCESS, corpus_texts
from benchmarks.proc import machine_summary, median

REPO = Path(__file__).resolve().parents[1]
# The modules every address goes through (the rest is loading, operations and I/O).
ENGINE_MODULES = [
    "addrkit/reuse.py",
    "addrkit/address/normalize.py",
    "addrkit/address/resolve.py",
    "addrkit/address/structure.py",
    "addrkit/address/detail.py",
    "addrkit/address/parser.py",
]

_SETUP = """\
from setuptools import setup
from Cython.Build import cythonize
setup(
    ext_modules=cythonize({modules!r}, compiler_directives={{"language_level": 3}}, quiet=True),
    package_dir={{"": "."}},
)
"""

# One timed run in a child: load, parse once (gazetteer in memory), empty the caches, time.
_CHILD = """\
import hashlib, json, sys, time
import addrkit
from addrkit.gazetteer import default_gazetteer
texts = open(sys.argv[1], encoding="utf-8").read().split("\\n")
addrkit.parse_address("浙江杭州西湖区文三路90号")
default_gazetteer().memo.clear()
started = time.perf_counter()
results = list(addrkit.parse_many(texts))
seconds = time.perf_counter() - started
digest = hashlib.sha256()
for r in results:
    digest.update(json.dumps(r.to_dict(), ensure_ascii=False).encode())
compiled = addrkit.address.parser.__file__.endswith((".so", ".pyd"))
print(json.dumps({"seconds": seconds, "digest": digest.hexdigest(), "compiled": compiled}))
"""


class CompileFailedError(RuntimeError):
    """Cython or the C compiler is missing, or a module did not compile."""


def compile_copy(target: Path) -> Path:
    """A copy of ``src/addrkit`` under ``target`` with the engine modules compiled."""
    try:
        import Cython  # noqa: F401
    except ImportError as err:
        raise CompileFailedError("Cython is not installed: pip install cython setuptools") from err
    package = target / "addrkit"
    shutil.copytree(
        REPO / "src" / "addrkit",
        package,
        ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "*.c"),
    )
    (target / "setup.py").write_text(_SETUP.format(modules=ENGINE_MODULES), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "setup.py", "build_ext", "--inplace"],
        cwd=target,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise CompileFailedError(f"build_ext failed:\n{done.stderr[-2000:]}")
    for module in ENGINE_MODULES:  # the compiled module must be what gets imported
        (target / module).unlink()
    return target


def timed_run(source_root: Path, texts_path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(source_root)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(texts_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"timed run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        texts = corpus_texts(args.lines, args.data_dir)
    except NcapNotFoundError as err:
        print(f"compiled_engine: {err}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="addrkit-compiled-") as tmp:
        workdir = Path(tmp)
        texts_path = workdir / "texts.txt"
        texts_path.write_text("\n".join(texts), encoding="utf-8")
        print("compiling the engine modules with Cython …", file=sys.stderr)
        try:
            compiled_root = compile_copy(workdir / "compiled")
        except CompileFailedError as err:
            print(f"compiled_engine: {err}", file=sys.stderr)
            return 2
        variants = {"interpreted": REPO / "src", "Cython-compiled": compiled_root}
        samples: dict[str, list[dict]] = {name: [] for name in variants}
        for run in range(args.runs):  # alternate so drift in the machine hits both alike
            print(f"run {run + 1}/{args.runs} …", file=sys.stderr)
            for name, root in variants.items():
                samples[name].append(timed_run(root, texts_path))
    if not all(s["compiled"] for s in samples["Cython-compiled"]) or any(
        s["compiled"] for s in samples["interpreted"]
    ):
        print("compiled_engine: a run imported the wrong variant", file=sys.stderr)
        return 2
    digests = {s["digest"] for runs in samples.values() for s in runs}
    seconds = {name: median([s["seconds"] for s in runs]) for name, runs in samples.items()}
    lines = [
        f"Machine: {machine_summary()}",
        "",
        f"`parse_many` on {len(texts):,} NCAP lines (the corpus cycled), one fresh process "
        f"per run, after load, caches empty; median of {args.runs} alternating runs:",
        "",
        "| engine modules | median s | addr/s |",
        "|---|---:|---:|",
    ]
    for name, value in seconds.items():
        lines.append(f"| {name} | {value:.3f} | {len(texts) / value:,.0f} |")
    speedup = seconds["interpreted"] / seconds["Cython-compiled"]
    lines += [
        "",
        f"Compiled / interpreted speed: {speedup:.2f}x. Same results: "
        f"{'yes' if len(digests) == 1 else 'NO'} (one digest over every parsed address). "
        f"Target: {TARGET_IN_PROCESS:,} addr/s.",
    ]
    text = "\n".join(lines) + "\n"
    out = REPO / "benchmarks" / "out" / "compiled_engine.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
