"""The layout of the customer workbook: sheet names, headers, settings and regions.

This is the single description of what ``customers.xlsx`` contains. The build script
(``scripts/make_template.py``) turns it into the workbook, the sample generator fills it
in, and code that writes output sheets can take its header names from here instead of
repeating them.

Convention: a sheet is named by its Chinese name, a space, then its English name
(``"客户 Customers"``). A header cell holds the Chinese name only; its English name is in
the cell's comment. Code that looks for a column matches on the header text, never on
the sheet name or the column position.

Examples
--------
>>> from addrkit.workbook_templates.layout import CUSTOMERS, SHEETS
>>> CUSTOMERS.name
'客户 Customers'
>>> [c.zh for c in CUSTOMERS.columns][:3]
['客户编号', '客户名称', '联系人']
>>> len(SHEETS)
8
"""

from __future__ import annotations

from dataclasses import dataclass

from addrkit.assign.codes import DEFAULT_CODE_PATTERN
from addrkit.assign.regions import DEFAULT_REGION_SCHEME, Region
from addrkit.assign.tiers import DEFAULT_TIER_RULES
from addrkit.dedupe.model import DEFAULT_THRESHOLD
from addrkit.geocode.registry import provider_names

__all__ = [
    "Column",
    "SheetLayout",
    "Setting",
    "Region",
    "CUSTOMERS",
    "SETTINGS",
    "REGIONS",
    "GEOCODED",
    "DUPLICATES",
    "MAP",
    "SUMMARY",
    "LOG",
    "SHEETS",
    "CUSTOMER_TABLE_NAME",
    "TIERS",
    "SETTING_ROWS",
    "PROVINCE_REGIONS",
]


@dataclass(frozen=True)
class Column:
    """One column of a sheet: Chinese header text, English name (in the comment), width."""

    zh: str
    en: str
    width: float = 12.0
    number_format: str = "General"
    help_en: str = ""


@dataclass(frozen=True)
class SheetLayout:
    """One sheet: its name (``"<Chinese> <English>"``) and its header columns."""

    zh: str
    en: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return f"{self.zh} {self.en}"

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.zh for c in self.columns)


@dataclass(frozen=True)
class Setting:
    """One row of the Settings sheet: labels (the name addrkit reads), default value, help."""

    key: str  # field of addrkit.settings.Settings, or a name kept in Settings.extra
    label_zh: str
    label_en: str
    value: str | int | float
    help_zh: str
    help_en: str
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.label_zh} {self.label_en}"


TEXT = "@"
MONEY = "#,##0.00"
WHOLE = "0"

# The Excel table on the Customers sheet is called this; code may look it up by name but
# must fall back to header detection (users rename tables).
CUSTOMER_TABLE_NAME = "Customers"

# Values offered by the 客户等级 Tier drop-down.
TIERS = ("A", "B", "C", "D")

CUSTOMERS = SheetLayout(
    "客户",
    "Customers",
    (
        Column("客户编号", "Customer ID", 12, TEXT),
        Column("客户名称", "Name", 30, TEXT, "Company or person"),
        Column("联系人", "Contact", 10, TEXT),
        Column("电话", "Phone", 19, TEXT, "Kept as text so leading 0 and + survive"),
        Column("地址", "Address", 44, TEXT, "As typed; addrkit never overwrites it"),
        Column("省", "Province", 10, TEXT),
        Column("市", "City", 10, TEXT),
        Column("区县", "District", 10, TEXT),
        Column("客户等级", "Tier", 9, TEXT, "A / B / C / D"),
        Column("年销售额", "Revenue", 14, MONEY, "Yuan per year"),
        Column("订单数", "Orders", 8, WHOLE),
        Column("合作年限", "Years", 9, WHOLE, "Years as a customer"),
        Column("信用", "Credit", 7, WHOLE, "Credit score 0-100"),
        Column("销售", "Sales rep", 10, TEXT),
        Column("备注", "Notes", 24, TEXT),
    ),
)

# Read by addrkit.settings: the setting's name in the first column (Chinese and English
# label, or either), its value in the second; everything to the right is for people.
SETTINGS = SheetLayout(
    "设置",
    "Settings",
    (
        Column(
            "设置项", "Setting", 30, TEXT, "Chinese and English name; addrkit reads this column"
        ),
        Column("值", "Value", 34, TEXT, "Change the value here"),
        Column("说明", "Help", 90, TEXT),
    ),
)

REGIONS = SheetLayout(
    "区域",
    "Regions",
    (
        Column("省", "Province", 18, TEXT),
        Column("市", "City (empty: whole province)", 14, TEXT),
        Column("区县", "District (empty: whole city)", 14, TEXT),
        Column("区域", "Region", 10, TEXT),
        Column("销售", "Sales rep", 12, TEXT),
    ),
)

