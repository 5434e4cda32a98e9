"""Geocode many addresses: cache first, one request per new address, failures explained.

A batch never stops at one bad row: a timeout or an unreadable answer is that row's
``ERROR`` with the reason. A used-up quota or a refused key would fail every further
row, so the batch stops asking: that row and the rest come back ``SKIPPED`` and, with a
cache, the next run resumes where this one stopped (answers are committed as they come).
A service that is gone (`STOP_AFTER_FAILURES` rows in a row failed even after their
retries: connection refused or dropped, timeouts, server errors) stops the batch the same
way, rather than spending every remaining row's retries on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from ..errors import (
    ProviderAuthError,
    ProviderError,
    ProviderQuotaError,
    ProviderResponseError,
    ProviderTimeoutError,
)
from .base import Provider, clean_query
from .cache import GeocodeCache
from .crs import CRS
from .result import GeocodeIssue, GeocodeResult, GeocodeStatus, IssueKind

__all__ = ["RETRY_KINDS", "STOP_AFTER_FAILURES", "cache_key", "geocode_batch", "geocode_one"]

# Failures of the service, not of the row: the row is not cached, so a rerun asks again.
RETRY_KINDS = frozenset(
    {IssueKind.TIMEOUT, IssueKind.PROVIDER_ERROR, IssueKind.BAD_RESPONSE, IssueKind.QUOTA,
     IssueKind.AUTH, IssueKind.SKIPPED}
)  # fmt: skip
STOP_AFTER_FAILURES = 3  # consecutive rows whose service failed after retries


def cache_key(provider: Provider) -> str:
    """The provider's name, with its server when it is not the service's own."""
    domain = getattr(provider, "domain", None)
    return f"{provider.name}@{domain}" if domain else provider.name


def _failure(text: str, provider: Provider, err: ProviderError) -> GeocodeResult:
    if isinstance(err, ProviderQuotaError):
        kind = IssueKind.QUOTA
    elif isinstance(err, ProviderAuthError):
        kind = IssueKind.AUTH
    elif isinstance(err, ProviderTimeoutError):
        kind = IssueKind.TIMEOUT
    elif isinstance(err, ProviderResponseError):
        kind = IssueKind.BAD_RESPONSE
    else:
        kind = IssueKind.PROVIDER_ERROR
    return GeocodeResult(
        text,
        source=provider.name,
        status=GeocodeStatus.ERROR,
        issues=(GeocodeIssue.of(kind, str(err)[:200]),),
    )


def geocode_one(
    query: object, provider: Provider, *, cache: GeocodeCache | None = None
) -> GeocodeResult:
    """One address through the cache and the provider; a failure becomes an ``ERROR`` result.

    Examples
    --------
    >>> from addrkit.geocode.registry import get_provider
    >>> geocode_one("浙江省杭州市钱塘区", get_provider("offline")).precision.value
    'district'
    """
    return next(geocode_batch([query], provider, cache=cache))


def geocode_batch(
    queries: Iterable[object],
    provider: Provider,
    *,
    cache: GeocodeCache | None = None,
    crs: CRS | str | None = None,
    on_result: Callable[[int, GeocodeResult], None] | None = None,
) -> Iterator[GeocodeResult]:
    """One result per query, in order, lazily (a million rows in constant memory).

    Parameters
    ----------
    queries : iterable
        Address texts (other cell values give an explained ``ERROR``).
    provider : Provider
        Who answers (see :func:`addrkit.geocode.registry.get_provider`).
    cache : GeocodeCache, optional
        Where online answers are looked up first and stored as they come.
    crs : CRS or str, optional
        Convert every point to this system (default: as the provider gives it).
    on_result : callable, optional
        Called with (row number, result) after each row (progress).

    Examples
    --------
    >>> from addrkit.geocode.registry import get_provider
    >>> rows = geocode_batch(["浙江省杭州市临平区", "", "Atlantis"], get_provider("offline"),
    ...                      crs="gcj02")
    >>> [(r.status.value, r.crs) for r in rows]
    [('OK', 'GCJ-02'), ('ERROR', None), ('NOT_FOUND', None)]
    """
    target = None if crs is None else CRS.parse(crs)
    if provider.online:
        results = _online_rows(queries, provider, cache)
    else:  # offline work needs no cache, pacing or stopping: the provider streams it
        results = provider.geocode_many(queries)
    for n, result in enumerate(results):
        if target is not None:
            result = result.in_crs(target)
        if on_result is not None:
            on_result(n, result)
        yield result


def _online_rows(
    queries: Iterable[object], provider: Provider, cache: GeocodeCache | None
) -> Iterator[GeocodeResult]:
    key = cache_key(provider)
    stopped: GeocodeIssue | None = None
    failures = 0  # consecutive rows the service failed (a row served by the cache is neutral)
    for query in queries:
        result = _online_row(query, provider, cache, key, stopped)
        if stopped is None and result.status is GeocodeStatus.ERROR:
            last = result.issues[-1].code if result.issues else ""
            failures = failures + 1 if last in _GONE else failures
            if last in (IssueKind.QUOTA, IssueKind.AUTH) or failures >= STOP_AFTER_FAILURES:
                stopped = result.issues[-1]
        elif result.status in (GeocodeStatus.OK, GeocodeStatus.NOT_FOUND) and not _cached(result):
            failures = 0
        yield result


_GONE = (IssueKind.TIMEOUT, IssueKind.PROVIDER_ERROR)  # retried already, and failed again


def _cached(result: GeocodeResult) -> bool:
    return any(i.code == IssueKind.CACHED for i in result.issues)


def _online_row(
    query: object,
    provider: Provider,
    cache: GeocodeCache | None,
    key: str,
    stopped: GeocodeIssue | None,
) -> GeocodeResult:
    text = clean_query(query)
    if not text:
        return provider.unusable(query)
    if cache is not None:
        found = cache.get(key, text)
        if found is not None:
            return replace(found, issues=(*found.issues, GeocodeIssue.of(IssueKind.CACHED)))
    if stopped is not None:
        return GeocodeResult(
            text,
            source=provider.name,
            status=GeocodeStatus.SKIPPED,
            issues=(GeocodeIssue.of(IssueKind.SKIPPED, stopped.code),),
        )
    try:
        result = provider.geocode(text)
    except ProviderError as err:
        return _failure(text, provider, err)
    if cache is not None:
        cache.put(key, result)
    return result
