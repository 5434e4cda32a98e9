"""Each parsing rule, on real addresses from the NCAP train split (written in 2018)."""

from __future__ import annotations

import collections

import pytest

from addrkit import IssueCode, Status, parse_address


def codes(a) -> set[str]:
    return {i.code.value for i in a.issues}


def levels(a) -> tuple:
    return (a.province, a.city, a.district, a.township)


class TestFullAddresses:
    def test_complete_official_form_is_ok(self):
        a = parse_address("浙江省杭州市西湖区文三路90号")
        assert levels(a) == ("浙江省", "杭州市", "西湖区", None)
        assert (a.street, a.house_number) == ("文三路", "90号")
        assert a.adcode == "330106"
        assert a.normalized == "浙江省杭州市西湖区文三路90号"
        assert a.status is Status.OK and a.issues == ()

    def test_township_code_is_nine_digits(self):
        a = parse_address("浙江省杭州市萧山区宁围街道佳境天城")
        assert a.township == "宁围街道"
        assert len(a.adcode) == 9 and a.adcode.startswith("330109")

    def test_municipality_is_its_own_city(self):
        a = parse_address("北京朝阳区建国路1号")
        assert levels(a)[:3] == ("北京市", "北京市", "朝阳区")
        assert a.normalized == "北京市朝阳区建国路1号"


class TestShortNames:
    @pytest.mark.parametrize(
        "text, district",
        [
            ("绍兴柯桥区群贤西路与小佐路亚星贸易", "柯桥区"),
            ("萧山浦沿街", "萧山区"),
            ("金华永康市方岩镇下宅村万里公路832弄125号", "永康市"),
            ("奉化东郊开发区云峰路119号", "奉化区"),
        ],
    )
    def test_short_forms_resolve(self, text, district):
        assert parse_address(text).district == district

    def test_short_township_with_its_district(self):
        a = parse_address("萧山浦沿街")
        assert a.district == "萧山区"
        # 浦沿街道 is in 滨江区 today; written after 萧山 it is still found as a street name
        assert a.normalized.startswith("浙江省杭州市")

    @pytest.mark.parametrize(
        "text, expected",
        [
            ("内蒙古察右中旗", ("内蒙古自治区", "乌兰察布市", "察哈尔右翼中旗")),
            ("贵州黔东南州凯里市", ("贵州省", "黔东南苗族侗族自治州", "凯里市")),
        ],
    )
    def test_autonomous_and_banner_short_forms(self, text, expected):
        assert levels(parse_address(text))[:3] == expected

    def test_short_form_before_another_division_is_not_a_word(self):
        # 大 and 广 after a name usually start 大厦, 广场 …; here they start 大庆市, 大浪.
        a = parse_address("黑龙江大庆市乙烯兴华村1075楼3单元1115")
        assert (a.province, a.city) == ("黑龙江省", "大庆市")
        assert a.normalized == "黑龙江省大庆市乙烯兴华村1075楼3单元1115"
        b = parse_address("龙华大浪新围第三工业区江林智能九栋四楼")
        assert (b.district, b.township) == ("龙华区", "大浪街道")
        # ... and a word still blocks: 浙江大学 is a university, not 浙江.
        assert parse_address("浙江大学紫金港校区").province is None


class TestInference:
    def test_district_alone_gives_city_and_province(self):
        a = parse_address("柯桥区柯迪花园128栋1289")
        assert levels(a)[:3] == ("浙江省", "绍兴市", "柯桥区")
        assert IssueCode.INFERRED_LEVEL in codes(a)
        assert a.status is Status.FIXED

    def test_township_alone_gives_everything_above(self):
        a = parse_address("岩泉街道香园83幢1227号")
        assert a.township == "岩泉街道"
        assert a.district is not None and a.city is not None and a.province is not None

    def test_ambiguous_district_lists_candidates(self):
        a = parse_address("朝阳区建国路1号")
        assert IssueCode.AMBIGUOUS in codes(a)
        assert a.district == "朝阳区" and a.city is None
        message = next(i for i in a.issues if i.code is IssueCode.AMBIGUOUS).message
        assert "北京市朝阳区" in message and "长春市朝阳区" in message
        assert a.status is Status.WARNING

    def test_other_evidence_resolves_ambiguity(self):
        assert parse_address("长春朝阳区红旗街").city == "长春市"
        assert parse_address("北京朝阳区").province == "北京市"

    @pytest.mark.parametrize(
        "text, city, district",
        [
            ("新疆阿克苏市新和县东方花园149楼", "阿克苏市", "新和县"),  # two counties: a tie
            ("云南省大理市宾川县金牛镇建设路1号", "大理市", "宾川县"),  # the township decides
        ],
    )
    def test_county_named_like_its_prefecture_stands_for_the_prefecture(self, text, city, district):
        # 阿克苏市 lies in 阿克苏地区 and is written for it, as 大理市 for 大理白族自治州:
        # the county after it is the county, and nothing is mismatched.
        a = parse_address(text)
        assert (a.as_written.city, a.district) == (city, district)
        assert IssueCode.HIERARCHY_MISMATCH not in codes(a)

    def test_namesake_county_alone_is_the_county(self):
        a = parse_address("大理市下关镇人民路1号")
        assert (a.city, a.district) == ("大理白族自治州", "大理市")


