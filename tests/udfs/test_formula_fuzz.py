"""Every formula, and the parser under them, given anything Excel can pass: arbitrary
Unicode, numbers (NaN, infinities, huge), booleans, Excel error values, None, empty and
ragged nested arrays, 32,767-character text. No exception escapes; the result is always
something a cell can show: text within Excel's limit, a finite number, or an array of those."""

from __future__ import annotations

import datetime as dt
import math

from addrkit.udfs.cells import CELL_TEXT_LIMIT
from addrkit.udfs.registry import formulas
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addrkit.address import parse_address
from addrkit.address.json_line import JsonLineEncoder

EXCEL_ERRORS = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"]
TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=40),
    st.sampled_from(["浙江杭州西湖区文三路90号", "=HYPERLINK(\"x\")", "\u3000北京\u200b", "臺北市"]),
    st.builds(lambda c, n: c * n, st.sampled_from(["地", "x", "😀", " "]), st.sampled_from([32_767, 32_768, 40_000])),
)
SCALAR = st.one_of(
    st.none(),
    TEXT,
    st.sampled_from(EXCEL_ERRORS),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.just(dt.datetime(2024, 1, 1)),
)
ROW = st.lists(SCALAR, min_size=0, max_size=4)
ARG = st.one_of(
    SCALAR,
    ROW,
    st.lists(ROW, min_size=0, max_size=4),  # ragged or empty ranges
    st.lists(st.lists(ROW, max_size=2), max_size=2),  # arrays nested deeper than a range
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def readable(value, depth: int = 0) -> bool:
    if isinstance(value, list):
        return depth < 2 and all(readable(v, depth + 1) for v in value)
    if isinstance(value, str):
        # The registry's last-line guard must not be what answered: each formula copes itself.
        return len(value) <= CELL_TEXT_LIMIT and "cannot handle this input" not in value
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int | float):
        return math.isfinite(value)
    return False


def _check(name, args):
    spec = formulas()[name]
    result = spec.function(*args)
    assert readable(result), (name, args, result)


@FUZZ
@given(data=st.data())
def test_every_formula_returns_a_readable_value(data):
    for name in sorted(formulas()):
        spec = formulas()[name]
        n = len([a for a in spec.args if not a.optional]) + data.draw(
            st.integers(0, len([a for a in spec.args if a.optional])), label="optional"
        )
        args = [data.draw(ARG, label=f"{name} arg {i}") for i in range(n)]
        _check(name, args)


def test_the_last_line_guard_turns_an_exception_into_text():
    from addrkit.udfs import registry

    @registry.formula(x=registry.Value("任意值 Any value"))
    def TRUST_BOOM(x):
        """总是出错 Always fails."""
        raise RuntimeError("boom")

    try:
        text = formulas()["TRUST_BOOM"].function("a")
    finally:
        registry._FORMULAS.pop("TRUST_BOOM")
    assert text.startswith("错误 ERROR: TRUST_BOOM") and "RuntimeError" in text


@FUZZ
@given(value=st.one_of(SCALAR, st.lists(SCALAR, max_size=3)))
def test_parser_never_raises_and_its_result_encodes(value):
    result = parse_address(value)
    line = JsonLineEncoder().encode(result)
    assert line and "\n" not in line
    assert result.status is not None
