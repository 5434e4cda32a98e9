"""Operations produce plans from a table; the registry finds them by name."""

from __future__ import annotations

import pytest

from addrkit import parse_address
from addrkit.errors import CancelledError, UnknownNameError
from addrkit.ops import OPERATIONS, CustomerTable, get_operation
from addrkit.ops.clean import CLEAN_HEADERS, STATUS_HEADER
from addrkit.ops.parsing import address_texts
from addrkit.ops.plan import ChangePlan, NewColumn, PlanKind
from addrkit.ops.share import mask_phone
from addrkit.progress import Progress
from addrkit.settings import Language, Settings
from addrkit.table import locate_table

BAD = [
    None,
    5,
    3.5,
    "#N/A",
    "x" * 32767,
    "=1+1",
    "+86 138 1234 5678",
    "-",
    "@x",
    "",
    "浙江杭州西湖区文三路90号",
]


def table(rows, headers=("客户编号", "名称", "地址")):
    return CustomerTable.from_rows(locate_table("S", [list(headers)]), [list(r) for r in rows])


def test_registry_names_labels_and_unknown():
    assert {"clean", "summary", "undo", "share"} <= set(OPERATIONS)
    for name, op in OPERATIONS.items():
        assert op.name == name and op.label_zh and op.label_en and callable(op.run)
    with pytest.raises(UnknownNameError, match="clean"):
        get_operation("nope")


def test_clean_plan_matches_the_engine_row_by_row():
    t = table([(f"C{i}", "x", v) for i, v in enumerate(BAD)])
    plan = get_operation("clean").run(t, Settings(), Progress())
    assert plan.column_headers == CLEAN_HEADERS
    for i, value in enumerate(BAD):
        a = parse_address(value)
        assert plan.columns[0].values[i] == a.normalized
        assert plan.columns[-1].values[i] == a.status.value
    noted = {c.row for c in plan.comments}
    assert noted == {i for i, v in enumerate(BAD) if parse_address(v).issues}
    assert all(c.header == STATUS_HEADER for c in plan.comments)
    assert [r.value for r in plan.conditional_formats[0].rules] == [
        "OK",
        "FIXED",
        "WARNING",
        "ERROR",
    ]


def test_comment_language_follows_settings():
    t = table([("C1", "x", None)])
    zh = get_operation("clean").run(t, Settings(language=Language.ZH), Progress()).comments[0].text
    t = table([("C1", "x", None)])
    en = get_operation("clean").run(t, Settings(language=Language.EN), Progress()).comments[0].text
    assert "地址为空" in zh and "empty" not in zh
    assert "empty" in en and "地址为空" not in en


def test_division_columns_are_put_in_front_of_the_address():
    t = table(
        [
            ("浙江", "杭州", "西湖区文三路90号"),
            ("浙江省", "杭州市", "浙江省杭州市西湖区文三路90号"),
        ],
        ("省", "市", "地址"),
    )
    assert address_texts(t) == ["浙江杭州西湖区文三路90号", "浙江省杭州市西湖区文三路90号"]


def test_cancel_stops_the_plan():
    t = table([("C1", "x", "杭州")] * 5000)
    with pytest.raises(CancelledError):
        get_operation("clean").run(t, Settings(), Progress(cancelled=lambda: True, interval=0))


def test_undo_and_share_need_no_table():
    assert get_operation("undo").run(None, Settings(), Progress()).kind is PlanKind.UNDO
    share = get_operation("share").run(None, Settings(), Progress())
    assert share.kind is PlanKind.SHARE_COPY and share.share.mask_phone_headers == ()


def test_plan_rejects_ragged_or_repeated_columns():
    with pytest.raises(ValueError, match="length"):
        ChangePlan("x", columns=(NewColumn("a", (1,)), NewColumn("b", (1, 2))))
    with pytest.raises(ValueError, match="duplicate"):
        ChangePlan("x", columns=(NewColumn("a", (1,)), NewColumn("a", (2,))))


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 13812345678", "+86 138****5678"),
        ("0571-88888888", "0571-****8888"),
        (13812345678, "138****5678"),
        ("138", "138"),
        ("-", "-"),
        (None, None),
        (3.5, 3.5),
    ],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


def test_an_operation_in_the_current_shape_gets_a_button_everywhere():
    """What another module adds (an OPERATION appended to _MODULES) reaches the ribbon XML
    and the VBA dispatcher; a name or a control id used twice is refused."""
    import types

    from addrkit.addin.ribbon import customui_xml
    from addrkit.addin.vba_sources import ribbon_module

    from addrkit.ops import _registry, ribbon_operations
    from addrkit.ops.base import Operation, RibbonGroup, RibbonPlace

    geocode = Operation("geocode", "地理编码", "Geocode", lambda t, s, p: None)
    mapped = Operation(
        "map", "地图", "Map", lambda t, s, p: None, ribbon=RibbonPlace(RibbonGroup.GEO, "MapPin")
    )
    buttons = (*ribbon_operations(), geocode, mapped)
    xml = customui_xml(buttons)
    assert 'id="addrkitGeocode" label="地理编码 Geocode"' in xml
    assert '<group id="addrkitGroupGeo" label="地图 Geography">' in xml
    assert (
        xml.index("addrkitGroupGeo")
        < xml.index("addrkitGroupTools")
        < xml.index("addrkitGroupRuns")
    )
    vba = ribbon_module([b.control_id for b in buttons]).source
    assert '"addrkitGeocode", "addrkitMap"' in vba
    module = types.SimpleNamespace(OPERATION=geocode)
    again = types.SimpleNamespace(OPERATION=Operation("geocode", "x", "y", lambda t, s, p: None))
    with pytest.raises(ValueError, match="two operations are called 'geocode'"):
        _registry([module, again])
    with pytest.raises(ValueError, match="lowercase letters"):
        Operation("Geo-code", "x", "y", lambda t, s, p: None)