class TestHistoricNames:
    @pytest.mark.parametrize(
        "text, district, written",
        [
            ("浙江省-杭州-下城区武林广场55号杭州大厦B座15楼", "拱墅区", "下城区"),
            ("浙江省绍兴市上虞市杭州湾工业园区经十一路7号", "上虞区", "上虞市"),
            ("宁波市江东区航运中心7318", "鄞州区", "江东区"),
        ],
    )
    def test_current_name_and_as_written(self, text, district, written):
        a = parse_address(text)
        assert a.district == district
        assert a.as_written.district == written
        assert IssueCode.HISTORIC_NAME in codes(a)

    def test_split_district_follows_the_township(self):
        # 江干区 was split in 2021: 白杨街道 went to 钱塘区, the rest to 上城区.
        a = parse_address("浙江省杭州市江干区白杨街道下沙开发区世茂江滨花园峻景湾69幢1308房")
        assert (a.district, a.township) == ("钱塘区", "白杨街道")
        assert a.as_written.district == "江干区"
        assert parse_address("江干区凯旋路金牛纺二幢3007").district == "上城区"

    def test_township_that_became_a_county_level_city(self):
        a = parse_address("浙江温州市苍南县龙港镇置信名都15号楼3908")
        assert a.district == "龙港市"
        assert (a.as_written.district, a.as_written.township) == ("苍南县", "龙港镇")

    def test_town_upgraded_to_subdistrict(self):
        a = parse_address("江干区九堡镇三村三区66号")
        assert a.township == "九堡街道"
        assert a.as_written.township == "九堡镇"
        b = parse_address("浙江省杭州市余杭区良渚镇白洋路51号")
        assert [i.detail for i in b.issues] == ["良渚镇 → 良渚街道"]
        assert b.status is Status.FIXED  # what was written is not the official name

    def test_county_written_with_its_former_status(self):
        # 潼南县 became 潼南区 in 2015: the 县 was left in the street as a stray word.
        a = parse_address("重庆市潼南县古溪镇红花乡五村九组")
        assert (a.district, a.as_written.district) == ("潼南区", "潼南县")
        assert a.normalized == "重庆市潼南区古溪镇红花乡五村九组"
        assert "潼南县 → 潼南区" in [i.detail for i in a.issues]
        # Only the 县 form: 福田市场 is a market in 义乌, not a 福田市 for 福田区.
        assert parse_address("义乌福田市场d区四楼8199").district == "义乌市"

    def test_district_written_beside_a_moved_township(self):
        a = parse_address("浙江省杭州市余杭区乔司街道乔莫西路497号")
        assert (a.district, a.township) == ("临平区", "乔司街道")
        assert a.as_written.district == "余杭区"

    @pytest.mark.parametrize(
        "text, township",
        [
            ("余杭区临平街道绿城蓝庭恬苑9-9-547", "临平街道"),  # not a 临平镇 elsewhere
            ("余杭区星桥镇惠都家园41-6-2248", "星桥街道"),  # not the 星桥镇 elsewhere
        ],
    )
    def test_township_read_in_the_prefecture_the_text_names(self, text, township):
        # Both moved from 余杭区 to 临平区 in 2021; the name also fits a township elsewhere.
        a = parse_address(text)
        assert (a.district, a.township, a.as_written.district) == ("临平区", township, "余杭区")

    def test_official_district_counts_over_a_later_short_form_of_the_new_one(self):
        # Written in 2018: 临平 was then a place in 余杭区, now a short form of 临平区.
        a = parse_address("浙江杭州市余杭区临平南苑街道西安东区")
        assert (a.district, a.township) == ("临平区", "南苑街道")
        assert a.as_written.district == "余杭区"
        assert IssueCode.HISTORIC_NAME in codes(a)
        assert IssueCode.HIERARCHY_MISMATCH not in codes(a)
        # A repeated prefecture short form is not an official district name.
        assert parse_address("金华金华义乌稠江街道石鱼路706号").as_written.district == "义乌"


