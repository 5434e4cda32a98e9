"""Reader for the labelled addresses of the NCAP corpus (Li & Lu, NAACL 2019).

The corpus is used by path only and never shipped with addrkit. Each split is a
text file with one ``TOKEN LABEL`` pair a line (BIO tags) and a blank line
between addresses. Tokens are usually one character but can be longer (``602``,
``KTV``); the address text is the tokens joined without spaces, as it was typed.

Only the four administrative labels matter here: ``prov``, ``city``,
``district`` and ``town``. The gold keeps the text as written (``浙江``,
``义乌``), so comparisons must ignore admin suffixes (see ``scoring.py``).

Examples
--------
>>> from benchmarks.ncap import parse_ncap_lines, Level
>>> lines = ["金 B-city", "华 I-city", "永 B-district", "康 I-district", "市 I-district",
...          "1 B-roadno", "号 I-roadno", ""]
>>> [(a.text, a.gold[Level.CITY], a.gold[Level.DISTRICT]) for a in parse_ncap_lines(lines)]
[('金华永康市1号', '金华', '永康市')]
"""

from __future__ import annotations

import enum
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "DATA_DIR_ENV",
    "Level",
    "LabelledAddress",
    "NcapNotFoundError",
    "NcapFormatError",
    "Split",
    "default_data_dir",
    "parse_ncap_lines",
    "read_split",
]

#: Environment variable that overrides where the corpus lives.
DATA_DIR_ENV = "ADDRKIT_NCAP_DIR"

# benchmarks/ncap.py -> repository root -> ../shared/data/ncap
_REPO_ROOT = Path(__file__).resolve().parents[1]
_DEFAULT_DATA_DIR = _REPO_ROOT.parent / "shared" / "data" / "ncap"


class Level(enum.StrEnum):
    """The four administrative levels, valued by the ncap label that marks them."""

    PROVINCE = "prov"
    CITY = "city"
    DISTRICT = "district"
    TOWNSHIP = "town"

    @property
    def field_name(self) -> str:
        """The matching ``ParsedAddress`` attribute (``province`` … ``township``)."""
        return _FIELD_NAMES[self]


_FIELD_NAMES = {
    Level.PROVINCE: "province",
    Level.CITY: "city",
    Level.DISTRICT: "district",
    Level.TOWNSHIP: "township",
}


class Split(enum.StrEnum):
    """The splits that may be used for tuning and reporting (the third is kept apart)."""

    TRAIN = "train"
    DEV = "dev"


class NcapNotFoundError(FileNotFoundError):
    """The corpus file is not where it was looked for; the message says where and how to fix."""


class NcapFormatError(ValueError):
    """A line of the corpus is not ``TOKEN LABEL`` with a BIO tag."""


@dataclass(frozen=True, slots=True)
class LabelledAddress:
    """One address of the corpus: its text and the gold name of each level it names.

    ``gold`` holds the first span of each administrative label, as written;
    ``admin_end`` is where the last administrative token ends in ``text`` (-1: not known,
    for addresses made by hand), so the text after the divisions is exact even where a
    name is written twice (绍兴绍兴县柯桥…).
    """

    text: str
    gold: Mapping[Level, str] = field(default_factory=lambda: MappingProxyType({}))
    admin_end: int = -1


def default_data_dir() -> Path:
    """Where the corpus is read from: ``$ADDRKIT_NCAP_DIR`` or ``../shared/data/ncap``."""
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else _DEFAULT_DATA_DIR


def read_split(
    split: Split | str = Split.DEV, data_dir: Path | str | None = None
) -> list[LabelledAddress]:
    """Read one split of the corpus.

    Parameters
    ----------
    split : Split or str
        ``"train"`` or ``"dev"``.
    data_dir : path, optional
        Folder holding ``train.txt`` and ``dev.txt``; defaults to :func:`default_data_dir`.

    Returns
    -------
    list of LabelledAddress
        In file order.

    Raises
    ------
    NcapNotFoundError
        The file does not exist (the message names the path and the override).

    Examples
    --------
    >>> from benchmarks.ncap import read_split
    >>> len(read_split("dev")) > 0   # doctest: +SKIP
    True
    """
    split = Split(split)
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    path = folder / f"{split.value}.txt"
    if not path.is_file():
        raise NcapNotFoundError(
            f"NCAP corpus split not found: {path}. Pass --data-dir or set {DATA_DIR_ENV} "
            "to the folder holding train.txt and dev.txt."
        )
    with path.open(encoding="utf-8") as handle:
        return list(parse_ncap_lines(handle, source=str(path)))


def parse_ncap_lines(lines: Iterable[str], source: str = "<lines>") -> Iterator[LabelledAddress]:
    """Turn ``TOKEN LABEL`` lines into addresses (a blank line ends an address).

    Returns
    -------
    iterator of LabelledAddress
    """
    tokens: list[tuple[str, str]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            if tokens:
                yield _assemble(tokens)
                tokens = []
            continue
        parts = line.rsplit(" ", 1)
        if len(parts) != 2 or not parts[0] or parts[1][:2] not in ("B-", "I-"):
            raise NcapFormatError(f"{source}:{number}: expected 'TOKEN B-/I-LABEL', got {line!r}")
        tokens.append((parts[0], parts[1]))
    if tokens:
        yield _assemble(tokens)


_ADMIN_LABELS = {level.value: level for level in Level}


def _assemble(tokens: list[tuple[str, str]]) -> LabelledAddress:
    text = "".join(token for token, _ in tokens)
    gold: dict[Level, str] = {}
    current: Level | None = None  # the admin span being collected, if any
    span: list[str] = []
    at = admin_end = 0
    for token, tag in tokens:
        prefix, label = tag[:2], tag[2:]
        level = _ADMIN_LABELS.get(label)
        at += len(token)
        if level is not None:
            admin_end = at
        if current is not None and (prefix == "B-" or level is not current):
            gold.setdefault(current, "".join(span))  # first span of a label wins
            current, span = None, []
        if level is None:
            continue
        if current is None:
            # A B- tag starts a span; so does a stray I- tag with no B- before it.
            current, span = level, [token]
        else:
            span.append(token)
    if current is not None:
        gold.setdefault(current, "".join(span))
    return LabelledAddress(text=text, gold=MappingProxyType(gold), admin_end=admin_end)
