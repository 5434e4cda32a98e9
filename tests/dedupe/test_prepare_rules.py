"""Each preparation rule on real-looking customer entries."""

from __future__ import annotations

import pytest

from addrkit.dedupe.addresses import prepare_addresses
from addrkit.dedupe.names import NameKind, prepare_name
from addrkit.dedupe.normalize import chinese_number, normalize_detail, numerals_to_digits
from addrkit.dedupe.phones import local_part, prepare_phones
from addrkit.dedupe.prepare import prepare_credit_code, prepare_email


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("杭州云栖科技有限公司", "杭州云栖科技"),
        ("杭州云栖科技有限公司", "杭州云栖科技股份有限公司"),
        ("义乌福鼎酒店用品有限责任公司", "义乌福鼎酒店用品商行"),
        ("宁波海达照明经营部", "宁波海达照明有限公司"),
        ("義烏福鼎酒店用品有限公司", "义乌福鼎酒店用品有限公司"),
        ("宁波 海达照明 有限公司", "宁波海达照明有限公司"),
        ("银利食品股份有限司", "银利食品股份有限公司"),
    ],
)
def test_legal_suffix_and_spelling_do_not_change_the_core(left, right):
    assert prepare_name(left).core == prepare_name(right).core


@pytest.mark.parametrize(
    ("name", "core", "branch"),
    [
        ("杭州云栖科技有限公司滨江分公司", "杭州云栖科技", "滨江"),
        ("华联超市(文三路店)", "华联超市", "文三路"),
        ("华联超市（古墩路店）", "华联超市", "古墩路"),
        ("华联超市文三路店", "华联超市", "文三路"),
        ("上海晨隆机械经营部西湖公司", "上海晨隆机械", "西湖"),
        ("泰信电器股份有限公司滨江分司", "泰信电器", "滨江"),
        ("工商银行西湖支行", "工商银行", "西湖"),
    ],
)
def test_branch_markers_are_kept_apart_from_the_core(name, core, branch):
    prepared = prepare_name(name)
    assert (prepared.core, prepared.branch) == (core, branch)


def test_shop_words_alone_are_not_branches():
    assert prepare_name("张三便利店").branch == ""


@pytest.mark.parametrize(
    ("name", "kind"),
    [("张伟", NameKind.PERSON), ("欧阳娜娜", NameKind.PERSON), ("云栖科技", NameKind.COMPANY)],
)
def test_person_or_company(name, kind):
    assert prepare_name(name).kind is kind


def test_english_names_keep_words_and_drop_legal_words():
    assert prepare_name("The Apple Pan").core == "apple pan"
    assert prepare_name("Acme Trading Co., Ltd.").core == "acme trading"
    assert prepare_name("el taco").core == "el taco"  # "co" inside a word is not a suffix


@pytest.mark.parametrize(
    ("cell", "numbers"),
    [
        ("+86 138-0571-2345", ("13805712345",)),
        ("0086 13805712345", ("13805712345",)),
        ("138 0571 2345", ("13805712345",)),
        ("(0571) 8888-6666", ("057188886666",)),
        ("0571-88886666转123", ("057188886666",)),
        ("13805712345/13905712345", ("13805712345", "13905712345")),
        ("13805712345，0571-88886666", ("057188886666", "13805712345")),
        ("１３８０５７１２３４５", ("13805712345",)),
        ("", ()),
        ("#N/A", ()),
        (None, ()),
        (13805712345, ("13805712345",)),
        (13805712345.0, ("13805712345",)),
    ],
)
def test_phone_formats(cell, numbers):
    assert prepare_phones(cell) == numbers


def test_landline_with_and_without_area_code_share_the_local_part():
    (with_code,) = prepare_phones("0571-88886666")
    (without,) = prepare_phones("88886666")
    assert local_part(with_code) == local_part(without)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("一零四", 104)],
)
def test_chinese_numbers(text, expected):
    assert chinese_number(text) == expected


def test_numerals_only_before_address_units():
    assert numerals_to_digits("三墩镇十里铺三号楼二单元") == "三墩镇十里铺3号楼2单元"


