"""Typed settings from the Settings sheet."""

from __future__ import annotations

from importlib import resources

import openpyxl
import pytest

from addrkit.errors import SettingsError
from addrkit.settings import (
    KeyReference,
    KeySource,
    Language,
    Settings,
    settings_from_rows,
    settings_to_rows,
)


def test_defaults_when_nothing_is_set():
    assert settings_from_rows([]) == Settings()
    assert Settings().api_key_ref is None


def test_labels_in_chinese_english_or_both():
    s = settings_from_rows(
        [
            ("语言", "en"),
            ("Mask phones", "no"),
            ("地理编码服务 Provider", "AMAP"),
            ("Customer sheet", "Clients"),
        ]
    )
    assert (s.language, s.mask_phones, s.provider, s.customer_sheet) == (
        Language.EN,
        False,
        "amap",
        "Clients",
    )


def test_unknown_rows_are_kept_as_extra():
    s = settings_from_rows(
        [("设置项 Setting", "值 Value"), ("重复判定阈值 Duplicate threshold", 0.85), (None, None)]
    )
    assert s.extra == {"重复判定阈值 Duplicate threshold": "0.85"}


@pytest.mark.parametrize(
    "ref", ["env:AMAP_KEY", "keyring:addrkit/amap", "file:C:/keys/amap.txt", " ENV : X "]
)
def test_key_references(ref):
    parsed = settings_from_rows([("API 密钥位置", ref)]).api_key_ref
    assert isinstance(parsed, KeyReference) and parsed.source in KeySource


def test_a_bare_key_is_refused_and_not_echoed():
    with pytest.raises(SettingsError) as err:
        settings_from_rows([("API key reference", "3f9a8b7c6d5e4f3a2b1c")])
    assert "3f9a8b7c6d5e4f3a2b1c" not in str(err.value)
    assert "env:" in str(err.value)


@pytest.mark.parametrize(
    ("row", "message"), [(("语言", "fr"), "Language"), (("电话脱敏", "maybe"), "Mask phones")]
)
def test_bad_values_say_what_is_allowed(row, message):
    with pytest.raises(SettingsError, match=message):
        settings_from_rows([row])


def test_round_trip_through_rows():
    s = Settings(
        language=Language.ZH, mask_phones=False, api_key_ref=KeyReference(KeySource.ENV, "K")
    )
    assert settings_from_rows(settings_to_rows(s)) == s


def test_the_bundled_template_settings_sheet_reads():
    path = resources.files("addrkit.workbook_templates").joinpath("customers.xlsx")
    wb = openpyxl.load_workbook(str(path))
    s = settings_from_rows(wb["设置 Settings"].iter_rows(values_only=True))
    assert s.provider == "offline" and s.language is Language.BOTH and s.mask_phones is True
    assert str(s.api_key_ref) == "env:ADDRKIT_GEOCODER_KEY"
    assert s.customer_sheet == "客户 Customers"


def test_provider_names_are_checked_against_the_registry():
    """A provider no class answers to stops a run when read, not half-way through a geocode."""
    from addrkit.geocode.registry import provider_class, provider_names

    for written, name in (("高德", "amap"), ("OSM", "nominatim"), ("", "offline")):
        assert settings_from_rows([("地理编码服务 Provider", written)]).provider == name
    for name in provider_names():
        assert provider_class(settings_from_rows([("Provider", name)]).provider).name == name
    with pytest.raises(SettingsError, match="tencent.*valid: offline, nominatim"):
        settings_from_rows([("地理编码服务 Provider", "tencent")])
    lenient = settings_from_rows([("地理编码服务 Provider", "tianditu")], strict=False)
    assert lenient.provider == "offline"
    assert "未知地理编码服务" in lenient.read_from[0].problem


def test_the_settings_check_reports_an_unknown_provider():
    from addrkit.ops.settings import BAD, run_settings
    from addrkit.progress import Progress

    s = settings_from_rows([("地理编码服务 Provider", "tencent")], strict=False)
    plan = run_settings(None, s, Progress())
    (row,) = [r for r in plan.sheets[0].rows if r[3] == BAD]
    assert row[:3] == ("地理编码服务 Provider", "tencent", "offline")
    assert "Unknown geocoding provider" in row[4]


def test_a_book_is_read_leniently_and_checked_in_one_place():
    """settings_from_book records bad values; Settings.checked raises the very error a
    strict read raises (its type too: a bad code pattern is a CodePatternError)."""
    from addrkit.errors import CodePatternError
    from addrkit.settings import settings_from_book

    rows = [("客户编码规则 Code pattern", "{NOPE}"), ("语言 Language", "fr")]
    book = settings_from_book(rows)
    assert [r.problem != "" for r in book.read_from] == [True, True]
    with pytest.raises(CodePatternError) as strict:
        settings_from_rows(rows)
    with pytest.raises(CodePatternError) as checked:
        book.checked()
    assert str(checked.value) == str(strict.value)
    good = settings_from_book([("语言 Language", "en")])
    assert good.checked() is good
