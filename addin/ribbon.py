"""The ribbon tab 地址工具 / Address Tools, driven by the registry of available buttons.

Only operations that work are on the ribbon: a button appears when its operation
is registered in :data:`BUTTONS`, never as a dead control. Operations still to
come (Tiers & regions, Customer codes, Geocode, Map) join the tuple when they land,
with a handler in :mod:`addrkit.addin.handlers`.

Every button calls one VBA callback, ``OnAction``, which hands the control id to
Python (:func:`addrkit.addin.handlers.dispatch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

__all__ = ["RibbonButton", "BUTTONS", "CALLBACK", "TAB_ID", "customui_xml"]

CUSTOMUI_NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
CALLBACK = "OnAction"  # the single VBA procedure every button calls
TAB_ID = "addrkitTab"
TAB_LABEL = "地址工具 Address Tools"


@dataclass(frozen=True, slots=True)
class RibbonButton:
    """One button: its control id, operation name, labels and built-in Office icon."""

    control_id: str
    operation: str  # name passed to addrkit.workbook.live.run_operation
    label_zh: str
    label_en: str
    tip_zh: str
    tip_en: str
    image_mso: str
    group: str

    @property
    def label(self) -> str:
        return f"{self.label_zh} {self.label_en}"


_GROUP_CLEAN = ("addrkitGroupClean", "清洗 Clean")
_GROUP_DUPLICATES = ("addrkitGroupDuplicates", "重复 Duplicates")
_GROUP_CUSTOMERS = ("addrkitGroupCustomers", "客户 Customers")
_GROUP_RUNS = ("addrkitGroupRuns", "运行 Runs")

BUTTONS: tuple[RibbonButton, ...] = (
    RibbonButton(
        "addrkitClean", "clean", "清洗校验", "Clean & validate",
        "校验并标准化地址，结果写入新列", "Validate and standardise addresses into new columns",
        "Spelling", _GROUP_CLEAN[0],
    ),
    RibbonButton(
        "addrkitSummary", "summary", "汇总", "Summary",
        "按状态、省份和问题汇总", "Counts by status, province and issue",
        "AutoSum", _GROUP_CLEAN[0],
    ),
    RibbonButton(
        "addrkitDedupe", "dedupe", "查找重复", "Find duplicates",
        "标出重复客户并列出重复组", "Mark duplicate customers and list each group",
        "RemoveDuplicates", _GROUP_DUPLICATES[0],
    ),
    RibbonButton(
        "addrkitMerge", "merge", "合并重复", "Merge duplicates",
        "把每组的信息合并到保留行，不删除任何行", "Fill each group's kept row from the others; no row is deleted",
        "MergeCenter", _GROUP_DUPLICATES[0],
    ),
    RibbonButton(
        "addrkitAssign", "assign", "分级分区", "Tiers & regions",
        "按设置表规则分级，按区域表分区并指定销售，写明依据",
        "Tier by the Settings rules, region and rep by the Regions sheet, each with its reason",
        "GroupOrgChartLayout", _GROUP_CUSTOMERS[0],
    ),
    RibbonButton(
        "addrkitCode", "code", "客户编码", "Customer codes",
        "给没有编号的客户编码，已有编号不变，编号永不重复",
        "Give rows without a customer ID a code; existing IDs never change or repeat",
        "NumberingGallery", _GROUP_CUSTOMERS[0],
    ),
    RibbonButton(
        "addrkitUndo", "undo", "撤销上次运行", "Undo last run",
        "恢复上次运行前的工作簿", "Restore the workbook as it was before the last run",
        "Undo", _GROUP_RUNS[0],
    ),
    RibbonButton(
        "addrkitShare", "share", "生成分享副本", "Share-ready copy",
        "保存不含宏和日志的副本", "Save a copy without macros or logs for teammates",
        "FileSendAsAttachment", _GROUP_RUNS[0],
    ),
    RibbonButton(
        "addrkitSettings", "settings", "立即应用设置", "Settings now",
        "读取设置表并立即生效", "Read the Settings sheet and apply it now",
        "PropertySheet", _GROUP_RUNS[0],
    ),
)  # fmt: skip

_GROUPS = (_GROUP_CLEAN, _GROUP_DUPLICATES, _GROUP_CUSTOMERS, _GROUP_RUNS)


def customui_xml(buttons: tuple[RibbonButton, ...] = BUTTONS) -> str:
    """The ``customUI14.xml`` part: one tab, its groups, one button per registered operation.

    Examples
    --------
    >>> xml = customui_xml()
    >>> 'onAction="OnAction"' in xml and 'id="addrkitClean"' in xml
    True
    """
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<customUI xmlns="{CUSTOMUI_NAMESPACE}">',
        "  <ribbon>",
        "    <tabs>",
        f"      <tab id={quoteattr(TAB_ID)} label={quoteattr(TAB_LABEL)}>",
    ]
    for group_id, group_label in _GROUPS:
        members = [b for b in buttons if b.group == group_id]
        if not members:
            continue  # a group with nothing available is left out, not shown empty
        lines.append(f"        <group id={quoteattr(group_id)} label={quoteattr(group_label)}>")
        for b in members:
            lines.append(
                f"          <button id={quoteattr(b.control_id)} label={quoteattr(b.label)}"
                f' size="large" imageMso={quoteattr(b.image_mso)}'
                f" screentip={quoteattr(b.label)}"
                f" supertip={quoteattr(f'{b.tip_zh} / {b.tip_en}')}"
                f' onAction="{CALLBACK}"/>'
            )
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines)
