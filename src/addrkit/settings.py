"""Typed settings read from the 设置 Settings sheet.

The Settings sheet is two columns, a setting name and its value, with an optional
header row. A name may be written in Chinese, English or both ("语言 Language").
Missing sheet or missing rows give the defaults below. Tier rules, the region scheme,
the code pattern and the registry are read into typed values (`addrkit.assign`); the
区域 Regions sheet and the hidden code-registry sheet come in through
`settings_from_book`, so an operation gets everything the book configures in one object.

The sheet never holds an API key itself, only a *reference* to where the key is
kept (``env:AMAP_KEY``, ``keyring:addrkit/amap``, ``file:C:/keys/amap.txt``), so a
shared workbook never leaks it. A value that looks like a bare key is refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Any

from .assign.codes import DEFAULT_CODE_PATTERN, CodePattern
from .assign.regions import DEFAULT_REGION_SCHEME, RegionScheme
from .assign.registry import REGISTRY_SHEET, CodeLedger, RegistryRef
from .assign.territories import TerritoryMap
from .assign.tiers import DEFAULT_TIER_RULES, TierRules
from .errors import SettingsError
from .references import redact, split_reference
from .table import ROLE_LABELS, ColumnRole

__all__ = [
    "Language",
    "KeyReference",
    "KeySource",
    "Settings",
    "SettingRead",
    "SETTING_LABELS",
    "settings_from_rows",
    "settings_from_book",
    "REGIONS_SHEET",
    "CODE_REGISTRY_SHEET",
    "settings_to_rows",
    "setting_field",
]


class Language(StrEnum):
    """Language of messages written into the workbook (comments, summary labels)."""

    ZH = "zh"
    EN = "en"
    BOTH = "both"


class KeySource(StrEnum):
    """Where a secret (an online provider's API key) is kept."""

    ENV = "env"
    KEYRING = "keyring"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class KeyReference:
    """A reference to a secret, never the secret itself.

    Examples
    --------
    >>> KeyReference.parse("env:AMAP_KEY")
    KeyReference(source=<KeySource.ENV: 'env'>, name='AMAP_KEY')
    >>> str(KeyReference.parse("keyring:addrkit/amap"))
    'keyring:addrkit/amap'
    """

    source: KeySource
    name: str

    @classmethod
    def parse(cls, text: str) -> KeyReference:
        found = split_reference(text, KeySource)
        if found is None:
            raise SettingsError(
                "API 密钥位置应写成 env:变量名、keyring:服务/名称 或 file:路径，不要直接填写密钥 / "
                "The API key setting must be a reference such as env:NAME, keyring:service/name "
                f"or file:PATH, never the key itself (got {redact(text)!r})"
            )
        return cls(*found)

    def __str__(self) -> str:
        return f"{self.source.value}:{self.name}"


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting an operation may read; defaults work offline.

    Examples
    --------
    >>> s = Settings()
    >>> (s.provider, s.language.value, s.mask_phones)
    ('offline', 'both', True)
    >>> settings_from_rows([("语言 Language", "en"), ("电话脱敏", "否")]).mask_phones
    False
    """

    provider: str = "offline"
    language: Language = Language.BOTH
    mask_phones: bool = True
    tier_rules: TierRules = DEFAULT_TIER_RULES
    # None: only the Regions sheet's rows give regions (no province default).
    region_scheme: RegionScheme | None = DEFAULT_REGION_SCHEME
    code_pattern: CodePattern = DEFAULT_CODE_PATTERN
    registry: RegistryRef = field(default_factory=RegistryRef)
    customer_sheet: str = ""
    api_key_ref: KeyReference | None = None
    # Headers of the customer table's columns when they are not recognised by name
    # (``收货信息``, ``Ship to``); the command line's --address-col etc. override them.
    address_col: str = ""
    name_col: str = ""
    phone_col: str = ""
    id_col: str = ""
    # Coordinate system of geocoded points written out: wgs84 (GPS, OpenStreetMap),
    # gcj02 (AMap, Tencent) or bd09 (Baidu).
    crs: str = "wgs84"
    # Read from other sheets of the book (see settings_from_book), not Settings-sheet rows.
    territories: TerritoryMap = field(default_factory=TerritoryMap, compare=False)
    code_ledger: CodeLedger = field(default_factory=CodeLedger, compare=False)
    # Settings this version does not know yet; later operations read their own keys here.
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # What each row of the Settings sheet said and what became of it (not part of the
    # settings' value: two books with the same settings compare equal).
    read_from: tuple[SettingRead, ...] = field(default=(), compare=False, repr=False)

    def checked(self) -> Settings:
        """These settings, or the first bad value's error, as a strict read raises it.

        Examples
        --------
        >>> settings_from_rows([("电话脱敏", "否")], strict=False).checked().mask_phones
        False
        >>> settings_from_rows([("语言 Language", "fr")], strict=False).checked()
        Traceback (most recent call last):
        ...
        addrkit.errors.SettingsError: 语言只能是 zh、en 或 both / Language must be zh, en or both (got 'fr')
        """
        for read in self.read_from:
            if read.error is not None:
                raise read.error
        return self


@dataclass(frozen=True, slots=True)
class SettingRead:
    """One row of the Settings sheet as read.

    ``field`` is the `Settings` field the label names (None: a setting for an operation
    to read from ``Settings.extra``); ``problem`` says, in Chinese and English, why the
    value was refused ("" when it was taken).
    """

    label: str
    written: Any
    field: str | None
    problem: str = ""
    # The error itself, raised again by `Settings.checked` (not part of the row's value).
    error: SettingsError | None = field(default=None, compare=False, repr=False)


def _column_names(role: ColumnRole) -> tuple[str, str]:
    """The Settings sheet's Chinese and English names of the row that names a column."""
    label = ROLE_LABELS[role]
    return f"{label.zh}列", label.setting_en


# Field → (Chinese label, English label, more accepted spellings). The labels are what
# `settings_to_rows` writes; any of them is accepted when reading.
SETTING_LABELS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "provider": ("地理编码服务", "Provider", ("geocoder", "服务商")),
    "language": ("语言", "Language", ()),
    "mask_phones": ("电话脱敏", "Mask phones", ("phone masking", "mask_phones")),
    "tier_rules": ("客户分级规则", "Tier rules", ("tiers", "分级规则")),
    "region_scheme": ("区域方案", "Region scheme", ("regions",)),
    "code_pattern": ("客户编码规则", "Code pattern", ("编码规则",)),
    "registry": ("登记簿", "Registry", ()),
    "customer_sheet": ("客户工作表", "Customer sheet", ()),
    "api_key_ref": (
        "API 密钥位置",
        "API key reference",
        ("api key", "api_key", "密钥", "密钥位置"),
    ),
    "address_col": (*_column_names(ColumnRole.ADDRESS), ("address_col", "address col")),
    "name_col": (*_column_names(ColumnRole.NAME), ("name_col", "name col", "名称列")),
    "phone_col": (*_column_names(ColumnRole.PHONE), ("phone_col", "phone col")),
    "id_col": (*_column_names(ColumnRole.ID), ("id_col", "id col")),
    "crs": ("坐标系", "Coordinate system", ("crs", "output crs", "输出坐标系")),
}

