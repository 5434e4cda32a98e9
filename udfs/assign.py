"""The formulas of tiers, regions and codes: CUSTOMER_TIER and CODE_VALID (ADDR_REGION,
in :mod:`addrkit.udfs.address`, uses the same book settings).

A formula only gets the cells it is given, yet the tier rules, the region scheme with
its Regions sheet and the code pattern live in the workbook. They are read from the
active workbook (its 设置 Settings and 区域 Regions sheets) and kept for a few
seconds, so a recalculation of a whole column reads the sheets once; an edit of the
rules shows at the next recalculation after that. Without Excel (tests, a server) the
defaults apply, or whatever :func:`use_book` was given.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from addrkit.assign.codes import CodePattern
from addrkit.assign.tiers import TierRules
from addrkit.settings import Settings

from .cells import as_grid, collector_paused, fit_cell_text
from .registry import Cells, formula

__all__ = ["CUSTOMER_TIER", "CODE_VALID", "book_settings", "use_book", "tier_text", "code_text"]

_TTL = 5.0  # seconds the book's settings are reused
_cache: dict[str, tuple[float, Settings]] = {}


def _active_book() -> Any:
    try:
        import xlwings as xw

        return xw.books.active
    except Exception:  # noqa: BLE001 - no Excel here (Linux, a server): the defaults apply
        return None


_book_source: Callable[[], Any] = _active_book


def use_book(source: Callable[[], Any] | None) -> None:
    """Read settings from the book ``source()`` returns (None: the active Excel book).

    For a test or a script: any object with xlwings' ``sheets`` API will do.
    """
    global _book_source
    _book_source = source or _active_book
    _cache.clear()


def book_settings() -> Settings:
    """The active workbook's settings (Settings and Regions sheets), or the defaults.

    Examples
    --------
    >>> book_settings().code_pattern.text
    '{REGION}-{PROV}-{SEQ:05}{CHECK}'
    """
    book = _book_source()
    if book is None:
        return Settings()
    key = str(getattr(book, "fullname", None) or getattr(book, "name", "") or id(book))
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < _TTL:
        return hit[1]
    from addrkit.workbook.live import read_settings

    try:
        settings = read_settings(book)
    except Exception:  # noqa: BLE001 - an unreadable Settings sheet must not break every cell
        settings = Settings()
    _cache[key] = (now, settings)
    return settings


def _column(value: Any) -> list[Any]:
    return [cell for row in as_grid(value) for cell in row]


def tier_text(
    revenue: Any,
    orders: Any = None,
    years: Any = None,
    credit: Any = None,
    rules: TierRules | None = None,
) -> str:
    """CUSTOMER_TIER for one customer: ``'A'`` or, when not tiered, the reason.

    Examples
    --------
    >>> tier_text("¥1,200,000", 10, 3, 80)
    'A'
    >>> tier_text(20000)
    'D'
    >>> tier_text("n/a", credit=80)[:40]
    "未分级 NOT TIERED: 缺少销售额（不是数字：'n/a'），无法判断规则"
    """
    result = (rules or book_settings().tier_rules).tier_of(revenue, orders, years, credit)
    if result.tier is not None:
        return result.tier
    return fit_cell_text(f"未分级 NOT TIERED: {result.reason}")


def code_text(code: Any, pattern: CodePattern | None = None) -> str:
    """CODE_VALID for one cell: ``'有效 VALID'`` or ``'无效 INVALID: reason'``.

    Examples
    --------
    >>> code_text("HD-ZJ-000074")
    '有效 VALID'
    >>> code_text("HD-ZJ-000084")  # a mistyped digit
    '无效 INVALID: 校验位应为 2 / check character should be 2'
    """
    valid, zh, en = (pattern or book_settings().code_pattern).explain(code)
    return "有效 VALID" if valid else fit_cell_text(f"无效 INVALID: {zh} / {en}")


_OPTIONAL = "可选：与销售额同样行数，或一个值 / Optional: as many rows as revenue, or one value"


@formula(
    revenue=Cells("年销售额：单元格或一列 / Revenue: a cell or a column"),
    orders=Cells(f"订单数，{_OPTIONAL}"),
    years=Cells(f"合作年限，{_OPTIONAL}"),
    credit=Cells(f"信用分，{_OPTIONAL}"),
)
def CUSTOMER_TIER(revenue, orders=None, years=None, credit=None):
    """按设置表的分级规则给出客户等级（A/B/C…）/ Customer tier by the Settings sheet's threshold rules.

    A customer a rule cannot decide (revenue missing or not a number) gets the reason
    instead of a tier. ABC and RFM rules need the whole list: use the Tiers & regions button.

    Examples
    --------
    >>> CUSTOMER_TIER([[1200000], ["30万"]], [[5], [60]], None, [[80], [90]])
    [['A'], ['B']]
    """
    money = _column(revenue)
    extra = []
    for given in (orders, years, credit):
        values = _column(given) if given is not None else [None]
        if len(values) not in (1, len(money)):
            return (
                f"区域大小不同 Ranges differ in size: {len(money)} revenue cells vs {len(values)}"
            )
        extra.append(values if len(values) == len(money) else values * len(money))
    rules = book_settings().tier_rules  # read once for the whole range
    with collector_paused(len(money)):
        out = [[tier_text(m, o, y, c, rules)] for m, o, y, c in zip(money, *extra, strict=True)]
    return out[0][0] if len(out) == 1 else out


@formula(code=Cells("客户编码：单元格或区域 / Customer code: a cell or a range"))
def CODE_VALID(code):
    """客户编码是否符合编码规则和校验位 / Whether a customer code matches the Settings pattern and its check character.

    Examples
    --------
    >>> CODE_VALID([["HD-ZJ-000074"], ["HD-ZJ-000047"], [None]])[0]
    ['有效 VALID']
    """
    grid = as_grid(code)
    pattern = book_settings().code_pattern
    with collector_paused(sum(len(r) for r in grid)):
        out = [[code_text(cell, pattern) for cell in row] for row in grid]
    return out[0][0] if len(out) == 1 and len(out[0]) == 1 else out