class TestNormalisation:
    def test_width_traditional_spaces_and_country(self):
        a = parse_address("中國 浙江省 杭州市　西湖區文三路９０號")
        assert a.normalized == "浙江省杭州市西湖区文三路90号"
        assert {IssueCode.TRADITIONAL, IssueCode.NORMALIZED_TEXT} <= codes(a)

    def test_repeated_parts_are_removed(self):
        a = parse_address("浙江省温州市乐清市浙江省温州市乐清市柳市大兴东路124号")
        # the short township 柳市 right after the repeated run is 乐清's 柳市镇, inferred:
        # the text names no 镇, so 柳市大兴东路 stays as written (the street is the road)
        assert a.normalized == "浙江省温州市乐清市柳市大兴东路124号"
        assert (a.township, a.as_written.township, a.street) == ("柳市镇", None, "大兴东路")
        assert IssueCode.REPEATED_PART in codes(a)

    def test_null_between_repeats(self):
        a = parse_address("浙江省丽水市null浙江省丽水市遂昌县遂昌县新路湾镇")
        assert levels(a) == ("浙江省", "丽水市", "遂昌县", "新路湾镇")

    def test_two_addresses_glued_keeps_the_first(self):
        a = parse_address("浙江省杭州市西湖区文三路90号浙江省宁波市海曙区中山路1号")
        assert a.district == "西湖区"
        assert a.normalized == "浙江省杭州市西湖区文三路90号"
        assert IssueCode.TWO_ADDRESSES in codes(a)

    def test_typo_corrected_only_when_one_name_is_close(self):
        a = parse_address("浙江省杭州市西胡区文三路")
        assert a.district == "西湖区"
        assert IssueCode.TYPO_CORRECTED in codes(a)

    @pytest.mark.parametrize("zone", ["高新区", "经开区"])
    def test_development_zone_is_not_a_typo(self, zone):
        # 高新区 is one letter from 西安's 高陵区, but it is the high-tech zone.
        a = parse_address(f"西安市{zone}科技路")
        assert a.district is None and a.detail == zone
        assert IssueCode.TYPO_CORRECTED not in codes(a)

    def test_typo_between_known_names_is_replaced_not_repeated(self):
        a = parse_address("浙江省杭洲市西湖区文三路90号")
        assert a.normalized == "浙江省杭州市西湖区文三路90号"
        assert a.as_written.city == "杭洲市"
        assert IssueCode.TYPO_CORRECTED in codes(a)

    @pytest.mark.parametrize(
        "text, written, detail",
        [
            # X市 before a township is a county-level city, not a prefecture.
            ("浙江省金华市义务市江东街道宾王广场B座4543", "义务市", "义务市 → 义乌市"),
            # one letter from the former name 奉化市 (奉化区 since 2016)
            ("宁波丰化市松岙镇湖头杜村浙江造船有限公司", "丰化市", "丰化市 → 奉化区"),
        ],
    )
    def test_county_typo_before_a_township(self, text, written, detail):
        a = parse_address(text)
        assert a.as_written.district == written
        assert [i.detail for i in a.issues if i.code is IssueCode.TYPO_CORRECTED] == [detail]
        assert IssueCode.HIERARCHY_MISMATCH not in codes(a)

    @pytest.mark.parametrize(
        "text, written, normalized",
        [
            # the misspelt first name no longer breaks the run (it was repeated in front)
            ("欧海区娄桥镇继红路124号", "欧海区 → 瓯海区", "浙江省温州市瓯海区娄桥街道继红路124号"),
            (
                "潘阳县珠湖乡镇政府一盒瘦包",
                "潘阳县 → 鄱阳县",
                "江西省上饶市鄱阳县珠湖乡镇政府一盒瘦包",
            ),
            # and settles which 西湖区 (杭州 or 南昌)
            ("杭洲市西湖区文三路90号", "杭洲市 → 杭州市", "浙江省杭州市西湖区文三路90号"),
        ],
    )
    def test_misspelt_first_division(self, text, written, normalized):
        a = parse_address(text)
        assert [i.detail for i in a.issues if i.code is IssueCode.TYPO_CORRECTED] == [written]
        assert a.normalized == normalized

    @pytest.mark.parametrize(
        "text, district, fixed",
        [
            # 龙岗区 is in 深圳; after 温州 it is 龙湾区 misspelt
            ("温州龙岗区柳南一街176号电联", "龙湾区", "龙岗区 → 龙湾区"),
            # 盘石镇 is in 贵州; after 乐清 it is 乐清's 磐石镇 misspelt
            ("乐清盘石镇迎晖北路1号", "乐清市", "盘石镇 → 磐石镇"),
        ],
    )
    def test_misspelt_name_of_a_child_over_a_namesake_far_away(self, text, district, fixed):
        a = parse_address(text)
        assert a.district == district
        assert [i.detail for i in a.issues if i.code is IssueCode.TYPO_CORRECTED] == [fixed]
        assert IssueCode.HIERARCHY_MISMATCH not in codes(a)

    def test_boundary_move_is_not_a_typo(self):
        # 义蓬 moved from 萧山区 to 钱塘区 in 2021; 萧山's 义桥镇 is one letter away, and wrong.
        a = parse_address("萧山义蓬镇白浪村1组13号")
        assert (a.district, a.township) == ("钱塘区", "义蓬街道")

    def test_unknown_name_between_known_names_is_a_mismatch(self):
        a = parse_address("浙江省某某市西湖区文三路90号")
        assert a.city == "杭州市" and a.normalized == "浙江省杭州市西湖区文三路90号"
        assert IssueCode.HIERARCHY_MISMATCH in codes(a)

    def test_no_correction_when_nothing_is_close(self):
        a = parse_address("浙江省杭州市东西南北区文三路")
        assert a.district is None
        assert IssueCode.TYPO_CORRECTED not in codes(a)

    @pytest.mark.parametrize(
        "text, township, detail",
        [
            ("安徽省寿县保义镇保义村连丰组", "保义镇", "保义村连丰组"),
            ("浙江省杭州市桐庐县横村镇横村村陈家畈13号", "横村镇", "横村村陈家畈13号"),
            # the village alone still says which town it is in
            ("浙江省金华市永康市前仓村花园路157号", "前仓镇", "前仓村"),
        ],
    )
    def test_village_named_after_its_town_keeps_its_name(self, text, township, detail):
        # 保义村 is a village of 保义镇, not 保义镇 written twice: nothing of it is cut.
        a = parse_address(text)
        assert (a.township, a.detail) == (township, detail)
        assert detail in a.normalized
        assert IssueCode.REPEATED_PART not in codes(a)

    def test_detail_kept_in_order(self):
        a = parse_address("金华永康市方岩镇下宅村万里公路832弄125号")
        assert a.street == "万里公路" and a.house_number == "832弄125号"
        assert a.detail == "下宅村"
        assert a.normalized == "浙江省金华市永康市方岩镇下宅村万里公路832弄125号"

    @pytest.mark.parametrize(
        "text, street, number, detail",
        [
            # nothing placed: a township's short form that is a road (中山路街道) stays a road
            ("中山路12号", "中山路", "12号", None),
            # ambiguous 朝阳区: the street starts after it, not after 建国路 (a short form too)
            ("朝阳区建国路1号", "建国路", "1号", None),
            # ambiguous town: the village after it keeps its name
            ("天河街道二甲村迎春路133号", "迎春路", "133号", "二甲村"),
            ("人民西路2000洪源商住楼", "人民西路", None, "2000洪源商住楼"),
        ],
    )
    def test_nothing_is_cut_when_the_divisions_are_unresolved(self, text, street, number, detail):
        a = parse_address(text)
        assert (a.street, a.house_number, a.detail) == (street, number, detail)

    def test_road_named_after_a_place_is_a_road(self):
        # 百丈东路 is a road; in 江东区 it also says 百丈街道, and nothing of it is cut.
        a = parse_address("宁波市江东区百丈东路1805弄15号1722")
        assert (a.district, a.township) == ("鄞州区", "百丈街道")
        assert (a.street, a.house_number) == ("百丈东路", "1805弄15号")
        # Alone, 解放东路 says nothing about 解放区 (焦作).
        b = parse_address("解放东路常青公寓4-6-1551")
        assert (b.district, b.street) == (None, "解放东路")
        # Shanghai's subdistricts named after roads: 虹梅路 is the road and its 虹梅路街道.
        c = parse_address("上海市虹梅路3291号A区凯科国际大夏3470")
        assert (c.district, c.township, c.street) == ("徐汇区", "虹梅路街道", "虹梅路")

    def test_text_before_the_divisions_is_kept_unless_a_label(self):
        a = parse_address("万丰公司附近台州市路桥区螺洋街道敬老院")
        assert a.detail == "万丰公司附近敬老院"
        assert a.normalized == "浙江省台州市路桥区螺洋街道万丰公司附近敬老院"
        b = parse_address("得力集团宁波江北工业园浙江省宁波市江北区长兴路1220号")
        assert (b.street, b.detail) == ("长兴路", "得力集团宁波江北工业园")
        # 收方地址 is a label: not part of the address
        assert "地址" not in parse_address("收方地址收方地址台州市温岭市临海市").normalized

    def test_misspelt_province_before_a_prefecture(self):
        a = parse_address("安微合肥蜀山区长江西路1号")
        assert a.normalized == "安徽省合肥市蜀山区长江西路1号"
        assert [i.detail for i in a.issues] == ["安微 → 安徽省"]
        # 浙大 is one letter from 浙江, but 紫金 is in no prefecture of 浙江: a university
        assert parse_address("浙大紫金港医学院综合楼1024").district is None

    def test_avenue_named_after_a_place_keeps_its_name(self):
        # 温州大道 was cut to 大道 (温州 taken as the city written twice); 文昌东路 has no 东路镇.
        a = parse_address("浙江省温州市鹿城区温州大道3759开元集团大厦")
        assert (a.district, a.street) == ("鹿城区", "温州大道")
        b = parse_address("梧田瓯海大道隔岸北苑9幢7号")  # the avenue still says 瓯海区
        assert (b.district, b.township, b.street) == ("瓯海区", "梧田街道", "瓯海大道")
        assert parse_address("文昌东路1655号环球金融城11栋39层").township is None

    def test_street_typed_before_a_name_in_the_text_is_kept(self):
        # A street and number first: the names after it belong to a company or institution.
        a = parse_address("扬帆路999弄10号宁波研发园B区3幢128-21F浙江前程石化股份有限公司")
        assert (a.street, a.house_number) == ("扬帆路", "999弄10号")
        assert a.detail.endswith("浙江前程石化股份有限公司")
        # Without a second number it is not a second address either.
        b = parse_address("张陈线55杭州市余杭区人民法院塘栖人民法庭")
        assert b.district == "余杭区" and b.detail.endswith("人民法院塘栖人民法庭")
        assert IssueCode.TWO_ADDRESSES not in codes(b)