# Coordinate systems by every accepted spelling (addrkit.geocode.crs.CRS names them).
_CRS_NAMES = {"wgs84": "wgs84", "gps": "wgs84", "gcj02": "gcj02", "火星坐标": "gcj02",
              "bd09": "bd09", "百度坐标": "bd09"}  # fmt: skip

_TRUE = {"1", "true", "yes", "y", "on", "是", "开", "开启", "启用"}
_FALSE = {"0", "false", "no", "n", "off", "否", "关", "关闭", "不", "停用"}


def _norm(text: Any) -> str:
    return (
        re.sub(r"[\s_\-/:：()（）]+", " ", unicodedata.normalize("NFKC", str(text))).strip().lower()
    )


def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for name, (zh, en, more) in SETTING_LABELS.items():
        for label in (name, zh, en, f"{zh} {en}", *more):
            table[_norm(label)] = name
    return table


def setting_field(label: Any) -> str | None:
    """The `Settings` field a Settings-sheet label names, or None (e.g. "语言 Language" → "language")."""
    table = _lookup()
    key = _norm(label)
    if key in table:
        return table[key]
    # "语言 Language (zh/en/both)": try each word and growing prefixes of the label.
    words = key.split()
    for i in range(len(words), 0, -1):
        if " ".join(words[:i]) in table:
            return table[" ".join(words[:i])]
    return next((table[w] for w in words if w in table), None)


