"""Road names are not cut into a township and a stump; names glued into other names are weak."""

from __future__ import annotations

import pytest

from addrkit import parse_address


@pytest.mark.parametrize(
    ("text", "township", "street"),
    [
        ("广州市越秀区农林下路83号", "农林街道", "农林下路"),  # was 农林街道 + 下路
        ("重庆市大足区龙水湖路", "龙水镇", "龙水湖路"),  # was 龙水镇 + 湖路
        ("莱芜凤城西大街", "凤城街道", "凤城西大街"),  # was 凤城街道 + 西大街
        ("河北省石家庄市长安区中山东路", "中山东路街道", "中山东路"),
    ],
)
def test_road_named_after_a_township_stays_whole(text, township, street):
    a = parse_address(text)
    assert (a.township, a.street) == (township, street)
    assert a.as_written.township is None  # the text wrote a road, not the township
    inferred = [i.detail for i in a.issues if i.code.value == "INFERRED_LEVEL"]
    assert inferred and township in inferred[0]
    assert a.normalized.endswith(text[text.index(street) :])


@pytest.mark.parametrize(
    ("text", "district", "street"),
    [
        ("南京市鼓楼区鼓楼东大街", "鼓楼区", "鼓楼东大街"),  # was REPEATED_PART + 东大街
        ("辽宁省丹东市凤城市凤城西大街", "凤城市", "凤城西大街"),
    ],
)
def test_road_named_after_the_county_is_no_repeat(text, district, street):
    a = parse_address(text)
    assert (a.district, a.street) == (district, street)
    assert "REPEATED_PART" not in a.issue_codes
    assert a.normalized.endswith(street)


def test_a_road_before_a_town_is_not_taken_for_one():
    a = parse_address("宁波宁海岔路镇工业园区173号")
    assert (a.district, a.township) == ("宁海县", "岔路镇")


@pytest.mark.parametrize(
    ("text", "wrong_district"),
    [
        ("兴隆湖", "兴隆县"),  # not 河北承德兴隆县
        ("凤凰湖公园", "凤凰县"),  # not 湖南凤凰县
        (
            "钱塘江石材市场2期c38",
            "钱塘区",
        ),  # a river named like the district: was 钱塘区 + 江石材市场
    ],
)
def test_a_county_name_inside_a_zone_or_building_name_is_no_answer(text, wrong_district):
    a = parse_address(text)
    assert a.district != wrong_district
    assert a.status.value == "WARNING"
    assert "WEAK_EVIDENCE" in a.issue_codes
    assert a.normalized == text  # nothing rewritten on a guess


def test_glued_name_counts_where_the_text_supports_it():
    a = parse_address("广东省东莞市松山湖高新技术产业开发区")
    assert (a.province, a.city) == ("广东省", "东莞市")
    assert a.district is None  # 松山 of 松山湖 is not Inner Mongolia's 松山区
    assert a.normalized == "广东省东莞市松山湖高新技术产业开发区"


def test_glued_name_alone_is_a_guess_with_its_candidate():
    a = parse_address("义乌国际商贸城四区八楼41005")
    assert a.district == "义乌市" and a.status.value == "WARNING"
    assert a.normalized == "义乌国际商贸城四区八楼41005"


def test_a_name_shared_by_many_places_alone_is_ambiguous():
    a = parse_address("和平镇")
    assert a.status.value == "WARNING"


@pytest.mark.parametrize(
    ("text", "township", "normalized"),
    [
        # a township's short name running into another word: inferred, characters kept
        (
            "浙江省义乌市福田市场一区一楼C25504",
            "福田街道",
            "浙江省金华市义乌市福田市场一区一楼C25504",
        ),
        ("杭州萧山宁围宁新村", "宁围街道", "浙江省杭州市萧山区宁围宁新村"),
        # a road, a number after it: the text names no 街道/镇/乡, so it stays as written
        ("杭州萧山宁围12号", "宁围街道", "浙江省杭州市萧山区宁围12号"),
        ("浙江省温州市乐清市柳市大兴东路124号", "柳市镇", "浙江省温州市乐清市柳市大兴东路124号"),
        ("北京市丰台区右安门外大街178号", "右安门街道", "北京市丰台区右安门外大街178号"),
        ("浙江省温州市鹿城区五马街936号", "五马街道", "浙江省温州市鹿城区五马街936号"),
        ("杭州市江干区下沙20号大街", "下沙街道", "浙江省杭州市钱塘区下沙20号大街"),
        # nothing after it: nothing else reads those characters, so it is the township
        ("杭州萧山宁围", "宁围街道", "浙江省杭州市萧山区宁围街道"),
    ],
)
def test_a_short_township_name_is_cut_only_when_nothing_else_reads_it(text, township, normalized):
    a = parse_address(text)
    assert (a.township, a.normalized) == (township, normalized)
    if normalized.endswith(text[-6:]) and township not in normalized:
        assert a.as_written.township is None
        assert any(i.code.value == "INFERRED_LEVEL" and township in i.detail for i in a.issues)


