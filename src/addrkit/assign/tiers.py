"""Customer tiers from the rule written on the Settings sheet, each with its reason.

Three kinds of rule, written in the 客户分级规则 Tier rules setting:

- **thresholds** (the default): ``A: revenue>=1000000; B: revenue>=300000 or orders>=50;
  C: revenue>=50000; D``. Top to bottom, the first rule that holds gives the tier; a rule
  without a condition catches the rest. Fields: revenue 销售额, orders 订单数, years
  合作年限, credit 信用; ``and``/``且`` binds tighter than ``or``/``或``.
- **ABC** (Pareto): ``ABC A=80% B=95%``. Customers by revenue, largest first: those
  whose cumulative share before them is under 80 % are A, under 95 % B, the rest C.
  Equal revenues always get the same tier.
- **RFM**: ``RFM A>=13 B>=10 C>=7 D``. Recency (a last-order column), frequency
  (orders) and monetary value (revenue) are each scored 1–5 by quintile; the tier
  comes from the sum (3–15).

A value that is missing or not a number never counts as zero: when a rule needs it
the tier stays empty and the reason says which value is missing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from ..errors import SettingsError
from .numbers import Reading, read_number

__all__ = [
    "TierMethod",
    "Field",
    "Condition",
    "TierRule",
    "TierRules",
    "TierResult",
    "DEFAULT_TIER_RULES",
    "assign_tiers",
]


class TierMethod(StrEnum):
    THRESHOLDS = "thresholds"
    ABC = "abc"
    RFM = "rfm"


class Field(StrEnum):
    """A customer value a threshold rule can test."""

    REVENUE = "revenue"
    ORDERS = "orders"
    YEARS = "years"
    CREDIT = "credit"

    @property
    def label_zh(self) -> str:
        return _FIELD_ZH[self]


_FIELD_ZH = {
    Field.REVENUE: "销售额",
    Field.ORDERS: "订单数",
    Field.YEARS: "合作年限",
    Field.CREDIT: "信用",
}
_FIELD_NAMES = {
    **{f.value: f for f in Field},
    **{zh: f for f, zh in _FIELD_ZH.items()},
    "年销售额": Field.REVENUE,
    "收入": Field.REVENUE,
    "sales": Field.REVENUE,
    "订单": Field.ORDERS,
    "年限": Field.YEARS,
    "信用分": Field.CREDIT,
}
_OPS = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
}
_COND = re.compile(r"^([^<>=\s]+)\s*(>=|<=|>|<|=)\s*(.+)$")


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


@dataclass(frozen=True, slots=True)
class Condition:
    """``field op number``, e.g. revenue >= 1,000,000."""

    field: Field
    op: str
    number: float

    def holds(self, value: float) -> bool:
        return _OPS[self.op](value, self.number)

    def __str__(self) -> str:
        return f"{self.field.value}{self.op}{_fmt(self.number).replace(',', '')}"


@dataclass(frozen=True, slots=True)
class TierRule:
    """One threshold rule: a tier and its condition, any of (all of …); () always holds."""

    tier: str
    any_of: tuple[tuple[Condition, ...], ...] = ()

    def __str__(self) -> str:
        if not self.any_of:
            return self.tier
        return f"{self.tier}: " + " or ".join(" and ".join(map(str, t)) for t in self.any_of)


class TierResult(NamedTuple):
    """A customer's tier (None = not tiered) and why, in Chinese and English.

    A named tuple: a million are made per run, at a third of a frozen dataclass's cost."""

    tier: str | None
    reason_zh: str
    reason_en: str

    @property
    def reason(self) -> str:
        return f"{self.reason_zh} / {self.reason_en}"


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("≥", ">=").replace("≤", "<=")
    return re.sub(r"\s+", " ", text).strip()