def _convert(name: str, value: Any) -> Any:
    text = "" if value is None else str(value).strip()
    if name == "language":
        lowered = _norm(text)
        for lang, spellings in (
            (Language.ZH, {"zh", "中文", "chinese", "cn", "zh cn"}),
            (Language.EN, {"en", "english", "英文", "英语"}),
            (Language.BOTH, {"both", "中英", "中英文", "双语", "zh en", "all", ""}),
        ):
            if lowered in spellings:
                return lang
        raise SettingsError(
            f"语言只能是 zh、en 或 both / Language must be zh, en or both (got {text!r})"
        )
    if name == "mask_phones":
        if isinstance(value, bool):
            return value
        if _norm(text) in _TRUE:
            return True
        if _norm(text) in _FALSE:
            return False
        raise SettingsError(f"电话脱敏应为 是/否 / Mask phones must be yes or no (got {text!r})")
    if name == "api_key_ref":
        return KeyReference.parse(text) if text else None
    if name == "provider":
        # Imported here: the registry imports this module (KeyReference).
        from .errors import UnknownNameError
        from .geocode.registry import canonical_provider

        try:
            return canonical_provider(text)
        except UnknownNameError as err:
            raise SettingsError(str(err).strip("\"'")) from err
    if name == "crs":
        key = re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", unicodedata.normalize("NFKC", text).lower())
        if key in _CRS_NAMES or not key:
            return _CRS_NAMES.get(key, "wgs84")
        raise SettingsError(
            "坐标系只能是 wgs84、gcj02 或 bd09 / Coordinate system must be wgs84, gcj02 or bd09 "
            f"(got {text!r})"
        )
    if name == "tier_rules":
        return TierRules.parse(text)
    if name == "code_pattern":
        return CodePattern.parse(text)
    if name == "registry":
        return RegistryRef.parse(text)
    if name == "region_scheme":
        return _scheme(text)
    return text


_NO_SCHEME = {"none", "无", "无 none", "不用", "仅区域表", "only regions sheet", "regions sheet"}


def _scheme(text: str) -> RegionScheme | None:
    lowered = _norm(text)
    if lowered in {_norm(s) for s in _NO_SCHEME}:
        return None
    if lowered in {"", "default", "默认", _norm(DEFAULT_REGION_SCHEME.name)} or lowered.startswith(
        ("七大区", "seven")
    ):
        return DEFAULT_REGION_SCHEME
    raise SettingsError(
        f"区域方案应为“{DEFAULT_REGION_SCHEME.name}”或“无”（只用区域表）/ The region scheme "
        f"must be {DEFAULT_REGION_SCHEME.name!r} or 'none' (Regions sheet only), got {text!r}"
    )


