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

Usage (the NCAP corpus: ``ADDRKIT_NCAP_DIR`` or ``../shared/data/ncap``)::

    ADDRKIT_NCAP_DIR=/work/shared/data/ncap python benchmarks/assign_scale.py --rows 1048576
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
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
from benchmarks.ncap import Level, read_split  # noqa: E402

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


def make_table(rows: int, seed: int = 7) -> tuple[CustomerTable, list[str]]:
    """The table and, for the baseline, each row's province as a ready column."""
    rng = random.Random(seed)
    base = [a for split in ("train", "dev") for a in read_split(split)]
    data, provinces = [], []
    for i in range(rows):
        a = base[i % len(base)]
        text = f"{a.text}{i // len(base) + 1}号楼" if i >= len(base) else a.text
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_048_576)
    parser.add_argument("--repeat", type=int, default=3, help="baseline repeats (median)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    table, provinces = make_table(args.rows)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - t0:.1f} s", flush=True)
    settings = settings_from_rows([("客户分级规则 Tier rules", "ABC A=80% B=95%")])
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
