"""A bounded memo of results keyed on the exact input text, off when it does not pay.

Customer lists repeat addresses (branches, re-orders, the same office typed by several
teammates): a text seen before is answered from the memo instead of being parsed
again. Results are immutable (``ParsedAddress`` and everything in it are tuples and
frozen objects), so one result can be handed to every caller that asks.

A list of all-distinct addresses gets nothing from a memo but its memory, so the memo
watches its hit rate: over each window of look-ups it counts hits, and when they are
too rare to pay for keeping results it empties itself and stops storing for a while,
then tries again (the kind of input can change within one stream).
"""

from __future__ import annotations

from ..reuse import ReuseTable

__all__ = ["ResultMemo"]


class ResultMemo:
    """Remember ``key → result`` up to ``limit`` entries while the hit rate pays for it.

    Parameters
    ----------
    limit
        Most results kept (the table empties when full, see ``ReuseTable``).
    window
        Look-ups between two checks of the hit rate.
    min_hit_rate
        Below this share of hits in a window the memo turns itself off.
    pause
        Look-ups to let pass, unremembered, before trying again.

    Examples
    --------
    >>> memo = ResultMemo(limit=100, window=4, min_hit_rate=0.5, pause=3)
    >>> memo.get("a") is None and memo.put("a", 1)
    1
    >>> memo.get("a")
    1
    >>> [memo.get(k) for k in "bcd"], memo.active  # 1 hit in 4: off
    ([None, None, None], False)
    >>> memo.put("e", 5), memo.get("e"), len(memo.table)  # off: nothing kept
    (5, None, 0)
    """

    __slots__ = ("table", "window", "min_hits", "pause", "active", "_left", "_hits")

    def __init__(
        self,
        limit: int = 100_000,
        *,
        window: int = 50_000,
        min_hit_rate: float = 0.02,
        pause: int = 200_000,
    ) -> None:
        self.table = ReuseTable(limit)
        self.window = window
        self.min_hits = max(1, int(window * min_hit_rate))
        self.pause = pause
        self.active = True
        self._left = window  # look-ups until the next decision
        self._hits = 0

    def get(self, key):
        """The result remembered for ``key``, or ``None``."""
        self._left -= 1
        if self._left <= 0:
            self._decide()
        if not self.active:
            return None
        hit = self.table.get(key)
        if hit is not None:
            self._hits += 1
        return hit

    def put(self, key, result):
        """Remember ``result`` for ``key`` (unless the memo is off); return ``result``."""
        if self.active:
            self.table.remember(key, result)
        return result

    def _decide(self) -> None:
        if self.active and self._hits < self.min_hits:
            self.active = False  # too few repeats: results kept for nothing
            self.table.clear()
            self._left = self.pause
        else:
            self.active = True  # a good window, or the pause is over: (keep) trying
            self._left = self.window
        self._hits = 0

    @property
    def hits(self) -> int:
        """Hits in the current window (for tests and reports)."""
        return self._hits
