"""One scoring rule for every address parser compared on the NCAP corpus.

The gold keeps names as the customer typed them (``金华``, ``浦沿街``), while parsers
answer with official names (``金华市``, ``浦沿街道``), sometimes current ones that
differ from what was typed (``江干区`` became part of ``上城区``). So a level counts
as right when the parser's current name **or** its as-written name has the same
*core* as the gold, the core being the name without its administrative suffix
(省 市 区 县 镇 乡 街道 自治区 自治州 …, plus the ethnic names in 景宁畲族自治县).

One more rule, from the corpus README: a county-level city typed alone is sometimes
labelled ``city`` (gold city ``义乌`` where the parser rightly says city 金华市,
district 义乌市). The city then counts as right when the parser's district is that
place. Every tool is scored by these same functions.

Examples
--------
>>> from benchmarks.scoring import core_name, judge_level, LevelGuess, Verdict
>>> core_name("景宁畲族自治县"), core_name("浦沿街道"), core_name("浦沿街")
('景宁', '浦沿', '浦沿')
>>> judge_level("金华", LevelGuess("金华市")).name
'RIGHT'
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from benchmarks.ncap import LabelledAddress, Level

__all__ = [
    "ADMIN_SUFFIXES",
    "LevelGuess",
    "Prediction",
    "ToolScore",
    "Verdict",
    "core_name",
    "judge",
    "judge_level",
    "same_place",
    "score",
]

# Longest first, so 自治县 is tried before 县 and 街道 before 街.
ADMIN_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "特别行政区",
            "自治区",
            "自治州",
            "自治县",
            "自治旗",
            "街道办事处",
            "办事处",
            "街道",
            "新区",
            "地区",
            "省",
            "市",
            "区",
            "县",
            "旗",
            "盟",
            "镇",
            "乡",
            "街",
        },
        key=len,
        reverse=True,
    )
)

# Ethnic names that stand between a place name and 自治区/自治州/自治县 (广西壮族自治区).
_ETHNIC_GROUPS: tuple[str, ...] = tuple(
    sorted(
        (
            "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 "
            "高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 "
            "阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 "
            "鄂伦春 赫哲 门巴 珞巴 基诺 各"
        ).split(),
        key=len,
        reverse=True,
    )
)

# A core keeps at least this many characters: 沙市区 -> 沙市, never 沙.
_MIN_CORE = 2


def core_name(name: str | None) -> str:
    """The name without administrative suffixes and ethnic qualifiers.

    Suffixes are stripped repeatedly while at least two characters remain.

    Returns
    -------
    str
        ``""`` for ``None`` or blank input.

    Examples
    --------
    >>> [core_name(n) for n in ("浙江省", "广西壮族自治区", "沙市区", "城区", None)]
    ['浙江', '广西', '沙市', '城区', '']
    """
    if not name:
        return ""
    core = name.strip()
    changed = True
    while changed:
        changed = False
        for suffix in ADMIN_SUFFIXES:
            if core.endswith(suffix) and len(core) - len(suffix) >= _MIN_CORE:
                core = core[: -len(suffix)]
                changed = True
                if suffix.startswith("自治"):
                    core = _strip_ethnic(core)
                break
    return core


def _strip_ethnic(core: str) -> str:
    changed = True
    while changed:
        changed = False
        for group in _ETHNIC_GROUPS:
            for tail in (group + "族", group):
                if core.endswith(tail) and len(core) - len(tail) >= _MIN_CORE:
                    core = core[: -len(tail)]
                    changed = True
                    break
            if changed:
                break
    return core


def same_place(gold: str, name: str | None) -> bool:
    """Whether ``name`` names the gold's place (equal cores, both non-empty).

    Examples
    --------
    >>> same_place("金华", "金华市"), same_place("金华", "义乌市"), same_place("金华", None)
    (True, False, False)
    """
    gold_core = core_name(gold)
    return bool(gold_core) and gold_core == core_name(name)


@dataclass(frozen=True, slots=True)
class LevelGuess:
    """A parser's answer for one level: its (current) name and, if it keeps it, the typed one."""

    current: str | None = None
    as_written: str | None = None

    @property
    def filled(self) -> bool:
        return bool(self.current or self.as_written)

    def names(self, gold: str) -> bool:
        """Whether either name is the gold's place."""
        return same_place(gold, self.current) or same_place(gold, self.as_written)


_EMPTY = LevelGuess()


