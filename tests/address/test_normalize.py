"""Traditional characters are found wherever they sit in Unicode."""

from __future__ import annotations

import pytest

from addrkit.address.normalize import clean_text
from addrkit.gazetteer import default_gazetteer


@pytest.fixture(scope="module")
def g():
    return default_gazetteer()


def test_every_traditional_character_is_converted(g):
    # Both those the fast bitmap class covers and those above U+FFFF.
    keys = [chr(k) for k in g.t2s_table]
    assert any(ord(c) >= 0x10000 for c in keys) and any(ord(c) < 0x10000 for c in keys)
    for c in keys:
        cleaned = clean_text(f"浙江{c}路", g.t2s_table, g.traditional_pattern)
        assert cleaned.text == f"浙江{g.t2s_table[ord(c)]}路"
        assert cleaned.traditional is (g.t2s_table[ord(c)] != c)


def test_simplified_text_is_left_alone(g):
    cleaned = clean_text("浙江省杭州市西湖区文三路90号", g.t2s_table, g.traditional_pattern)
    assert cleaned.text == "浙江省杭州市西湖区文三路90号" and not cleaned.traditional
    rare = clean_text("浙江\U00020000路", g.t2s_table, g.traditional_pattern)  # not in the table
    assert rare.text == "浙江\U00020000路" and not rare.traditional


def test_road_ending_in_dao_jie_is_one_street():
    # Harbin's roads are numbered 道街 (北七道街): the street does not stop at 道.
    from addrkit.address.detail import split_detail

    assert split_detail("北七道街太古地下商城D区126号") == (
        "北七道街",
        None,
        "太古地下商城D区126号",
    )


def test_separator_between_road_and_number():
    # Forms that join fields with "_" put it between the road and its number.
    from addrkit.address.detail import split_detail

    assert split_detail("同港路_1276号") == ("同港路", "1276号", None)
    assert split_detail("解放路-12号3楼") == ("解放路", "12号", "3楼")


def test_road_word_inside_a_longer_name_is_not_the_street():
    # 长安街道 is a subdistrict, 谢家路村 a village: the street is the road after them.
    from addrkit.address.detail import split_detail

    assert split_detail("长安街道中山路1号") == ("中山路", "1号", "长安街道")
    assert split_detail("谢家路村戚家西路148号") == ("戚家西路", "148号", "谢家路村")
    assert split_detail("望道路829号9楼") == ("望道路", "829号", "9楼")
