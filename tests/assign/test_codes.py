"""Customer-code patterns and the ISO/IEC 7064 MOD 37,36 check character."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addrkit.assign.codes import (
    CodeFields,
    CodePattern,
    check_character,
    check_valid,
)
from addrkit.errors import CodePatternError

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def test_iso_7064_worked_example():
    # ISO/IEC 7064 MOD 37,36 example (also used by python-stdnum and ISAN/GRid checks).
    assert check_character("A12425GABC1234002") == "M"
    assert check_valid("A12425GABC1234002M")


@given(st.text(alphabet=ALNUM, min_size=1, max_size=20), st.data())
def test_every_single_character_error_is_caught(body, data):
    code = body + check_character(body)
    i = data.draw(st.integers(0, len(code) - 1))
    wrong = data.draw(st.sampled_from([c for c in ALNUM if c != code[i]]))
    assert not check_valid(code[:i] + wrong + code[i + 1 :])


def test_swaps_of_neighbours_are_almost_always_caught():
    # ISO 7064's hybrid MOD 37,36 guarantees every single wrong character (above) but not
    # every swap of neighbours: about 1 in 700 slips through. Measured on a fixed sample.
    rng = random.Random(1)
    tried = missed = 0
    for _ in range(5000):
        body = "".join(rng.choice(ALNUM) for _ in range(rng.randint(2, 12)))
        code = body + check_character(body)
        i = rng.randrange(len(code) - 1)
        if code[i] == code[i + 1]:
            continue
        tried += 1
        missed += check_valid(code[:i] + code[i + 1] + code[i] + code[i + 2 :])
    assert tried > 4500 and missed / tried < 0.005


def test_pattern_parts_render():
    fields = CodeFields(
        region="HD", province="浙江", adcode="330106", customer_type="vip", year=2026
    )
    cases = {
        "{REGION}-{PROV}-{SEQ:05}{CHECK}": "HD-ZJ-00042",
        "{ADCODE:4}{SEQ:04}": "33010042",
        "{ADCODE}-{SEQ}": "330106-42",
        "C{YEAR:2}{TYPE}{SEQ:06}": "C26VIP000042",
        "{区域}/{省}/{年}/{序号:3}{校验}": "HD/ZJ/2026/042",
    }
    for text, body in cases.items():
        pattern = CodePattern.parse(text)
        code = pattern.render(pattern.prefix(fields), 42)
        assert code.startswith(body)
        assert pattern.split(code) == (pattern.prefix(fields), 42)
        valid, _, _ = pattern.explain(code)
        assert valid


def test_province_letters_for_every_province_and_sar():
    from addrkit.assign.regions import DEFAULT_REGION_SCHEME

    pattern = CodePattern.parse("{PROV}{SEQ:2}")
    letters = {pattern.prefix(CodeFields(province=p)) for p in DEFAULT_REGION_SCHEME.provinces}
    assert len(letters) == 34  # every one distinct


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{REGION}-{PROV}", "SEQ"),
        ("{SEQ}{SEQ}", "SEQ"),
        ("{CHECK}{SEQ:4}", "CHECK"),
        ("{REGION}-{FOO}-{SEQ}", "FOO"),
        ("客户{SEQ:5}", "letters"),
        ("{SEQ:40}", "1-12"),
    ],
)
def test_bad_patterns_are_refused_with_the_reason(text, message):
    with pytest.raises(CodePatternError, match=message):
        CodePattern.parse(text)


def test_a_pattern_that_cannot_fit_its_sequence():
    pattern = CodePattern.parse("{REGION}{SEQ:2}")
    assert pattern.capacity == 99
    assert pattern.render("HD#", 99) == "HD99"
    with pytest.raises(CodePatternError, match="up to 99.*widen"):
        pattern.render("HD#", 100)


def test_missing_parts_say_which():
    pattern = CodePattern.parse("{REGION}-{PROV}-{SEQ:05}{CHECK}")
    with pytest.raises(CodePatternError, match="province"):
        pattern.prefix(CodeFields(region="HD", province="Ontario"))
    with pytest.raises(CodePatternError, match="region"):
        pattern.prefix(CodeFields(province="浙江省"))


@pytest.mark.parametrize("cell", [None, "", 42, 3.5, "#N/A", "=1+1", "x" * 32767, "ＨＤ－ＺＪ"])
def test_split_and_explain_never_raise(cell):
    pattern = CodePattern.parse("{REGION}-{PROV}-{SEQ:05}{CHECK}")
    assert pattern.split(cell) is None
    valid, zh, en = pattern.explain(cell)
    assert valid is False and zh and en


def test_full_width_and_lower_case_codes_are_read():
    pattern = CodePattern.parse("{REGION}-{PROV}-{SEQ:05}{CHECK}")
    code = pattern.render("HD-ZJ-#", 7)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    assert pattern.split(wide) == ("HD-ZJ-#", 7)


def test_distinct_sequences_give_distinct_codes():
    pattern = CodePattern.parse("{SEQ:3}{CHECK}")
    codes = {pattern.render("#", s) for s in range(1, 1000)}
    assert len(codes) == 999
    assert all(pattern.split(c) is not None for c in itertools.islice(codes, 50))


@pytest.mark.parametrize(
    "pattern", ["{REGION}-{PROV}-{SEQ:05}{CHECK}", "C{SEQ:06}{CHECK}", "{PROV}{YEAR}-{SEQ}{CHECK}"]
)
def test_a_code_is_split_only_when_its_check_character_holds(pattern):
    # split remembers the check state per prefix: it must agree with check_valid, which
    # works the whole code out each time, on right and wrong check characters alike.
    p = CodePattern.parse(pattern)
    rng = random.Random(pattern)
    heads = ["HD-ZJ-", "XB-SC-", "C", "ZJ2025-", "-", ""]
    for _ in range(3000):
        body = rng.choice(heads) + "".join(rng.choice("0123456789١") for _ in range(6))
        for check in {check_character(body) if any(c.isascii() for c in body) else "0",
                      rng.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}:  # fmt: skip
            code = body + check
            matches = p._regex().match(code) is not None
            assert (p.split(code) is not None) == (matches and check_valid(code)), code