@dataclass(frozen=True, slots=True)
class Prediction:
    """A parser's answer for the four levels of one address."""

    levels: Mapping[Level, LevelGuess] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(
        cls,
        province: LevelGuess | str | None = None,
        city: LevelGuess | str | None = None,
        district: LevelGuess | str | None = None,
        township: LevelGuess | str | None = None,
    ) -> Prediction:
        """Build from plain names or guesses; ``None`` and ``""`` leave a level empty."""
        given = {
            Level.PROVINCE: province,
            Level.CITY: city,
            Level.DISTRICT: district,
            Level.TOWNSHIP: township,
        }
        levels = {
            level: value if isinstance(value, LevelGuess) else LevelGuess(value or None)
            for level, value in given.items()
            if value
        }
        return cls(MappingProxyType(levels))

    def __getitem__(self, level: Level) -> LevelGuess:
        return self.levels.get(level, _EMPTY)


class Verdict(enum.Enum):
    """How one level of one address was judged."""

    RIGHT = "right"
    RIGHT_AS_DISTRICT = "right (county-level city given as district)"
    WRONG = "wrong"
    EMPTY = "empty"
    NOT_IN_GOLD = "not in gold"

    @property
    def is_right(self) -> bool:
        return self in (Verdict.RIGHT, Verdict.RIGHT_AS_DISTRICT)


def judge_level(gold: str | None, guess: LevelGuess, district: LevelGuess | None = None) -> Verdict:
    """Judge one level; pass the tool's ``district`` when judging the city level.

    Examples
    --------
    >>> judge_level("义乌", LevelGuess("金华市"), district=LevelGuess("义乌市")).name
    'RIGHT_AS_DISTRICT'
    >>> judge_level("义乌", LevelGuess("金华市")).name
    'WRONG'
    """
    if not gold:
        return Verdict.NOT_IN_GOLD
    if guess.names(gold):
        return Verdict.RIGHT
    if district is not None and district.names(gold):
        return Verdict.RIGHT_AS_DISTRICT
    return Verdict.WRONG if guess.filled else Verdict.EMPTY


def judge(gold: Mapping[Level, str], prediction: Prediction) -> dict[Level, Verdict]:
    """Judge the four levels of one address.

    Returns
    -------
    dict
        ``Level -> Verdict`` for all four levels.
    """
    return {
        level: judge_level(
            gold.get(level),
            prediction[level],
            district=prediction[Level.DISTRICT] if level is Level.CITY else None,
        )
        for level in Level
    }


@dataclass(frozen=True, slots=True)
class ToolScore:
    """Counts for one tool over one split; accuracy and coverage derive from them."""

    total: int
    gold_named: Mapping[Level, int]
    right: Mapping[Level, int]
    filled: Mapping[Level, int]

    def accuracy(self, level: Level) -> float | None:
        """Right / addresses whose gold has the level (``None`` when there are none)."""
        named = self.gold_named[level]
        return self.right[level] / named if named else None

    def coverage(self, level: Level) -> float | None:
        """Share of all addresses for which the tool filled the level."""
        return self.filled[level] / self.total if self.total else None

    def gold_coverage(self, level: Level) -> float | None:
        """Share of all addresses whose text names the level (per the gold)."""
        return self.gold_named[level] / self.total if self.total else None


def score(addresses: Iterable[LabelledAddress], predictions: Iterable[Prediction]) -> ToolScore:
    """Score one tool's predictions against the gold, address by address.

    Raises
    ------
    ValueError
        The two sequences differ in length.

    Examples
    --------
    >>> from benchmarks.ncap import LabelledAddress, Level
    >>> gold = [LabelledAddress("金华义乌", {Level.CITY: "金华", Level.DISTRICT: "义乌"})]
    >>> s = score(gold, [Prediction.of(city="金华市", district="义乌市")])
    >>> s.accuracy(Level.CITY), s.accuracy(Level.PROVINCE), s.coverage(Level.DISTRICT)
    (1.0, None, 1.0)
    """
    gold_named = dict.fromkeys(Level, 0)
    right = dict.fromkeys(Level, 0)
    filled = dict.fromkeys(Level, 0)
    total = 0
    try:
        for address, prediction in zip(addresses, predictions, strict=True):
            total += 1
            for level, verdict in judge(address.gold, prediction).items():
                gold_named[level] += verdict is not Verdict.NOT_IN_GOLD
                right[level] += verdict.is_right
                filled[level] += prediction[level].filled
    except ValueError as err:  # only zip(strict=True) raises it here
        raise ValueError(f"gold and predictions differ in length ({err})") from err
    return ToolScore(
        total=total,
        gold_named=MappingProxyType(gold_named),
        right=MappingProxyType(right),
        filled=MappingProxyType(filled),
    )
