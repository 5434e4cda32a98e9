"""The value object every address operation returns."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from .issues import Issue, Status

__all__ = ["ParsedAddress", "AsWritten", "Precision", "ADMIN_LEVELS"]

ADMIN_LEVELS = ("province", "city", "district", "township")


class Precision(StrEnum):
    """How exact a coordinate is: the deepest level it stands for."""

    NONE = "none"
    COUNTRY = "country"
    PROVINCE = "province"
    CITY = "city"
    DISTRICT = "district"
    TOWNSHIP = "township"
    STREET = "street"
    ROOFTOP = "rooftop"


class AsWritten(NamedTuple):
    """The division names exactly as the text wrote them (before current names replaced them)."""

    province: str | None = None
    city: str | None = None
    district: str | None = None
    township: str | None = None


_NOTHING_WRITTEN = AsWritten()


class ParsedAddress(NamedTuple):
    """One parsed, validated and standardised address (immutable).

    A named tuple rather than a dataclass: one is built per cell, and a tuple is
    built several times faster than a frozen dataclass (measured in benchmarks).

    Administrative fields hold current official names (as of the gazetteer's
    date); ``as_written`` keeps what the text said. Unknown parts are ``None``.

    Examples
    --------
    >>> from addrkit import parse_address
    >>> a = parse_address("浙江杭州西湖区文三路90号")
    >>> (a.province, a.city, a.district, a.street, a.house_number)
    ('浙江省', '杭州市', '西湖区', '文三路', '90号')
    >>> a.normalized
    '浙江省杭州市西湖区文三路90号'
    """

    input: str
    province: str | None = None
    city: str | None = None
    district: str | None = None
    township: str | None = None
    street: str | None = None
    house_number: str | None = None
    detail: str | None = None
    adcode: str | None = None
    normalized: str | None = None
    status: Status = Status.OK
    issues: tuple[Issue, ...] = ()
    as_written: AsWritten = _NOTHING_WRITTEN
    lat: float | None = None
    lon: float | None = None
    precision: Precision = Precision.NONE
    crs: str | None = None
    country: str | None = None
    # A person's name and phone typed before or after the address (王超平 13145920644 辽宁省…).
    contact_name: str | None = None
    contact_phone: str | None = None
    # How likely the divisions are right, as a probability (see confidence.py).
    confidence: float | None = None

    def part(self, name: str) -> str | None:
        """One field by name (``province`` … ``detail``, ``adcode``, ``normalized``)."""
        return getattr(self, name)

    @property
    def issue_codes(self) -> tuple[str, ...]:
        return tuple(i.code.value for i in self.issues)

    def to_dict(self) -> dict:
        """The ``addrkit parse`` JSON object (DESIGN.md contract plus ``as_written``)."""
        return {
            "input": self.input,
            "province": self.province,
            "city": self.city,
            "district": self.district,
            "township": self.township,
            "street": self.street,
            "house_number": self.house_number,
            "detail": self.detail,
            "adcode": self.adcode,
            "normalized": self.normalized,
            "status": self.status.value,
            "issues": [{"code": i.code.value, "message": i.message} for i in self.issues],
            "lat": self.lat,
            "lon": self.lon,
            "precision": self.precision.value if self.lat is not None else None,
            "crs": self.crs,
            "as_written": self.as_written._asdict(),
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "confidence": self.confidence,
        }
