"""The one base class of geocoding providers, and its geopy-backed subclass.

A provider turns address text into a :class:`~addrkit.geocode.result.GeocodeResult`.
The base owns what every provider shares: cleaning the input, pacing and retries
(:class:`~addrkit.geocode.limits.RateLimiter`), and the typed errors of
:mod:`addrkit.errors`. A provider overrides one hook, ``_lookup``; a geopy-backed one
overrides ``_make_geocoder`` (which geopy class, with which key) and ``_to_result``
(what its raw answer says about precision and confidence).

Nothing here touches the network until ``geocode`` is called; a geopy geocoder is built
on first use.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from ..errors import (
    ProviderAuthError,
    ProviderConfigError,
    ProviderError,
    ProviderQuotaError,
    ProviderRateLimitError,
    ProviderResponseError,
    ProviderTimeoutError,
)
from .crs import CRS
from .limits import RateLimiter
from .result import GeocodeIssue, GeocodeResult, GeocodeStatus, GeoPoint, IssueKind, Precision

__all__ = ["GeopyProvider", "Provider", "USER_AGENT", "clean_query", "translate_geopy_error"]

USER_AGENT = "addrkit/0.1 (customer-address toolkit)"
MAX_QUERY = 500  # characters sent to a service; longer text is cut (a cell may hold 32,767)


def clean_query(value: object) -> str:
    """The text to look up for a cell value ('' for empty cells, numbers, error values).

    Examples
    --------
    >>> clean_query("  浙江省杭州市 "), clean_query(None), clean_query(3.5), clean_query("#N/A")
    ('浙江省杭州市', '', '', '')
    """
    if value is None or not isinstance(value, str):
        return ""
    text = value.strip()
    if text.startswith("#") and text.upper().rstrip("!?0/") in _EXCEL_ERRORS:
        return ""
    return text[:MAX_QUERY]


_EXCEL_ERRORS = {"#N/A", "#NULL", "#DIV", "#VALUE", "#REF", "#NAME", "#NUM", "#GETTING_DATA"}


class Provider(ABC):
    """A geocoder: address text in, a :class:`GeocodeResult` out.

    Subclasses set ``name`` (the registry's key), ``crs`` (the system its points come
    in) and implement ``_lookup``. ``geocode`` raises typed errors
    (:class:`~addrkit.errors.ProviderError` and subclasses); batches turn them into
    results (see :mod:`addrkit.geocode.batch`).
    """

    name: ClassVar[str] = ""
    crs: ClassVar[CRS] = CRS.WGS84
    online: ClassVar[bool] = True
    # Seconds between two requests (a service's usage policy); 0 for local work.
    min_delay: ClassVar[float] = 0.0

    def __init__(self, *, limiter: RateLimiter | None = None) -> None:
        self.limiter = limiter if limiter is not None else RateLimiter(min_delay=self.min_delay)

    def geocode(self, query: object) -> GeocodeResult:
        """Look one address up.

        Raises
        ------
        ProviderError
            The service failed after retries (its subclasses say how: timeout, rate
            limit or quota, refused key, unreadable answer).
        """
        text = clean_query(query)
        if not text:
            return self.unusable(query)
        return self.limiter.call(lambda: self._lookup(text))

    def unusable(self, query: object) -> GeocodeResult:
        """The result for a value that is no address text (empty, a number, an error value)."""
        kind = IssueKind.EMPTY
        if isinstance(query, str) and query.strip():
            kind = IssueKind.EXCEL_ERROR
        elif query is not None and not isinstance(query, str):
            kind = IssueKind.NOT_TEXT
        return GeocodeResult(
            "" if query is None else str(query)[:MAX_QUERY],
            source=self.name,
            status=GeocodeStatus.ERROR,
            issues=(GeocodeIssue.of(kind),),
        )

    def geocode_many(self, queries: Iterable[object]) -> Iterator[GeocodeResult]:
        """One result per query, in order (errors raised as by :meth:`geocode`)."""
        for query in queries:
            yield self.geocode(query)

    @abstractmethod
    def _lookup(self, text: str) -> GeocodeResult:
        """The result for non-empty, cleaned text (hook)."""

    def not_found(self, text: str) -> GeocodeResult:
        return GeocodeResult(text, source=self.name, issues=(GeocodeIssue.of(IssueKind.NOT_FOUND),))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


_TIMED_OUT = re.compile(r"(Read|Connect)TimeoutError|timed out", re.IGNORECASE)


def translate_geopy_error(err: Exception) -> ProviderError:
    """The addrkit error for a geopy error (raised ``from`` it by the caller)."""
    from geopy import exc

    text = f"{type(err).__name__}: {err}"
    if isinstance(err, exc.GeocoderRateLimited):
        return ProviderRateLimitError(text, retry_after=err.retry_after)
    if isinstance(err, exc.GeocoderQuotaExceeded):
        return ProviderQuotaError(text)
    if isinstance(err, exc.GeocoderAuthenticationFailure | exc.GeocoderInsufficientPrivileges):
        return ProviderAuthError(text)
    if isinstance(err, exc.GeocoderTimedOut):
        return ProviderTimeoutError(text)
    if isinstance(err, exc.GeocoderUnavailable) and _TIMED_OUT.search(str(err)):
        # geopy's requests adapter reports a read timeout that went through urllib3's
        # retries as "Max retries exceeded ... (Caused by ReadTimeoutError(...))", an
        # Unavailable: the service was reached and did not answer in time.
        return ProviderTimeoutError(text)
    if isinstance(err, exc.GeocoderParseError):
        return ProviderResponseError(text)
    if isinstance(err, exc.GeocoderQueryError):
        return ProviderResponseError(text)
    if isinstance(err, exc.ConfigurationError):
        return ProviderConfigError(text)  # type: ignore[return-value]
    return ProviderError(text)


class GeopyProvider(Provider):
    """A provider backed by a geopy geocoder.

    Parameters
    ----------
    api_key : str, optional
        The service's key, when it needs one (see :mod:`addrkit.geocode.keys`).
    domain, scheme : str, optional
        Another server than the service's own (a self-hosted one, a test server).
    timeout : float
        Seconds to wait for an answer before a :class:`~addrkit.errors.ProviderTimeoutError`.
    limiter : RateLimiter, optional
        Pacing and retries (default: the service's ``min_delay``, 3 retries).
    adapter_factory : callable, optional
        geopy's HTTP adapter (default: ``geopy.adapters.URLLibAdapter``, the same whatever
        else is installed; retries are this class's, never the adapter's).
    """

    needs_key: ClassVar[bool] = False

    def __init__(
        self,
        *,
        api_key: str | None = None,
        domain: str | None = None,
        scheme: str | None = None,
        timeout: float = 10.0,
        user_agent: str = USER_AGENT,
        limiter: RateLimiter | None = None,
        adapter_factory: Any = None,
    ) -> None:
        super().__init__(limiter=limiter)
        if self.needs_key and not api_key:
            raise ProviderConfigError(
                f"{self.name} 需要 API 密钥 / needs an API key: set the environment variable "
                f"{' or '.join(self.key_names())} or add it to the user key file"
            )
        self.api_key = api_key
        self.domain = domain
        self.scheme = scheme
        self.timeout = timeout
        self.user_agent = user_agent
        self.adapter_factory = adapter_factory
        self._geocoder = None

    @classmethod
    def key_names(cls) -> tuple[str, ...]:
        from .keys import KEY_VARIABLES

        return KEY_VARIABLES.get(cls.name, ())

    @property
    def geocoder(self):
        """The geopy geocoder (made on first use: no work in the constructor)."""
        if self._geocoder is None:
            common: dict[str, Any] = {"timeout": self.timeout, "user_agent": self.user_agent}
            if self.scheme:
                common["scheme"] = self.scheme
            # The standard library's HTTP client unless another adapter is asked for. geopy
            # picks its requests adapter whenever requests happens to be installed, and that
            # one retries every timeout and 429 itself (urllib3, three tries) underneath our
            # own paced retries: nine requests to a rate-limited service instead of three.
            from geopy.adapters import URLLibAdapter

            common["adapter_factory"] = self.adapter_factory or URLLibAdapter
            try:
                self._geocoder = self._make_geocoder(common)
            except Exception as err:  # geopy's ConfigurationError and kin: a setup problem
                raise ProviderConfigError(f"{self.name}: {err}") from err
        return self._geocoder

    @abstractmethod
    def _make_geocoder(self, common: dict[str, Any]):
        """The geopy geocoder, given the options every geopy class takes (hook)."""

    def _query_options(self) -> dict[str, Any]:
        """Extra keyword arguments of ``geocoder.geocode`` (hook)."""
        return {}

    @abstractmethod
    def _to_result(self, text: str, location) -> GeocodeResult:
        """The result for a geopy ``Location`` (hook): precision, confidence, adcode."""

    def _lookup(self, text: str) -> GeocodeResult:
        from geopy.exc import GeopyError

        geocoder = self.geocoder  # a setup problem raises here, before any request
        try:
            location = geocoder.geocode(text, exactly_one=True, **self._query_options())
        except GeopyError as err:
            raise translate_geopy_error(err) from err
        except (KeyError, TypeError, AttributeError, ValueError) as err:
            # A parse function met an answer of an unexpected shape.
            raise ProviderResponseError(f"{self.name}: unexpected answer ({err!r})") from err
        if location is None:
            return self.not_found(text)
        try:
            return self._to_result(text, location)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise ProviderResponseError(f"{self.name}: unexpected answer ({err!r})") from err

    def result(
        self,
        text: str,
        location,
        precision: Precision,
        confidence: float | None = None,
        adcode: str | None = None,
    ) -> GeocodeResult:
        """A found result in this provider's coordinate system (for ``_to_result``)."""
        issues = ()
        if precision in (Precision.COUNTRY, Precision.PROVINCE, Precision.CITY):
            issues = (GeocodeIssue.of(IssueKind.COARSE, precision.value),)
        return GeocodeResult(
            text,
            GeoPoint(float(location.latitude), float(location.longitude), self.crs),
            precision,
            self.name,
            None if confidence is None else round(float(confidence), 3),
            adcode,
            GeocodeStatus.OK,
            issues,
            str(location.address) if location.address else None,
        )

    def __repr__(self) -> str:  # never shows the key
        where = f"{self.scheme or 'https'}://{self.domain}" if self.domain else "default server"
        return f"{type(self).__name__}({where})"
