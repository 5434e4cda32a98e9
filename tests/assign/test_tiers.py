"""Tier rules: thresholds, ABC and RFM, with the edge cases office lists bring."""

from __future__ import annotations

import datetime as dt

import pytest

from addrkit.assign.numbers import read_number
from addrkit.assign.tiers import DEFAULT_TIER_RULES, TierMethod, TierRules, assign_tiers
from addrkit.errors import SettingsError

RULES = TierRules.parse(
    "A: revenue>=1000000; B: revenue>=300000 or orders>=50; C: revenue>=50000; D"
)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (1200, 1200.0),
        (1200.5, 1200.5),
        ("1,200", 1200.0),
        ("¥1200", 1200.0),
        ("￥1,200.00", 1200.0),
        ("１２００", 1200.0),  # full-width digits
        ("1200元", 1200.0),
        ("RMB 1,200", 1200.0),
        ("12万", 120000.0),
        ("-300", -300.0),
        ("(300)", -300.0),
        ("－300", -300.0),  # full-width minus
    ],
)
def test_revenue_as_typed(cell, value):
    assert read_number(cell).value == value


@pytest.mark.parametrize(
    "cell", [None, "", "  ", "#N/A", "#VALUE!", "n/a", "1,2,3", True, float("nan"), "x" * 32767]
)
def test_unreadable_revenue_is_missing_never_zero(cell):
    reading = read_number(cell)
    assert reading.value is None and reading.problem_en and reading.problem_zh


@pytest.mark.parametrize(
    ("revenue", "tier"),
    [
        (1_000_000, "A"),  # exactly at the threshold: >= holds
        (999_999.99, "B"),
        ("1,000,000", "A"),
        ("¥300,000", "B"),
        (299_999, "C"),
        (50_000, "C"),
        (49_999, "D"),
        (0, "D"),
        (-5_000, "D"),
    ],
)
def test_thresholds_at_and_around_each_limit(revenue, tier):
    assert RULES.tier_of(revenue, orders=0).tier == tier


def test_a_rule_on_an_unknown_value_is_not_decided():
    # B holds by revenue or by orders: with orders empty, 200,000 may be B or not.
    result = RULES.tier_of(200_000)
    assert result.tier is None and "orders (empty)" in result.reason_en


def test_or_gives_the_tier_through_either_condition():
    result = RULES.tier_of(revenue=10_000, orders=50)
    assert result.tier == "B"
    assert "orders 50 >= 50" in result.reason_en and "订单数 50 >= 50" in result.reason_zh


def test_negative_revenue_is_tiered_and_said():
    result = RULES.tier_of(-5_000, orders=3)
    assert result.tier == "D"
    result = TierRules.parse("A: revenue<0; B").tier_of("-1")
    assert result.tier == "A" and "negative" in result.reason_en and "负数" in result.reason_zh


def test_missing_value_is_not_guessed_when_a_rule_needs_it():
    result = DEFAULT_TIER_RULES.tier_of(revenue=2_000_000)  # credit unknown: A or not?
    assert result.tier is None
    assert "credit (empty)" in result.reason_en and "信用" in result.reason_zh
    # When a rule fails on a known value, the missing one does not matter.
    assert DEFAULT_TIER_RULES.tier_of(revenue=60_000).tier == "C"
    missing = RULES.tier_of(revenue="about a million")
    assert missing.tier is None and "not a number" in missing.reason_en


def test_every_result_says_its_rule_in_both_languages():
    for revenue in (2_000_000, 400_000, 60_000, 10, None):
        result = RULES.tier_of(revenue)
        assert result.reason_zh and result.reason_en
        assert result.reason == f"{result.reason_zh} / {result.reason_en}"
        if result.tier:
            assert f"'{result.tier}" in result.reason_en


def test_rules_text_round_trips_and_accepts_chinese():
    parsed = TierRules.parse("A：销售额≥100万 且 信用>=60；B: 订单数>=10 或 合作年限>=3；C")
    assert str(parsed) == "A: revenue>=1000000 and credit>=60; B: orders>=10 or years>=3; C"
    assert TierRules.parse(str(parsed)) == parsed
    legacy = TierRules.parse("A>=1000000; B>=300000; C>=50000; D")
    assert legacy.tier_of(300_000).tier == "B"


