"""Tiers & regions (分级分区): each customer's tier and sales region, with the reasons.

Five columns go beside the table: 客户分级 (the tier), 分级依据 (which rule gave it),
销售区域 (the region), 区域销售 (the sales rep the Regions sheet names) and 区域依据
(which Regions-sheet row or default gave it). The customer's own 客户等级 and 销售
columns are left as they are. A customer without a tier or region gets an empty cell,
an amber fill and the reason: nothing is guessed.
"""

from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..assign.territories import Territory
from ..assign.tiers import TierResult, assign_tiers
from ..progress import Progress
from ..settings import Settings
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace, require_table
from .divisions import divisions_for, start_divisions
from .plan import CellHighlight, ChangePlan, Fill, NewColumn

__all__ = [
    "ASSIGN_HEADERS",
    "TIER_HEADER",
    "REGION_HEADER",
    "VALUE_COLUMNS",
    "value_column",
    "territories_for",
    "tiers_for",
    "run_assign",
    "OPERATION",
]

TIER_HEADER = "客户分级"
REGION_HEADER = "销售区域"
ASSIGN_HEADERS = (TIER_HEADER, "分级依据", REGION_HEADER, "区域销售", "区域依据")

# Header spellings of the value columns tiers and codes read (compared after NFKC,
# lower case, spaces removed; "年销售额 Revenue" matches through either half).
VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "revenue": ("年销售额", "销售额", "营收", "收入", "revenue", "sales", "annualrevenue"),
    "orders": ("订单数", "订单量", "订单", "orders", "ordercount"),
    "years": ("合作年限", "年限", "合作年数", "years", "yearsofcooperation"),
    "credit": ("信用", "信用分", "信用等级", "credit", "creditscore", "creditrating"),
    "recency": (
        "最近下单",
        "最近下单日期",
        "最后下单",
        "最后下单日期",
        "lastorder",
        "lastorderdate",
    ),
    "type": ("客户类型", "类型", "customertype", "type"),
}