def _parse_number(text: str, rule: str) -> float:
    value = read_number(text.strip().rstrip("%")).value
    if value is None:
        raise SettingsError(
            f"分级规则中的数字无法识别 / Tier rule has a number that cannot be read: {rule!r}"
        )
    return value / 100 if text.strip().endswith("%") else value


def _parse_condition(text: str, rule: str) -> Condition:
    match = _COND.match(text.strip())
    field = _FIELD_NAMES.get(match.group(1).lower()) if match else None
    if field is None:
        raise SettingsError(
            f"分级条件应写成 字段>=数字（字段：revenue 销售额、orders 订单数、years 合作年限、"
            f"credit 信用）/ A tier condition must read field>=number (fields: revenue, orders, "
            f"years, credit): {rule!r}"
        )
    return Condition(field, match.group(2), _parse_number(match.group(3), rule))


def _parse_threshold_rule(text: str) -> TierRule:
    legacy = re.match(r"^([A-Za-z0-9]{1,3})\s*(>=|>)\s*(.+)$", text)  # "A>=1000000"
    if legacy and ":" not in text:
        cond = Condition(Field.REVENUE, legacy.group(2), _parse_number(legacy.group(3), text))
        return TierRule(legacy.group(1).upper(), ((cond,),))
    tier, _, body = text.partition(":")
    tier = tier.strip()
    if not re.fullmatch(r"[A-Za-z0-9\u4e00-\u9fff]{1,6}", tier):
        raise SettingsError(f"分级名称无效 / Invalid tier name in rule {text!r}")
    if not body.strip():
        return TierRule(tier.upper() if tier.isascii() else tier)
    any_of = tuple(
        tuple(_parse_condition(c, text) for c in re.split(r"\s+and\s+|且|&", part, flags=re.I))
        for part in re.split(r"\s+or\s+|或|\|", body, flags=re.I)
    )
    return TierRule(tier.upper() if tier.isascii() else tier, any_of)


def _cut_pairs(body: str, text: str) -> tuple[tuple[str, float], ...]:
    pairs = []
    for piece in re.split(r"[\s,;]+", body.strip()):
        if not piece:
            continue
        match = re.fullmatch(r"([A-Za-z])(?:=|>=|<=)(.+)", piece)
        if not match:
            if re.fullmatch(r"[A-Za-z]", piece):
                continue  # the catch-all tier named at the end ("… C")
            raise SettingsError(f"分级规则无法识别 / Cannot read tier rule {text!r} at {piece!r}")
        pairs.append((match.group(1).upper(), _parse_number(match.group(2), text)))
    return tuple(pairs)


