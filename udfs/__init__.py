"""Excel formulas (UDFs) of addrkit, served by xlwings.

Excel calls ``addrkit.udfs.<NAME>``; every formula registered in
:mod:`addrkit.udfs.registry` is exported here under its Excel name.

Examples
--------
>>> from addrkit import udfs
>>> udfs.VALIDATE_ADDR([["浙江省杭州市西湖区文三路90号"]])
'正常 OK'
"""

from __future__ import annotations

from .registry import formulas

globals().update({name: spec.function for name, spec in formulas().items()})

__all__ = sorted(formulas())  # noqa: PLE0605 - the formula names, known after registration