class TestValidation:
    def test_hierarchy_mismatch(self):
        a = parse_address("浙江省南京市玄武区中山路1号")
        assert a.city == "南京市"
        assert IssueCode.HIERARCHY_MISMATCH in codes(a)
        assert a.status is Status.WARNING

    def test_no_street_detail(self):
        a = parse_address("浙江省杭州市西湖区")
        assert IssueCode.NO_STREET_DETAIL in codes(a)

    def test_missing_district(self):
        assert IssueCode.MISSING_DISTRICT in codes(parse_address("浙江省杭州市文三路90号"))

    def test_unknown_division(self):
        a = parse_address("康桥工业区康惠路11号14楼")
        assert IssueCode.UNKNOWN_DIVISION in codes(a)
        assert a.status is Status.ERROR

    def test_foreign_text_is_reported_not_mangled(self):
        a = parse_address("1600 Amphitheatre Parkway, Mountain View, CA")
        assert IssueCode.FOREIGN in codes(a)
        assert a.normalized == "1600 Amphitheatre Parkway, Mountain View, CA"
        assert a.province is None

    def test_coordinates_at_district_precision(self):
        a = parse_address("浙江省杭州市西湖区文三路90号")
        assert 119 < a.lon < 121 and 29 < a.lat < 31
        # A point inside the district's current boundary, in WGS-84 (see addrkit.geocode).
        assert a.precision.value == "district" and a.crs == "WGS-84"