@dataclass(frozen=True, slots=True)
class TierRules:
    """The parsed Tier rules setting; ``str()`` gives back text that parses the same.

    Examples
    --------
    >>> r = TierRules.parse("A: 销售额>=1,000,000; B: revenue>=300000 或 orders>=50; C")
    >>> r.method.value, str(r)
    ('thresholds', 'A: revenue>=1000000; B: revenue>=300000 or orders>=50; C')
    >>> r.tier_of(revenue="¥350,000").reason_en
    "rule 'B: revenue>=300000 or orders>=50': revenue 350,000 >= 300,000"
    >>> str(TierRules.parse("abc a=80%, b=95%"))
    'ABC A=80% B=95%'
    """

    method: TierMethod
    rules: tuple[TierRule, ...] = ()
    cuts: tuple[tuple[str, float], ...] = ()  # ABC: (tier, cumulative share); RFM: (tier, score)
    rest: str = "C"

    @classmethod
    def parse(cls, text: Any) -> TierRules:
        """Read the setting's text; empty gives `DEFAULT_TIER_RULES`."""
        text = _normalise("" if text is None else str(text))
        if not text and "DEFAULT_TIER_RULES" in globals():
            return DEFAULT_TIER_RULES
        head = text.split(None, 1)
        word = head[0].lower()
        if word in {"abc", "pareto", "帕累托"}:
            cuts = _cut_pairs(head[1] if len(head) > 1 else "A=80% B=95%", text)
            shares = [s for _, s in cuts]
            if not cuts or shares != sorted(shares) or not all(0 < s <= 1 for s in shares):
                raise SettingsError(
                    f"ABC 分级的累计占比应递增且在 0–100% 之间 / ABC shares must rise within "
                    f"0-100%: {text!r}"
                )
            return cls(TierMethod.ABC, cuts=cuts, rest=_next_tier(cuts[-1][0]))
        if word == "rfm":
            cuts = _cut_pairs(head[1] if len(head) > 1 else "A>=13 B>=10 C>=7", text)
            scores = [s for _, s in cuts]
            if not cuts or scores != sorted(scores, reverse=True):
                raise SettingsError(f"RFM 分数线应递减 / RFM scores must fall: {text!r}")
            return cls(TierMethod.RFM, cuts=cuts, rest=_next_tier(cuts[-1][0]))
        rules = tuple(_parse_threshold_rule(p.strip()) for p in text.split(";") if p.strip())
        return cls(TierMethod.THRESHOLDS, rules=rules)

    def __str__(self) -> str:
        if self.method is TierMethod.ABC:
            return "ABC " + " ".join(f"{t}={s * 100:g}%" for t, s in self.cuts)
        if self.method is TierMethod.RFM:
            return "RFM " + " ".join(f"{t}>={s:g}" for t, s in self.cuts) + f" {self.rest}"
        return "; ".join(map(str, self.rules))

    def tier_of(
        self, revenue: Any = None, orders: Any = None, years: Any = None, credit: Any = None
    ) -> TierResult:
        """The tier of one customer under threshold rules (ABC and RFM need the whole list)."""
        if self.method is not TierMethod.THRESHOLDS:
            return TierResult(
                None,
                f"{self.method.value.upper()} 分级需按整张客户表计算，请用“客户分级”按钮",
                f"{self.method.value.upper()} tiers need the whole customer list: "
                "use the Tiers & regions button",
            )
        values = {
            Field.REVENUE: read_number(revenue),
            Field.ORDERS: read_number(orders),
            Field.YEARS: read_number(years),
            Field.CREDIT: read_number(credit),
        }
        return _threshold_tier(self.rules, values)


def _next_tier(tier: str) -> str:
    return chr(ord(tier) + 1) if tier.isalpha() and tier < "Z" else "Z"


def _threshold_tier(rules: Sequence[TierRule], values: dict[Field, Reading]) -> TierResult:
    for rule in rules:
        if not rule.any_of:
            return TierResult(
                rule.tier,
                f"规则 '{rule}'：以上规则都不符合",
                f"rule '{rule}': no rule above holds",
            )
        unknown: set[Field] = set()
        for term in rule.any_of:
            missing = {c.field for c in term if values[c.field].missing}
            if any(not c.holds(values[c.field].value) for c in term if c.field not in missing):
                continue
            if missing:
                unknown |= missing
                continue
            zh = "，".join(
                f"{c.field.label_zh} {_fmt(values[c.field].value)} {c.op} {_fmt(c.number)}"
                for c in term
            )
            en = ", ".join(
                f"{c.field.value} {_fmt(values[c.field].value)} {c.op} {_fmt(c.number)}"
                for c in term
            )
            negative = [c.field for c in term if values[c.field].value < 0]
            if negative:
                zh += "（" + "、".join(f.label_zh for f in negative) + "为负数）"
                en += " (" + ", ".join(f.value for f in negative) + " negative)"
            return TierResult(rule.tier, f"规则 '{rule}'：{zh}", f"rule '{rule}': {en}")
        if unknown:
            fields = sorted(unknown)
            zh = "、".join(f"{f.label_zh}（{values[f].problem_zh}）" for f in fields)
            en = ", ".join(f"{f.value} ({values[f].problem_en})" for f in fields)
            return TierResult(
                None,
                f"缺少{zh}，无法判断规则 '{rule}'，未分级",
                f"{en} missing: cannot decide rule '{rule}', not tiered",
            )
    return TierResult(None, "没有规则符合，未分级", "no rule holds: not tiered")


