"""Text that is a formula is reported as such, never parsed as an address nor run."""

from __future__ import annotations

import pytest

from addrkit import parse_address


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "=A1&B1", "=SUM(A1:A3)", "=1+2"])
def test_formula_text_is_its_own_issue(text):
    a = parse_address(text)
    assert a.issue_codes == ("FORMULA_TEXT", "FORMULA")
    assert a.status.value == "ERROR"
    assert a.input == text and a.normalized is None  # nothing written back that Excel would run
    assert "formula" in a.issues[1].message_en


def test_an_address_behind_a_stray_sign_is_still_read():
    a = parse_address("=浙江省杭州市西湖区文三路90号")
    assert (a.district, a.street, a.status.value) == ("西湖区", "文三路", "FIXED")
    assert a.issue_codes == ("FORMULA_TEXT",)