def settings_from_rows(rows: Iterable[Iterable[Any]], *, strict: bool = True) -> Settings:
    """Build settings from the Settings sheet's rows (name, value, anything else ignored).

    Parameters
    ----------
    rows : iterable of row tuples
        Cell values of the sheet, top to bottom. Rows without a known name in the
        first column go to ``Settings.extra`` (header rows and blank rows are skipped).
    strict : bool
        True raises on the first bad value. False keeps the default for every bad
        value and records why in ``Settings.read_from`` (the Settings button reports them).

    Returns
    -------
    Settings
        Defaults for everything the rows do not set; ``read_from`` holds a
        `SettingRead` per row read.

    Raises
    ------
    SettingsError
        A value is invalid, or an API key was written instead of a reference (strict only).

    Examples
    --------
    >>> s = settings_from_rows([("设置项 Setting", "值 Value"), ("Provider", "amap"),
    ...                         ("API 密钥位置", "env:AMAP_KEY")])
    >>> (s.provider, str(s.api_key_ref))
    ('amap', 'env:AMAP_KEY')
    >>> lenient = settings_from_rows([("语言 Language", "fr")], strict=False)
    >>> lenient.language.value, lenient.read_from[0].problem[:6]
    ('both', '语言只能是 ')
    """
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    read: list[SettingRead] = []
    for row in rows:
        cells = list(row)[:2] + [None, None]
        label, value = cells[0], cells[1]
        if label is None or str(label).strip() == "":
            continue
        name = setting_field(label)
        if name is None:
            if value is not None and _norm(label) not in {"设置项 setting", "setting", "设置项"}:
                extra[str(label).strip()] = str(value)
                read.append(SettingRead(str(label).strip(), value, None))
            continue
        try:
            values[name] = _convert(name, value)
        except SettingsError as err:
            read.append(SettingRead(str(label).strip(), value, name, str(err), err))
            continue
        read.append(SettingRead(str(label).strip(), value, name))
    if "region_scheme" in values:
        values["territories"] = TerritoryMap((), values["region_scheme"])
    settings = replace(Settings(), **values, extra=MappingProxyType(extra), read_from=tuple(read))
    return settings.checked() if strict else settings


def settings_to_rows(settings: Settings) -> list[tuple[str, str]]:
    """The rows `settings_from_rows` reads back: a header and one row per setting.

    Examples
    --------
    >>> settings_from_rows(settings_to_rows(Settings(language=Language.EN))) == Settings(language=Language.EN)
    True
    """
    rows = [("设置项 Setting", "值 Value")]
    for f in fields(Settings):
        if f.name not in SETTING_LABELS:
            continue
        zh, en, _ = SETTING_LABELS[f.name]
        value = getattr(settings, f.name)
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, RegionScheme) or (value is None and f.name == "region_scheme"):
            value = value.name if value is not None else "无 none"
        elif isinstance(value, bool):
            value = "是" if value else "否"
        rows.append((f"{zh} {en}", "" if value is None else str(value)))
    rows.extend(settings.extra.items())
    return rows


REGIONS_SHEET = "区域 Regions"


def settings_from_book(
    settings_rows: Iterable[Iterable[Any]] | None,
    regions_rows: Iterable[Iterable[Any]] | None = None,
    registry_rows: Iterable[Iterable[Any]] | None = None,
) -> Settings:
    """Settings from the Settings sheet, plus the Regions sheet and the hidden code registry.

    Each argument is one sheet's rows, or None when the book has no such sheet. The
    adapters (file and live Excel) read the three sheets and call this. A bad value of
    the Settings sheet is kept at its default and recorded; `Settings.checked` (what an
    operation that stops on one calls, see `addrkit.ops.base.settings_for`) raises it.

    Examples
    --------
    >>> s = settings_from_book([("区域方案 Region scheme", "无")],
    ...                        [("省", "市", "区县", "区域", "销售"), ("浙江", "", "", "华东", "王芳")])
    >>> s.region_scheme is None, s.territories.lookup("浙江省").rep, s.territories.lookup("江苏省").region
    (True, '王芳', None)
    """
    settings = settings_from_rows(settings_rows or (), strict=False)
    territories = TerritoryMap.from_rows(regions_rows or (), settings.region_scheme)
    ledger = CodeLedger.from_rows(list(registry_rows or ()))
    return replace(settings, territories=territories, code_ledger=ledger)


# The hidden sheet's name, for the adapters that read it.
CODE_REGISTRY_SHEET = REGISTRY_SHEET