def _abc(rules: TierRules, revenue: Sequence[Reading]) -> list[TierResult]:
    # A million customers go through the loop below: what does not change per customer
    # is worked out once (each tier's wording, the tier cuts passed so far).
    values = [r.value for r in revenue]
    total = math.fsum(v for v in values if v is not None and v > 0)
    # Largest first; equal revenues keep their order in the list (sorted is stable, also
    # reversed), so the first of equals is the one the others are ranked with.
    order = sorted(
        (i for i, v in enumerate(values) if v is not None), key=values.__getitem__, reverse=True
    )
    results: list[TierResult | None] = [None] * len(revenue)
    cuts = dict(rules.cuts)
    limits = {  # each tier's limit said once, not once per customer
        tier: (
            (f"{tier} 类至累计 {cut:.0%}）", f"{tier} up to {cut:.0%} cumulative)")
            if cut
            else (f"其余为 {tier} 类）", f"the rest are {tier})")
        )
        for tier, cut in ((t, cuts.get(t)) for t in [*cuts, rules.rest])
    }
    # The share before a customer only grows along the order, so the tier cut it falls
    # under only moves on (cuts are ascending: TierRules checks).
    bounds = [cut for _, cut in rules.cuts]
    tiers = [t for t, _ in rules.cuts] + [rules.rest]
    ascending = bounds == sorted(bounds)
    k = 0
    cum, rank = 0.0, 0
    last_value = None
    tier = rules.rest
    percent, first_rank, limit_zh, limit_en = "", 0, "", ""
    for i in order:
        value = values[i]
        rank += 1
        if value != last_value:  # not a tie: this customer starts a new rank
            share = cum / total if total > 0 else 1.0
            if ascending:
                while k < len(bounds) and share >= bounds[k]:
                    k += 1
                tier = tiers[k]
            else:
                tier = next((t for t, cut in rules.cuts if share < cut), rules.rest)
            first_rank = rank
            last_value = value
            percent = f"{share:.1%}"
            limit_zh, limit_en = limits[tier]
        if value < 0:
            note_zh, note_en = "（销售额为负，按 0 计）", " (negative revenue, counted as 0)"
        else:
            cum += value
            note_zh = note_en = ""
        money = _fmt(value)
        results[i] = TierResult(
            tier,
            f"ABC：销售额 {money} 排第 {first_rank} 名，之前累计占 {percent}（{limit_zh}{note_zh}",
            f"ABC: revenue {money} ranks {first_rank}, cumulative share before it "
            f"{percent} ({limit_en}{note_en}",
        )
    for i, r in enumerate(revenue):
        if results[i] is None:
            results[i] = TierResult(
                None,
                f"缺少销售额（{r.problem_zh}），未分级",
                f"revenue missing ({r.problem_en}): not tiered",
            )
    return results  # type: ignore[return-value]


def _quintile_scores(values: Sequence[float | None], higher_better: bool) -> list[int | None]:
    known = sorted(v for v in values if v is not None)
    n = len(known)
    scores: list[int | None] = []
    for v in values:
        if v is None:
            scores.append(None)
            continue
        at_or_below = (
            bisect.bisect_right(known, v) if higher_better else n - bisect.bisect_left(known, v)
        )
        scores.append(max(1, math.ceil(5 * at_or_below / n)))
    return scores


def _recency(cell: Any, today: dt.date) -> float | None:
    """Days since the last order: from a date, a datetime or a number of days."""
    if isinstance(cell, dt.datetime):
        return float((today - cell.date()).days)
    if isinstance(cell, dt.date):
        return float((today - cell).days)
    if isinstance(cell, str):
        try:
            return float((today - dt.date.fromisoformat(cell.strip()[:10])).days)
        except ValueError:
            pass
    return read_number(cell).value


