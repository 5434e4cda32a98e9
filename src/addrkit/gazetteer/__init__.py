"""The embedded official gazetteer (divisions, short and historic names, coordinates)."""

from .store import (
    CITY,
    DISTRICT,
    MUNICIPALITIES,
    PROVINCE,
    TOWNSHIP,
    Division,
    Gazetteer,
    HistoricName,
    default_gazetteer,
)

__all__ = [
    "CITY",
    "DISTRICT",
    "MUNICIPALITIES",
    "PROVINCE",
    "TOWNSHIP",
    "Division",
    "Gazetteer",
    "HistoricName",
    "default_gazetteer",
]
