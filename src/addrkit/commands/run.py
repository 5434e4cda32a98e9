"""``addrkit run OP[,OP…] WORKBOOK [-o OUT] [--sheet S]``: ribbon operations on an .xlsx file."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from ..address.parallel import parallel_engine
from ..errors import InputError
from ..ops import ALL, OPERATIONS
from ..progress import Progress, TextBar
from ..workbook.run_file import STREAM_ROWS, FileRunResult, run_file
from .options import add_jobs, check_jobs

__all__ = ["register", "main", "describe", "STREAM_ROWS_ENV"]

# Sheets longer than this many rows are streamed rather than loaded (tests lower it to
# take the streamed path on small real files; a person never needs to set it).
STREAM_ROWS_ENV = "ADDRKIT_STREAM_ROWS"


def register(subparsers) -> None:
    choices = sorted(OPERATIONS) + ["all"]
    parser = subparsers.add_parser(
        "run",
        help="run a ribbon operation on a workbook file (运行工作簿操作)",
        description="Run a ribbon operation on an .xlsx file. Without -o the file is changed "
        "in place after a backup copy is made beside it (book.xlsx.addrkit-backup-*.xlsx); "
        "'undo' restores the newest backup; 'share' writes BOOK-share.xlsx unless -o is given; "
        f"'all' runs {', '.join(ALL)} in one run (one backup, one undo); several operations "
        "joined by commas (assign,code) run in that order in one pass over the book.",
    )
    parser.add_argument(
        "operation",
        type=_operations,
        metavar="OP",
        help=" | ".join(choices) + "; or several joined by commas, e.g. assign,code",
    )
    parser.add_argument("workbook", help="the .xlsx file")
    parser.add_argument("-o", "--output", help="write the result here instead of in place")
    parser.add_argument(
        "--sheet", help="sheet holding the customer table (default: found by headers)"
    )
    for role, zh in (("address", "地址"), ("name", "客户名称"), ("phone", "电话"), ("id", "编号")):
        parser.add_argument(
            f"--{role}-col",
            metavar="HEADER",
            help=f"header of the {role} column ({zh}列) when it is not recognised; "
            f"also settable on the Settings sheet",
        )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_jobs(parser, "processes to parse addresses and write a big sheet with")
    parser.set_defaults(func=main)


def describe(result: FileRunResult, out: TextIO) -> None:
    """Print what a run did, in a few lines."""
    if result.undone_copy is not None:
        print(f"已撤销上次运行 / Last run undone: {result.path}", file=out)
        print(f"  撤销前的版本 / the undone version is kept at {result.undone_copy}", file=out)
        return
    if result.share is not None:
        s = result.share
        print(f"分享副本 / Share-ready copy: {s.path}", file=out)
        print(
            f"  {s.formulas} formulas → values, {s.masked} phones masked, removed: {', '.join(s.removed_sheets) or '-'}",
            file=out,
        )
        if s.uncalculated:
            print(
                f"  注意 / note: {s.uncalculated} formulas had no calculated value (open and save the "
                "book in Excel first); they are empty in the copy",
                file=out,
            )
        return
    print(f"已写入 / Written: {result.path}", file=out)
    if result.backup is not None:
        print(f"  备份 / backup: {result.backup}  (undo: addrkit run undo {result.path})", file=out)
    if result.streamed:
        print(
            "  大表按行流式处理：客户表的值、数字格式和单元格样式保留，其他表保留值与数字格式；"
            "列宽、合并单元格和表格定义未保留 / streamed: the customer sheet kept its values, number "
            "formats and cell styles, other sheets their values and number formats; column widths, "
            "merged cells and table definitions were not kept",
            file=out,
        )
    for side in result.side_files:
        print(f"  另存 / also written: {side}", file=out)
    for plan in result.plans:
        if plan.summary:
            print(
                f"  {plan.operation}: " + ", ".join(f"{k} {v}" for k, v in plan.summary), file=out
            )
        for warning in plan.warnings:
            print(f"  注意 / note: {warning}", file=out)


def _stream_rows() -> int:
    text = os.environ.get(STREAM_ROWS_ENV, "").strip()
    if not text:
        return STREAM_ROWS
    try:
        return max(0, int(text))
    except ValueError:
        raise InputError(
            f"{STREAM_ROWS_ENV} 须为整数 / {STREAM_ROWS_ENV} must be a whole number, not {text!r}"
        ) from None


def _operations(text: str) -> list[str]:
    """The operations named by OP: one name, "all", or names joined by commas.

    One pass over the book for several operations reads and writes a million-row sheet
    once instead of once per operation, with one backup and one undo.

    Examples
    --------
    >>> _operations("assign, code"), _operations("all") == list(ALL)
    (['assign', 'code'], True)
    """
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if names == ["all"]:
        return list(ALL)
    unknown = [n for n in names if n not in OPERATIONS]
    if not names or unknown:
        valid = " | ".join(sorted(OPERATIONS) + ["all"])
        raise argparse.ArgumentTypeError(
            f"未知操作 / unknown operation {', '.join(unknown) or repr(text)}; choose from {valid}"
        )
    if len(names) > 1 and {"undo", "share"} & set(names):
        raise argparse.ArgumentTypeError("undo 和 share 只能单独运行 / undo and share run alone")
    return list(dict.fromkeys(names))  # a name given twice runs once


def main(args: argparse.Namespace) -> int:
    names = args.operation
    progress = Progress(None if args.quiet else TextBar(sys.stderr))
    check_jobs(args.jobs)
    columns = {f"{r}_col": getattr(args, f"{r}_col") for r in ("address", "name", "phone", "id")}
    with parallel_engine(args.jobs):  # workers start only once a sheet proves big
        result = run_file(
            names,
            args.workbook,
            args.output,
            sheet=args.sheet,
            progress=progress,
            columns=columns,
            stream_rows=_stream_rows(),
            jobs=args.jobs,
        )
    describe(result, sys.stdout)
    return 0
