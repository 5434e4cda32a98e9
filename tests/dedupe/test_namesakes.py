"""Persons of one name on a list must not be linked on the name alone.

λ is the share of duplicates among the candidate pairs, and a pair sharing a name is a
candidate because of that name; counted again through u (how rarely two random records
share it), the name linked two persons called 王伟 with different phones and addresses.
``DedupeSettings.namesakes`` weighs an exactly shared name by the share of the list's own
pairs of that name that are duplicates (``score.condition_on_agreement``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from addrkit.dedupe import DedupeSettings, find_duplicates
from addrkit.dedupe.pipeline import NAMESAKES_FROM

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
DISTRICTS = ["西湖区", "上城区", "拱墅区", "滨江区", "萧山区", "余杭区"]


def _phone(rng) -> str:
    return f"1{rng.integers(3, 9)}{rng.integers(10**8, 10**9)}"


def _list(people: int, reentries: int, seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    """``people`` different persons, their names drawn from ``people × 4/3`` (so many a
    name is held by two or three of them), a phone on half the rows, an address that is
    only the district on a quarter of them; then ``reentries`` of them typed a second
    time with the same phone."""
    rng = np.random.default_rng(seed)
    every = [s + a + b + c for s in SURNAMES for a in GIVEN for b in GIVEN for c in "文子明华乐"]
    names = rng.choice(every, people * 4 // 3, replace=False)
    rows = []
    for person in range(people):
        district = DISTRICTS[rng.integers(len(DISTRICTS))]
        has_phone = rng.random() < 0.5
        # Every person has a phone or a full address: no two persons are the same text.
        street = (
            f"文{rng.integers(1, 300)}路{rng.integers(1, 200)}号"
            if not has_phone or rng.random() < 0.5
            else ""
        )
        rows.append(
            (
                names[rng.integers(len(names))],
                _phone(rng) if has_phone else "",
                f"杭州市{district}{street}",
                person,
            )
        )
    for person in rng.choice(people, reentries, replace=False):
        name, phone, address, _ = rows[person]
        phone = phone or _phone(rng)
        rows[person] = (name, phone, address, person)
        # Typed again: the same phone written another way, the address only the city.
        rows.append((name, f"{phone[:3]} {phone[3:7]} {phone[7:]}", address[:3], person))
    frame = pd.DataFrame([r[:3] for r in rows], columns=["客户名称", "电话", "地址"])
    return frame, np.asarray([r[3] for r in rows])


def _false_and_found(result, frame: pd.DataFrame, entity: np.ndarray) -> tuple[int, int]:
    """Links between two persons of one name, and persons typed twice found as one group."""
    grouped = np.flatnonzero(result.cluster_id > 0)
    partner = result.partner[grouped]
    names = frame["客户名称"].to_numpy()
    namesakes = (entity[grouped] != entity[partner]) & (names[grouped] == names[partner])
    labels = pd.Series(result.cluster_id).where(result.cluster_id > 0)
    found = int(
        pd.DataFrame({"c": labels, "e": entity})
        .dropna()
        .groupby("e")["c"]
        .agg(lambda c: len(c) == 2 and c.nunique() == 1)
        .sum()
    )
    return int(namesakes.sum()), found


@pytest.fixture(scope="module")
def namesakes_list():
    return _list(people=6_000, reentries=300)


def test_persons_of_one_name_are_not_grouped(namesakes_list):
    frame, entity = namesakes_list
    result = find_duplicates(frame, settings=DedupeSettings(namesakes=True))
    false, found = _false_and_found(result, frame, entity)
    assert false <= 5, false
    # The same person typed again with the same phone is still one group.
    assert found >= 295, found


def test_without_it_the_name_alone_links_namesakes(namesakes_list):
    # The list is a real test: with the name counted twice, namesakes are linked.
    frame, entity = namesakes_list
    result = find_duplicates(frame, settings=DedupeSettings(namesakes=False))
    false, found = _false_and_found(result, frame, entity)
    assert false >= 100, false
    assert found >= 295, found


def test_on_by_default_from_a_large_list():
    assert DedupeSettings().namesakes is None
    small, _ = _list(people=2_000, reentries=100)
    assert find_duplicates(small).model.exact_u is None
    large, entity = _list(people=NAMESAKES_FROM, reentries=300, seed=3)
    result = find_duplicates(large)
    assert result.model.exact_u is not None
    false, found = _false_and_found(result, large, entity)
    assert false <= 5, false
    assert found >= 295, found
    off = find_duplicates(large, settings=DedupeSettings(namesakes=False))
    assert _false_and_found(off, large, entity)[0] >= 500
