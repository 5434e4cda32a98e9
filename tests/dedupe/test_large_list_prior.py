"""A large list where many different customers share an address must not collapse.

The share of duplicates among the candidate pairs (λ) used to be re-estimated by EM over
the candidates alone; on a large list whose candidates are mostly different customers at
one address (a registered-office room, a market hall), λ fed on itself and linked tens of
thousands of records into one group. λ is now counted against all pairs first.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from addrkit.dedupe import find_duplicates

BRANDS = [a + b for a, b in itertools.product("华联恒达云栖天工金源瑞丰宏远新星永泰", repeat=2)]
TRADES = ["科技", "贸易", "机械", "服装", "食品", "建材", "物流", "电器"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def _list(pairs_sharing: int, reentries: int, seed: int = 5) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    names, phones, addresses, entity = [], [], [], []

    def company() -> str:
        if rng.random() < 0.4:  # a person's name, as many small customers are
            return SURNAMES[rng.integers(len(SURNAMES))] + "".join(
                rng.choice(list(GIVEN), rng.integers(1, 3))
            )
        return f"{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司"

    def phone() -> str:
        return f"1{rng.integers(3, 9)}{rng.integers(10**8, 10**9)}"

    for i in range(pairs_sharing):  # two different customers at one address
        address = f"杭州市西湖区文{i % 97}路{i}号{rng.integers(100, 999)}室"
        for side in range(2):
            names.append(company())
            phones.append(phone())
            addresses.append(address)
            entity.append(2 * i + side)
    for j in range(reentries):  # one customer typed twice, phone written another way
        name, number = company() + str(j), phone()
        address = f"宁波市鄞州区天童{j % 89}路{j}号"
        names += [name, name]
        phones += [number, f"{number[:3]} {number[3:7]} {number[7:]}"]
        addresses += [address, address]
        entity += [10**7 + j] * 2
    frame = pd.DataFrame({"客户名称": names, "电话": phones, "地址": addresses})
    return frame, np.asarray(entity)


def test_customers_sharing_an_address_stay_apart_on_a_large_list():
    frame, entity = _list(pairs_sharing=12_000, reentries=1_000)
    result = find_duplicates(frame)
    sizes = np.bincount(result.cluster_id)[1:]
    assert sizes.max() <= 4, sizes.max()
    grouped = np.flatnonzero(result.cluster_id > 0)
    false = entity[grouped] != entity[result.partner[grouped]]
    assert false.mean() < 0.05, false.mean()
    # The real re-entries are still found.
    found = sum(
        result.cluster_id[2 * 12_000 + 2 * j] > 0
        and result.cluster_id[2 * 12_000 + 2 * j] == result.cluster_id[2 * 12_000 + 2 * j + 1]
        for j in range(1_000)
    )
    assert found >= 990


def test_a_list_where_no_key_pairs_two_different_rows_has_no_candidates():
    # A key may propose only a row with itself (one record): no pairs, no error.
    import pandas as pd

    from addrkit.dedupe.block import candidate_pairs
    from addrkit.dedupe.model import ColumnRole
    from addrkit.dedupe.prepare import prepare

    t = prepare(pd.DataFrame({"n": ["@SUM(1+1)*cmd|' /C calc'!A0"]}), {"n": ColumnRole.NAME})
    pairs, _ = candidate_pairs(t)
    assert pairs.shape == (0, 2)
