"""The ``addrkit`` command line: one sub-command module each under ``addrkit.commands``.

Each command module exposes ``register(subparsers)`` which adds its parser and sets
``func`` to a callable taking the parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import AddrkitError

# Sub-command modules, imported lazily so `addrkit parse` never pays for pandas or openpyxl.
COMMAND_MODULES = {
    "parse": "addrkit.commands.parse",
    "geocode": "addrkit.commands.geocode",
    "dedupe": "addrkit.commands.dedupe",
    "run": "addrkit.commands.run",
    "codes": "addrkit.commands.codes",
    "demo": "addrkit.commands.demo",
    "addin": "addrkit.commands.addin",
    "template": "addrkit.commands.template",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="addrkit",
        description="Customer addresses: validate, standardise, parse, dedupe (地址工具).",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"addrkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMAND_MODULES.items():
        if only is not None and name != only:
            sub.add_parser(name, help=f"(run 'addrkit {name} -h')", add_help=False)
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name != module_name:
                raise
            continue  # command not part of this build
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Only the chosen command's module is imported: keeps `addrkit parse` start-up small.
    chosen = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(only=chosen if chosen in COMMAND_MODULES else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except AddrkitError as err:
        print(f"addrkit: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("addrkit: cancelled / 已取消", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
