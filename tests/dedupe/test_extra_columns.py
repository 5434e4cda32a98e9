"""Further identifying columns (``--extra-col``), compared by the kind of value they hold."""

from __future__ import annotations

import pandas as pd
import pytest

from addrkit.cli import main
from addrkit.dedupe import DEFAULT_THRESHOLD, find_duplicates
from addrkit.dedupe.comparisons import DateComparison, TextComparison, default_comparisons
from addrkit.dedupe.extras import ValueKind, detect_kind, prepare_value
from addrkit.dedupe.model import ColumnRole
from addrkit.dedupe.prepare import prepare
from addrkit.ops.survivor import DuplicateOptions


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["1956-04-09", "19870101", "3/12/1990"], ValueKind.DATE),
        (["a@b.cn", "Sales@Example.com"], ValueKind.EMAIL),
        (["91330106MA27XL1X2B", "91330100143586457F"], ValueKind.CREDIT_CODE),
        (["C0001", "C0002", "K-17"], ValueKind.CODE),
        (["老客户", "新客户"], ValueKind.TEXT),
        ([None, "", float("nan")], ValueKind.TEXT),
    ],
)
def test_kind_is_found_from_the_values(values, kind):
    assert detect_kind(values) is kind


def test_dates_are_one_spelling_whatever_the_format():
    spellings = ["1956-04-09", "1956/4/9", "09.04.1956", "19560409", "1956年4月9日"]
    assert {prepare_value(v, ValueKind.DATE) for v in spellings} == {"19560409"}


def _levels(values, kind_column="x"):
    table = prepare(pd.DataFrame({kind_column: values}), {kind_column: ColumnRole.OTHER})
    (comparison,) = default_comparisons(table)
    n = len(values)
    left = pd.Series(range(1, n)).to_numpy()
    right = left * 0
    return comparison, comparison.compare(table, right, left, workers=1).tolist()


def test_date_levels_same_typo_swapped_other_year_different_missing():
    comparison, levels = _levels(
        ["19560409", "1956-04-09", "19560408", "19560904", "19991231", "", "1962/4/9"]
    )
    assert isinstance(comparison, DateComparison)
    keys = [comparison.levels[level].key if level >= 0 else None for level in levels]
    assert keys == ["exact", "one_off", "one_off", "different", None, "same_day_month"]


def test_free_text_keeps_the_fuzzy_levels():
    comparison, _ = _levels(["老客户", "新客户", "老客户"])
    assert isinstance(comparison, TextComparison)


def test_two_credit_codes_are_two_entities():
    table = pd.DataFrame(
        {
            "名称": ["杭州云栖科技有限公司", "杭州云栖科技有限公司"],
            "电话": ["13805712345", "13805712345"],
            "税号": ["91330106MA27XL1X2B", "91330100143586457F"],
        }
    )
    roles = {"名称": "name", "电话": "phone", "税号": "other"}
    assert find_duplicates(table, roles).cluster_id.tolist() == [0, 0]
    roles.pop("税号")
    assert find_duplicates(table[["名称", "电话"]], roles).cluster_id.tolist() == [1, 1]


def test_one_default_threshold_for_command_line_and_workbook():
    from addrkit.workbook_templates import layout

    (setting,) = [s for s in layout.SETTING_ROWS if s.key == "dedupe_threshold"]
    assert setting.value == DEFAULT_THRESHOLD == DuplicateOptions().threshold


PEOPLE = [
    ("P1", "john smith", "42 miller street sydney 2000 nsw", "1956-04-09"),
    ("P2", "jon smith", "42 miller st sydney 2000 nsw", "09/04/1956"),
    ("P3", "john smith", "42 miller street sydney 2000 nsw", "1987-12-01"),
    ("P4", "mary jones", "7 king road perth 6000 wa", "1970-01-01"),
]


def test_extra_col_on_the_command_line_tells_namesakes_apart(tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    pd.DataFrame(PEOPLE, columns=["id", "name", "address", "dob"]).to_csv(src, index=False)
    args = ["dedupe", str(src), str(out), "--id-col", "id", "--name-col", "name"]
    args += ["--address-col", "address"]
    assert main([*args, "--extra-col", "dob", "--extra-col", "dob"]) == 0
    result = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    groups = result["cluster_id"].tolist()
    assert groups[0] == groups[1] != "" and groups[2] == "" and groups[3] == ""
    assert "other=dob" in capsys.readouterr().err


def test_unknown_extra_col_is_named(tmp_path, capsys):
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    pd.DataFrame(PEOPLE, columns=["id", "name", "address", "dob"]).to_csv(src, index=False)
    assert main(["dedupe", str(src), str(out), "--extra-col", "birthday"]) != 0
    assert "birthday" in capsys.readouterr().err