def test_to_dict_has_the_contract_keys():
    d = parse_address("浙江省杭州市西湖区文三路90号").to_dict()
    contract = {
        "input", "province", "city", "district", "township", "street", "detail", "adcode",
        "normalized", "status", "issues", "lat", "lon", "precision", "crs", "as_written",
    }  # fmt: skip
    assert contract <= set(d)
    assert set(d["as_written"]) == {"province", "city", "district", "township"}


def test_contact_typed_before_the_address():
    a = parse_address("钟斌强 19159437545 山东省济宁市邹城市滨江西路487号18幢409室")
    assert (a.city, a.district) == ("济宁市", "邹城市")
    assert a.normalized == "山东省济宁市邹城市滨江西路487号18幢409室"


def test_moved_township_is_not_also_a_mismatch():
    a = parse_address("浙江省杭州市余杭区塘栖镇文化路742号24幢1511室")
    assert a.district == "临平区" and a.as_written.district == "余杭区"
    assert IssueCode.HIERARCHY_MISMATCH not in codes(a)
    assert a.status is Status.FIXED


def test_province_typo_before_the_first_name():
    a = parse_address("安微凤台县朱马店镇徐王村")
    assert (a.province, a.district) == ("安徽省", "凤台县")
    assert a.as_written.province == "安微"
    assert IssueCode.TYPO_CORRECTED in codes(a)


def test_label_before_the_address_is_not_kept():
    a = parse_address("收货地址浙江省杭州市西湖区文三路90号")
    assert a.normalized == "浙江省杭州市西湖区文三路90号"


def test_words_before_a_township_are_kept_where_written():
    a = parse_address("某某村宁围街道")
    assert a.township == "宁围街道"
    assert a.normalized == "浙江省杭州市萧山区某某村宁围街道"


