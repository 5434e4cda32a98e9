"""The formulas as Excel calls them (cells as rows, errors as text) and their pure cores."""

from __future__ import annotations

import pytest
from addrkit.udfs import core
from addrkit.udfs.cells import CELL_TEXT_LIMIT
from addrkit.udfs.registry import formulas

from addrkit import udfs

GOOD = "浙江杭州西湖区文三路90号"
BAD_INPUTS = [None, "", 42.0, True, "#N/A", "#DIV/0!", "=1+1", "x" * 32_767, "地" * 32_767]


@pytest.mark.parametrize("name", sorted(formulas()))
@pytest.mark.parametrize("bad", BAD_INPUTS, ids=repr)
def test_bad_input_gives_readable_text_never_an_exception(name, bad):
    spec = formulas()[name]
    args = [[[bad]] if a.cells else "province" for a in spec.args if not a.optional]
    result = spec.function(*args)
    cells = [c for row in result for c in row] if isinstance(result, list) else [result]
    for cell in cells:
        assert isinstance(cell, str | float)
        if isinstance(cell, str):
            assert len(cell) <= CELL_TEXT_LIMIT
            assert "Traceback" not in cell


def test_validate_explains_in_chinese_and_english():
    assert (
        udfs.VALIDATE_ADDR([["#N/A"]])
        == "错误 ERROR: 单元格是 Excel 错误值 (#N/A) / Cell holds an Excel error value (#N/A)"
    )
    text = udfs.VALIDATE_ADDR([["浙江杭州文三路"]])
    assert text.split(":")[0] in {"需核对 WARNING", "已修正 FIXED"}
    assert " / " in text


def test_a_range_spills_in_its_own_shape():
    out = udfs.NORMALIZE_ADDR([[GOOD, ""], ["北京朝阳区建国路88号", None]])
    assert out == [["浙江省杭州市西湖区文三路90号", ""], ["北京市朝阳区建国路88号", ""]]


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("province", "浙江省"), ("省", "浙江省"), ("City", "杭州市"), ("区县", "西湖区"),
        ("street", "文三路"), ("门牌", "90号"), ("adcode", core.parsed(GOOD).adcode or ""),
        ("标准地址", "浙江省杭州市西湖区文三路90号"),
    ],
)  # fmt: skip
def test_addr_part_by_english_or_chinese_name(part, expected):
    assert udfs.ADDR_PART([[GOOD]], part) == expected


@pytest.mark.parametrize("part", ["zip", "", None, 3.0])
def test_addr_part_unknown_name_lists_the_valid_ones(part):
    text = udfs.ADDR_PART([[GOOD]], part)
    assert text.startswith("未知部分 Unknown part")
    assert all(p.label in text for p in core.Part)


def test_parse_addr_one_row_per_cell_ten_columns_optional_header():
    rows = udfs.PARSE_ADDR([[GOOD], ["北京朝阳区建国路88号"], [None]])
    assert len(rows) == 3 and all(len(r) == 10 for r in rows)
    assert rows[0][:3] == ["浙江省", "杭州市", "西湖区"] and rows[0][9] == "正常 OK"
    assert rows[2][:9] == [""] * 9 and rows[2][9].startswith("错误 ERROR")
    with_header = udfs.PARSE_ADDR([[GOOD]], True)
    assert with_header[0] == core.parse_header() and with_header[1] == rows[0]


def test_region_by_province_of_the_parsed_address():
    assert udfs.ADDR_REGION([[GOOD], ["哈尔滨市南岗区"], [""]]) == [
        ["华东 East China"],
        ["东北 Northeast China"],
        [""],
    ]


def test_similarity_compares_divisions_as_parts():
    same = udfs.ADDR_SIMILARITY([[GOOD]], [["浙江省杭州市西湖区文三路90号"]])
    near = udfs.ADDR_SIMILARITY([[GOOD]], [["浙江省杭州市西湖区文三路92号"]])
    other_district = udfs.ADDR_SIMILARITY([[GOOD]], [["浙江省杭州市拱墅区文三路90号"]])
    assert same == 1.0
    assert 0.5 < near < 1.0
    assert other_district <= 0.5
    assert udfs.ADDR_SIMILARITY([[GOOD], [GOOD]], [[GOOD]]) == [[1.0], [1.0]]
    assert udfs.ADDR_SIMILARITY([[GOOD, GOOD]], [[GOOD], [GOOD]]).startswith("区域大小不同")


def test_results_are_cached_per_process():
    core._validation_of.cache_clear()
    first = core.validate_text("上海市浦东新区世纪大道100号")
    assert core.validate_text("上海市浦东新区世纪大道100号") is first
    assert core._validation_of.cache_info().hits == 1
    # The text is shared by every address with the same issues, whatever its cell.
    assert core.validate_text("上海市浦东新区世纪大道200号") is first
    assert core.parsed("上海市浦东新区世纪大道100号") is core.parsed("上海市浦东新区世纪大道100号")


def test_every_formula_has_description_and_argument_help():
    for spec in formulas().values():
        assert spec.description and all(a.doc for a in spec.args)
        assert "/" in spec.description  # Chinese / English


def test_registry_refuses_undocumented_arguments():
    from addrkit.udfs.registry import formula

    with pytest.raises(TypeError, match="help must be given"):

        @formula()
        def NO_HELP(x):
            """无 None."""


def test_big_ranges_pause_the_cycle_collector_and_restore_it():
    import gc

    from addrkit.udfs.cells import PAUSE_COLLECTOR_FROM_CELLS, collector_paused

    seen = []
    assert gc.isenabled()
    with collector_paused(PAUSE_COLLECTOR_FROM_CELLS):
        seen.append(gc.isenabled())
    with collector_paused(PAUSE_COLLECTOR_FROM_CELLS - 1):
        seen.append(gc.isenabled())
    assert seen == [False, True] and gc.isenabled()
    try:
        with collector_paused(PAUSE_COLLECTOR_FROM_CELLS):
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()  # back on after an error too
    gc.disable()
    try:
        with collector_paused(PAUSE_COLLECTOR_FROM_CELLS):
            pass
        assert not gc.isenabled()  # a host that switched it off keeps it off
    finally:
        gc.enable()
    rows = udfs.PARSE_ADDR([["浙江杭州西湖区文三路90号"]] * PAUSE_COLLECTOR_FROM_CELLS)
    assert len(rows) == PAUSE_COLLECTOR_FROM_CELLS and rows[0][2] == "西湖区" and gc.isenabled()


def test_a_range_is_parsed_in_bulk_to_the_rows_of_single_cells():
    # Repeats, blanks, numbers, error values, formula-like text, an unhashable value
    # and a text no cell has shown yet: the bulk path must answer each like one cell.
    cells = [GOOD, GOOD, None, "", 12.5, "#N/A", "=1+1", ["浙江"], "温州苍南灵溪镇", GOOD + "1号"]
    rows = udfs.PARSE_ADDR([[c] for c in cells])
    assert rows == [core.parse_row(c) for c in cells]
    assert rows[0][:3] == ["浙江省", "杭州市", "西湖区"] and rows[0] is not rows[1]
    assert rows[2][-1].startswith("错误 ERROR")
    # An unhashable value reads as the text it shows, as it did before the bulk path.
    assert rows[7] == core.parse_row(repr(["浙江"]))
