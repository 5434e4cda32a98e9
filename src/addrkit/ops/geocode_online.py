"""Geocode with the online provider chosen in Settings, and the cache that travels in the book.

Only when 设置 Settings names a provider other than offline. Answers go through the
persistent local cache (a stopped batch resumes) and a copy of that provider's cache
entries is written to a hidden sheet, `CACHE_SHEET`: a teammate who opens the book
runs Geocode without asking the service again. An address the service cannot place
keeps its offline point, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..geocode.base import Provider
from ..geocode.batch import RETRY_KINDS, cache_key, geocode_batch
from ..geocode.cache import CACHE_COLUMNS, GeocodeCache
from ..geocode.registry import get_provider
from ..geocode.result import GeocodeResult, GeocodeStatus, IssueKind
from ..progress import Progress
from ..settings import Settings
from .base import CustomerTable
from .plan import SheetWrite

__all__ = ["CACHE_SHEET", "URL_SETTING", "online_provider", "online_lookup", "unanswered_warning"]

CACHE_SHEET = "地理编码缓存 Geocode cache"
# Settings rows naming a self-hosted server for the provider (Photon, Pelias, Nominatim).
URL_SETTING = ("服务器 Server URL", "服务器", "服务器地址", "server url")
# (not "... Provider URL": the Settings reader would take a label with "provider" for the provider)
_OFFLINE = ("", "offline", "离线")
_COARSE = ("province", "country")


def _url(settings: Settings) -> str | None:
    wanted = {k.lower() for k in URL_SETTING}
    for label, value in settings.extra.items():
        if label.strip().lower() in wanted and str(value).strip():
            return str(value).strip()
    return None


def online_provider(settings: Settings) -> Provider | None:
    """The provider Settings chose, or None for the offline engine.

    Examples
    --------
    >>> online_provider(Settings()) is None
    True
    >>> online_provider(Settings(provider="nominatim")).name
    'nominatim'
    """
    if settings.provider.strip().lower() in _OFFLINE:
        return None
    return get_provider(settings.provider, url=_url(settings), key_ref=settings.api_key_ref)


def online_lookup(
    table: CustomerTable,
    provider: Provider,
    queries: Sequence[object],
    progress: Progress,
) -> tuple[list[GeocodeResult], SheetWrite]:
    """Every query through the travelling cache, the local cache and the provider.

    Returns
    -------
    (results, sheet)
        One `GeocodeResult` per query, in order; the hidden `CACHE_SHEET` holding this
        provider's cache entries (what was there before plus this run's answers).
    """
    cache = GeocodeCache()
    travelled = table.sheet_rows(CACHE_SHEET) or []
    if travelled:
        cache.import_rows(travelled[1:])  # a row that is not a valid entry is left out
    progress.start(len(queries), f"地理编码 Geocoding ({provider.name})")
    try:
        results = list(
            geocode_batch(
                queries, provider, cache=cache, on_result=lambda n, r: progress.advance(1)
            )
        )
        rows = cache.export_rows(cache_key(provider))
    finally:
        cache.close()
    sheet = SheetWrite(CACHE_SHEET, (CACHE_COLUMNS, *rows), hidden=True)
    return results, sheet


def is_placed(result: GeocodeResult) -> bool:
    return result.status is GeocodeStatus.OK and result.point is not None


def is_coarse(result: GeocodeResult) -> bool:
    return result.precision.value in _COARSE


def from_cache(result: GeocodeResult) -> bool:
    return any(i.code == IssueKind.CACHED.value for i in result.issues)


def why_text(result: GeocodeResult) -> str:
    """The service's reasons for a result without a point, in Chinese and English."""
    reasons = [i.message for i in result.issues if i.code != IssueKind.CACHED.value]
    return "; ".join(reasons) or IssueKind.NOT_FOUND.message


def unanswered_warning(provider: Provider, results: Sequence[GeocodeResult]) -> str:
    """What to tell the user when the service left rows without an answer ('' when none).

    Those rows keep their offline point and say why; every answer that did arrive is in
    the cache, so running Geocode again asks the service only for these rows.

    Examples
    --------
    >>> from addrkit.geocode.registry import get_provider
    >>> from addrkit.geocode.result import GeocodeIssue
    >>> r = GeocodeResult("杭州", status=GeocodeStatus.SKIPPED,
    ...                   issues=(GeocodeIssue.of(IssueKind.SKIPPED),))
    >>> unanswered_warning(get_provider("nominatim"), [r]).split("（")[0]
    'nominatim 有 1 行未回答'
    """
    n = sum(
        1
        for r in results
        if r.status in (GeocodeStatus.ERROR, GeocodeStatus.SKIPPED)
        and r.issues
        and r.issues[-1].code in RETRY_KINDS
    )
    if not n:
        return ""
    return (
        f"{provider.name} 有 {n} 行未回答（服务出错、超时或批处理已停止），这些行暂用离线点；已得到的结果"
        f"已存入缓存，再次运行地理编码只查询这些行 / {provider.name} left {n} rows unanswered "
        "(service failed, timed out or the batch stopped): they keep their offline point; every "
        "answer received is cached, so running Geocode again asks only for these rows"
    )