class TestOutsideTheMainland:
    """Hong Kong, Macau, Taiwan: known to province/city level, the rest kept unchecked."""

    def test_taiwan_city_is_recognised(self):
        a = parse_address("台湾台南市安平区建平四街18巷84弄130号")
        assert (a.province, a.city, a.adcode) == ("台湾省", "台南市", "710500")
        assert IssueCode.OUTSIDE_MAINLAND in codes(a)
        assert IssueCode.MISSING_CITY not in codes(a)

    def test_taiwan_city_alone_gives_its_province(self):
        # Was ERROR "no division recognised" for a valid Taipei address.
        a = parse_address("臺北市中正區重慶南路一段122號")
        assert (a.province, a.city, a.status.value) == ("台湾省", "台北市", "WARNING")
        assert codes(a) >= {IssueCode.OUTSIDE_MAINLAND, IssueCode.TRADITIONAL}
        assert a.detail == "中正区" and a.street == "重庆南路一段"

    def test_hong_kong_is_not_missing_a_city(self):
        a = parse_address("香港九龍尖沙咀彌敦道100號")
        assert a.province == "香港特别行政区"
        assert IssueCode.OUTSIDE_MAINLAND in codes(a) and IssueCode.MISSING_CITY not in codes(a)

    def test_mainland_namesakes_are_untouched(self):
        a = parse_address("常州新北区汉江路")
        assert (a.city, a.district) == ("常州市", "新北区")
        assert parse_address("金门县").province == "福建省"


def test_two_character_names_inside_words_are_not_divisions():
    # 东区 (攀枝花) inside the misspelt 颖东区 must not outvote the typo fix
    a = parse_address("安徽省阜阳市颖东区向阳办事处同力社区西区14栋8号")
    assert a.district == "颍东区" and a.as_written.district == "颖东区"


def test_mongolian_autonomous_county_abbreviation():
    assert parse_address("辽宁省阜蒙县繁荣大街北段").district == "阜新蒙古族自治县"


class TestCountyWithAnotherStatus:
    """A county's short name with another status suffix: the suffix is part of the name."""

    def test_district_written_for_a_county_is_a_typo(self):
        # Before: 宁海 was found and the 区 left at the front of the detail.
        a = parse_address("浙江省宁波市宁海区得力辛岭工业园应收组")
        assert (a.district, a.as_written.district) == ("宁海县", "宁海区")
        assert a.detail == "得力辛岭工业园应收组"
        assert [i.detail for i in a.issues if i.code is IssueCode.TYPO_CORRECTED] == [
            "宁海区 → 宁海县"
        ]

    def test_former_county_level_city_is_a_historic_name(self):
        # Counties and county-level cities become districts, never the other way.
        a = parse_address("重庆市江津市夏坝镇鸣江村2组181号")
        assert (a.district, a.as_written.district, a.township) == ("江津区", "江津市", "夏坝镇")
        assert a.detail == "鸣江村2组181号"
        assert IssueCode.HISTORIC_NAME in codes(a) and IssueCode.TYPO_CORRECTED not in codes(a)

    def test_a_status_name_from_another_prefecture_is_reported(self):
        # 鄂城县 (鄂城区 is in Hubei) before a township of 菏泽's 郓城县: said, not dropped.
        a = parse_address("菏泽市鄂城县武安镇孙楼村")
        assert (a.district, a.township) == ("郓城县", "武安镇")
        assert IssueCode.HIERARCHY_MISMATCH in codes(a)

    def test_a_market_is_not_a_status(self):
        a = parse_address("宁波宁海市场路1号")
        assert (a.district, a.street, a.house_number) == ("宁海县", "市场路", "1号")
        assert a.as_written.district == "宁海"


@pytest.mark.parametrize(
    "text, street, number, detail",
    [
        # A lane (巷) number before the house number is part of it.
        ("化工路321巷94号366室", "化工路", "321巷94号", "366室"),
        ("瑞安市莘城镇民莘东路5巷90号电联", "民莘东路", "5巷90号", "莘城镇电联"),
        # N号楼 is building N, not house number N followed by 楼.
        ("马市街14号楼6单元784", "马市街", None, "14号楼6单元784"),
        (
            "浙江省金华市东阳市兴平东路807巷14号楼六单元573室",
            "兴平东路",
            None,
            "807巷14号楼六单元573室",
        ),
        # A road named after a village keeps the village in its name ...
        ("北京市海淀区中关村大街1号院3号楼", "中关村大街", "1号院", "3号楼"),
        ("浙江省义乌市贝村路194号", "贝村路", "194号", None),
        ("温州市瓯海区潘桥街道仙门村北路10号", "仙门村北路", "10号", None),
        # ... a village before another road, or at its junction, stays in the detail.
        ("下宅村万里公路832弄125号", "万里公路", "832弄125号", "下宅村"),
        ("金华永康市芝英镇下西坑村路口宏亚家居", None, None, "下西坑村路口宏亚家居"),
    ],
)
def test_lanes_buildings_and_village_roads(text, street, number, detail):
    a = parse_address(text)
    assert (a.street, a.house_number, a.detail) == (street, number, detail)


def test_road_whose_name_starts_with_a_road_word():
    # 道源路 after 城厢街道: the road is not 源路 with a stray 道 in the detail.
    a = parse_address("浙江省杭州市萧山区城厢街道道源路66号")
    assert (a.township, a.street, a.house_number, a.detail) == ("城厢街道", "道源路", "66号", None)