@pytest.mark.parametrize(
    "text",
    ["A: profit>=5", "A: revenue>=lots", "ABC A=95% B=80%", "RFM A>=5 B>=9", "A!: revenue>1"],
)
def test_unreadable_rules_say_what_is_wrong(text):
    with pytest.raises(SettingsError) as err:
        TierRules.parse(text)
    assert "/" in str(err.value)  # Chinese / English


def test_abc_pareto_with_ties_at_the_cut():
    rules = TierRules.parse("ABC A=80% B=95%")
    assert rules.method is TierMethod.ABC
    # 400+400 = 80 % exactly: the second 400 ties the first, so both are A.
    revenue = [400, 400, 100, 50, 50, None, "-20"]
    results = assign_tiers(rules, revenue)
    # 100 starts at 80 % (B); 50 at 90 % (B); the tied 50 as well; -20 at 100 %.
    assert [r.tier for r in results] == ["A", "A", "B", "B", "B", None, "C"]
    assert "ranks 1" in results[1].reason_en  # tied with the first
    assert "negative" in results[6].reason_en
    assert "revenue missing" in results[5].reason_en
    # The order of the rows does not change anyone's tier.
    shuffled = assign_tiers(rules, list(reversed(revenue)))
    assert [r.tier for r in reversed(shuffled)] == [r.tier for r in results]


def test_abc_all_zero_revenue():
    results = assign_tiers(TierRules.parse("ABC"), [0, 0, "0"])
    assert [r.tier for r in results] == ["C", "C", "C"]


def test_rfm_scores_and_needs_a_recency_column():
    rules = TierRules.parse("RFM A>=13 B>=10 C>=7 D")
    today = dt.date.today()
    recency = [today, today - dt.timedelta(days=400), 30, "2001-01-01", None]
    results = assign_tiers(rules, [9e6, 10, 5e5, 1e3, 5], [90, 1, 20, 2, 3], recency=recency)
    assert results[0].tier == "A" and "R5 F5 M5" in results[0].reason_en
    assert results[1].tier == "D"
    assert results[4].tier is None and "recency" in results[4].reason_en
    with pytest.raises(SettingsError, match="last-order"):
        assign_tiers(rules, [1, 2])


def test_default_rules_and_formula_refusal_for_list_rules():
    assert DEFAULT_TIER_RULES.tier_of(2_000_000, credit=59).tier == "C"
    assert DEFAULT_TIER_RULES.tier_of(2_000_000, credit=60).tier == "A"
    assert TierRules.parse("ABC").tier_of(5).tier is None


def test_number_text_read_directly_reads_as_the_general_path_reads_it(monkeypatch):
    # "1,200.50"-like text skips the general path (NFKC, currency, units): a third of a big
    # sheet's revenue cells. Both must agree, near misses included ("12\n", "1,20", "٣").
    import random
    import re

    from addrkit.assign import numbers

    rng = random.Random(1)
    cases = ["1,200", "+1,200", "-1,200.", "0012", "1,20", "1,2345", "1.", ".5", "1e5", "٣",
             "１２", " 12", "12 ", "12\n", "-0", "1" * 400, "12,345,678.9", "(300)"]  # fmt: skip
    for _ in range(5000):
        v = round(rng.lognormvariate(11, 3), rng.choice([0, 1, 2]))
        cases += [f"{v:,.2f}", f"{v:,.0f}", f"{v}", f"-{v:,}", f"{int(v)}"]
    direct = [numbers.read_number(c) for c in cases]
    monkeypatch.setattr(numbers, "_PLAIN", re.compile(r"(?!)"))  # nothing read directly
    assert [numbers.read_number(c) for c in cases] == direct
    assert direct[0] == (1200.0, "", "") and direct[4].value is None  # "1,20" is not 120
