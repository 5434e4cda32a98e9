"""Tiers & regions plus Customer codes on a full Excel sheet of customers.

Builds a customer table of N rows in memory (real NCAP addresses, varied house numbers
so every address is distinct; revenue typed as numbers, "1,200", "¥…", full-width digits
and blanks; orders and credit; one row in ten without a customer ID) and times, in
this process:

- baseline: a bare pandas pass over the same rows — revenue cleaned with vectorised
  string operations, ABC tiers by cumulative share, region by a province→region map of
  a ready province column, codes by string concatenation — the least any tool that
  tiers, places and codes a million rows must do, with none of the explanations;
- addrkit: ``run_assign`` then ``run_code`` (workbook registry) on the same table, as the
  ribbon and ``addrkit run assign|code`` build their plans. The address parse both share
  (once per run) is timed apart, since Clean & validate parses the same addresses and
  its speed is reported in its own section; the figure for the goal is tiers + regions
  + codes after the parse, and the total with the parse is given beside it.

With ``--file`` the same customers are written to an .xlsx file (a 客户 Customers sheet
and a 设置 Settings sheet holding the tier rule) and the file path is timed end to end,
each command a whole process as a person runs it: ``addrkit run assign BOOK -o A`` then
``addrkit run code A -o B``, and ``addrkit run assign,code BOOK -o C`` (both in one pass:
one read, one write; ``--one-pass-only`` times just that) (read, parse, plan, streamed
write, atomic rename; sheets
over 200,000 rows take the streamed path). Beside them, in the same run: the bare pandas
pass above (in this process) and openpyxl streaming the same file unchanged (read-only
in, write-only out), the least any tool that rewrites the file must spend.

``--addresses`` picks the address mix: ``distinct`` (every row a different text: the
worst case for the parse) or ``repeated`` (a customer list as kept: the rows share
one distinct address per ``--repeat-every`` rows, drawn at random, as branches,
re-orders and one-site companies repeat). ``--cleaned`` first runs ``addrkit run clean``
(untimed) so assign and code find Clean & validate's columns.

Usage (the NCAP corpus: ``ADDRKIT_NCAP_DIR`` or ``../shared/data/ncap``)::

    ADDRKIT_NCAP_DIR=/work/shared/data/ncap python benchmarks/assign_scale.py --rows 1048576
    ADDRKIT_NCAP_DIR=/work/shared/data/ncap python benchmarks/assign_scale.py --rows 1048575 \
        --file --addresses repeated
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from addrkit.ops.assign import run_assign  # noqa: E402
from addrkit.ops.base import CustomerTable  # noqa: E402
from addrkit.ops.code import run_code  # noqa: E402
from addrkit.ops.parsing import parse_table  # noqa: E402
from addrkit.progress import Progress  # noqa: E402
from addrkit.settings import settings_from_rows  # noqa: E402
from addrkit.table import locate_table  # noqa: E402
from benchmarks.customer_rows import (  # noqa: E402
    COPY_BASELINE,
    ncap_addresses,
    numbered_text,
    write_sheets,
)
from benchmarks.ncap import Level  # noqa: E402

HEADERS = ["客户编号", "客户名称", "地址", "年销售额", "订单数", "信用"]
FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def _revenue(rng: random.Random) -> object:
    value = round(rng.lognormvariate(11, 1.6), 2)
    kind = rng.random()
    if kind < 0.6:
        return value
    if kind < 0.75:
        return f"{value:,.2f}"
    if kind < 0.85:
        return f"¥{value:,.0f}"
    if kind < 0.9:
        return f"{value:,.0f}".translate(FULL_WIDTH)
    if kind < 0.95:
        return None
    return -value if kind < 0.97 else "#N/A"


def make_table(
    rows: int, seed: int = 7, addresses: str = "distinct", repeat_every: int = 10
) -> tuple[CustomerTable, list[str]]:
    """The table and, for the baseline, each row's province as a ready column.

    ``distinct``: row i has the i-th text of NCAP with its building number varied (all
    different); ``repeated``: row i has one of rows / repeat_every such texts, at random.
    """
    rng = random.Random(seed)
    base = ncap_addresses()
    texts = [a.text for a in base]
    pool = rows if addresses == "distinct" else max(1, rows // repeat_every)
    data, provinces = [], []
    for i in range(rows):
        k = i if addresses == "distinct" else rng.randrange(pool)
        a = base[k % len(base)]
        text = numbered_text(texts, k, "号楼", first_round_plain=True)
        cid = None if rng.random() < 0.1 else f"C{i:07d}"
        data.append(
            [cid, f"客户{i}", text, _revenue(rng), rng.randint(0, 80), rng.randint(30, 100)]
        )
        provinces.append(a.gold.get(Level.PROVINCE, ""))
    location = locate_table("客户 Customers", [HEADERS])
    return CustomerTable.from_rows(location, data), provinces


class Clock:
    """Wall and CPU seconds of this process: on a shared machine the CPU time is the
    figure that does not depend on what else runs."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.1f} s wall / {self.cpu:.1f} s CPU"


