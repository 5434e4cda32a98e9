"""A bounded table of results worked out once and reused."""

from __future__ import annotations

__all__ = ["ReuseTable"]


class ReuseTable(dict):
    """A dict that empties itself when it reaches ``limit`` entries.

    Customer lists repeat the same few hundred division sequences, road words and
    issue sets; an endless stream of distinct ones must still not grow memory without
    bound. Emptying (rather than evicting one by one) costs nothing per look-up, and
    the common entries are back within a few hundred addresses.

    Examples
    --------
    >>> table = ReuseTable(limit=2)
    >>> table.remember("a", 1), table.remember("b", 2), table.remember("c", 3)
    (1, 2, 3)
    >>> dict(table)
    {'c': 3}
    """

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def remember(self, key, value):
        """Store ``value`` under ``key`` (emptying the table first when full); return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
