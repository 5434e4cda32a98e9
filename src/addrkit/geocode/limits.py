"""Request pacing and retries for online providers, with a clock and a sleep tests can swap.

Like geopy's ``RateLimiter`` it keeps at least ``min_delay`` seconds between calls; unlike
it, only errors worth retrying are retried (rate limited, timed out, unavailable — never
a refused key or a used-up daily quota), with exponential back-off that honours a
provider's ``Retry-After``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from ..errors import ProviderError, ProviderRateLimitError, ProviderTimeoutError

__all__ = ["RateLimiter", "retry_wait", "retryable"]

T = TypeVar("T")


def retryable(err: BaseException) -> bool:
    """Whether trying the same request again later may succeed.

    Examples
    --------
    >>> from addrkit.errors import ProviderAuthError, ProviderTimeoutError
    >>> retryable(ProviderTimeoutError("slow")), retryable(ProviderAuthError("bad key"))
    (True, False)
    """
    if isinstance(err, ProviderRateLimitError | ProviderTimeoutError):
        return True
    # A plain ProviderError is a service unavailable or a 5xx: worth another try. Its
    # subclasses (refused key, used-up quota, unreadable answer) are not.
    return type(err) is ProviderError


def retry_wait(
    attempt: int, *, backoff: float, max_wait: float, retry_after: float | None = None
) -> float:
    """Seconds to wait before retry number ``attempt + 1`` (``attempt`` counts from 0).

    ``backoff`` doubled per retry, at least the service's ``Retry-After`` when it sent one,
    never more than ``max_wait``. This is the one place the HTTP stack's waits come from:
    providers' HTTP adapters do not retry on their own (see :mod:`addrkit.geocode.base`).

    Examples
    --------
    >>> [retry_wait(a, backoff=0.5, max_wait=60) for a in range(4)]
    [0.5, 1.0, 2.0, 4.0]
    >>> retry_wait(0, backoff=0.5, max_wait=60, retry_after=3), retry_wait(9, backoff=1, max_wait=60)
    (3.0, 60)
    """
    wait = min(max_wait, backoff * 2**attempt)
    if retry_after:
        wait = min(max_wait, max(wait, float(retry_after)))
    return wait


class RateLimiter:
    """Calls a function at most once per ``min_delay`` seconds, retrying with back-off.

    Parameters
    ----------
    min_delay : float
        Seconds between the starts of two calls (1.0 is Nominatim's usage policy).
    max_retries : int
        Further tries after a retryable error.
    backoff : float
        First wait after an error, doubled each retry up to ``max_wait``.
    clock, sleep : callables
        ``time.monotonic`` and ``time.sleep`` unless a test passes its own.

    Examples
    --------
    >>> now = [0.0]
    >>> limiter = RateLimiter(min_delay=2, clock=lambda: now[0],
    ...                       sleep=lambda s: now.__setitem__(0, now[0] + s))
    >>> [limiter.call(lambda: now[0]) for _ in range(3)]
    [0.0, 2.0, 4.0]
    """

    def __init__(
        self,
        *,
        min_delay: float = 0.0,
        max_retries: int = 3,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.min_delay = min_delay
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.clock = clock
        self.sleep = sleep
        self.waits: list[float] = []  # every back-off wait, for reports and tests
        self._last: float | None = None
        self._lock = threading.Lock()

    def _pace(self) -> None:
        while True:
            with self._lock:
                now = self.clock()
                if self._last is None or now - self._last >= self.min_delay:
                    self._last = now
                    return
                wait = self.min_delay - (now - self._last)
            self.sleep(wait)

    def call(self, func: Callable[[], T]) -> T:
        """``func()`` paced and retried; the last error is raised when retries run out."""
        attempt = 0
        while True:
            self._pace()
            try:
                return func()
            except ProviderError as err:
                if not retryable(err) or attempt >= self.max_retries:
                    raise
                wait = retry_wait(
                    attempt,
                    backoff=self.backoff,
                    max_wait=self.max_wait,
                    retry_after=getattr(err, "retry_after", None),
                )
                self.waits.append(wait)
                self.sleep(wait)
                attempt += 1
