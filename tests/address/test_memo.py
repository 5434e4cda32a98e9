"""The memo of whole results: same answers as parsing afresh, bounded, off when useless."""

from __future__ import annotations

import pytest

from addrkit import parse_address, parse_many
from addrkit.address.memo import ResultMemo
from addrkit.address.parser import parse_fresh, result_memo
from addrkit.gazetteer import Gazetteer, default_gazetteer

# Repeated real-shaped texts, bad cells among them: each must come back as a fresh parse.
TEXTS = [
    "浙江杭州西湖区文三路90号",
    "宁波市江东区航运中心7318",
    "",
    "   ",
    "#N/A",
    "=1+1",
    "杭洲市西湖区",
    "臺北市信義區",
    "x" * 32_767,
    "ＡＢＣ１２３",
]


@pytest.fixture
def g() -> Gazetteer:
    """A gazetteer of its own, so that this test's memo starts empty and stays private."""
    return Gazetteer.load()


def test_memo_answers_exactly_what_a_fresh_parse_gives(g):
    values = TEXTS * 3 + [None, 5, 3.5, True]
    remembered = list(parse_many(values, gazetteer=g))
    assert remembered == [parse_fresh(v, g) for v in values]
    # The second sight of a text is the very same (immutable) result: it was not parsed again.
    assert remembered[len(TEXTS)] is remembered[0]
    assert parse_address(TEXTS[1], gazetteer=g) is remembered[1]


def test_results_in_the_memo_cannot_be_changed(g):
    a = parse_address("杭州江干区下沙街道文泽路99号", gazetteer=g)
    assert a.issues and isinstance(a.issues, tuple)
    with pytest.raises(AttributeError):
        a.district = "上城区"
    with pytest.raises(AttributeError):
        a.as_written.district = "上城区"
    # A frozen slotted dataclass: Python 3.11 raises TypeError rather than FrozenInstanceError.
    with pytest.raises((AttributeError, TypeError)):
        a.issues[0].detail = "changed"
    assert parse_address("杭州江干区下沙街道文泽路99号", gazetteer=g) == a
    assert a.as_written.district == "江干区"


def test_only_exact_text_is_a_key(g):
    """A str subclass, or the same text with other spaces, is parsed for itself."""

    class Cell(str):
        pass

    parse_address("浙江杭州西湖区文三路90号", gazetteer=g)
    memo = result_memo(g)
    before = len(memo.table)
    assert parse_address(Cell("浙江杭州西湖区文三路90号"), gazetteer=g).district == "西湖区"
    assert len(memo.table) == before
    spaced = parse_address(" 浙江杭州西湖区文三路90号", gazetteer=g)
    assert spaced.input == " 浙江杭州西湖区文三路90号"


def test_memo_turns_itself_off_on_distinct_input_and_back_on_for_repeats():
    memo = ResultMemo(limit=1000, window=100, min_hit_rate=0.1, pause=50)
    for i in range(100):  # all distinct: no hit in the whole window
        if memo.get(i) is None:
            memo.put(i, str(i))
    assert not memo.active and len(memo.table) == 0  # off, and the memory is given back
    for i in range(49):  # the pause (the 50th look-up ends it): nothing looked up or kept
        assert memo.get(1) is None
        memo.put(i, "x")
    assert len(memo.table) == 0
    for _ in range(100):  # repeats again: back on, and it stays on
        if memo.get("same") is None:
            memo.put("same", "v")
    assert memo.active and memo.get("same") == "v"


def test_memo_is_bounded():
    memo = ResultMemo(limit=10, window=10_000)
    for i in range(1000):
        memo.put(i, i)
        assert len(memo.table) <= 10


def test_the_default_memo_lives_with_its_gazetteer():
    g = default_gazetteer()
    parse_address("温州苍南")
    assert result_memo(g).table
    g.memo.clear()  # what benchmarks do between runs
    assert not result_memo(g).table