class TestFormArtefacts:
    """What order forms leave in the text: placeholders, separators, a region picked twice."""

    def test_start_typed_twice_around_an_area_word(self):
        # The repeated run follows an area word, so the names alone did not show the repeat.
        a = parse_address("广东省中山市火炬开发区广东省中山市火炬开发区健康花城9栋363")
        assert a.normalized == "广东省中山市火炬开发区健康花城9栋363"
        assert a.issue_codes == ("REPEATED_PART",)

    def test_repeat_is_said_once_and_is_no_mismatch(self):
        a = parse_address("浙江省杭州市余杭区浙江省杭州市余杭区临平镇迎宾路1466号10幢412-7室")
        assert a.issue_codes.count("REPEATED_PART") == 1
        assert IssueCode.HIERARCHY_MISMATCH not in codes(a)  # the copy is no second district
        b = parse_address(
            "湖北省武汉市江夏区湖北省武汉市江夏区湖北省武汉市江夏区纸坊公园仕家10栋4单元"
        )
        assert b.issue_codes.count("REPEATED_PART") == 1 and b.district == "江夏区"

    @pytest.mark.parametrize(
        "text, placeholder, street",
        [
            ("浙江省-嘉兴市-市辖区江津镇双桥村", "市辖区", None),
            ("陕西省榆林市其它区民政路3号", "其它区", "民政路"),
        ],
    )
    def test_district_placeholder_is_kept_as_written_not_as_a_place(
        self, text, placeholder, street
    ):
        a = parse_address(text)
        assert a.district is None and a.as_written.district == placeholder
        assert IssueCode.MISSING_DISTRICT in codes(a)
        assert placeholder not in (a.normalized or "") and a.street == street

    @pytest.mark.parametrize(
        "text, normalized",
        [
            # a form's fields joined: the placeholder no longer doubles the district
            ("上海市-市辖区-黄浦区昆明路1794号", "上海市黄浦区昆明路1794号"),
            # after the placeholder a short form still counts (inferred; its characters stay:
            # 九堡东大门 may be the market's own name)
            (
                "浙江省-杭州市-市辖区九堡东大门交易中心B座38楼",
                "浙江省杭州市上城区九堡东大门交易中心B座38楼",
            ),
        ],
    )
    def test_names_after_a_placeholder_continue_the_address(self, text, normalized):
        assert parse_address(text).normalized == normalized

    def test_typo_after_a_placeholder_is_still_fixed(self):
        a = parse_address("河南省-开封市-市辖区龙庭区东京大道5号")
        assert a.district == "龙亭区" and a.as_written.district == "龙庭区"
        assert IssueCode.TYPO_CORRECTED in codes(a)

    def test_separators_between_divisions_and_street_are_dropped(self):
        assert parse_address("浙江省-金华市-吴宁路117号").normalized == "浙江省金华市吴宁路117号"

    def test_municipality_without_district_misses_the_district_not_the_city(self):
        a = parse_address("北京市市辖区建国路1号")
        assert IssueCode.MISSING_DISTRICT in codes(a) and IssueCode.MISSING_CITY not in codes(a)

    def test_full_address_typed_after_a_picked_region_wins(self):
        a = parse_address("安徽省淮北市相山区中国浙江省宁波市镇海区东明路212号")
        assert levels(a)[:3] == ("浙江省", "宁波市", "镇海区")
        assert a.normalized == "浙江省宁波市镇海区东明路212号"
        two = next(i for i in a.issues if i.code is IssueCode.TWO_ADDRESSES)
        assert two.detail == "安徽省淮北市相山区"

    def test_a_name_before_china_is_not_a_picked_region(self):
        a = parse_address("收货人张三中国浙江省宁波市镇海区东明路212号")
        assert IssueCode.TWO_ADDRESSES not in codes(a)
        assert levels(a)[:3] == ("浙江省", "宁波市", "镇海区")

    def test_china_inside_a_name_is_not_a_second_address(self):
        a = parse_address("浙江省杭州市西湖区中国美术学院南山路218号")
        assert a.district == "西湖区" and IssueCode.TWO_ADDRESSES not in codes(a)


