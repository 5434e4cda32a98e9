"""Division names written in English or pinyin are read as the Chinese divisions."""

from __future__ import annotations

import pytest

from addrkit import parse_address
from addrkit.gazetteer import default_gazetteer


@pytest.mark.parametrize(
    ("text", "province", "city", "district", "detail"),
    [
        ("No. 1 Century Avenue, Pudong New Area, Shanghai, China", "上海市", "上海市", "浦东新区",
         "No. 1 Century Avenue"),  # was FOREIGN
        ("Room 5, 88 Shennan Road, Futian District, Shenzhen, Guangdong Province", "广东省",
         "深圳市", "福田区", "Room 5, 88 Shennan Road"),
        ("5 Zhongguancun Street, Haidian District, Beijing 100080", "北京市", "北京市", "海淀区",
         "5 Zhongguancun Street"),
        ("Chaoyang District, Beijing", "北京市", "北京市", "朝阳区", None),  # not Shantou's 潮阳区
        ("Chaoyang District, Shantou", "广东省", "汕头市", "潮阳区", None),
        ("Xi'an, Shaanxi", "陕西省", "西安市", None, None),  # not 山西 Shanxi
        ("Hohhot, Inner Mongolia", "内蒙古自治区", "呼和浩特市", None, None),
        ("Lhasa, Tibet", "西藏自治区", "拉萨市", None, None),
    ],
)  # fmt: skip
def test_english_division_names(text, province, city, district, detail):
    a = parse_address(text)
    assert (a.province, a.city, a.district, a.detail) == (province, city, district, detail)
    assert "ENGLISH_NAMES" in a.issue_codes and "FOREIGN" not in a.issue_codes
    assert a.input == text
    if detail:
        assert a.normalized.endswith(" " + detail)  # the rest kept as written


@pytest.mark.parametrize(
    "text",
    ["221B Baker Street, London", "1600 Amphitheatre Parkway, Mountain View, CA", "Boston, MA"],
)
def test_foreign_addresses_stay_foreign(text):
    a = parse_address(text)
    assert a.issue_codes[-1] == "FOREIGN" and a.province is None


def test_every_province_prefecture_and_county_has_an_english_key():
    g = default_gazetteer()
    levels = {g.index_of[code]: keys for code, keys in g.english}
    wanted = [i for i, lvl in enumerate(g.levels) if lvl <= 3]
    assert all(levels.get(i) for i in wanted)
    assert levels[g.index_of["150000"]] == ["innermongolia", "neimongol"]
    assert levels[g.index_of["610000"]] == ["shaanxi"] and levels[g.index_of["140000"]] == [
        "shanxi"
    ]
