"""Retry waits and pacing of online providers, on a fake clock."""

from __future__ import annotations

import pytest

from addrkit.errors import ProviderAuthError, ProviderRateLimitError, ProviderTimeoutError
from addrkit.geocode.limits import RateLimiter, retry_wait

from .conftest import FakeClock


@pytest.mark.parametrize(
    ("attempt", "retry_after", "expected"),
    [
        (0, None, 0.5),
        (1, None, 1.0),
        (3, None, 4.0),
        (10, None, 20.0),  # capped by max_wait
        (0, 3, 3.0),  # the service asks for longer than the back-off
        (3, 1, 4.0),  # the back-off is already longer than the service asks
        (0, 600, 20.0),  # even a service's wait is capped
        (0, 0, 0.5),  # Retry-After: 0 is no request at all
    ],
)
def test_retry_wait(attempt, retry_after, expected):
    assert retry_wait(attempt, backoff=0.5, max_wait=20, retry_after=retry_after) == expected


def _failing(errors):
    """A call that raises each of ``errors`` in turn, then answers 'ok'."""
    left = list(errors)

    def call():
        if left:
            raise left.pop(0)
        return "ok"

    return call


def test_limiter_waits_are_retry_wait_on_its_own_clock():
    clock = FakeClock()
    limiter = RateLimiter(max_retries=3, backoff=0.5, max_wait=20, clock=clock, sleep=clock.sleep)
    errors = [ProviderTimeoutError("slow"), ProviderRateLimitError("429", retry_after=7),
              ProviderTimeoutError("slow")]  # fmt: skip
    assert limiter.call(_failing(errors)) == "ok"
    expected = [retry_wait(0, backoff=0.5, max_wait=20), retry_wait(1, backoff=0.5, max_wait=20,
                retry_after=7), retry_wait(2, backoff=0.5, max_wait=20)]  # fmt: skip
    assert limiter.waits == clock.slept == expected == [0.5, 7.0, 2.0]


def test_limiter_gives_up_after_its_retries_and_never_retries_a_refused_key():
    clock = FakeClock()
    limiter = RateLimiter(max_retries=2, clock=clock, sleep=clock.sleep)
    with pytest.raises(ProviderTimeoutError):
        limiter.call(_failing([ProviderTimeoutError("slow")] * 3))
    assert clock.slept == [1.0, 2.0]
    with pytest.raises(ProviderAuthError):
        limiter.call(_failing([ProviderAuthError("bad key")]))
    assert clock.slept == [1.0, 2.0]
