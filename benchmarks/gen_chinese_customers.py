"""Generate a Chinese customer list with known duplicates, from real addresses.

Addresses are the real user-entered delivery addresses of the ncap corpus (train or dev
split, read by path, never shipped). Each customer gets a company or person name and a
phone; some are entered again with the variations office staff produce:

* address: province dropped, 市 added or dropped, full-width digits, Chinese numerals,
  栋/幢/号楼 swapped, traditional characters, spaces and punctuation, a dropped character;
* name: company suffix dropped or changed, traditional characters, spaces, a dropped
  character;
* phone: +86 / 0086 / dashes / spaces, landline with or without area code, missing, changed.

Hard negatives are added on purpose: different companies in the same building (another
room), branches of one chain (分公司 / …店, sometimes sharing the hotline), and people with
the same name at different addresses.

Output: CSV with columns 编号, 客户名称, 联系电话, 地址, entity (the truth).

    python benchmarks/gen_chinese_customers.py --split dev --customers 3000 -o dev.csv
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

# $ADDRKIT_NCAP_DIR, else ../shared/data/ncap beside the repository (as benchmarks/ncap.py).
NCAP = Path(
    os.environ.get(
        "ADDRKIT_NCAP_DIR", Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ncap"
    )
)
SKIP_LABELS = {"person", "assist", "redundant", "otherinfo", "country"}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玲飞鹏辉斌宇浩凯健俊帆亮成峰婷雪琳晨欣怡佳"
BRAND = "华鑫盛泰恒通达丰源宏兴利隆昌瑞祥福万嘉德信诚安康永顺远新金银宝博亿美佳天海宇星光明辉阳晨润和众合鼎"
INDUSTRY = (
    "科技 贸易 商贸 实业 五金 建材 电子 机械 服装 食品 物流 家具 装饰 印刷 化工 "
    "电器 汽配 包装 纺织 塑料 照明 文具 医疗器械 网络 信息技术 餐饮管理 酒店用品"
).split()
SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司", "商行", "经营部")
CITY_PREFIX = "杭州 宁波 温州 绍兴 嘉兴 湖州 金华 台州 义乌 上海 苏州".split()
AREA_CODES = ("0571", "0574", "0577", "0575", "0573", "0572", "0579", "0576", "021")
CN_DIGITS = "零一二三四五六七八九"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Address:
    parts: list[tuple[str, str]]  # (label, text) segments in order

    def text(self) -> str:
        return "".join(t for _, t in self.parts)


def read_ncap(split: str) -> list[Address]:
    """Addresses of one ncap split as labelled segments."""
    path = NCAP / f"{split}.txt"
    if not path.exists():
        sys.exit(f"ncap corpus not found at {path}")
    addresses, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if tokens:
                addresses.append(_segments(tokens))
            tokens = []
            continue
        token, _, label = line.rpartition(" ")
        tokens.append((token, label))
    return [a for a in addresses if len(a.text()) >= 8]


def _segments(tokens: list[tuple[str, str]]) -> Address:
    parts: list[tuple[str, str]] = []
    for token, tag in tokens:
        prefix, _, label = tag.partition("-")
        if label in SKIP_LABELS:
            continue
        if prefix == "B" or not parts or parts[-1][0] != label:
            parts.append((label, token))
        else:
            parts[-1] = (label, parts[-1][1] + token)
    return Address(parts)


@cache
def _traditional_table() -> dict[int, str]:
    text = resources.files("opencc").joinpath("dictionary/STCharacters.txt").read_text("utf-8")
    table = {}
    for line in text.splitlines():
        simple, *trad = line.split()
        if len(simple) == 1 and trad and trad[0] != simple:
            table[ord(simple)] = trad[0]
    return table


def chinese_numeral(number: int) -> str:
    if number < 10:
        return CN_DIGITS[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
    return "".join(CN_DIGITS[int(d)] for d in str(number))  # 302 → 三零二


# ---------------------------------------------------------------- address variations
def drop_province(a: Address, rng) -> Address:
    return Address([p for p in a.parts if p[0] != "prov"])


def toggle_shi(a: Address, rng) -> Address:
    parts = []
    for label, text in a.parts:
        if label == "city":
            text = text[:-1] if text.endswith("市") else text + "市"
        parts.append((label, text))
    return Address(parts)


def full_width(a: Address, rng) -> Address:
    return Address([(lb, t.translate(FULLWIDTH)) for lb, t in a.parts])


def chinese_numerals(a: Address, rng) -> Address:
    def repl(m):
        return chinese_numeral(int(m.group(1))) + m.group(2)

    pattern = re.compile(r"(\d{1,3})(号楼|号|栋|幢|单元|室|楼|层)")
    return Address([(lb, pattern.sub(repl, t)) for lb, t in a.parts])


def building_word(a: Address, rng) -> Address:
    swap = {"栋": rng.choice(["幢", "号楼"]), "幢": rng.choice(["栋", "号楼"])}
    out = []
    for lb, t in a.parts:
        t = re.sub(r"(\d+)号楼", r"\1" + rng.choice(["栋", "幢"]), t)
        t = re.sub(r"(\d+)(栋|幢)", lambda m: m.group(1) + swap[m.group(2)], t)
        out.append((lb, t))
    # Addresses written as 47-6-746 become 47幢6单元746室 and back.
    text = "".join(t for _, t in out)
    if re.search(r"\d+-\d+-\d+", text) and rng.random() < 0.5:
        return Address([(lb, re.sub(r"(\d+)-(\d+)-(\d+)", r"\1幢\2单元\3室", t)) for lb, t in out])
    return Address(out)


def traditional(a: Address, rng) -> Address:
    return Address([(lb, t.translate(_traditional_table())) for lb, t in a.parts])


def spaces_punct(a: Address, rng) -> Address:
    sep = rng.choice([" ", "，", ",", "  ", "、"])
    return Address([(lb, t + sep) for lb, t in a.parts[:-1]] + a.parts[-1:])


def drop_char(a: Address, rng) -> Address:
    # A character inside a road, community or POI name, never a number.
    candidates = [
        (i, j)
        for i, (lb, t) in enumerate(a.parts)
        if lb in {"road", "poi", "community", "subpoi", "town"}
        for j, ch in enumerate(t)
        if "\u4e00" <= ch <= "\u9fff" and len(t) >= 4
    ]
    if not candidates:
        return a
    i, j = rng.choice(candidates)
    parts = list(a.parts)
    lb, t = parts[i]
    parts[i] = (lb, t[:j] + t[j + 1 :])
    return Address(parts)


ADDRESS_VARIATIONS = (
    drop_province,
    toggle_shi,
    full_width,
    chinese_numerals,
    building_word,
    traditional,
    spaces_punct,
    drop_char,
)


# ---------------------------------------------------------------- names and phones
def company_name(rng) -> tuple[str, str]:
    """(name without suffix, suffix)."""
    core = "".join(rng.sample(BRAND, 2)) + rng.choice(INDUSTRY)
    if rng.random() < 0.6:
        core = rng.choice(CITY_PREFIX) + core
    return core, rng.choice(SUFFIXES)


def person_name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def new_phone(rng) -> str:
    if rng.random() < 0.75:
        return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
    return rng.choice(AREA_CODES) + "".join(rng.choice("0123456789") for _ in range(8))


def format_phone(number: str, rng) -> str:
    if number.startswith("1"):
        style = rng.randrange(5)
        return [
            number,
            f"+86 {number[:3]}-{number[3:7]}-{number[7:]}",
            f"{number[:3]} {number[3:7]} {number[7:]}",
            f"0086{number}",
            f"+86{number}",
        ][style]
    area = number[:4] if not number.startswith("021") else number[:3]
    local = number[len(area) :]
    style = rng.randrange(4)
    return [f"{area}-{local}", f"({area}){local[:4]}-{local[4:]}", local, f"{area} {local}"][style]


def vary_name(name: str, core: str, suffix: str, rng) -> str:
    choice = rng.randrange(5)
    if suffix and choice == 0:
        return core  # suffix dropped
    if suffix and choice == 1:
        return core + rng.choice([s for s in SUFFIXES if s != suffix])  # suffix changed
    if choice == 2:
        return name.translate(_traditional_table())
    if choice == 3:
        return " ".join([core, suffix]).strip() if suffix else name[:1] + " " + name[1:]
    if len(core) >= 5:
        j = rng.randrange(1, len(core))
        return core[:j] + core[j + 1 :] + suffix  # a dropped character
    return name


@dataclass
class Record:
    name: str
    phone: str
    address: str
    entity: int


def generate(split: str, customers: int, seed: int, dup_rate: float = 0.35) -> list[Record]:
    rng = random.Random(seed)
    pool = read_ncap(split)
    rng.shuffle(pool)
    records: list[Record] = []
    entity = 0
    address_iter = iter(pool * (customers // max(len(pool), 1) + 2))

    def add_customer(name, core, suffix, phone, address: Address) -> None:
        nonlocal entity
        entity += 1
        records.append(Record(name, format_phone(phone, rng), address.text(), entity))
        if rng.random() >= dup_rate:
            return
        for _ in range(1 if rng.random() < 0.8 else 2):
            a = address
            for vary in rng.sample(ADDRESS_VARIATIONS, rng.choice([1, 2, 3])):
                a = vary(a, rng)
            n = vary_name(name, core, suffix, rng) if rng.random() < 0.7 else name
            roll = rng.random()
            p = "" if roll < 0.12 else new_phone(rng) if roll < 0.2 else format_phone(phone, rng)
            records.append(Record(n, p, a.text(), entity))

    while entity < customers:
        address = next(address_iter)
        kind = rng.random()
        if kind < 0.55:
            core, suffix = company_name(rng)
            add_customer(core + suffix, core, suffix, new_phone(rng), address)
            if rng.random() < 0.15:  # another company in the same building, other room
                other_core, other_suffix = company_name(rng)
                room = f"{rng.randint(2, 30)}{rng.randint(1, 20):02d}室"
                text = re.sub(r"\d+室?$", "", address.text()) + room
                add_customer(
                    other_core + other_suffix,
                    other_core,
                    other_suffix,
                    new_phone(rng),
                    Address([("roomno", text)]),
                )
            if rng.random() < 0.08:  # branches of one chain, sometimes sharing the hotline
                hotline = new_phone(rng)
                places = ["滨江", "西湖", "萧山", "余杭", "拱墅", "鄞州", "瓯海"]
                for place in rng.sample(places, 2):
                    branch = f"{core}{suffix}{place}分公司"
                    phone = hotline if rng.random() < 0.5 else new_phone(rng)
                    add_customer(branch, branch, "", phone, next(address_iter))
        else:
            name = person_name(rng)
            add_customer(name, name, "", new_phone(rng), address)
            if rng.random() < 0.1:  # same name, another person elsewhere
                add_customer(name, name, "", new_phone(rng), next(address_iter))
    rng.shuffle(records)
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev"), default="dev")
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    records = generate(args.split, args.customers, args.seed)
    with args.output.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["编号", "客户名称", "联系电话", "地址", "entity"])
        for i, r in enumerate(records, start=1):
            writer.writerow([f"C{i:07d}", r.name, r.phone, r.address, r.entity])
    print(f"{len(records)} records, {records and max(r.entity for r in records)} customers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
