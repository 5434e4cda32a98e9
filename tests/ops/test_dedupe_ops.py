"""Find duplicates and Merge duplicates as plans: groups, survivors, filled cells, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from addrkit.dedupe import Survivorship
from addrkit.errors import InputError, SettingsError
from addrkit.ops import OPERATIONS, OUTPUT_BLOCKS, CustomerTable, get_operation
from addrkit.ops.dedupe import DEDUPE_HEADERS, DUPLICATES_SHEET, GROUP_FILLS, SHEET_HEADER
from addrkit.ops.merge import KEPT_MARK, MERGED_HEADER
from addrkit.ops.survivor import duplicate_options
from addrkit.progress import Progress
from addrkit.settings import Language, Settings, settings_from_rows
from addrkit.table import locate_table

HEADERS = ("客户编号", "客户名称", "电话", "地址", "备注")
ROWS = [
    ("C1", "杭州云栖科技有限公司", "0571-88886666", "浙江省杭州市西湖区文三路90号", None),
    ("C2", "南京紫金贸易有限公司", "025-84001234", "江苏省南京市玄武区中山路1号", "老客户"),
    ("C3", "杭州云栖科技", "88886666", None, "=1+1"),
    ("C4", "成都天府餐饮管理有限公司", "028-66667777", "四川省成都市武侯区人民南路4段1号", None),
    ("C5", "南京紫金贸易", "02584001234", "南京市玄武区中山路1号", None),
]


def table(rows=ROWS, headers=HEADERS):
    return CustomerTable.from_rows(locate_table("S", [list(headers)]), [list(r) for r in rows])


def run(name, t, settings=None):
    return get_operation(name).run(t, settings or Settings(), Progress())


def test_registered_with_labels_and_output_blocks():
    assert OPERATIONS["dedupe"].label == "查找重复 Find duplicates"
    assert OPERATIONS["merge"].label == "合并重复 Merge duplicates"
    assert DEDUPE_HEADERS in OUTPUT_BLOCKS and (MERGED_HEADER,) in OUTPUT_BLOCKS


def test_dedupe_groups_scores_reasons_and_highlights():
    plan = run("dedupe", table())
    group, score, reason = (c.values for c in plan.columns)
    assert plan.column_headers == DEDUPE_HEADERS
    assert group[0] == group[2] is not None and group[1] == group[4] is not None
    assert group[0] != group[1] and group[3] is None
    assert score[3] is None and all(0.9 <= score[i] <= 1 for i in (0, 1, 2, 4))
    assert "电话" in reason[0] and "phone" in reason[0]
    fills = {(h.row, h.header): h.fill for h in plan.highlights}
    assert set(fills) == {(r, h) for r in (0, 1, 2, 4) for h in DEDUPE_HEADERS}
    assert fills[(0, DEDUPE_HEADERS[0])] == GROUP_FILLS[0]
    assert fills[(1, DEDUPE_HEADERS[0])] == GROUP_FILLS[1]


def test_duplicates_sheet_lists_members_and_the_most_complete_survivor():
    sheet = run("dedupe", table()).sheets[0]
    assert sheet.name == DUPLICATES_SHEET and sheet.rows[0] == SHEET_HEADER
    members = [r for r in sheet.rows[1:] if r]
    assert [r[1] for r in members] == ["C1", "C3", "C2", "C5"]
    # C1 and C3 fill four cells each: the tie goes to the later row; C2 has a remark C5 lacks.
    assert [r[7] for r in members] == ["→ C3", "✓ 保留 keep", "✓ 保留 keep", "→ C2"]
    assert members[1][2:5] == ("杭州云栖科技", "88886666", None)


def test_reasons_follow_the_language_setting():
    zh = run("dedupe", table(), Settings(language=Language.ZH)).columns[2].values[0]
    en = run("dedupe", table(), Settings(language=Language.EN)).columns[2].values[0]
    assert "电话" in zh and "phone" not in zh
    assert "phone" in en and "电话" not in en


def test_one_row_has_no_groups_and_says_so():
    plan = run("dedupe", table(ROWS[:1]))
    assert plan.columns[0].values == (None,)
    assert "No duplicates" in plan.sheets[0].rows[1][0]


@pytest.mark.parametrize("name", ["dedupe", "merge"])
def test_empty_table_and_missing_name_column_are_clear_errors(name):
    with pytest.raises(InputError, match="no rows"):
        run(name, table([]))
    no_name = table([(r[2], r[3]) for r in ROWS], ("电话", "地址"))
    with pytest.raises(InputError, match="name column"):
        run(name, no_name)


def test_bad_cells_never_break_the_run():
    rows = [*ROWS, ("C6", "#N/A", 5, "x" * 32767, None), ("C7", None, None, None, "@x"), ("C8",)]
    plan = run("dedupe", table(rows))
    assert len(plan.columns[0].values) == 8
    assert plan.columns[0].values[5:] == (None, None, None)


def test_merge_fills_the_survivors_empty_cells_and_marks_the_others():
    plan = run("merge", table())
    filled = {(e.row, e.header): e.value for e in plan.edits}
    # C3 survives (as complete as C1, later) and takes C1's address; C2 lacks nothing.
    assert filled == {(2, "地址"): ROWS[0][3]}
    assert plan.edits[0].reason == "合并自 C1 / merged from C1"
    assert plan.columns[0].header == MERGED_HEADER
    assert plan.columns[0].values == ("C3", KEPT_MARK, KEPT_MARK, None, "C2")


def test_merge_keeps_the_row_the_user_marked():
    rows = [(*r, "是" if r[0] == "C1" else None) for r in ROWS]
    plan = run("merge", table(rows, (*HEADERS, "保留")))
    filled = {(e.row, e.header): e.value for e in plan.edits}
    assert filled == {(0, "备注"): "=1+1"}
    assert plan.columns[0].values[:3] == (KEPT_MARK, KEPT_MARK, "C1")


def test_merge_most_recent_by_the_date_column():
    dates = [dt.datetime(2024, 1, 1), None, dt.datetime(2025, 6, 1), "2023-01-01", "2025-02-01"]
    rows = [(*r, d) for r, d in zip(ROWS, dates, strict=True)]
    settings = settings_from_rows([("保留规则 Survivorship", "最新")])
    plan = run("merge", table(rows, (*HEADERS, "更新日期")), settings)
    assert plan.columns[0].values == ("C3", "C5", KEPT_MARK, None, KEPT_MARK)
    filled = {(e.row, e.header) for e in plan.edits}
    assert (2, "地址") in filled and (4, "备注") in filled


def test_merge_follows_the_reviewed_group_column():
    # The user cleared C5's group number after reviewing: C5 stays out of the merge.
    rows = [(*r, g) for r, g in zip(ROWS, [1, 2, 1, None, None], strict=True)]
    plan = run("merge", table(rows, (*HEADERS, "重复组")))
    assert plan.columns[0].values == ("C3", None, KEPT_MARK, None, None)


def test_duplicate_settings_are_typed_and_checked():
    s = settings_from_rows([("重复阈值 Duplicate threshold", "0.95"), ("保留规则", "最完整")])
    assert duplicate_options(s).threshold == 0.95
    assert duplicate_options(s).survivorship is Survivorship.MOST_COMPLETE
    # The row as the bundled template spells it, with the number Excel stores.
    template = settings_from_rows([("重复判定阈值 Duplicate threshold", 0.85)])
    assert duplicate_options(template).threshold == 0.85
    assert duplicate_options(Settings()).threshold == 0.9
    for bad in [("重复阈值", "high"), ("重复阈值", "1.5"), ("保留规则", "random")]:
        with pytest.raises(SettingsError):
            duplicate_options(settings_from_rows([bad]))