@pytest.mark.parametrize(
    ("text", "province", "city", "district"),
    [
        ("松山湖高新技术产业开发区", "广东省", "东莞市", None),  # was 内蒙古赤峰市松山区, FIXED
        ("天府新区兴隆湖", "四川省", "成都市", "双流区"),  # was 河北承德兴隆县
        ("东湖新技术开发区珞瑜路", "湖北省", "武汉市", None),  # was 南昌东湖区
        ("杭州湾新区滨海大道752号", "浙江省", "宁波市", None),  # was 杭州市 + 湾新区
        ("张江高科技园区碧波路690号", "上海市", "上海市", "浦东新区"),
    ],
)
def test_a_zone_or_new_area_is_evidence_for_its_city(text, province, city, district):
    a = parse_address(text)
    assert (a.province, a.city, a.district) == (province, city, district)
    assert a.normalized.endswith(text)  # the zone's name stays as written
    assert a.as_written.city is None  # the text named the zone, not the city
    assert "REPEATED_PART" not in a.issue_codes


def test_a_zone_after_its_city_is_no_repeat():
    a = parse_address("广东省东莞市松山湖高新技术产业开发区")
    assert (a.city, a.status.value) == ("东莞市", "OK")
    assert a.normalized == "广东省东莞市松山湖高新技术产业开发区"


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        # a division's name again, running into an institution's name: that name's, kept
        ("浙江省杭州市西湖区浙江大学玉泉校区图书馆", "浙江省杭州市西湖区浙江大学玉泉校区图书馆"),
        ("山东省潍坊市奎文区广文街道潍坊市人民医院保健一科", "山东省潍坊市奎文区广文街道潍坊市人民医院保健一科"),
        # before a road it is a repeat: cut, and said
        ("浙江省台州市临海市临海德仁路双桥村5-68号", "浙江省台州市临海市德仁路双桥村5-68号"),
    ],
)  # fmt: skip
def test_a_name_repeated_into_an_institution_stays(text, normalized):
    a = parse_address(text)
    assert a.normalized == normalized
    assert ("REPEATED_PART" in a.issue_codes) == (len(normalized) < len(text))


@pytest.mark.parametrize(
    ("text", "district", "normalized"),
    [
        # the run ends on a short name running into a word: the word keeps its characters
        ("柯桥联合市场C5-765", "柯桥区", "浙江省绍兴市柯桥区柯桥联合市场C5-765"),
        ("杭州浙江大学玉泉校区航空航天学院", None, "浙江省杭州市浙江大学玉泉校区航空航天学院"),
        ("瓯海区温州大学生活区E区", "瓯海区", "浙江省温州市瓯海区温州大学生活区E区"),
        ("宁波高新区扬帆路1057弄", None, "浙江省宁波市宁波高新区扬帆路1057弄"),
        ("三墩镇杭州西湖科技园西园路", "西湖区", "浙江省杭州市西湖区三墩镇杭州西湖科技园西园路"),
        # before a road the short name is the division itself
        ("浙江杭州文三路90号", None, "浙江省杭州市文三路90号"),
    ],
)
def test_a_short_name_running_into_a_word_stays_in_the_text(text, district, normalized):
    a = parse_address(text)
    assert (a.district, a.normalized) == (district, normalized)


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("浙江省温州市乐清市柳市大兴东路124号", "大兴东路"),  # a whole road's name: the town's
        ("梧田瓯海大道隔岸北苑9幢7号", "瓯海大道"),
        ("北京市丰台区右安门外大街178号", "右安门外大街"),  # a stump: the road owns the name
    ],
)
def test_the_street_field_starts_where_the_road_does(text, street):
    assert parse_address(text).street == street


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        # a name of some other place inside the run is a word of this text: nothing dropped
        (
            "湖州市长兴县泗安镇工业区浙江杰夫特种纤维有限公司",
            "浙江省湖州市长兴县泗安镇工业区浙江杰夫特种纤维有限公司",
        ),
        ("临浦镇柏山陈村杭州发达电器配件厂", "浙江省杭州市萧山区临浦镇柏山陈村杭州发达电器配件厂"),
    ],
)
def test_a_stranger_inside_the_run_is_kept(text, normalized):
    assert parse_address(text).normalized == normalized


def test_a_separator_dropped_after_the_divisions_is_reported():
    a = parse_address("杭州市西湖区_西行桥79号")
    assert a.normalized == "浙江省杭州市西湖区西行桥79号"
    assert "NORMALIZED_TEXT" in a.issue_codes
    assert "NORMALIZED_TEXT" not in parse_address("杭州市西湖区西行桥79号").issue_codes


