"""Edge cases of every rule that the other tests leave out: ties in RFM and ABC whatever
the revenue's spelling, negative and missing values under RFM, codes repeated in another
width or case, and a sequence that is full before the run or fills exactly."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from addrkit.assign.codes import CodePattern
from addrkit.assign.tiers import TierRules, assign_tiers
from addrkit.errors import CodePatternError
from addrkit.ops.base import CustomerTable
from addrkit.ops.code import CODE_HEADER, run_code
from addrkit.progress import Progress
from addrkit.settings import settings_from_rows
from addrkit.table import locate_table

RFM = TierRules.parse("RFM A>=13 B>=10 C>=7 D")


def test_rfm_ties_score_alike_whatever_the_spelling_and_order():
    today = dt.date.today()
    revenue = [500, "¥500", "５００", "500.00", 100, 10, -20, "#N/A", None]
    orders = [3] * len(revenue)
    recency = [today - dt.timedelta(days=30)] * len(revenue)
    results = assign_tiers(RFM, revenue, orders, recency=recency)
    reasons = [r.reason_en for r in results]
    m_scores = [r.split(" M")[1].split()[0] if " M" in r else None for r in reasons]
    # The four spellings of 500 tie: the same monetary score, the same tier.
    assert len(set(m_scores[:4])) == 1 and len({r.tier for r in results[:4]}) == 1
    assert m_scores[0] > m_scores[4] > m_scores[5] >= m_scores[6]  # higher revenue, higher M
    assert m_scores[6] == "1" and results[6].tier is not None  # negative: lowest, still tiered
    for missing in results[7:]:  # unreadable and empty: not tiered, and said
        assert missing.tier is None and "revenue" in missing.reason_en
        assert "销售额" in missing.reason_zh
    # Equal orders and equal dates tie too: one R and one F score for everyone.
    assert len({r.split("R")[1].split()[0] for r in reasons[:7]}) == 1
    # The order of the rows changes no one's tier.
    order = list(range(len(revenue)))
    random.Random(3).shuffle(order)
    shuffled = assign_tiers(
        RFM, [revenue[i] for i in order], orders, recency=[recency[i] for i in order]
    )
    assert [shuffled[order.index(i)].tier for i in range(len(revenue))] == [r.tier for r in results]


def test_rfm_recency_from_dates_text_and_days_ties_at_the_cut():
    today = dt.date.today()
    same = today - dt.timedelta(days=10)
    recency = [same, same.isoformat(), 10, dt.datetime.combine(same, dt.time(9)), 400, "not a date"]
    results = assign_tiers(RFM, [100] * 6, [5] * 6, recency=recency)
    r_scores = {r.reason_en.split("R")[1].split()[0] for r in results[:4]}
    assert len(r_scores) == 1  # ten days ago, however it was written
    assert results[4].tier is not None and results[4].reason_en != results[0].reason_en
    assert results[5].tier is None and "recency" in results[5].reason_en


def test_abc_ties_across_spellings_and_all_negative_revenue():
    rules = TierRules.parse("ABC A=80% B=95%")
    results = assign_tiers(rules, ["1,000", 1000, "１０００", "¥1,000", 10])
    assert [r.tier for r in results[:4]] == ["A"] * 4  # one tie, one tier
    assert all("ranks 1" in r.reason_en for r in results[:4])
    negative = assign_tiers(rules, [-5, -10, "(3)"])
    assert all(r.tier is not None and "negative" in r.reason_en for r in negative)


def _table(ids: list, addresses: list | None = None) -> CustomerTable:
    addresses = addresses or ["浙江杭州西湖区文三路90号"] * len(ids)
    rows = [[c, f"客户{i}", a] for i, (c, a) in enumerate(zip(ids, addresses, strict=True))]
    return CustomerTable.from_rows(locate_table("S", [["客户编号", "名称", "地址"]]), rows)


def test_a_code_repeated_in_another_width_or_case_is_one_code_repeated():
    pattern = CodePattern.parse("{REGION}-{PROV}-{SEQ:05}{CHECK}")
    code = pattern.render("HD-ZJ-#", 74)
    wide = code.translate(str.maketrans("0123456789-", "０１２３４５６７８９－")).lower()
    plan = run_code(_table([code, wide, None]), settings_from_rows([]), Progress())
    reasons = plan.columns[0].values
    assert "duplicate code, also on row 3" in reasons[0]
    assert "duplicate code, also on row 2" in reasons[1]
    assert {h.row for h in plan.highlights if h.header == CODE_HEADER} >= {0, 1}
    assert [e.row for e in plan.edits] == [2]  # the repeated cells are left as typed
    new = plan.edits[0].value
    assert pattern.split(new)[0] == "HD-ZJ-#" and pattern.split(new)[1] > 74  # never reused


def test_a_sequence_already_full_assigns_nothing_and_one_that_fills_exactly_is_fine():
    settings = settings_from_rows([("客户编码规则 Code pattern", "{REGION}{SEQ:1}")])
    pattern = settings.code_pattern
    assert pattern.capacity == 9
    full = _table([pattern.render("HD#", 9), None])  # the last number is taken already
    with pytest.raises(CodePatternError, match="widen"):
        run_code(full, settings, Progress())
    exact = run_code(_table([None] * 9), settings, Progress())  # nine rows, nine numbers
    assert sorted(e.value for e in exact.edits) == [f"HD{n}" for n in range(1, 10)]
    with pytest.raises(CodePatternError, match="widen"):
        run_code(_table([None] * 10), settings, Progress())
