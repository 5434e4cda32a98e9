"""Validation issue codes, their severity and their Chinese and English messages.

An issue is evidence for a verdict: every parse carries the issues that explain
its status, each with a stable code (for filters and formulas), a message in
Chinese and one in English.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

__all__ = ["Severity", "IssueCode", "Issue", "Status", "status_for"]


class Severity(Enum):
    INFO = 0  # something was fixed or inferred; the result is reliable
    WARNING = 1  # the result is usable but a person should look
    ERROR = 2  # no usable address


class Status(StrEnum):
    """Overall verdict for one address, from the most severe issue."""

    OK = "OK"
    FIXED = "FIXED"
    WARNING = "WARNING"
    ERROR = "ERROR"

    @property
    def label_zh(self) -> str:
        return {"OK": "正常", "FIXED": "已修正", "WARNING": "需核对", "ERROR": "错误"}[self.value]


class IssueCode(StrEnum):
    """Stable issue codes. Values never change: formulas and filters rely on them."""

    EMPTY = "EMPTY"
    NOT_TEXT = "NOT_TEXT"
    EXCEL_ERROR = "EXCEL_ERROR"
    TOO_LONG = "TOO_LONG"
    NOT_AN_ADDRESS = "NOT_AN_ADDRESS"
    FOREIGN = "FOREIGN"
    FORMULA_TEXT = "FORMULA_TEXT"
    FORMULA = "FORMULA"
    NORMALIZED_TEXT = "NORMALIZED_TEXT"
    TRADITIONAL = "TRADITIONAL"
    REPEATED_PART = "REPEATED_PART"
    TWO_ADDRESSES = "TWO_ADDRESSES"
    MISSING_PROVINCE = "MISSING_PROVINCE"
    MISSING_CITY = "MISSING_CITY"
    MISSING_DISTRICT = "MISSING_DISTRICT"
    INFERRED_LEVEL = "INFERRED_LEVEL"
    HIERARCHY_MISMATCH = "HIERARCHY_MISMATCH"
    AMBIGUOUS = "AMBIGUOUS"
    HISTORIC_NAME = "HISTORIC_NAME"
    TYPO_CORRECTED = "TYPO_CORRECTED"
    UNKNOWN_DIVISION = "UNKNOWN_DIVISION"
    NO_STREET_DETAIL = "NO_STREET_DETAIL"
    OUTSIDE_MAINLAND = "OUTSIDE_MAINLAND"
    WEAK_EVIDENCE = "WEAK_EVIDENCE"
    ENGLISH_NAMES = "ENGLISH_NAMES"
    LOW_CONFIDENCE = "LOW_CONFIDENCE"
    ROAD_NAME_ONLY = "ROAD_NAME_ONLY"
    DROPPED_TEXT = "DROPPED_TEXT"

    @property
    def severity(self) -> Severity:
        return _SEVERITY[self]

    @property
    def message_zh(self) -> str:
        return _MESSAGES[self][0]

    @property
    def message_en(self) -> str:
        return _MESSAGES[self][1]


_I, _W, _E = Severity.INFO, Severity.WARNING, Severity.ERROR

# One row per code: severity, Chinese message, English message.
_TABLE: dict[IssueCode, tuple[Severity, str, str]] = {
    IssueCode.EMPTY: (_E, "地址为空", "Address is empty"),
    IssueCode.NOT_TEXT: (_E, "不是文本地址", "Not a text address"),
    IssueCode.EXCEL_ERROR: (_E, "单元格是 Excel 错误值", "Cell holds an Excel error value"),
    IssueCode.TOO_LONG: (
        _W,
        "地址过长，已截断分析",
        "Address too long; only the start was analysed",
    ),
    IssueCode.NOT_AN_ADDRESS: (_E, "看起来不是地址", "Does not look like an address"),
    IssueCode.FOREIGN: (
        _W,
        "非中国大陆地址，仅做城市级识别",
        "Not a mainland Chinese address; city level only",
    ),
    IssueCode.FORMULA_TEXT: (
        _I,
        "以 = + - @ 开头，按文本处理",
        "Starts with = + - @; treated as text",
    ),  # handled: kept as text, never a formula
    IssueCode.FORMULA: (
        _E,
        "是公式（函数、单元格引用或外部链接），不作为地址解析",
        "Is a formula (a function, cell reference or external link); not read as an address",
    ),
    IssueCode.NORMALIZED_TEXT: (
        _I,
        "已统一全角/半角、空格和标点",
        "Width, spaces and punctuation normalised",
    ),
    IssueCode.TRADITIONAL: (
        _I,
        "繁体字已转为简体",
        "Traditional characters converted to simplified",
    ),
    IssueCode.REPEATED_PART: (_I, "重复的部分已去除", "Repeated part removed"),
    IssueCode.TWO_ADDRESSES: (
        _W,
        "疑似两个地址粘在一起，只取其一（括号内为另一个）",
        "Looks like two addresses glued together; one was used (the other in brackets)",
    ),
    IssueCode.MISSING_PROVINCE: (_W, "缺少省份", "Province missing"),
    IssueCode.MISSING_CITY: (_W, "缺少地级市", "City missing"),
    IssueCode.MISSING_DISTRICT: (_W, "缺少区县", "District/county missing"),
    IssueCode.INFERRED_LEVEL: (
        _I,
        "上级行政区已根据下级推断补全",
        "Upper levels inferred from a lower level",
    ),
    IssueCode.HIERARCHY_MISMATCH: (_W, "行政区上下级不一致", "Divisions do not belong together"),
    IssueCode.AMBIGUOUS: (_W, "地名有多个可能，无法确定", "Place name is ambiguous"),
    IssueCode.HISTORIC_NAME: (
        _I,
        "使用了旧行政区名，已换为现名",
        "Former division name; current name used",
    ),
    IssueCode.TYPO_CORRECTED: (
        _I,
        "行政区名疑似错字，已更正",
        "Likely typo in a division name; corrected",
    ),
    IssueCode.UNKNOWN_DIVISION: (_E, "找不到任何行政区", "No administrative division recognised"),
    IssueCode.NO_STREET_DETAIL: (_W, "缺少街道门牌等详细地址", "No street or house detail"),
    IssueCode.OUTSIDE_MAINLAND: (
        _W,
        "港澳台地址：离线数据只到省/市一级，以下未核验",
        "Hong Kong, Macau or Taiwan: offline data stops at province/city; the rest is not checked",
    ),
    IssueCode.WEAK_EVIDENCE: (
        _W,
        "行政区只能从开发区、湖、楼盘等名称里的地名推测（候选见括号），请核对",
        "Division only guessed from a place name inside a zone, lake or building name "
        "(candidates in brackets); check it",
    ),
    IssueCode.ENGLISH_NAMES: (
        _I,
        "英文或拼音行政区名已按中文名识别",
        "Division names in English or pinyin read as their Chinese names",
    ),
    IssueCode.LOW_CONFIDENCE: (
        _W,
        "行政区识别把握不足，请核对",
        "Divisions found, but not with enough confidence to rely on; check them",
    ),
    IssueCode.DROPPED_TEXT: (
        _I,
        "行政区名之间多余的字符已删除（见括号）",
        "Stray characters between division names removed (in brackets)",
    ),
    IssueCode.ROAD_NAME_ONLY: (
        _W,
        "只写了以地名命名的道路，行政区未确定（候选见括号），请核对",
        "Only a road named after a place was written; the division is not settled "
        "(candidates in brackets); check it",
    ),
}
_SEVERITY = {code: row[0] for code, row in _TABLE.items()}
_MESSAGES = {code: row[1:] for code, row in _TABLE.items()}


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about an address: a code plus optional specifics (e.g. the candidates).

    Examples
    --------
    >>> Issue(IssueCode.HISTORIC_NAME, "江干区 → 上城区").message
    '使用了旧行政区名，已换为现名 (江干区 → 上城区) / Former division name; current name used (江干区 → 上城区)'
    """

    code: IssueCode
    detail: str = ""

    @property
    def severity(self) -> Severity:
        return self.code.severity

    @property
    def message_zh(self) -> str:
        return self.code.message_zh + (f" ({self.detail})" if self.detail else "")

    @property
    def message_en(self) -> str:
        return self.code.message_en + (f" ({self.detail})" if self.detail else "")

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def to_dict(self) -> dict:
        return {
            "code": self.code.value,
            "message": self.message,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


_RANK = {code: severity.value for code, severity in _SEVERITY.items()}
_STATUS_BY_RANK = (Status.FIXED, Status.WARNING, Status.ERROR)


def status_for(issues: tuple[Issue, ...]) -> Status:
    """The status a set of issues gives: ERROR > WARNING > FIXED (any info) > OK.

    Examples
    --------
    >>> status_for(()), status_for((Issue(IssueCode.INFERRED_LEVEL),))
    (<Status.OK: 'OK'>, <Status.FIXED: 'FIXED'>)
    """
    if not issues:
        return Status.OK
    return _STATUS_BY_RANK[max([_RANK[i.code] for i in issues])]
