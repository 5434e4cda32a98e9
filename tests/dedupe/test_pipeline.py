"""The whole pipeline on small tables with known answers, hard negatives and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from addrkit.dedupe import ColumnRole, DedupeSettings, detect_roles, find_duplicates
from addrkit.dedupe.cluster import cluster_records
from addrkit.errors import InputError, SettingsError
from addrkit.table import column_role

CUSTOMERS = pd.DataFrame(
    [
        # one company entered three times
        (
            "C1",
            "杭州云栖科技有限公司",
            "+86 138-0571-2345",
            "浙江省杭州市西湖区文三路90号3号楼301室",
        ),
        ("C2", "杭州云栖科技", "13805712345", "杭州西湖区文三路九十号三幢301"),
        ("C3", "杭州雲棲科技股份有限公司", "", "杭州市西湖区文三路90号3栋301室"),
        # another company in the same building: different room, name and phone
        ("C4", "杭州恒达贸易有限公司", "0571-88886666", "浙江省杭州市西湖区文三路90号3号楼502室"),
        # a person entered twice, once without phone
        ("C5", "张伟", "139 0571 0001", "浙江省宁波市鄞州区天童南路588号"),
        ("C6", "张伟", "", "宁波鄞州区天童南路588号"),
        # the same name, another person elsewhere
        ("C7", "张伟", "13600000002", "浙江省温州市鹿城区五马街12号"),
        # two branches of one chain sharing the hotline
        ("C8", "华联超市(文三路店)", "400-800-1234", "杭州市西湖区文三路200号"),
        ("C9", "华联超市(古墩路店)", "400-800-1234", "杭州市西湖区古墩路88号"),
    ],
    columns=["编号", "客户名称", "联系电话", "地址"],
)


def groups(result) -> set[frozenset[int]]:
    return {frozenset(c.members) for c in result.clusters}


def test_known_answers_and_hard_negatives():
    result = find_duplicates(CUSTOMERS)
    assert groups(result) == {frozenset({0, 1, 2}), frozenset({4, 5})}
    assert result.cluster_id[3] == 0  # same building, other company
    assert result.cluster_id[6] == 0  # same name, other person
    assert result.cluster_id[7] == result.cluster_id[8] == 0  # branches stay apart


def test_reasons_in_chinese_and_english():
    result = find_duplicates(CUSTOMERS)
    out = result.annotate(CUSTOMERS, id_column="编号")
    assert list(out.columns[-3:]) == ["cluster_id", "match_score", "match_reason"]
    reason = out.loc[1, "match_reason"]
    assert reason.startswith("≈ C")
    assert "名称" in reason and "name" in reason
    assert pd.isna(out.loc[3, "cluster_id"]) and out.loc[3, "match_reason"] == ""
    assert 0.9 <= out.loc[0, "match_score"] <= 1.0
    pair = next(p for p in result.pairs if {p.left, p.right} == {0, 1})
    assert any(e.field == "phones" and e.level == "shared" and e.agrees for e in pair.evidence)


def test_english_records():
    table = pd.DataFrame(
        {
            "Name": ["Arnie Morton's of Chicago", "arnie mortons of chicago", "Cafe Bizou"],
            "Address": ["435 S. La Cienega Blvd.", "435 s. la cienega blv.", "14016 Ventura Blvd."],
            "Phone": ["310/246-1501", "310-246-1501", "818/788-3536"],
        }
    )
    assert find_duplicates(table).cluster_id.tolist() == [1, 1, 0]


def test_credit_codes_that_differ_keep_records_apart():
    table = pd.DataFrame(
        {
            "名称": ["云栖科技有限公司", "云栖科技有限公司"],
            "电话": ["13805712345", "13805712345"],
            "统一社会信用代码": ["91330106MA27XL1X2B", "91330106MA27XL1Y3C"],
        }
    )
    result = find_duplicates(table)
    assert result.cluster_id.tolist() == [0, 0]


def test_header_detection():
    roles = detect_roles(["编号", "客户名称", "手机", "联系地址", "邮箱", "统一社会信用代码"])
    assert roles == {
        "编号": ColumnRole.ID,
        "客户名称": ColumnRole.NAME,
        "手机": ColumnRole.PHONE,
        "联系地址": ColumnRole.ADDRESS,
        "邮箱": ColumnRole.EMAIL,
        "统一社会信用代码": ColumnRole.CREDIT_CODE,
    }


def test_headers_the_workbook_knows_get_the_same_role_in_a_csv():
    # One detection for both: "No." is an id to the workbook side and was nothing to the
    # CSV side's own patterns.
    headers = ["No.", "客户名称 Name", "Phone / 电话", "收货地址 Address"]
    table_roles = [column_role(h) for h in headers]
    assert [r.value for r in table_roles] == ["id", "name", "phone", "address"]
    assert [r.value for r in detect_roles(headers).values()] == ["id", "name", "phone", "address"]


def test_single_row_and_empty_table():
    one = find_duplicates(CUSTOMERS.head(1))
    assert one.cluster_id.tolist() == [0] and one.clusters == ()
    none = find_duplicates(CUSTOMERS.head(0))
    assert len(none.cluster_id) == 0


def test_empty_names_and_all_empty_rows():
    table = pd.DataFrame(
        {
            "客户名称": ["", None, "", "杭州云栖科技有限公司"],
            "电话": ["", None, "", "13805712345"],
            "地址": ["", None, "", "杭州市西湖区文三路90号"],
        }
    )
    result = find_duplicates(table)
    assert result.cluster_id.tolist() == [0, 0, 0, 0]  # nothing to go on: no group


def test_one_column_only():
    table = pd.DataFrame({"客户名称": ["云栖科技有限公司", "云栖科技", "恒达贸易"]})
    result = find_duplicates(table)
    assert result.cluster_id[2] == 0
    assert result.cluster_id[0] == result.cluster_id[1] > 0


def test_no_usable_column_is_a_clear_error():
    with pytest.raises(InputError, match="no column to compare"):
        find_duplicates(pd.DataFrame({"备注": ["a", "b"]}))
    with pytest.raises(InputError, match="unknown column role"):
        find_duplicates(pd.DataFrame({"x": ["a"]}), {"x": "colour"})
    with pytest.raises(SettingsError):
        DedupeSettings(threshold=1.5)


def test_many_identical_rows_stay_linear():
    n = 100_000
    table = pd.DataFrame(
        {
            "客户名称": ["杭州云栖科技有限公司"] * n,
            "电话": ["13805712345"] * n,
            "地址": ["杭州市西湖区文三路90号"] * n,
        }
    )
    settings = DedupeSettings()
    result = find_duplicates(table, settings=settings)
    # Blocks are windowed: pairs grow with n, never with n².
    assert result.stats.candidate_pairs <= n * (settings.block_cap + settings.window)
    assert len(result.clusters) == 1 and len(result.clusters[0].members) == n
    assert result.pairs[0].evidence[0].level == "identical"
    assert np.all(result.cluster_id == 1)


def test_chaining_is_split():
    # B links to A and to C, but A and C are clearly different customers (below the
    # default split_below).
    pairs = np.array([[0, 1], [1, 2]])
    probability = np.array([0.99, 0.995])

    def rescore(extra):
        return np.array([1e-5 if set(p) == {0, 2} else 0.99 for p in extra.tolist()])

    cluster_id, clusters = cluster_records(3, pairs, probability, DedupeSettings(), rescore)
    assert cluster_id[0] == 0 or cluster_id[0] != cluster_id[2]
    assert not any({0, 2} <= set(c.members) for c in clusters)


def test_chain_that_cannot_be_split_is_flagged():
    pairs = np.array([[0, 1], [1, 2]])
    probability = np.array([0.99999999, 0.99999999])

    def rescore(extra):
        return np.array([1e-5 if set(p) == {0, 2} else 0.99999999 for p in extra.tolist()])

    _, clusters = cluster_records(3, pairs, probability, DedupeSettings(), rescore)
    assert len(clusters) == 1 and clusters[0].flagged and "review" in clusters[0].note_en
