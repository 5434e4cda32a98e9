"""Settings now (立即应用设置): check the 设置 Settings sheet and show what is in effect.

Every run reads the Settings sheet afresh, and a bad value stops it with a message
naming that one value. This button reads the sheet leniently instead: it lists every
setting with the value written, the value in effect and, for each bad value, why it was
refused (the default stays in effect), on the 设置检查 Settings check sheet, so a person
sees all problems at once and fixes them before the next run.
"""

from __future__ import annotations

from enum import Enum
from types import MappingProxyType
from typing import Any

from ..errors import SettingsError
from ..progress import Progress
from ..settings import SETTING_LABELS, SettingRead, Settings
from .base import CustomerTable, Operation, RibbonGroup, RibbonPlace
from .plan import ChangePlan, SheetWrite
from .survivor import duplicate_options

__all__ = ["CHECK_SHEET", "run_settings", "OPERATION"]

CHECK_SHEET = "设置检查 Settings check"
OK = "正确 OK"
DEFAULT = "默认 Default"
BAD = "错误 Bad value"
OTHER = "其他设置 Other setting"


def _shown(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    return "" if value is None else str(value)


def _rows(settings: Settings) -> list[tuple[str, str, str, str, str]]:
    by_field: dict[str, SettingRead] = {}
    for read in settings.read_from:
        if read.field is not None:
            by_field[read.field] = read  # the last row naming a setting wins, as when read
    rows = []
    for name, (zh, en, _) in SETTING_LABELS.items():
        read = by_field.get(name)
        in_effect = _shown(getattr(settings, name))
        if read is None:
            rows.append((f"{zh} {en}", "", in_effect, DEFAULT, ""))
        elif read.problem:
            rows.append((read.label, _shown(read.written), in_effect, BAD, read.problem))
        else:
            rows.append((read.label, _shown(read.written), in_effect, OK, ""))
    for read in settings.read_from:
        if read.field is None:
            written = _shown(read.written)
            problem = _extra_problem(read)
            if problem:  # the operation reading it stops: nothing of it is in effect
                rows.append((read.label, written, "", BAD, problem))
            else:
                rows.append((read.label, written, written, OTHER, ""))
    return rows


def _extra_problem(read: SettingRead) -> str:
    """Why an operation would refuse this row of its own (duplicate threshold, survivorship),
    checked on the row alone so the message lands on the row at fault; "" when none."""
    alone = Settings(extra=MappingProxyType({read.label: str(read.written)}))
    try:
        duplicate_options(alone)
    except SettingsError as err:
        return str(err)
    return ""


def run_settings(table: CustomerTable | None, settings: Settings, progress: Progress) -> ChangePlan:
    """Plan the 设置检查 Settings check sheet from the Settings sheet as read.

    Returns
    -------
    ChangePlan
        One `SheetWrite`: a row per setting (label, value written, value in effect,
        result, problem); ``summary`` counts the settings read and the bad values.

    Examples
    --------
    >>> from addrkit.settings import settings_from_rows
    >>> s = settings_from_rows([("语言 Language", "fr"), ("电话脱敏", "否")], strict=False)
    >>> plan = run_settings(None, s, Progress())
    >>> plan.summary
    (('settings', 2), ('bad', 1))
    >>> [r[:4] for r in plan.sheets[0].rows if r[3] != "默认 Default"][1:]
    [('语言 Language', 'fr', 'both', '错误 Bad value'), ('电话脱敏', '否', '否 no', '正确 OK')]
    """
    rows = _rows(settings)
    bad = [r for r in rows if r[3] == BAD]
    header = ("设置项 Setting", "填写值 Written", "生效值 In effect", "结果 Result", "问题 Problem")
    notes = [f"设置检查 Settings checked: {len(settings.read_from)} read, {len(bad)} bad"]
    notes += [f"{r[0]}: {r[4]}" for r in bad]
    return ChangePlan(
        operation=OPERATION.name,
        sheets=(SheetWrite(CHECK_SHEET, (header, *rows), column_widths=(32, 36, 36, 18, 80)),),
        notes=tuple(notes),
        warnings=tuple(f"{r[0]}: {r[4]}" for r in bad),
        summary=(("settings", len(settings.read_from)), ("bad", len(bad))),
    )


OPERATION = Operation(
    "settings",
    "立即应用设置",
    "Settings now",
    run_settings,
    needs_table=False,
    tip_zh="检查设置表，列出生效的设置和错误的值",
    tip_en="Check the Settings sheet: the settings in effect and any bad values",
    ribbon=RibbonPlace(RibbonGroup.RUNS, "PropertySheet", 30),
    strict_settings=False,
)