GEOCODED = SheetLayout(
    "地理编码",
    "Geocoded",
    (
        Column("客户编号", "Customer ID", 12, TEXT),
        Column("客户名称", "Name", 28, TEXT),
        Column("地址", "Address", 40, TEXT),
        Column("标准地址", "Normalized address", 40, TEXT),
        Column("省", "Province", 10, TEXT),
        Column("市", "City", 10, TEXT),
        Column("区县", "District", 10, TEXT),
        Column("乡镇街道", "Township", 12, TEXT),
        Column("行政区划代码", "Division code (adcode)", 13, TEXT),
        Column("纬度", "Latitude", 10, "0.000000"),
        Column("经度", "Longitude", 10, "0.000000"),
        Column("精度", "Precision", 9, TEXT),
        Column("坐标系", "Coordinate system", 9, TEXT),
        Column("来源", "Provider", 10, TEXT),
        Column("状态", "Status", 9, TEXT),
    ),
)

DUPLICATES = SheetLayout(
    "重复",
    "Duplicates",
    (
        Column("重复组", "Cluster ID", 9, TEXT),
        Column("客户编号", "Customer ID", 12, TEXT),
        Column("客户名称", "Name", 28, TEXT),
        Column("电话", "Phone", 16, TEXT),
        Column("地址", "Address", 40, TEXT),
        Column("相似度", "Match score", 9, "0.00"),
        Column("原因", "Match reason", 36, TEXT),
        Column("建议", "Suggested action", 12, TEXT),
    ),
)

MAP = SheetLayout(
    "地图",
    "Map",
    (
        Column("区域", "Region", 12, TEXT),
        Column("客户数", "Customers", 10, WHOLE),
        Column("年销售额", "Revenue", 14, MONEY),
        Column("图例", "Legend", 30, TEXT),
    ),
)

SUMMARY = SheetLayout(
    "汇总",
    "Summary",
    (
        Column("类别", "Category", 14, TEXT),
        Column("项目", "Item", 20, TEXT),
        Column("客户数", "Customers", 10, WHOLE),
        Column("年销售额", "Revenue", 16, MONEY),
        Column("占比", "Share", 9, "0.0%"),
        Column("说明", "Note", 40, TEXT),
    ),
)

LOG = SheetLayout(
    "日志",
    "Log",
    (
        Column("时间", "Time", 19, "yyyy-mm-dd hh:mm:ss"),
        Column("运行编号", "Run ID", 14, TEXT),
        Column("操作", "Operation", 14, TEXT),
        Column("工作表", "Sheet", 14, TEXT),
        Column("单元格", "Cell", 9, TEXT),
        Column("原值", "Old value", 30, TEXT),
        Column("新值", "New value", 30, TEXT),
        Column("原因", "Reason", 36, TEXT),
    ),
)

# Sheet order in the workbook.
SHEETS = (CUSTOMERS, SETTINGS, REGIONS, GEOCODED, DUPLICATES, MAP, SUMMARY, LOG)

