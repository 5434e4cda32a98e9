"""The NCAP reader: spans, multi-character tokens, malformed lines, missing files."""

from __future__ import annotations

import pytest

from benchmarks.ncap import (
    DATA_DIR_ENV,
    Level,
    NcapFormatError,
    NcapNotFoundError,
    default_data_dir,
    parse_ncap_lines,
    read_split,
)

SAMPLE = """\
宁 B-city
波 I-city
市 I-city
江 B-district
东 I-district
区 I-district
602 B-roadno
号 I-roadno

瑞 B-district
安 I-district
市 I-district
上 B-town
望 I-town
镇 I-town

浙 B-prov
江 I-prov
中 B-redundant
国 I-redundant
浙 B-prov
江 I-prov
省 I-prov
"""


def test_addresses_are_split_on_blank_lines_and_tokens_joined_without_spaces():
    addresses = list(parse_ncap_lines(SAMPLE.splitlines(keepends=True)))
    assert [a.text for a in addresses] == ["宁波市江东区602号", "瑞安市上望镇", "浙江中国浙江省"]


def test_gold_holds_the_admin_spans_as_written():
    first, second, _ = parse_ncap_lines(SAMPLE.splitlines())
    assert dict(first.gold) == {Level.CITY: "宁波市", Level.DISTRICT: "江东区"}
    assert dict(second.gold) == {Level.DISTRICT: "瑞安市", Level.TOWNSHIP: "上望镇"}


def test_first_span_of_a_label_wins():
    *_, third = parse_ncap_lines(SAMPLE.splitlines())
    assert third.gold[Level.PROVINCE] == "浙江"


def test_adjacent_spans_of_the_same_label_are_kept_apart_by_b_tags():
    lines = ["金 B-city", "华 I-city", "义 B-city", "乌 I-city"]
    (address,) = parse_ncap_lines(lines)
    assert address.gold[Level.CITY] == "金华"


def test_stray_inside_tag_still_starts_a_span():
    lines = ["路 B-road", "西 I-district", "湖 I-district", "区 I-district"]
    (address,) = parse_ncap_lines(lines)
    assert address.gold[Level.DISTRICT] == "西湖区"


def test_last_address_without_trailing_blank_line_is_kept():
    assert len(list(parse_ncap_lines(["杭 B-city", "州 I-city"]))) == 1


def test_malformed_line_names_file_and_line():
    with pytest.raises(NcapFormatError, match=r"x\.txt:2"):
        list(parse_ncap_lines(["杭 B-city", "州city"], source="x.txt"))


def test_missing_corpus_says_where_it_looked_and_how_to_override(tmp_path):
    with pytest.raises(NcapNotFoundError) as caught:
        read_split("dev", tmp_path)
    assert str(tmp_path / "dev.txt") in str(caught.value)
    assert DATA_DIR_ENV in str(caught.value)
    assert isinstance(caught.value, FileNotFoundError)


def test_unknown_split_is_refused(tmp_path):
    with pytest.raises(ValueError):
        read_split("test", tmp_path)


def test_environment_variable_moves_the_corpus(tmp_path, monkeypatch):
    (tmp_path / "dev.txt").write_text(SAMPLE, encoding="utf-8")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    assert default_data_dir() == tmp_path
    assert len(read_split("dev")) == 3


def test_real_dev_split_reads_completely():
    if not (default_data_dir() / "dev.txt").is_file():
        pytest.skip(f"NCAP corpus not present at {default_data_dir()}")
    addresses = read_split("dev")
    # The corpus README gives 2,985 dev addresses.
    assert len(addresses) == 2985
    assert all(a.text for a in addresses)
    assert sum(Level.DISTRICT in a.gold for a in addresses) > 1500
