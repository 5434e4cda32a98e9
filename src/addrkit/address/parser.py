"""Placeholder while the parser is written."""
from .model import ParsedAddress


def parse_address(text) -> ParsedAddress:
    raise NotImplementedError


def parse_many(texts):
    return (parse_address(t) for t in texts)
