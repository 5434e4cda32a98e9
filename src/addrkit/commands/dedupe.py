"""``addrkit dedupe IN.csv OUT.csv``: find duplicate customers in a CSV file.

OUT has every input column, unchanged (a cell a spreadsheet would run as a formula gets
a leading apostrophe, as OWASP advises), plus ``cluster_id`` (same number = same customer;
a record in no group keeps an empty cell), ``match_score`` (match probability of the
record's strongest link) and ``match_reason`` (which fields agreed and which did not, in
Chinese and English; why a group was split). Columns are detected from Chinese or English
headers unless named with the ``--*-col`` options; ``--extra-col`` (repeatable) adds any
further identifying column — date of birth, e-mail, 统一社会信用代码, customer code —
compared by the kind of value it holds.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

from ..dedupe.model import DEFAULT_THRESHOLD
from ..errors import InputError, WorkbookError
from ..safe_text import csv_safe
from ..text_encoding import AUTO, detect_encoding, encoding_error
from .options import add_encoding, add_jobs, check_jobs

__all__ = ["register", "read_csv", "run"]

_SAMPLE = 1 << 20  # bytes read to tell the encoding


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "dedupe",
        help="find duplicate customers in a CSV file / 查找重复客户",
        description=__doc__.splitlines()[0],
    )
    parser.add_argument("input", type=Path, metavar="IN.csv")
    parser.add_argument("output", type=Path, metavar="OUT.csv")
    parser.add_argument("--id-col", metavar="C", help="id column (编号)")
    parser.add_argument("--name-col", metavar="C", help="customer name column (客户名称)")
    parser.add_argument("--address-col", metavar="C", help="address column (地址)")
    parser.add_argument("--phone-col", metavar="C", help="phone column (电话)")
    parser.add_argument("--email-col", metavar="C", help="e-mail column (邮箱)")
    parser.add_argument("--credit-code-col", metavar="C", help="统一社会信用代码 column")
    add_encoding(parser, "CSV")
    parser.add_argument(
        "--extra-col",
        metavar="C",
        action="append",
        default=[],
        help="a further identifying column, compared by its kind (date of birth, e-mail, "
        "tax id, customer code …); repeatable / 其他可识别客户的列，可重复",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help=f"match probability needed to link two records (default {DEFAULT_THRESHOLD})",
    )
    add_jobs(parser, "processes/threads for parsing and scoring")
    parser.set_defaults(func=run)


def read_csv(path: Path, encoding: str = AUTO):
    """Read a CSV as text cells (nothing converted); ``auto`` tells UTF-8 from GB18030."""
    import pandas as pd

    if not path.exists():
        raise InputError(f"file not found / 找不到文件: {path}")
    if encoding == AUTO:
        with open(path, "rb") as fh:
            encoding = detect_encoding(fh.read(_SAMPLE), str(path))
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding=encoding, na_filter=False
        )
    except UnicodeDecodeError as err:  # past the sample: the file mixes encodings
        raise encoding_error(str(path), f" ({err})") from err
    except LookupError as err:
        raise InputError(f"unknown encoding / 未知编码 {encoding!r}") from err
    except pd.errors.EmptyDataError as err:
        raise InputError(f"empty file / 空文件: {path}") from err
    except pd.errors.ParserError as err:
        raise InputError(f"not a readable CSV file / 无法读取的 CSV: {path}: {err}") from err


def _roles(args, columns) -> dict:
    from ..dedupe import ColumnRole, detect_roles

    given = {
        ColumnRole.ID: args.id_col,
        ColumnRole.NAME: args.name_col,
        ColumnRole.ADDRESS: args.address_col,
        ColumnRole.PHONE: args.phone_col,
        ColumnRole.EMAIL: args.email_col,
        ColumnRole.CREDIT_CODE: args.credit_code_col,
    }
    extras = list(dict.fromkeys(args.extra_col or []))
    for column in [*given.values(), *extras]:
        if column is not None and column not in columns:
            raise InputError(
                f"no column {column!r} / 没有此列; columns: " + ", ".join(map(str, columns))
            )
    named = set(given.values()) | set(extras)
    detected = {
        column: role
        for column, role in detect_roles(columns).items()
        if given.get(role) is None and column not in named
    }
    roles = detected | {column: role for role, column in given.items() if column is not None}
    return roles | {column: ColumnRole.OTHER for column in extras}


def _write_atomic(frame, path: Path) -> None:
    """Write the CSV beside its final name, then rename; no cell can start a formula."""
    frame = frame.map(csv_safe)
    path = path.resolve()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            # CRLF, as Excel writes: a field holding a bare CR is then quoted, not a new row.
            frame.to_csv(fh, index=False, lineterminator="\r\n")
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise WorkbookError(f"cannot write / 无法写入 {path}: {err}") from err


def run(args: argparse.Namespace) -> int:
    from ..dedupe import ColumnRole, DedupeSettings, find_duplicates

    table = read_csv(args.input, args.encoding)
    roles = _roles(args, list(table.columns))
    settings = DedupeSettings() if args.threshold is None else DedupeSettings(args.threshold)
    id_column = next((c for c, r in roles.items() if r is ColumnRole.ID), None)
    if len(table) == 0:
        result_frame = table.assign(cluster_id="", match_score="", match_reason="")
        _write_atomic(result_frame, args.output)
        print("0 records / 0 条记录", file=sys.stderr)
        return 0
    jobs = check_jobs(args.jobs)
    if jobs is not None:
        settings = dataclasses.replace(settings, workers=jobs or -1)
    # Every core (or --jobs) prepares a large file; a small one is prepared here.
    settings = dataclasses.replace(settings, jobs=0 if jobs is None else jobs)
    result = find_duplicates(table, roles, settings=settings)
    _write_atomic(result.annotate(table, id_column=id_column), args.output)
    in_groups = int((result.cluster_id > 0).sum())
    used = ", ".join(f"{r.value}={c}" for c, r in roles.items())
    print(
        f"{len(table)} records, {len(result.clusters)} duplicate groups, {in_groups} records "
        f"in groups ({used}); {result.stats.candidate_pairs} candidate pairs\n"
        f"{len(table)} 条记录，{len(result.clusters)} 组重复，共 {in_groups} 条",
        file=sys.stderr,
    )
    return 0
