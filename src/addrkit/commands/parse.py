"""``addrkit parse``: address lines on stdin → one JSON object per line on stdout.

Streams: each line is parsed and written before the next is read (output is flushed
in blocks), so any number of lines runs in constant memory and output order is
input order. Blank lines give an EMPTY result, so line N of the output always
belongs to line N of the input.
"""

from __future__ import annotations

import argparse
import codecs
import gc
import sys

from ..address import parse_many
from ..address.json_line import JsonLineEncoder
from ..errors import InputError
from ..gazetteer import default_gazetteer
from ..text_encoding import decode_line

_FLUSH_EVERY = 4096


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "parse",
        help="parse address lines from stdin into JSON lines / 解析地址",
        description=__doc__.split("\n\n")[0],
    )
    p.add_argument(
        "--encoding",
        default="auto",
        help="input encoding (default auto: UTF-8, or GBK/GB18030 as Excel on Chinese Windows "
        "saves; a line in neither stops with a message naming this option)",
    )
    p.set_defaults(func=run)


def _tune_garbage_collector() -> None:
    """This process only parses: load the gazetteer, exempt it from collection, collect
    less often. The collector otherwise spent over a tenth of the run walking the
    gazetteer's lists and the short-lived objects of each line (measured with gc callbacks).
    """
    default_gazetteer()
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def run(args: argparse.Namespace) -> int:
    if args.encoding != "auto":
        try:
            codecs.lookup(args.encoding)
        except LookupError as err:
            raise InputError(f"未知编码 / unknown encoding {args.encoding!r}") from err
    _tune_garbage_collector()
    stdin = open(sys.stdin.fileno(), "rb", closefd=False)
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False, buffering=1 << 16)
    encode = JsonLineEncoder().encode
    # Bytes decoded line by line: GBK lines read as UTF-8 were garbage labelled FOREIGN.
    lines = (
        decode_line(line, args.encoding, n).rstrip("\r\n") for n, line in enumerate(stdin, 1)
    )
    written = 0
    try:
        for result in parse_many(lines):
            stdout.write(encode(result))
            stdout.write("\n")
            written += 1
            if written % _FLUSH_EVERY == 0:
                stdout.flush()
    except BrokenPipeError:  # `addrkit parse < big.txt | head` is normal use
        return 0
    finally:
        try:
            stdout.flush()
        except BrokenPipeError:
            pass
    return 0
