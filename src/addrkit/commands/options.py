"""Options several commands share, declared and checked in one place.

``--encoding`` (input text: UTF-8 or GBK/GB18030 found by itself, or one named) and
``--jobs`` (processes: every core for a large input by default) mean the same in
``parse``, ``geocode``, ``dedupe`` and ``run``; so do their messages when wrong.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from collections.abc import Iterator

from ..errors import InputError
from ..text_encoding import AUTO, decode_line

__all__ = ["add_command", "add_encoding", "add_jobs", "check_encoding", "check_jobs", "stdin_lines"]


def add_command(subparsers, name: str, help_text: str, doc: str | None) -> argparse.ArgumentParser:
    """A subcommand whose description is the first paragraph of its module's docstring."""
    return subparsers.add_parser(name, help=help_text, description=(doc or "").split("\n\n")[0])


def add_encoding(parser: argparse.ArgumentParser, what: str = "input") -> None:
    parser.add_argument(
        "--encoding",
        default=AUTO,
        help=f"{what} encoding (default auto: UTF-8, or GBK/GB18030 as Excel on Chinese "
        "Windows saves; text in neither stops with a message naming this option)",
    )


def add_jobs(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help=f"{what} (default: every core for a large input, else 1; 0 = every core) / 并行数",
    )


def check_encoding(name: str) -> str:
    """The encoding asked for, once Python knows it (``auto`` always passes).

    Examples
    --------
    >>> check_encoding("GBK"), check_encoding("auto")
    ('GBK', 'auto')
    >>> check_encoding("klingon")
    Traceback (most recent call last):
    ...
    addrkit.errors.InputError: 未知编码 / unknown encoding 'klingon'
    """
    if name != AUTO:
        try:
            codecs.lookup(name)
        except LookupError as err:
            raise InputError(f"未知编码 / unknown encoding {name!r}") from err
    return name


def check_jobs(jobs: int | None) -> int | None:
    """``--jobs`` as given, refused when negative.

    Examples
    --------
    >>> check_jobs(None), check_jobs(0), check_jobs(4)
    (None, 0, 4)
    >>> check_jobs(-1)
    Traceback (most recent call last):
    ...
    addrkit.errors.InputError: --jobs must be 0 (every core) or more, not -1
    """
    if jobs is not None and jobs < 0:
        raise InputError(f"--jobs must be 0 (every core) or more, not {jobs}")
    return jobs


def stdin_lines(encoding: str) -> Iterator[str]:
    """Standard input's lines without their line ends, decoded one by one (a GBK line read
    as UTF-8 would be garbage the engine labels FOREIGN)."""
    stdin = open(sys.stdin.fileno(), "rb", closefd=False)
    return (decode_line(line, encoding, n).rstrip("\r\n") for n, line in enumerate(stdin, 1))
