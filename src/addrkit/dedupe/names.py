"""Customer names: the core that identifies the entity, the branch that tells entities apart.

``杭州云栖科技有限公司`` and ``杭州云栖科技`` are one customer (the legal suffix was dropped);
``杭州云栖科技有限公司滨江分公司`` and ``…西湖分公司`` are two (different branches), and so
are ``华联超市文三路店`` and ``华联超市古墩路店``. A person's name (2–4 Chinese characters,
no business word) is marked as such: two people may share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .normalize import basic_text, strip_punct

__all__ = [
    "NameKind",
    "PreparedName",
    "prepare_name",
    "legal_form",
    "LEGAL_FORMS",
    "LEGAL_SUFFIXES",
]


class NameKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"
    UNKNOWN = "unknown"


# The legal form a Chinese suffix names. Forms in one family are one kind of entity written
# two ways (有限公司 is short for 有限责任公司); forms of two families are two legal entities:
# 华联贸易股份有限公司 and 华联贸易经营部 share a brand, not a customer. English forms (Inc,
# Corp, LLC, Ltd …) are typed interchangeably and are not told apart.
LEGAL_FORMS: dict[str, str] = {
    "股份有限公司": "股份有限公司",
    "股份公司": "股份有限公司",
    "有限责任公司": "有限公司",
    "责任有限公司": "有限公司",
    "集团有限公司": "有限公司",
    "有限公司": "有限公司",
    "集团公司": "有限公司",
    "总公司": "有限公司",
    "公司": "有限公司",
    "集团": "有限公司",
    "经营部": "经营部",
    "门市部": "门市部",
    "商行": "商行",
    "工作室": "工作室",
    "个体工商户": "个体",
    "个体": "个体",
}
_FORM_AT_END = re.compile("(" + "|".join(sorted(LEGAL_FORMS, key=len, reverse=True)) + r")[)）]?$")
# A legal form typed twice (有限责任公司有限公司): the second copy is dropped.
_TWICE = re.compile(r"((?:股份|有限|责任)*(?:公司))(?:(?:股份|有限|责任)*公司)+$")


def legal_form(name: str) -> str:
    """The legal form family a name ends with ('' when it names none).

    Examples
    --------
    >>> [legal_form(n) for n in ("华联贸易股份有限公司", "华联贸易有限责任公司", "华联贸易经营部", "华联贸易")]
    ['股份有限公司', '有限公司', '经营部', '']
    >>> legal_form("华联贸易（个体工商户）")
    '个体'
    """
    match = _FORM_AT_END.search(name)
    return LEGAL_FORMS[match.group(1)] if match else ""


# Longest first: the first that ends the name is removed, then the loop tries again
# (股份有限公司 then 集团 in 某某集团股份有限公司).
LEGAL_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "责任有限公司",
    "有限公司",
    "集团公司",
    "总公司",
    "公司",
    "集团",
    "商行",
    "经营部",
    "门市部",
    "个体工商户",
    "工作室",
    " co ltd",
    " co., ltd.",
    " company limited",
    " limited",
    " ltd",
    " inc",
    " llc",
    " corp",
    " corporation",
    " company",
    " co",
    " gmbh",
)
_ENGLISH_LEGAL = frozenset(
    "co ltd limited inc incorporated llc corp corporation company gmbh plc the".split()
)
_LEGAL_SUFFIX_STRIPPED = tuple(sorted({strip_punct(s) for s in LEGAL_SUFFIXES}, key=len))[::-1]
# Always a branch: the part before the marker names which one.
_BRANCH_MARKER = re.compile(r"(分公司|分店|分厂|分行|支行|营业部|办事处|分部|门店|专卖店|旗舰店)$")
# 店 alone is a branch only after a place (文三路店, 西湖店, 万达广场店), not in 便利店.
_PLACE_SHOP = re.compile(
    r"(.{2,})([\u4e00-\u9fff\w]{2,4}(?:路|街|道|区|县|市|镇|广场|中心|号|村|城|桥|园))店$"
)
# A branch whose marker lost a character (滨江分公 / 滨江分司 / 滨江公司) after the parent's
# legal name: what follows the legal name is still the branch.
_AFTER_LEGAL = re.compile(
    r"^(.+?(?:有限公司|公司|集团|商行|经营部))([\u4e00-\u9fff]{2,6}?)(?:分公|分司|公司|分店)$"
)
_PARENT_ENDS = ("公司", "集团", "商行", "经营部", "有限司", "有限")
# Characters of legal suffixes: a trailing run of them is a (mistyped) suffix, 股份有限司.
_SUFFIX_CHARS = frozenset("股份有限责任公司集团")
_BRACKETED_BRANCH = re.compile(r"[（(]([^（）()]*?)[）)]")
_BUSINESS_WORDS = re.compile(
    r"公司|厂|店|行|部|中心|超市|酒店|宾馆|医院|学校|银行|集团|工作室|餐厅|饭店|诊所|药房|"
    r"科技|贸易|商贸|实业|五金|建材|物流|汽修|维修|服装|食品|\d"
)
_PERSON = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_LEADING_THE = re.compile(r"^the\s+|\s+the$")


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name split into what identifies the entity and what tells branches apart.

    ``core`` has no legal suffix, spaces or punctuation; ``branch`` is '' when the name
    names no branch; ``kind`` says person, company or unknown.
    """

    core: str
    branch: str
    kind: NameKind
    had_suffix: bool
    legal_form: str = ""


