"""The ribbon tab 地址工具 / Address Tools, generated from the operation registry.

Every button is an operation of :data:`addrkit.ops.OPERATIONS` that has a ribbon place
(`addrkit.ops.RibbonPlace`): its control id, label, tooltip, icon and group come from
there, so the ribbon, the VBA dispatcher (:func:`addrkit.addin.vba_sources.ribbon_module`)
and the Python handlers (:mod:`addrkit.addin.handlers`) always list the same buttons,
and a button exists only for an operation that exists.

Every button calls one VBA callback, ``OnAction``, which hands the control id to
Python (:func:`addrkit.addin.handlers.dispatch`).
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from addrkit.ops import Operation, RibbonGroup, ribbon_operations

__all__ = ["BUTTONS", "CALLBACK", "TAB_ID", "customui_xml"]

CUSTOMUI_NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
CALLBACK = "OnAction"  # the single VBA procedure every button calls
TAB_ID = "addrkitTab"
TAB_LABEL = "地址工具 Address Tools"

BUTTONS: tuple[Operation, ...] = ribbon_operations()


def customui_xml(buttons: tuple[Operation, ...] = BUTTONS) -> str:
    """The ``customUI14.xml`` part: one tab, its groups, one button per ribbon operation.

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
    for group in RibbonGroup:
        members = [b for b in buttons if b.ribbon is not None and b.ribbon.group is group]
        if not members:
            continue  # a group with nothing available is left out, not shown empty
        lines.append(
            f"        <group id={quoteattr(group.control_id)} label={quoteattr(group.label)}>"
        )
        for b in members:
            lines.append(
                f"          <button id={quoteattr(b.control_id)} label={quoteattr(b.label)}"
                f' size="large" imageMso={quoteattr(b.ribbon.icon)}'
                f" screentip={quoteattr(b.label)}"
                f" supertip={quoteattr(b.tip)}"
                f' onAction="{CALLBACK}"/>'
            )
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines)
