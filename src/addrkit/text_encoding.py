"""Which text encoding a CSV or a stream of address lines is in: UTF-8 or GBK/GB18030.

Excel on Chinese Windows saves CSV as GBK ("ANSI"); everything else today writes UTF-8.
Read as UTF-8 with replacement, GBK text becomes garbage that the engine labels FOREIGN;
read as GB18030, a Latin-1 or Big5 file becomes other garbage, because GB18030 accepts
most byte sequences. So bytes are tried as UTF-8 first (it almost never decodes text in
another encoding), then as GB18030, and the GB18030 reading is kept only when it looks
like Chinese text: its Han characters are among the 6,763 common ones of GB2312. Anything
else stops with a message naming ``--encoding``.
"""

from __future__ import annotations

from .errors import InputError

__all__ = ["AUTO", "detect_encoding", "decode_line", "encoding_error"]

AUTO = "auto"
_COMMON_SHARE = 0.9  # of Han characters that must be common ones for a GB18030 reading


def encoding_error(where: str, detail: str = "") -> InputError:
    return InputError(
        f"无法识别文本编码（不是 UTF-8 或 GBK/GB18030）：请用 --encoding 指定，例如 --encoding big5 / "
        f"Cannot tell the text encoding of {where} (not UTF-8 or GBK/GB18030): name it with "
        f"--encoding, e.g. --encoding big5 or --encoding latin-1{detail}"
    )


def _plausible_chinese(text: str) -> bool:
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"]
    if any("\ue000" <= ch <= "\uf8ff" for ch in text):  # private use: bytes GBK never assigned
        return False
    if not han:
        return True
    common = 0
    for ch in han:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= _COMMON_SHARE * len(han)


def detect_encoding(data: bytes, where: str = "the input") -> str:
    """``utf-8-sig`` or ``gb18030`` for these bytes, or an `InputError` naming ``--encoding``.

    Examples
    --------
    >>> detect_encoding("浙江省杭州市".encode("gbk")), detect_encoding("浙江省".encode())
    ('gb18030', 'utf-8-sig')
    >>> detect_encoding("Caf\\xe9, Stra\\xdfe 1".encode("latin-1"))
    Traceback (most recent call last):
    ...
    addrkit.errors.InputError: 无法识别文本编码（不是 UTF-8 或 GBK/GB18030）...
    """
    try:
        data.decode("utf-8-sig")
        return "utf-8-sig"
    except UnicodeDecodeError as err:
        if err.start >= len(data) - 3 and len(data) > 3:  # a sample cut inside a character
            try:
                data[: err.start].decode("utf-8-sig")
                return "utf-8-sig"
            except UnicodeDecodeError:
                pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible_chinese(text):
        return "gb18030"
    raise encoding_error(where)


def decode_line(line: bytes, encoding: str, number: int) -> str:
    """One input line as text; with ``auto``, UTF-8 or else a plausible GB18030 reading."""
    if encoding != AUTO:
        return line.decode(encoding, errors="replace")
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = line.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is None or not _plausible_chinese(text):
        raise encoding_error(f"line {number}")
    return text
