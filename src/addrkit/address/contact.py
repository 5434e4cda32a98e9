"""A contact typed before or after the address: the person's name and phone number.

Customer sheets often hold "王超平 13145920644 辽宁省大连市瓦房店市兴业路60号" or
"…兴业路60号 张三收 0571-88886666" in one cell. The name and number are no part of the
address: they are taken off, kept in the result's ``contact_name`` / ``contact_phone``, and
the address is parsed from the rest. A contact needs a phone number, or a marker word
(收件人, 联系人, 收) with a name: a bare word before the address may be a place.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Contact", "split_contact"]

_MOBILE = r"(?:\+?86[- ]?)?1[3-9]\d{9}"
_LANDLINE = r"0\d{2,3}[- ]?\d{7,8}(?:[-转]\d{1,5})?"
_PHONE = f"(?P<phone>{_MOBILE}|{_LANDLINE})(?!\\d)"
_NAME_MARKER = r"(?:收件人|收货人|联系人|姓名|收)"
_PHONE_MARKER = r"(?:联系电话|电话|手机|Tel|TEL|tel)"
_SEP = r"[\s,，;；:：/|]*"
# A person's name: two to four Chinese characters (a middle dot for minority names).
_NAME = r"(?P<name>[\u4e00-\u9fff][\u4e00-\u9fff·]{1,3}?)"

_PREFIX = re.compile(
    f"^{_SEP}(?:{_NAME_MARKER}[:：]?{_SEP})?(?:{_NAME}{_SEP})?"
    f"(?:{_PHONE_MARKER}[:：]?{_SEP})?{_PHONE}{_SEP}"
)
# Without a number, only after a marker and followed by a separator: 收件人张三 浙江省…
_PREFIX_NAME_ONLY = re.compile(f"^{_SEP}{_NAME_MARKER}[:：]?{_SEP}{_NAME}[\\s,，;；]+")
_SUFFIX = re.compile(
    f"[\\s,，;；/|]+(?:{_NAME_MARKER}[:：]?{_SEP})?(?:{_NAME}收?{_SEP})?"
    f"(?:{_PHONE_MARKER}[:：]?{_SEP})?{_PHONE}{_SEP}$"
)
_SUFFIX_NAME_ONLY = re.compile(f"[\\s,，;；]+{_NAME}收$")
_MARKER_STARTS = frozenset("收联姓 \t")
# The address left must still hold Chinese text: "13145920644" alone is no contact + address.
_CJK = re.compile("[\u4e00-\u9fff]")


class Contact(NamedTuple):
    name: str | None
    phone: str | None
    address: str  # the text with the contact taken off


def split_contact(text: str) -> Contact | None:
    """The contact typed before or after the address, or ``None`` when there is none.

    Examples
    --------
    >>> split_contact("王超平 13145920644 辽宁省大连市瓦房店市兴业路60号")
    Contact(name='王超平', phone='13145920644', address='辽宁省大连市瓦房店市兴业路60号')
    >>> split_contact("浙江省杭州市西湖区文三路90号 张三收 0571-88886666")
    Contact(name='张三', phone='0571-88886666', address='浙江省杭州市西湖区文三路90号')
    >>> split_contact("浙江省杭州市西湖区文三路90号") is None
    True
    """
    m = _PREFIX.match(text)
    if m is None and text[:1] in _MARKER_STARTS:  # (rare: only then the second pattern)
        m = _PREFIX_NAME_ONLY.match(text)
    if m is not None and _CJK.search(text, m.end()):
        return Contact(m.group("name"), _group(m, "phone"), text[m.end() :])
    last = text[-1:]
    if last.isdigit() or last == "收":
        m = _SUFFIX.search(text) if last.isdigit() else _SUFFIX_NAME_ONLY.search(text)
        if m is not None and _CJK.search(text, 0, m.start()):
            return Contact(m.group("name"), _group(m, "phone"), text[: m.start()])
    return None


def _group(m: re.Match, name: str) -> str | None:
    return m.groupdict().get(name)