def baseline(table: CustomerTable, provinces: list[str]) -> Clock:
    from addrkit.assign.regions import DEFAULT_REGION_SCHEME, REGION_CODES, short_name

    by_name = dict(DEFAULT_REGION_SCHEME.provinces)
    by_name.update({short_name(p): r for p, r in DEFAULT_REGION_SCHEME.provinces.items()})

    clock = Clock().__enter__()
    frame = table.frame
    text = frame["年销售额"].astype("string")
    text = text.str.normalize("NFKC").str.replace(r"[¥,元\s]", "", regex=True)
    revenue = pd.to_numeric(text, errors="coerce")
    order = revenue.clip(lower=0).sort_values(ascending=False)
    share = order.cumsum().shift(fill_value=0) / order.sum()
    tier = pd.cut(share, [-1, 0.8, 0.95, 2], labels=["A", "B", "C"], right=False)
    region = pd.Series(provinces).map(by_name)
    letters = region.map({r.value: c for r, c in REGION_CODES.items()}).fillna("XX")
    codes = letters + "-" + pd.Series(range(1, len(frame) + 1)).astype(str).str.zfill(7)
    assert len(tier) == len(codes) == len(frame)
    clock.__exit__()
    return clock


TIER_RULES = "ABC A=80% B=95%"