@pytest.mark.parametrize(
    ("text", "candidate"),
    [
        # NCAP texts that name only a road after a place: no guess, a warning with the places
        ("余杭塘路2318号", "浙江省杭州市余杭区"),
        ("滨海四路88号", "天津市滨海新区"),
        ("滨江北路与新芜路交汇处世茂滨江中心", "浙江省杭州市滨江区"),
    ],
)
def test_only_a_road_named_after_a_place_is_a_warning_with_candidates(text, candidate):
    a = parse_address(text)
    assert a.status.value == "WARNING"
    (road,) = [i for i in a.issues if i.code.value == "ROAD_NAME_ONLY"]
    assert candidate in road.detail.split(" | ")
    assert len(road.detail.split(" | ")) <= 7  # six named, the rest counted
    assert (a.province, a.city, a.district, a.township) == (None, None, None, None)
    assert a.normalized == text


def test_a_road_named_after_nothing_known_is_still_no_division():
    a = parse_address("文三路90号")
    assert a.issue_codes == ("UNKNOWN_DIVISION",) and a.status.value == "ERROR"


def test_a_county_named_by_a_common_word_counts_only_with_its_city():
    # 攀枝花's 东区/西区 and 阳泉's 城区/郊区 are words for any town's block (NCAP train:
    # 柯桥东区八楼, 青口西区14幢): alone they are weak evidence, with the county as candidate.
    a = parse_address("柯桥东区八楼西边78号")
    assert (a.city, a.district) == ("绍兴市", "柯桥区")
    assert a.normalized.endswith("柯桥东区八楼西边78号")
    for text in ("青口西区14幢4单元679", "东区人民路1号", "郊区人民路"):
        b = parse_address(text)
        assert b.district is None and b.status.value == "WARNING", text
        assert "WEAK_EVIDENCE" in b.issue_codes, text
        assert b.normalized == text
    assert "攀枝花市东区" in parse_address("东区人民路1号").issues[0].message
    for text, district in (("四川省攀枝花市东区人民路1号", "东区"), ("阳泉郊区人民路1号", "郊区")):
        assert parse_address(text).district == district, text


@pytest.mark.parametrize(
    "text",
    [
        "浙江省绍兴市绍兴高新区东山路龙山科技园",  # was 柯桥区 (绍兴县's successor), FIXED
        "浙江省金华经济开发区长城村寺塘下220号",  # was 金东区 (金华县's)
        "芜湖经济技术开发区奇瑞城北公寓136-975",  # was 湾沚区 (芜湖县's)
    ],
)
def test_a_city_name_glued_to_a_zone_word_is_the_city_not_its_former_county(text):
    a = parse_address(text)
    assert a.city is not None and a.district is None, (a.city, a.district)
    assert "HISTORIC_NAME" not in a.issue_codes
    assert text.split("省")[-1] in a.normalized  # the zone's name kept as written


@pytest.mark.parametrize(
    ("text", "road", "guess"),
    [
        # A numbered road named after a township is a road (not 天府街道 + 二街), and in a
        # big city it says nothing of the county: 天府二街 is in Chengdu's high-tech zone,
        # not in 温江区's 天府街道; 百丈东路 is not in 余杭区's 百丈镇.
        ("四川省成都市高新区天府二街天府鹭洲", "高新区天府二街天府鹭洲", "温江区天府街道"),
        ("四川省成都市高新区天府大道北段", "高新区天府大道北段", "温江区天府街道"),
        ("杭州市百丈东路12号", "百丈东路12号", "余杭区百丈镇"),
    ],
)
def test_a_road_alone_does_not_settle_the_county(text, road, guess):
    a = parse_address(text)
    assert (a.district, a.township) == (None, None)
    assert a.status.value == "WARNING"
    said = [i.detail for i in a.issues if i.code.value == "ROAD_NAME_ONLY"]
    assert said and guess in said[0]  # the place it may mean is said
    assert a.normalized.endswith(road)  # nothing inserted into the text


def test_a_road_named_after_a_township_in_the_written_county_gives_the_township():
    a = parse_address("浙江省杭州市拱墅区湖墅南路1532")
    assert (a.district, a.township, a.status.value) == ("拱墅区", "湖墅街道", "FIXED")
    assert "ROAD_NAME_ONLY" not in a.issue_codes
    b = parse_address("广州市越秀区中山一路2号")
    assert (b.district, b.street) == ("越秀区", "中山一路")


def test_a_road_of_one_more_character_and_street_is_a_road():
    # 复兴里街 was 复兴区 + 里街 (its text cut into a county and a stump).
    a = parse_address("复兴里街563号铁路宿舍")
    assert a.district is None and a.normalized == "复兴里街563号铁路宿舍"
    assert "ROAD_NAME_ONLY" in a.issue_codes
    b = parse_address("河北省邯郸市复兴区复兴里街563号")
    assert (b.district, b.street) == ("复兴区", "复兴里街")
