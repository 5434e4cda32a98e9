"""The address formulas: VALIDATE_ADDR, NORMALIZE_ADDR, ADDR_PART, PARSE_ADDR,
ADDR_REGION and ADDR_SIMILARITY.

Each is a thin Excel entry point over a pure function in :mod:`addrkit.udfs.core`:
it maps the function over the cell or range it was given. The docstring's first
paragraph is the description Excel's function wizard shows.
"""

from __future__ import annotations

from .assign import book_settings
from .cells import as_grid, collector_paused, map_cell_pairs, map_cells
from .core import (
    address_part,
    normalize_text,
    parse_header,
    parse_row,
    parse_rows,
    region_text,
    similarity,
)
from .core import validate_text as _validate_text
from .registry import Cells, Value, formula

__all__ = [
    "VALIDATE_ADDR",
    "NORMALIZE_ADDR",
    "ADDR_PART",
    "PARSE_ADDR",
    "ADDR_REGION",
    "ADDR_SIMILARITY",
]

_ADDR = Cells("地址：一个单元格或一个区域 / Address: one cell or a range")


@formula(addr=_ADDR)
def VALIDATE_ADDR(addr):
    """校验地址，返回状态和原因 / Validates an address: status (正常 OK, 已修正 FIXED, 需核对 WARNING, 错误 ERROR) and the reasons.

    Examples
    --------
    >>> VALIDATE_ADDR([["浙江省杭州市西湖区文三路90号"], [None]])
    [['正常 OK'], ['错误 ERROR: 地址为空 / Address is empty']]
    """
    return map_cells(_validate_text, addr)


@formula(addr=_ADDR)
def NORMALIZE_ADDR(addr):
    """标准化地址（省市区县齐全的现行名称）/ Standardises an address: full, current division names.

    Examples
    --------
    >>> NORMALIZE_ADDR([["浙江杭州西湖区文三路90号"]])
    '浙江省杭州市西湖区文三路90号'
    """
    return map_cells(normalize_text, addr)


@formula(
    addr=_ADDR,
    part=Value(
        "部分 Part: province/省 city/市 district/区县 township/乡镇 street/街道路 "
        "house_number/门牌 detail/详细 adcode/代码 normalized/标准地址"
    ),
)
def ADDR_PART(addr, part):
    """取地址的一部分，如省、市、区县 / Returns one part of an address, e.g. province, city, district.

    Examples
    --------
    >>> ADDR_PART([["浙江杭州西湖区文三路90号"]], "city")
    '杭州市'
    """
    return map_cells(lambda cell: address_part(cell, part), addr)


@formula(
    addresses=_ADDR,
    header=Value("可选：TRUE 时第一行为标题 / Optional: TRUE adds a header row"),
)
def PARSE_ADDR(addresses, header=False):
    """把地址拆成省、市、区县、乡镇、街道、门牌、详细、代码、标准地址和状态各列 / Splits addresses into columns: province … status.

    One row per address cell (a range is read row by row), ten columns.

    Examples
    --------
    >>> PARSE_ADDR([["浙江杭州西湖区文三路90号"]])[0][:3]
    ['浙江省', '杭州市', '西湖区']
    """
    grid = as_grid(addresses)
    with collector_paused(sum(len(row) for row in grid)):
        cells = [cell for row in grid for cell in row]
        # A range is parsed in bulk; one cell (the common warm recalculation) directly.
        rows = parse_rows(cells) if len(cells) > 1 else [parse_row(c) for c in cells]
    return [parse_header(), *rows] if header is True else rows


@formula(addr=_ADDR)
def ADDR_REGION(addr):
    """地址所属销售区域（按本工作簿的区域方案和区域表）/ Sales region of the address, by this workbook's region scheme and Regions sheet.

    Without a Regions sheet: 华东 华北 华南 华中 西南 西北 东北 港澳台 by province.

    Examples
    --------
    >>> ADDR_REGION([["广东省深圳市南山区科技园"]])
    '华南 South China'
    """
    territories = book_settings().territories  # read once for the whole range
    return map_cells(lambda cell: region_text(cell, territories), addr)


@formula(
    a=Cells("第一个地址：单元格或区域 / First address: cell or range"),
    b=Cells("第二个地址：单元格或区域 / Second address: cell or range"),
)
def ADDR_SIMILARITY(a, b):
    """两个地址的相似度，0 到 1 / Similarity of two addresses from 0 (different) to 1 (same place).

    Divisions are compared as parts, the rest of the address by fuzzy matching.

    Examples
    --------
    >>> ADDR_SIMILARITY([["浙江杭州西湖区文三路90号"]], [["浙江省杭州市西湖区文三路90号"]])
    1.0
    """
    return map_cell_pairs(similarity, a, b)
