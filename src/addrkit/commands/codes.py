"""``addrkit codes compare A.xlsx B.xlsx``: codes that collide between two copies of a book.

Run it before merging two copies that were coded apart (each with its own workbook
registry). Exit status: 0 no collision, 3 collisions found (listed), 1 an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..assign.collisions import code_uses, find_collisions
from ..errors import InputError
from ..table import ColumnRole
from ..workbook.files import open_workbook, read_customer_table, read_settings

__all__ = ["register", "main", "book_code_uses", "COLLISIONS_FOUND"]

COLLISIONS_FOUND = 3


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "codes",
        help="check customer codes across workbooks (客户编码检查)",
        description="compare: list customer codes that stand for different customers in two "
        "copies of a workbook (table and hidden code registry of both), before merging them.",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    compare = sub.add_parser("compare", help="codes that collide between two workbooks")
    compare.add_argument("left", help="first .xlsx")
    compare.add_argument("right", help="second .xlsx")
    compare.add_argument("--json", action="store_true", help="one JSON object a collision")
    compare.set_defaults(func=main)


def book_code_uses(path: str | Path) -> list:
    """Every code the book's customer table and hidden registry use."""
    wb = open_workbook(Path(path), read_only=True)
    try:
        settings = read_settings(wb).checked()
        table = read_customer_table(wb, None, settings)
    finally:
        wb.close()
    ids = table.column(ColumnRole.ID)
    if ids is None:
        raise InputError(f"{path}: 客户表没有“客户编号”列 / the customer table has no ID column")
    names = table.column(ColumnRole.NAME) or [None] * len(ids)
    first = table.location.header_row + 1
    return code_uses(Path(path).name, ids, names, first, settings.code_ledger.codes)


def main(args: argparse.Namespace) -> int:
    collisions = find_collisions(book_code_uses(args.left), book_code_uses(args.right))
    for c in collisions:
        if args.json:
            record = {
                "code": c.code,
                "left": [{"customer": u.customer, "where": u.where} for u in c.left],
                "right": [{"customer": u.customer, "where": u.where} for u in c.right],
                "reason": c.reason,
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            where = ", ".join(u.where for u in c.left) + " | " + ", ".join(u.where for u in c.right)
            print(f"{c.reason}  [{where}]")
    if not args.json:
        print(
            f"{len(collisions)} 个编码冲突 / {len(collisions)} colliding codes",
            file=sys.stderr,
        )
    return COLLISIONS_FOUND if collisions else 0