# Rows of the Settings sheet. An API key is never stored in the workbook: the workbook
# is shared with teammates, so it only names the environment variable that holds one.
SETTING_ROWS = (
    Setting(
        "provider",
        "地理编码服务",
        "Provider",
        "offline",
        "offline = 仅用内置行政区划数据，地址不离开本机。选择在线服务前请确认可以把地址发给该公司。",
        "offline = built-in divisions only, addresses never leave this computer. "
        "Choose an online provider only if addresses may be sent to that company.",
        provider_names(),  # the registry's names: every one offered works
    ),
    Setting(
        "api_key_ref",
        "API 密钥位置",
        "API key reference",
        "env:ADDRKIT_GEOCODER_KEY",
        "在线服务密钥存放的位置：env:环境变量名、keyring:服务/名称 或 file:路径。"
        "工作簿会分享给同事，绝不要把密钥本身写在这里。",
        "Where the online provider's key is kept: env:NAME, keyring:service/name or "
        "file:PATH. The workbook is shared: never type the key itself here.",
    ),
    Setting(
        "crs",
        "坐标系",
        "Coordinate system",
        "wgs84",
        "地理编码结果的坐标系：wgs84 = GPS、OpenStreetMap、谷歌地球；gcj02 = 高德、腾讯地图（国测局）；"
        "bd09 = 百度地图。在线服务返回的点也换算到这里选的坐标系。",
        "Coordinate system of geocoded points: wgs84 = GPS, OpenStreetMap, Google Earth; "
        "gcj02 = AMap, Tencent maps (China's GCJ-02); bd09 = Baidu maps. Points from an "
        "online provider are converted to it too.",
        ("wgs84", "gcj02", "bd09"),
    ),
    Setting(
        "language",
        "语言",
        "Language",
        "both",
        "结果与说明的语言：zh 中文、en 英文、both 中英双语。",
        "Language of results and explanations: zh, en or both.",
        ("zh", "en", "both"),
    ),
    Setting(
        "mask_phones",
        "电话脱敏",
        "Mask phones",
        "是",
        "是 = 分享副本与日志中电话只显示后四位。",
        "Yes = share-ready copies and the log show only the last four digits of phones.",
        ("是", "否"),
    ),
    Setting(
        "tier_rules",
        "客户分级规则",
        "Tier rules",
        str(DEFAULT_TIER_RULES),
        "从上到下第一条满足的规则生效（字段：revenue 销售额、orders 订单数、years 合作年限、"
        "credit 信用；and 且、or 或）；信用分低于 60 的客户最多为 C 级。也可写 "
        "“ABC A=80% B=95%”（按累计销售额占比）或 “RFM A>=13 B>=10 C>=7 D”（需“最近下单”列）。",
        "The first rule that holds wins (fields: revenue, orders, years, credit; and, or); "
        "a credit score below 60 is tier C at best. Or write 'ABC A=80% B=95%' (Pareto by "
        "cumulative revenue share) or 'RFM A>=13 B>=10 C>=7 D' (needs a last-order column).",
    ),
    Setting(
        "region_scheme",
        "区域方案",
        "Region scheme",
        DEFAULT_REGION_SCHEME.name,
        "默认按省划分七大区和港澳台；在“区域 Regions”表中可按市、区县细分并指定销售。"
        "写“无”则只用区域表，表中没有的客户标为未分区。",
        "By default the seven regions and Hong Kong/Macao/Taiwan by province; add city or "
        "district rows on the Regions sheet to refine them and name the sales rep. Write "
        "'none' to use the Regions sheet only (customers it lacks are flagged).",
    ),
    Setting(
        "code_pattern",
        "客户编码规则",
        "Code pattern",
        str(DEFAULT_CODE_PATTERN),
        "新客户编号的格式：{REGION} 区域字母，{PROV} 省份字母（ISO 3166-2:CN），{ADCODE:4} "
        "区划代码前几位，{TYPE} 客户类型，{YEAR} 年份，{SEQ:05} 五位流水号，{CHECK} 校验位"
        "（ISO/IEC 7064 MOD 37,36）。只给空的客户编号编码，已有编号永不改变。",
        "Pattern for new customer codes: {REGION} region letters, {PROV} province letters "
        "(ISO 3166-2:CN), {ADCODE:4} leading digits of the division code, {TYPE} customer "
        "type, {YEAR}, {SEQ:05} a five-digit running number, {CHECK} a check character "
        "(ISO/IEC 7064 MOD 37,36). Only empty Customer IDs get a code; existing ones never change.",
    ),
    Setting(
        "registry",
        "登记簿",
        "Registry",
        "workbook",
        "已发放编号的登记处，保证编号永不重复：workbook = 本工作簿的隐藏表；团队共用时写 "
        "sqlite:共享文件夹路径\\codes.db 或 postgresql://用户@服务器/数据库（密码不要写在这里）。",
        "Where issued codes are recorded so none is ever issued twice: workbook = a hidden "
        "sheet of this book; for a team, sqlite:\\\\server\\share\\codes.db or "
        "postgresql://user@host/db (never a password here).",
    ),
    Setting(
        "customer_sheet",
        "客户工作表",
        "Customer sheet",
        CUSTOMERS.name,
        "客户表所在的工作表；留空则按列标题自动查找。",
        "Sheet holding the customer table; leave empty to find it by its headers.",
    ),
    Setting(
        "dedupe_threshold",
        "重复判定阈值",
        "Duplicate threshold",
        DEFAULT_THRESHOLD,  # one default for the workbook and the command line
        "相似度达到此值（0–1）的两位客户列为疑似重复。",
        "Two customers scoring at least this (0-1) are listed as likely duplicates.",
    ),
    Setting(
        "survivorship",
        "保留规则",
        "Survivorship",
        "最完整",
        "合并重复时保留哪一行：最完整 = 填写最全的一行，最新 = 日期列最新的一行；"
        "在“保留”列标记的行始终优先。",
        "Which row a merge keeps: 最完整 most complete, or 最新 most recent by a date "
        "column; a row marked in a 保留 Keep column always wins.",
        ("最完整", "最新"),
    ),
    Setting(
        "default_country",
        "默认国家",
        "Default country",
        "CN",
        "地址没写国家时按此国家解析（ISO 两位代码）。",
        "Country assumed when an address names none (ISO 3166 two-letter code).",
    ),
)

# Default scheme (seven regions + 港澳台): every provincial-level division by its official name,
# grouped by region; taken from the engine so the sheet and ADDR_REGION agree.
PROVINCE_REGIONS: tuple[tuple[str, Region], ...] = tuple(DEFAULT_REGION_SCHEME.provinces.items())
