"""The per-list index of names shared by many places (城关镇) stays right for every list."""

from __future__ import annotations

from addrkit.address.resolve import common_name_index
from addrkit.gazetteer import default_gazetteer


def test_index_matches_each_list_even_when_python_reuses_its_id():
    g = default_gazetteer()
    townships = [i for i, level in enumerate(g.levels) if level == 4][:4000]
    for k in range(500):
        # A fresh list each time, dropped straight after: had the cache not kept the
        # list, CPython would hand its id to the next one and the old index would answer.
        entries = [(d, 0, -1) for d in townships[k : k + 7 + k % 5]]
        index = common_name_index(entries, g)
        assert index.divisions == {d for d, _how, _hid in entries}
        for ancestor, positions in index.under.items():
            assert all(ancestor in g.ancestors[entries[p][0]] for p in positions)