@pytest.mark.parametrize(
    "variant",
    [
        "文三路90号3幢2单元301室",
        "文三路90号3号楼2单元301室",
        "文三路９０号３栋２单元３０１室",
        "文三路九十号三栋二单元三零一室",
        "文三路 90号, 3栋 2单元 301",
        "文三路90號3棟2單元301室",
    ],
)
def test_detail_spellings_converge(variant):
    canonical = normalize_detail("文三路90号3栋2单元301室")
    assert normalize_detail(variant).rstrip("室") == canonical.rstrip("室")


def test_address_parts_ignore_dropped_province_and_city_suffix():
    a, b, c = prepare_addresses(
        [
            "浙江省杭州市西湖区文三路90号3号楼",
            "杭州西湖区文三路90号3幢",
            "杭州市西湖区文三路九十号三栋",
        ]
    )
    assert a.district == b.district == c.district == "西湖区"
    assert a.tail == b.tail == c.tail
    assert a.numbers == ("90", "3")
    assert a.road_key == "文三路90"


def test_addresses_in_the_same_building_differ_only_in_numbers():
    a, b = prepare_addresses(["杭州市西湖区文三路90号301室", "杭州市西湖区文三路90号502室"])
    assert a.skeleton == b.skeleton
    assert a.numbers != b.numbers


def test_bad_address_cells_give_empty_parts():
    empty = prepare_addresses([None, "", float("nan"), "#N/A", "   "])
    assert all(a.empty for a in empty)


def test_email_and_credit_code():
    assert prepare_email(" Sales@Example.COM ") == "sales@example.com"
    assert prepare_email("无") == ""
    assert prepare_credit_code("91330106 MA27XL1X2B") == "91330106MA27XL1X2B"
    assert prepare_credit_code("91330106MA27XL1X2") == ""  # 17 characters


@pytest.mark.parametrize(
    "written",
    ["18388649695", "183 8864 9695", "183-8864-9695", "+86 183 8864 9695", "+86-183-8864-9695"],
)
def test_every_way_of_writing_a_mobile_is_one_number(written):
    assert prepare_phones(written) == ("18388649695",)


def test_a_landline_with_and_without_area_code_share_their_local_part():
    with_code, without = prepare_phones("0571-8888 6666"), prepare_phones("88886666")
    assert local_part(with_code[0]) == local_part(without[0])


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("浙江省台州市路桥区西路桥大道8-11号", "台州-路桥区-西路桥大道八－一一号"),
        ("浙江省台州市路桥区西路桥大道157-5号", "路桥区西路桥大道1五7-5号 门卫代收"),
        ("浙江省台州市路桥区西路桥大道69号", "台州路桥区西路桥大道６９號，放快递柜"),
        ("浙江省台州市路桥区峰江镇西路桥大道69号", "台州市路桥區峰江鎮西路桥大道69号（电联）"),
    ],
)
def test_address_variations_of_one_place_prepare_alike(left, right):
    a, b = prepare_addresses([left, right])
    assert (a.district, a.tail, a.numbers) == (b.district, b.tail, b.numbers)


def test_one_district_name_in_two_cities_stays_two_places():
    nanjing, fuzhou = prepare_addresses(["南京市鼓楼区中山路1号", "福州市鼓楼区中山路1号"])
    assert nanjing.district == fuzhou.district and nanjing.city != fuzhou.city


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("杭州华联贸易股份有限公司", "股份有限公司"),
        ("杭州华联贸易有限责任公司", "有限公司"),
        ("杭州华联贸易有限公司", "有限公司"),
        ("杭州华联贸易经营部", "经营部"),
        ("华联贸易商行", "商行"),
        ("华联贸易门市部", "门市部"),
        ("华联设计工作室", "工作室"),
        ("华联贸易（个体工商户）", "个体"),
        ("杭州华联贸易有限责任公司有限公司", "有限公司"),
        ("华联贸易", ""),
        ("Acme Inc.", ""),
    ],
)
def test_legal_form_is_parsed_apart_from_the_brand(name, form):
    prepared = prepare_name(name)
    assert prepared.legal_form == form
    assert "公司" not in prepared.core and "经营部" not in prepared.core


def test_english_street_words_in_one_spelling():
    a, b = prepare_addresses(["123 N. Main St, Suite 4", "123 North Main Street Unit 4"])
    assert a.tail == b.tail == "123 north main street unit 4"