def _strip_mistyped_suffix(text: str) -> tuple[str, bool]:
    end = len(text)
    while end > 0 and text[end - 1] in _SUFFIX_CHARS:
        end -= 1
    if len(text) - end >= 2 and end >= 2:
        return text[:end], True
    return text, False


def _strip_legal_suffixes(text: str) -> tuple[str, bool]:
    stripped = False
    changed = True
    while changed:
        changed = False
        for suffix in _LEGAL_SUFFIX_STRIPPED:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text = text[: -len(suffix)]
                stripped = changed = True
                break
    text, mistyped = _strip_mistyped_suffix(text)
    return text, stripped or mistyped


def prepare_name(value: object) -> PreparedName:
    """Core, branch and kind of one customer name.

    Examples
    --------
    >>> prepare_name("杭州云栖科技有限公司")
    PreparedName(core='杭州云栖科技', branch='', kind=<NameKind.COMPANY: 'company'>, had_suffix=True, legal_form='有限公司')
    >>> prepare_name("杭州云栖科技有限公司滨江分公司").branch
    '滨江'
    >>> p = prepare_name("华联超市(文三路店)")
    >>> (p.core, p.branch)
    ('华联超市', '文三路')
    >>> prepare_name("張偉").kind.value
    'person'
    >>> [prepare_name(n).branch for n in ("某某商行滨江分司", "某某有限公司西湖公司")]
    ['滨江', '西湖']
    >>> prepare_name("银利食品股份有限司").core
    '银利食品'
    >>> prepare_name("某某餐饮有限责任公司有限公司").core
    '某某餐饮'
    """
    text = basic_text(value)
    if not text:
        return PreparedName("", "", NameKind.UNKNOWN, False)
    branch = ""
    bracket = _BRACKETED_BRANCH.search(text)
    if bracket and (bracket.group(1).endswith("店") or _BRANCH_MARKER.search(bracket.group(1))):
        inner = strip_punct(bracket.group(1))
        branch = _BRANCH_MARKER.sub("", inner)
        branch = branch[:-1] if branch.endswith("店") else branch
        text = text[: bracket.start()] + text[bracket.end() :]
    if text.isascii():
        # Latin names keep their word boundaries: token order is compared too.
        words = re.sub(r"[^\w\s]", "", _LEADING_THE.sub("", text)).split()
        while len(words) > 1 and words[-1] in _ENGLISH_LEGAL:
            words.pop()
        text = " ".join(words)
        return PreparedName(text, branch, NameKind.UNKNOWN, False)
    text = _TWICE.sub(r"\1", strip_punct(text))
    if not branch:
        marker = _BRANCH_MARKER.search(text)
        if marker:
            head = text[: marker.start()]
            # The branch is what follows the parent company's legal name.
            cut = max((head.rfind(e) + len(e) for e in _PARENT_ENDS if e in head), default=-1)
            if 0 < cut < len(head):
                branch, text = head[cut:], head[:cut]
            else:
                branch, text = head[-2:], head[:-2]
        elif damaged := _AFTER_LEGAL.match(text):
            text, branch = damaged.group(1), damaged.group(2)
        else:
            shop = _PLACE_SHOP.match(text)
            if shop:
                text, branch = shop.group(1), shop.group(2)
    core, had_suffix = _strip_legal_suffixes(text)
    form = legal_form(text)
    if had_suffix or _BUSINESS_WORDS.search(core) or branch:
        kind = NameKind.COMPANY
    elif _PERSON.match(core):
        kind = NameKind.PERSON
    else:
        kind = NameKind.UNKNOWN
    return PreparedName(core, branch, kind, had_suffix, form)
