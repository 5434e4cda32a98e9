"""The address parsers compared side by side, each behind the same small interface.

Every adapter imports its package only when first used, and says what to install
when it is missing. Each turns the package's own output into a
:class:`~benchmarks.scoring.Prediction`, so one scoring rule applies to all.

Examples
--------
>>> from benchmarks.tools import make_tool
>>> make_tool("cpca").predict_many(["浙江杭州西湖区文三路90号"])[0].levels  # doctest: +SKIP
"""

from __future__ import annotations

import abc
import enum
import importlib
from collections.abc import Sequence
from types import ModuleType

from benchmarks.ncap import Level
from benchmarks.scoring import LevelGuess, Prediction

__all__ = [
    "AddrkitTool",
    "CpcaTool",
    "JionlpTool",
    "Tool",
    "ToolName",
    "ToolNotInstalledError",
    "make_tool",
]

BENCH_INSTALL_HINT = "pip install -e '.[bench]'  (pins cpca==0.5.5, jionlp==1.5.31, psutil)"


class ToolNotInstalledError(ImportError):
    """A compared package is not installed; the message says what to install."""


class ToolName(enum.StrEnum):
    ADDRKIT = "addrkit"
    CPCA = "cpca"
    JIONLP = "jionlp"


class Tool(abc.ABC):
    """One parser under comparison: a name, a lazily imported module, one batch hook."""

    name: ToolName
    package: str
    pinned_version: str | None = None

    def __init__(self) -> None:
        self._module: ModuleType | None = None  # no import in the constructor

    @property
    def module(self) -> ModuleType:
        if self._module is None:
            try:
                self._module = importlib.import_module(self.package)
            except ImportError as err:
                raise ToolNotInstalledError(
                    f"{self.package} is not installed; in a benchmark venv run: {BENCH_INSTALL_HINT}"
                ) from err
        return self._module

    @property
    def version(self) -> str:
        """The installed version, read from package metadata (no import)."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(self.package)
        except PackageNotFoundError:
            return "(not installed)"

    @abc.abstractmethod
    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """The four levels of each text, in order."""

    def has_level(self, level: Level) -> bool:
        """Whether the tool answers this level at all (cpca has no township)."""
        return True


class AddrkitTool(Tool):
    """addrkit: current official names plus the names as written."""

    name = ToolName.ADDRKIT
    package = "addrkit"

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.to_prediction(parsed) for parsed in self.module.parse_many(texts)]

    @staticmethod
    def to_prediction(parsed) -> Prediction:
        written = parsed.as_written
        return Prediction.of(
            province=LevelGuess(parsed.province, written.province),
            city=LevelGuess(parsed.city, written.city),
            district=LevelGuess(parsed.district, written.district),
            township=LevelGuess(parsed.township, written.township),
        )


# cpca fills the prefecture column with a placeholder where there is no prefecture:
# 市辖区 / 县 under a municipality (北京市 市辖区 朝阳区), and 省直辖县级行政区划 for
# counties that answer to the province directly (仙桃市). The municipality's city is
# the municipality itself (as jionlp and addrkit answer); the others have none.
_CPCA_MUNICIPALITY_PLACEHOLDERS = frozenset({"市辖区", "县"})
_CPCA_NO_PREFECTURE = frozenset({"省直辖县级行政区划", "自治区直辖县级行政区划"})


class CpcaTool(Tool):
    """cpca 0.5.5 batch ``transform``: columns 省 市 区; no township level."""

    name = ToolName.CPCA
    package = "cpca"
    pinned_version = "0.5.5"

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        frame = self.module.transform(list(texts))
        rows = zip(frame["省"], frame["市"], frame["区"], strict=True)
        return [self.to_prediction(*row) for row in rows]

    @staticmethod
    def to_prediction(province, city, district) -> Prediction:
        province, city, district = (_text_or_none(v) for v in (province, city, district))
        if city in _CPCA_MUNICIPALITY_PLACEHOLDERS:
            city = province
        elif city in _CPCA_NO_PREFECTURE:
            city = None
        return Prediction.of(province=province, city=city, district=district)

    def has_level(self, level: Level) -> bool:
        return level is not Level.TOWNSHIP


class JionlpTool(Tool):
    """jionlp 1.5.31 ``parse_location(text, town_village=True, change2new=False)``.

    ``town_village=True`` is what makes jionlp answer the township at all;
    ``change2new=False`` keeps the names of the year the text was written.
    """

    name = ToolName.JIONLP
    package = "jionlp"
    pinned_version = "1.5.31"

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        parse = self.module.parse_location
        predictions = []
        for text in texts:
            try:
                result = parse(text, town_village=True, change2new=False)
            except Exception:  # noqa: BLE001 - a crash on one address scores as empty
                result = {}
            predictions.append(self.to_prediction(result))
        return predictions

    @staticmethod
    def to_prediction(result: dict) -> Prediction:
        return Prediction.of(
            province=_text_or_none(result.get("province")),
            city=_text_or_none(result.get("city")),
            district=_text_or_none(result.get("county")),
            township=_text_or_none(result.get("town")),
        )


def _text_or_none(value) -> str | None:
    # pandas gives NaN/None for empty cells; only non-blank strings are names.
    return value.strip() or None if isinstance(value, str) else None


_TOOLS: dict[ToolName, type[Tool]] = {
    ToolName.ADDRKIT: AddrkitTool,
    ToolName.CPCA: CpcaTool,
    ToolName.JIONLP: JionlpTool,
}


def make_tool(name: ToolName | str) -> Tool:
    """A fresh adapter by name; an unknown name lists the valid ones.

    Examples
    --------
    >>> make_tool("cpca").name.value
    'cpca'
    """
    try:
        return _TOOLS[ToolName(name)]()
    except ValueError as err:
        valid = ", ".join(t.value for t in ToolName)
        raise ValueError(f"unknown tool {name!r}; valid: {valid}") from err