def write_book(table: CustomerTable, path: Path) -> None:
    """The table as a customer sheet of an .xlsx file, with the Settings sheet's tier rule.

    Written by openpyxl's streaming writer, then given the ``<dimension>`` element Excel
    writes in every sheet it saves (openpyxl's reader otherwise parses a whole sheet
    once more on opening it just to learn its size), so the file reads as Excel's would.
    """
    import zipfile

    settings = [["设置项", "值"], ["客户分级规则 Tier rules", TIER_RULES],
                ["登记簿 Registry", "workbook"]]  # fmt: skip
    raw = path.with_suffix(".raw.xlsx")
    write_sheets(
        raw,
        [
            ("客户 Customers", [HEADERS, *table.frame.itertuples(index=False)]),
            ("设置 Settings", settings),
        ],
    )
    sizes = {
        "xl/worksheets/sheet1.xml": f"A1:F{len(table) + 1}",
        "xl/worksheets/sheet2.xml": "A1:B3",
    }
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in sizes:
                head, rest = data[:2000], data[2000:]
                assert b"<dimension" not in head and b"<sheetViews" in head
                tag = f'<dimension ref="{sizes[info.filename]}"/><sheetViews'.encode()
                data = head.replace(b"<sheetViews", tag, 1) + rest
            out.writestr(info, data)
    raw.unlink()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall s, CPU s (the process and its workers) and peak MiB of one command."""
    from benchmarks.proc import run_measured

    cpu = _children_cpu()
    sample = run_measured(command, env=env)
    return sample.seconds, _children_cpu() - cpu, sample.max_rss_bytes >> 20


def file_main(args: argparse.Namespace, table: CustomerTable, provinces: list[str]) -> int:
    from benchmarks.proc import machine_summary

    workdir = Path(tempfile.mkdtemp(prefix="assign-scale-", dir=args.workdir))
    try:
        book = workdir / "book.xlsx"
        t0 = time.perf_counter()
        write_book(table, book)
        print(
            f"wrote {book.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        distinct = len({t for t in table.frame["地址"]})
        runs = sorted((baseline(table, provinces) for _ in range(args.repeat)), key=lambda c: c.cpu)
        base = runs[args.repeat // 2]
        del table, provinces
        gc.collect()
        addrkit = [sys.executable, "-m", "addrkit.cli", "run"]
        jobs = ["--jobs", str(args.jobs)] if args.jobs is not None else []
        if args.cleaned:
            t0 = time.perf_counter()
            measured([*addrkit, "clean", str(book), "--quiet", *jobs])
            print(f"cleaned (untimed) in {time.perf_counter() - t0:.1f} s", flush=True)
        copy = measured([sys.executable, "-c", COPY_BASELINE, str(book), str(workdir / "c.xlsx")])
        assigned, coded = workdir / "assigned.xlsx", workdir / "coded.xlsx"
        one_pass = workdir / "one-pass.xlsx"
        both = measured([*addrkit, "assign,code", str(book), "-o", str(one_pass), "--quiet", *jobs])
        check = _check(one_pass)
        assign = code = None
        if not args.one_pass_only:
            assign = measured(
                [*addrkit, "assign", str(book), "-o", str(assigned), "--quiet", *jobs]
            )
            code = measured([*addrkit, "code", str(assigned), "-o", str(coded), "--quiet", *jobs])
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(machine_summary())
    print(
        f"rows {args.rows:,}, addresses {args.addresses} ({distinct:,} distinct), "
        f"cleaned first: {args.cleaned}, jobs {args.jobs or 'default'}"
    )
    print("| step | wall s | CPU s | peak MiB |\n|---|---:|---:|---:|")
    print(
        f"| baseline: bare pandas pass (in memory, median of {args.repeat}) "
        f"| {base.wall:.1f} | {base.cpu:.1f} | |"
    )
    print(
        f"| baseline: openpyxl streaming copy of the file | {copy[0]:.1f} | {copy[1]:.1f} | {copy[2]} |"
    )
    if assign is not None and code is not None:
        print(f"| `addrkit run assign` | {assign[0]:.1f} | {assign[1]:.1f} | {assign[2]} |")
        print(f"| `addrkit run code` | {code[0]:.1f} | {code[1]:.1f} | {code[2]} |")
        print(
            f"| assign then code, two runs | {assign[0] + code[0]:.1f} | {assign[1] + code[1]:.1f} | |"
        )
    print(
        f"| **`addrkit run assign,code`, one pass** | **{both[0]:.1f}** | **{both[1]:.1f}** | {both[2]} |"
    )
    print(
        f"ratios: one pass wall / openpyxl copy wall {both[0] / copy[0]:.2f}; "
        f"CPU / pandas CPU {both[1] / max(base.cpu, 1e-9):.1f}; {check}"
    )
    return 0


def _check(path: Path) -> str:
    """What the coded book holds: rows, codes and their uniqueness (read back streaming)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        ws = wb["客户 Customers"]
        rows = ws.iter_rows(values_only=True)
        header = next(rows)
        at, tier_at = header.index("客户编号"), header.index("客户分级")
        ids, tiers, n = set(), 0, 0
        for row in rows:
            n += 1
            if row[at] is not None:
                ids.add(row[at])
            tiers += row[tier_at] is not None
    finally:
        wb.close()
    return f"read back: {n:,} rows, {len(ids):,} distinct customer IDs, {tiers:,} tiered"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_048_576)
    parser.add_argument("--repeat", type=int, default=3, help="baseline repeats (median)")
    parser.add_argument("--file", action="store_true", help="time addrkit run on an .xlsx file")
    parser.add_argument("--addresses", choices=("distinct", "repeated"), default="distinct")
    parser.add_argument("--repeat-every", type=int, default=10, help="rows per distinct address")
    parser.add_argument("--cleaned", action="store_true", help="run clean first (untimed)")
    parser.add_argument("--jobs", type=int, default=None, help="addrkit run --jobs")
    parser.add_argument("--workdir", default=os.environ.get("TMPDIR"), help="where files go")
    parser.add_argument("--keep", action="store_true", help="keep the files written")
    parser.add_argument(
        "--one-pass-only",
        action="store_true",
        help="time only `addrkit run assign,code` (not also assign then code as two runs)",
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    table, provinces = make_table(
        args.rows, addresses=args.addresses, repeat_every=args.repeat_every
    )
    print(f"generated {args.rows:,} rows in {time.perf_counter() - t0:.1f} s", flush=True)
    if args.file:
        return file_main(args, table, provinces)
    settings = settings_from_rows([("客户分级规则 Tier rules", TIER_RULES)])
    runs = sorted((baseline(table, provinces) for _ in range(args.repeat)), key=lambda c: c.cpu)
    base = runs[args.repeat // 2]
    print(f"baseline (bare pandas pass, median of {args.repeat} by CPU): {base}", flush=True)
    gc.collect()
    progress = Progress()
    with Clock() as parse:
        parse_table(table, progress)
    print(f"address parse (shared by both operations): {parse}", flush=True)
    with Clock() as assign:
        assign_plan = run_assign(table, settings, progress)
    with Clock() as code:
        code_plan = run_code(table, settings, progress)
    assert len(assign_plan.columns[0].values) == args.rows
    both_wall, both_cpu = assign.wall + code.wall, assign.cpu + code.cpu
    print(
        f"assign {assign}; code {code}; together {both_wall:.1f} s wall / {both_cpu:.1f} s CPU "
        f"after the parse ({both_cpu / base.cpu:.1f}× the baseline's CPU); with the parse "
        f"{both_wall + parse.wall:.1f} s wall / {both_cpu + parse.cpu:.1f} s CPU",
        flush=True,
    )
    print(f"new codes {len(code_plan.edits):,}; " + "; ".join(code_plan.notes + assign_plan.notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