class TestMoreHistory:
    def test_wuxi_districts_merged_in_2015(self):
        a = parse_address("江苏省无锡市北塘区黄巷街道刘谭南街77号")
        assert (a.district, a.as_written.district) == ("梁溪区", "北塘区")
        assert IssueCode.HISTORIC_NAME in codes(a)

    def test_former_name_stem_with_another_suffix_is_another_place(self):
        # 崇安 is the stem of 崇安区 (无锡, now 梁溪区); 崇安县 here is a typo of 淳安县.
        a = parse_address("崇安县千岛湖镇新安东路133号")
        assert (a.district, a.township) == ("淳安县", "千岛湖镇")

    def test_a_name_for_a_district_and_its_own_township_means_the_township(self):
        a = parse_address("浙江省杭州市临平世纪大道良熟新苑")
        assert (a.district, a.township) == ("临平区", "临平街道")

    def test_chongqing_districts_abolished_into_liangjiang(self):
        # The 2025 table has neither 江北区 nor 渝北区 of Chongqing: their townships are in 两江新区.
        a = parse_address("重庆市重庆市渝北区龙溪街道中渝都会首站3栋21-5")
        assert levels(a) == ("重庆市", "重庆市", "两江新区", "龙溪街道")
        assert a.as_written.district == "渝北区"
        assert IssueCode.HISTORIC_NAME in codes(a)
        b = parse_address("重庆市江北区华新街街道建新东路754号春江名都")
        assert (b.district, b.as_written.district) == ("两江新区", "江北区")

    def test_ambiguous_name_keeps_what_the_text_wrote(self):
        # 江北区: Ningbo's, or Chongqing's former one. Which place is open; what was written is not.
        a = parse_address("江北区人民路1110号外滩花园7-2825")
        detail = next(i for i in a.issues if i.code is IssueCode.AMBIGUOUS).detail
        assert detail == "浙江省宁波市江北区 | 重庆市两江新区"
        assert a.district is None and a.as_written.district == "江北区"


# Real train addresses of every shape that lost text at some point: a village named after
# its town, a road named after a place, a street typed first, unresolved and ambiguous names.
NOTHING_LOST = [
    "安徽省寿县保义镇保义村连丰组",
    "浙江省金华市永康市前仓村花园路157号",
    "人民西路2000洪源商住楼",
    "天河街道二甲村迎春路133号",
    "宁波市江东区百丈东路1805弄15号1722",
    "浙江省温州市鹿城区温州大道3759开元集团大厦",
    "扬帆路999弄10号宁波研发园B区3幢128-21F浙江前程石化股份有限公司",
    "张陈线55杭州市余杭区人民法院塘栖人民法庭",
    "重庆市潼南县古溪镇红花乡五村九组",
    "江北区人民路1110号外滩花园7-2825",
    "中山东路621号东门银泰7F银泰西选办公室",
    "万丰公司附近台州市路桥区螺洋街道敬老院",
    "得力集团宁波江北工业园浙江省宁波市江北区长兴路1220号",
]


@pytest.mark.parametrize("text", NOTHING_LOST)
def test_every_character_is_kept_somewhere(text):
    # Each character of the input is in a division name as written, or in the street,
    # house number or detail: nothing the user typed silently disappears.
    a = parse_address(text)
    kept = "".join(filter(None, (*a.as_written, a.street, a.house_number, a.detail)))
    missing = sorted((collections.Counter(text) - collections.Counter(kept)).elements())
    assert missing == [], f"{text}: lost {''.join(missing)}"


def test_a_county_ending_in_lin_qu_or_xin_qu_has_no_one_character_short_name():
    # 北林区, 碑林区, 金林区 and 清新区 end in 林区/新区 without being a forest or a new area:
    # their short names are 北林, 碑林 … never 北区 or 碑区, words that name any north block.
    for text in ("东升北区", "碑区3号", "清区人民路1号", "金区"):
        a = parse_address(text)
        assert a.district is None, (text, a.district)
        assert a.normalized == text
    for text, district in (
        ("绥化北林人民路1号", "北林区"),
        ("西安碑林区", "碑林区"),
        ("清远清新区", "清新区"),
    ):
        assert parse_address(text).district == district, text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("瓜沥镇杭州瓜沥仓储配送仓库", "瓜沥镇杭州瓜沥仓储配送仓库"),  # 杭州 was dropped
        ("浙江省台州市临海市涌泉花街涌泉老汤蜜桔", "花街涌泉老汤蜜桔"),  # 花街 was dropped
        ("襄城区檀溪街道山水檀溪水园", "檀溪街道山水檀溪水园"),  # 山水 was dropped
    ],
)
def test_short_names_before_a_repeat_inside_a_word_stay_with_it(text, kept):
    # NCAP train/dev: a repeated name runs into a company's, shop's or estate's name; the
    # short names right before it that say nothing new are that name's too.
    a = parse_address(text)
    assert a.normalized.endswith(kept), a.normalized


def test_a_township_short_name_before_such_a_word_stays_as_written_and_is_inferred():
    a = parse_address("贵州省遵义市务川县大坪务川中学高二24班")  # was 大坪街道务川中学
    assert a.normalized == "贵州省遵义市务川仡佬族苗族自治县大坪务川中学高二24班"
    assert a.township == "大坪街道" and a.as_written.township is None
    assert "INFERRED_LEVEL" in a.issue_codes


def test_a_full_division_name_before_a_repeat_is_still_a_division():
    a = parse_address("崇溪镇云南省昭通市巧家县崇溪镇花山")
    assert a.normalized == "云南省昭通市巧家县崇溪镇崇溪镇花山"
