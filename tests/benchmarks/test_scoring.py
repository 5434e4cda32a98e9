"""The scoring rule shared by every compared parser."""

from __future__ import annotations

import pytest

from benchmarks.ncap import LabelledAddress, Level
from benchmarks.scoring import (
    LevelGuess,
    Prediction,
    Verdict,
    core_name,
    judge,
    judge_level,
    same_place,
    score,
)
from benchmarks.tools import CpcaTool, JionlpTool, make_tool


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("浙江省", "浙江"),
        ("金华市", "金华"),
        ("西湖区", "西湖"),
        ("浦沿街道", "浦沿"),
        ("浦沿街", "浦沿"),
        ("方岩镇", "方岩"),
        ("大陈乡", "大陈"),
        ("景宁畲族自治县", "景宁"),
        ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"),
        ("湘西土家族苗族自治州", "湘西"),
        ("内蒙古自治区", "内蒙古"),
        ("香港特别行政区", "香港"),
        ("浦东新区", "浦东"),
        ("沙市区", "沙市"),  # never down to one character
        ("沙市", "沙市"),
        ("城区", "城区"),
        (" 义乌 ", "义乌"),
        ("", ""),
        (None, ""),
    ],
)
def test_core_name_strips_admin_suffixes(name, core):
    assert core_name(name) == core


def test_same_place_needs_equal_non_empty_cores():
    assert same_place("金华", "金华市")
    assert same_place("沙市", "沙市区")
    assert not same_place("金华", "金华县城")
    assert not same_place("金华", "")
    assert not same_place("", "")


def test_as_written_name_counts_as_right():
    # The text says 江干区 (merged into 上城区 in 2021); the current name differs.
    guess = LevelGuess(current="上城区", as_written="江干区")
    assert judge_level("江干", guess) is Verdict.RIGHT
    assert judge_level("上城", guess) is Verdict.RIGHT
    assert judge_level("拱墅", guess) is Verdict.WRONG


def test_empty_and_wrong_and_absent_gold_are_told_apart():
    assert judge_level("西湖", LevelGuess()) is Verdict.EMPTY
    assert judge_level("西湖", LevelGuess("滨江区")) is Verdict.WRONG
    assert judge_level(None, LevelGuess("滨江区")) is Verdict.NOT_IN_GOLD
    assert not Verdict.WRONG.is_right and Verdict.RIGHT_AS_DISTRICT.is_right


def test_county_level_city_labelled_city_is_right_when_given_as_district():
    prediction = Prediction.of(province="浙江省", city="金华市", district="义乌市")
    verdicts = judge({Level.CITY: "义乌"}, prediction)
    assert verdicts[Level.CITY] is Verdict.RIGHT_AS_DISTRICT
    assert verdicts[Level.DISTRICT] is Verdict.NOT_IN_GOLD


def test_county_level_rule_applies_to_the_city_level_only():
    prediction = Prediction.of(city="义乌市", district="金华市")
    assert judge({Level.PROVINCE: "金华"}, prediction)[Level.PROVINCE] is Verdict.EMPTY
    # The district's as-written name also counts for the city rule.
    other = Prediction.of(city="金华市", district=LevelGuess("上城区", "江干区"))
    assert judge({Level.CITY: "江干"}, other)[Level.CITY] is Verdict.RIGHT_AS_DISTRICT


def test_score_counts_accuracy_over_gold_and_coverage_over_all():
    gold = [
        LabelledAddress("杭州西湖区", {Level.CITY: "杭州", Level.DISTRICT: "西湖区"}),
        LabelledAddress("义乌稠城街道", {Level.CITY: "义乌", Level.TOWNSHIP: "稠城街道"}),
        LabelledAddress("文三路90号", {}),
        LabelledAddress("滨江浦沿街", {Level.DISTRICT: "滨江", Level.TOWNSHIP: "浦沿街"}),
    ]
    predictions = [
        Prediction.of(province="浙江省", city="杭州市", district="西湖区"),
        Prediction.of(province="浙江省", city="金华市", district="义乌市"),
        Prediction.of(),
        Prediction.of(province="浙江省", city="杭州市", district="西湖区", township="浦沿街道"),
    ]
    result = score(gold, predictions)
    assert result.total == 4
    assert result.accuracy(Level.CITY) == 1.0  # 杭州 plus 义乌 as district
    assert result.accuracy(Level.DISTRICT) == 0.5  # 滨江 missed
    assert result.accuracy(Level.TOWNSHIP) == 0.5  # 稠城 left empty
    assert result.accuracy(Level.PROVINCE) is None  # gold never names it
    assert result.coverage(Level.PROVINCE) == 0.75
    assert result.gold_coverage(Level.PROVINCE) == 0.0
    assert result.coverage(Level.TOWNSHIP) == 0.25
    assert result.gold_coverage(Level.DISTRICT) == 0.5


def test_score_refuses_sequences_of_different_length():
    with pytest.raises(ValueError, match="differ in length"):
        score([LabelledAddress("x", {})], [])


def test_prediction_of_leaves_blank_levels_empty():
    prediction = Prediction.of(province="", city=None, district="西湖区")
    assert not prediction[Level.PROVINCE].filled
    assert not prediction[Level.CITY].filled
    assert prediction[Level.DISTRICT] == LevelGuess("西湖区")


def test_cpca_placeholders_become_the_municipality_or_nothing():
    beijing = CpcaTool.to_prediction("北京市", "市辖区", "朝阳区")
    assert beijing[Level.CITY].current == "北京市"
    xiantao = CpcaTool.to_prediction("湖北省", "省直辖县级行政区划", "仙桃市")
    assert not xiantao[Level.CITY].filled and xiantao[Level.DISTRICT].current == "仙桃市"
    blank = CpcaTool.to_prediction(float("nan"), None, "")
    assert not any(blank[level].filled for level in Level)
    assert not CpcaTool().has_level(Level.TOWNSHIP)


def test_jionlp_keys_map_to_the_four_levels():
    result = {"province": "浙江省", "city": "金华市", "county": "永康市", "town": "方岩镇"}
    prediction = JionlpTool.to_prediction(result)
    assert [prediction[level].current for level in Level] == [
        "浙江省",
        "金华市",
        "永康市",
        "方岩镇",
    ]
    assert not JionlpTool.to_prediction({})[Level.TOWNSHIP].filled


def test_unknown_tool_lists_the_valid_ones():
    with pytest.raises(ValueError, match="addrkit, cpca, jionlp"):
        make_tool("libpostal")
