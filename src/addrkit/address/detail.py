"""Split what follows the divisions into street, house number and the rest (building, room, POI)."""

from __future__ import annotations

import re

__all__ = ["split_detail"]

# A road name: Chinese characters (no division or building words inside, so two roads or a
# village and a road do not run together), ending in a road word, optionally a section.
_ROAD_BODY = r"(?:[^\d\sA-Za-z#\-()号楼幢栋室单元座层村区镇乡路街道巷弄]|[鼓钟]楼){1,12}?"
# (鼓楼东大街, 钟楼路: a 楼 that names a tower, not a building, is part of the road's name)
# 道街: Harbin's 北七道街; 道路: 望道路 (a road named 望道 would end at 道)
_ROAD_END = r"(?:大道|大街|道街|道路|路|街|巷|胡同|道)"
_SECTION = r"(?:[东西南北中]段|[一二三四五六七八九十\d]+段)?"
# A house number, after an optional lane (5巷90号, 18巷84弄130号); N号楼 is building N, so a
# 号 followed by 楼 is not a house number (the building stays in the detail).
_NUMBER = (
    r"(?:(?:\d+巷)?\d+(?:[-之]\d+)?(?:弄\d+号|号院|号(?!楼)|弄|#)|[一二三四五六七八九十百零〇]+号)"
)
# A road whose name starts with 道 or 街 (道源路 after 城厢街道): at the very start of the
# text no earlier road can end in that character, so it is the road's own.
_ROAD_START = "(?:^[道街])?"
# A road named after a village runs into its road word (中关村大街, 贝村路, 仙门村北路); a village
# before another road's name (下宅村万里公路) does not, nor its junction or street (下西坑村路口,
# 福泉村街上: at the village's road, in the village's street).
_VILLAGE_ROAD = f"{_ROAD_BODY}村[东西南北中]?(?={_ROAD_END}(?![口上]))"


def _street_pattern(body: str) -> re.Pattern[str]:
    # A separator may stand between the road and its number (同港路_1276号).
    return re.compile(
        f"(?P<street>{_ROAD_START}{body}{_ROAD_END}{_SECTION})(?:[_-]?(?P<number>{_NUMBER}))?"
    )


_STREET = _street_pattern(_ROAD_BODY)
# With village roads too, used only for text that has a 村: the alternative slows every search.
_STREET_OR_VILLAGE_ROAD = _street_pattern(f"(?:{_VILLAGE_ROAD}|{_ROAD_BODY})")
_LETTERS_OR_DIGITS = re.compile(r"[0-9A-Za-z]")
# Every road ending above contains one of these (the full regex costs ten times more).
_ROAD_END_CHAR = re.compile("[路街巷道同]")


def split_detail(rest: str) -> tuple[str | None, str | None, str | None]:
    """(street, house_number, detail) of the text after the divisions; ``None`` where absent.

    Examples
    --------
    >>> split_detail("文三路90号")
    ('文三路', '90号', None)
    >>> split_detail("下宅村万里公路832弄125号")
    ('万里公路', '832弄125号', '下宅村')
    >>> split_detail("缤纷北苑47-6-746")
    (None, None, '缤纷北苑47-6-746')
    """
    if not rest:
        return None, None, None
    if _ROAD_END_CHAR.search(rest) is None:  # a third of addresses: no road to look for
        return None, None, rest
    # A road word followed by 道 or 村 is part of a longer name (长安街道, 谢家路村): the
    # street, if any, is a later match.
    m = next(
        (
            m
            for m in (_STREET_OR_VILLAGE_ROAD if "村" in rest else _STREET).finditer(rest)
            if m.group("number") is not None or m.end() == len(rest) or rest[m.end()] not in "道村"
        ),
        None,
    )
    if m is None:
        return None, None, rest
    street = m.group("street")
    number = m.group("number")
    detail = (rest[: m.start()] + rest[m.end() :]) or None
    return street, number, detail


def has_address_detail(rest: str) -> bool:
    """True when the remainder holds anything a courier could use (a number, a name)."""
    return bool(rest) and (len(rest) >= 2 or bool(_LETTERS_OR_DIGITS.search(rest)))
