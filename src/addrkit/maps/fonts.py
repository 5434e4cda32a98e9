"""A font that draws Chinese, found among the fonts already installed (none is shipped).

Matplotlib's default font (DejaVu Sans) has no CJK glyphs: 浙江 would come out as
boxes. `find_cjk_font` looks for the usual CJK fonts of each system by name, then, if
none is known, for any installed font that has the glyphs. When there is none at all
the maps are drawn with English labels only and say which package to install.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["CJK_FONT_NAMES", "FontChoice", "find_cjk_font", "INSTALL_HINT"]

# In order of preference: Debian/Ubuntu (fonts-noto-cjk, fonts-wqy-*), Windows, macOS.
CJK_FONT_NAMES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "SimHei",
    "DengXian",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Arial Unicode MS",
)
# Glyphs a map needs: a province suffix, a region and a digit-free label.
_PROBE = "省市区华东客户分布"

INSTALL_HINT = (
    "未找到中文字体，地图只用英文标签 / No Chinese font found: map labels are in English only "
    "(Debian/Ubuntu: apt-get install fonts-noto-cjk)"
)


@dataclass(frozen=True, slots=True)
class FontChoice:
    """A font family matplotlib can use by name, and the file it comes from."""

    name: str
    path: str


def _has_glyphs(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):  # unreadable or unsupported font file
        return False
    return all(ord(ch) in charmap for ch in _PROBE)


# Matplotlib's own fallback font (3.10+) maps every character to a box: "having" the
# glyphs, it would be chosen by the scan and every Chinese label drawn as boxes.
_PLACEHOLDER_FONTS = ("Last Resort",)


@lru_cache(maxsize=8)
def find_cjk_font(names: tuple[str, ...] = CJK_FONT_NAMES, scan: bool = True) -> FontChoice | None:
    """The first installed font of `names`, else (with `scan`) any installed font with
    Chinese glyphs, else None.

    Matplotlib keeps its list of fonts in a cache made on first use, and does not look
    again: a font installed later (as `INSTALL_HINT` asks) is not in it. So the system's
    font files missing from that list are looked at too, and the one chosen is added.

    Examples
    --------
    >>> find_cjk_font(names=("No Such Font",), scan=False) is None
    True
    >>> found = find_cjk_font()
    >>> found is None or bool(found.name)
    True
    """
    from matplotlib import font_manager

    by_name: dict[str, str] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, entry.fname)
    for name in names:
        if name in by_name and _has_glyphs(by_name[name]):
            return FontChoice(name, by_name[name])
    installed_since = _installed_since(by_name.values())
    for name in names:
        if name in installed_since and _has_glyphs(installed_since[name]):
            return _added(name, installed_since[name])
    if not scan:
        return None
    for name, path in sorted(by_name.items()):
        if not name.startswith(_PLACEHOLDER_FONTS) and _has_glyphs(path):
            return FontChoice(name, path)
    for name, path in sorted(installed_since.items()):
        if not name.startswith(_PLACEHOLDER_FONTS) and _has_glyphs(path):
            return _added(name, path)
    return None


def _installed_since(cached_paths) -> dict[str, str]:
    """Family name -> file of the system's fonts that matplotlib's cached list lacks."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    known = set(cached_paths)
    found: dict[str, str] = {}
    for path in sorted(font_manager.findSystemFonts()):
        if path in known:
            continue
        try:
            font = FT2Font(path)
        except (OSError, RuntimeError, ValueError):  # unreadable or unsupported font file
            continue
        if font.family_name not in found or font.style_name == "Regular":  # not Bold, Light …
            found[font.family_name] = path
    return found


def _added(name: str, path: str) -> FontChoice:
    """``name`` made usable by name for this process (added to matplotlib's font list)."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    return FontChoice(font_manager.FontProperties(fname=path).get_name(), path)