def _norm(text: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


def value_column(table: CustomerTable, kind: str) -> list[Any] | None:
    """The values of the table's column for ``kind`` (see `VALUE_COLUMNS`), or None.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址", "年销售额 Revenue"]]),
    ...                             [["甲", "杭州", "1,200"]])
    >>> value_column(t, "revenue"), value_column(t, "orders")
    (['1,200'], None)
    """
    names = {_norm(a) for a in VALUE_COLUMNS[kind]}
    for i, header in enumerate(table.location.headers):
        if i in table.location.output_columns or header is None:
            continue
        text = _norm(header)
        halves = {_norm(p) for p in re.split(r"[/|()（）\s]+", str(header)) if p.strip()}
        if text in names or halves & names:
            return table.frame.iloc[:, i].tolist()
    return None


def territories_for(
    table: CustomerTable, settings: Settings, progress: Progress, rows: Sequence[int] | None = None
) -> list[Territory]:
    """Every row's territory, or those of ``rows`` in their order (memoised for the run).

    Only the divisions are needed (`divisions_for`: Clean & validate's columns when they
    are current, else the engine on each distinct address once)."""
    done: dict[int, Territory] = table.cache.setdefault("territories", {})
    wanted = range(len(table)) if rows is None else rows
    missing = _unplaced(table, wanted)
    if missing:
        lookup = settings.territories
        if lookup.scheme is not settings.region_scheme:
            lookup = type(lookup)(lookup.rows, settings.region_scheme)
        divisions = divisions_for(table, progress, missing)
        # Rows with one address share one Divisions object (see divisions_for): each is
        # looked up once, then the rows take theirs at C speed; customers share
        # districts, so each distinct (province, city, district) is looked up once too.
        ids = list(map(id, divisions.values()))
        seen: dict[tuple, Territory] = {}
        places: dict[int, Territory] = {}
        for k, d in dict(zip(ids, divisions.values(), strict=True)).items():
            key = (d.province, d.city, d.district)
            place = seen.get(key)
            if place is None:
                place = seen[key] = lookup.lookup(*key)
            places[k] = place
        done.update(zip(divisions, map(places.__getitem__, ids), strict=True))
    return list(map(done.__getitem__, wanted))


def _unplaced(table: CustomerTable, rows: Sequence[int]) -> list[int]:
    """The rows of ``rows`` whose territory this run has not worked out yet."""
    done = table.cache.get("territories", {})
    return [i for i in rows if i not in done]


def tiers_for(table: CustomerTable, settings: Settings) -> list[TierResult]:
    """Every row's tier under the Settings' rules (memoised for the run)."""
    if "tiers" not in table.cache:
        revenue = value_column(table, "revenue")
        if revenue is None:
            result = TierResult(
                None,
                "客户表没有销售额列（年销售额/销售额），未分级",
                "the customer table has no revenue column (年销售额 / Revenue): not tiered",
            )
            table.cache["tiers"] = [result] * len(table)
        else:
            table.cache["tiers"] = assign_tiers(
                settings.tier_rules,
                revenue,
                value_column(table, "orders"),
                value_column(table, "years"),
                value_column(table, "credit"),
                value_column(table, "recency"),
            )
    return table.cache["tiers"]


def _highlights(values: Sequence[Any], header: str) -> list[CellHighlight]:
    # The rows with None picked out at C speed: a million rows, few of them empty.
    empty = itertools.compress(itertools.count(), map(operator.is_, values, itertools.repeat(None)))
    return [CellHighlight(i, header, Fill.AMBER) for i in empty]


def run_assign(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Plan the tier and region columns with their reasons.

    Returns
    -------
    ChangePlan
        Columns `ASSIGN_HEADERS`, amber fills on rows left without a tier or region.

    Examples
    --------
    >>> from addrkit.table import locate_table
    >>> t = CustomerTable.from_rows(locate_table("S", [["名称", "地址", "年销售额", "信用"]]),
    ...                             [["甲", "浙江杭州西湖区文三路90号", "¥1,200,000", 80]])
    >>> plan = run_assign(t, Settings(), Progress())
    >>> [c.values[0] for c in plan.columns][:3] + [plan.columns[3].values[0]]
    ['A', "规则 'A: revenue>=1000000 and credit>=60'：销售额 1,200,000 >= 1,000,000，信用 80 >= 60 / rule 'A: revenue>=1000000 and credit>=60': revenue 1,200,000 >= 1,000,000, credit 80 >= 60", '华东', None]
    """
    table = require_table(table, "assign")
    # The addresses `territories_for` will need are parsed by the workers (addrkit run on
    # a big sheet) while this process works out the tiers.
    start_divisions(table, _unplaced(table, range(len(table))))
    tiers = tiers_for(table, settings)
    places = territories_for(table, settings, progress)
    tier_values = [t.tier for t in tiers]
    regions = [p.region for p in places]
    columns = (
        NewColumn(TIER_HEADER, tuple(tier_values)),
        NewColumn("分级依据", tuple(t.reason for t in tiers)),
        NewColumn(REGION_HEADER, tuple(regions)),
        NewColumn("区域销售", tuple(p.rep for p in places)),
        NewColumn("区域依据", tuple(p.reason for p in places)),
    )
    untiered = sum(v is None for v in tier_values)
    unplaced = sum(r is None for r in regions)
    return ChangePlan(
        operation=OPERATION.name,
        columns=columns,
        highlights=tuple(
            _highlights(tier_values, TIER_HEADER) + _highlights(regions, REGION_HEADER)
        ),
        notes=(
            f"{len(table)} 位客户：{untiered} 位未分级，{unplaced} 位未分区 / {len(table)} "
            f"customers: {untiered} without a tier, {unplaced} without a region "
            f"(tier rules: {settings.tier_rules})",
        ),
        summary=(("rows", len(table)), ("untiered", untiered), ("no region", unplaced)),
    )


OPERATION = Operation(
    "assign",
    "分级分区",
    "Tiers & regions",
    run_assign,
    tip_zh="按设置中的规则给客户分级，并分配区域和销售代表",
    tip_en="Tier every customer by the Settings rules and assign its region and sales rep",
    ribbon=RibbonPlace(RibbonGroup.CUSTOMERS, "SortAscendingExcel", 10),
)