def _rfm(
    rules: TierRules, revenue: Sequence[Reading], orders: Sequence[Reading], recency: Sequence[Any]
) -> list[TierResult]:
    today = dt.date.today()
    days = [_recency(c, today) for c in recency]
    r = _quintile_scores(days, higher_better=False)
    f = _quintile_scores([o.value for o in orders], higher_better=True)
    m = _quintile_scores([v.value for v in revenue], higher_better=True)
    results = []
    for i in range(len(revenue)):
        missing = [
            (zh, en)
            for score, zh, en in (
                (r[i], "最近下单", "recency"),
                (f[i], Field.ORDERS.label_zh, Field.ORDERS.value),
                (m[i], Field.REVENUE.label_zh, Field.REVENUE.value),
            )
            if score is None
        ]
        if missing:
            results.append(
                TierResult(
                    None,
                    "缺少" + "、".join(z for z, _ in missing) + "，未分级",
                    ", ".join(e for _, e in missing) + " missing: not tiered",
                )
            )
            continue
        total = r[i] + f[i] + m[i]
        tier = next((t for t, cut in rules.cuts if total >= cut), rules.rest)
        results.append(
            TierResult(
                tier,
                f"RFM：R{r[i]} F{f[i]} M{m[i]} 合计 {total}（规则 '{rules}'）",
                f"RFM: R{r[i]} F{f[i]} M{m[i]} total {total} (rule '{rules}')",
            )
        )
    return results


def assign_tiers(
    rules: TierRules,
    revenue: Sequence[Any],
    orders: Sequence[Any] | None = None,
    years: Sequence[Any] | None = None,
    credit: Sequence[Any] | None = None,
    recency: Sequence[Any] | None = None,
) -> list[TierResult]:
    """The tier of every customer of a list, with its reason.

    Parameters
    ----------
    revenue, orders, years, credit, recency : cell values, one per customer (None: no column)
        ``recency`` is the last-order date or the days since; only RFM uses it.

    Returns
    -------
    list of TierResult
        One per customer, in order.

    Examples
    --------
    >>> rules = TierRules.parse("ABC A=80% B=95%")
    >>> [t.tier for t in assign_tiers(rules, [500, 300, 100, 60, 40, None])]
    ['A', 'A', 'B', 'B', 'C', None]
    """
    n = len(revenue)
    money = [read_number(v) for v in revenue]
    if rules.method is TierMethod.ABC:
        return _abc(rules, money)
    used = {c.field for rule in rules.rules for term in rule.any_of for c in term}
    if rules.method is TierMethod.RFM:
        used = {Field.ORDERS}
    absent = [Reading(None, "无此列", "no such column")] * n

    def read(field: Field, cells: Sequence[Any] | None) -> list[Reading]:
        # Only the columns the rules test are read: a million cells cost a second each.
        if field not in used or cells is None:
            return absent
        return [read_number(v) for v in cells]

    counts = read(Field.ORDERS, orders)
    if rules.method is TierMethod.RFM:
        if recency is None:
            raise SettingsError(
                "RFM 分级需要“最近下单”列（日期或距今天数）/ RFM tiers need a last-order column "
                "(a date or days since)"
            )
        return _rfm(rules, money, counts, recency)
    yrs, cred = read(Field.YEARS, years), read(Field.CREDIT, credit)
    return [
        _threshold_tier(
            rules.rules,
            {
                Field.REVENUE: money[i],
                Field.ORDERS: counts[i],
                Field.YEARS: yrs[i],
                Field.CREDIT: cred[i],
            },
        )
        for i in range(n)
    ]


DEFAULT_TIER_RULES = TierRules.parse(
    "A: revenue>=1000000 and credit>=60; B: revenue>=300000 and credit>=60; C: revenue>=50000; D"
)
