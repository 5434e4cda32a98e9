"""Provider names (as written in Settings or after ``--provider``) → providers.

Examples
--------
>>> get_provider("offline").name
'offline'
>>> get_provider("mapquest")
Traceback (most recent call last):
...
addrkit.errors.UnknownNameError: 未知地理编码服务 Unknown geocoding provider 'mapquest'; 可选 valid: offline, nominatim, photon, pelias, arcgis, baidu, google, amap
"""

from __future__ import annotations

import importlib
from typing import Any
from urllib.parse import urlsplit

from ..errors import ProviderConfigError, UnknownNameError
from ..settings import KeyReference
from .base import GeopyProvider, Provider
from .keys import find_key

__all__ = ["PROVIDERS", "canonical_provider", "get_provider", "provider_class", "provider_names"]

# name → "module:Class" under addrkit.geocode.providers (imported when first asked for).
PROVIDERS: dict[str, str] = {
    "offline": "offline:Offline",
    "nominatim": "nominatim:Nominatim",
    "photon": "photon:Photon",
    "pelias": "pelias:Pelias",
    "arcgis": "arcgis:ArcGIS",
    "baidu": "baidu:Baidu",
    "google": "google:Google",
    "amap": "amap:AMap",
}
_ALIASES = {"离线": "offline", "高德": "amap", "gaode": "amap", "百度": "baidu", "谷歌": "google",
            "osm": "nominatim", "esri": "arcgis", "googlev3": "google", "baiduv3": "baidu"}  # fmt: skip


def provider_names() -> tuple[str, ...]:
    """Every provider name, the default (offline) first."""
    return tuple(PROVIDERS)


def canonical_provider(name: object) -> str:
    """The registry's name for a provider as written (case, spaces, 高德/百度/… accepted).

    Nothing is imported: the Settings reader checks a name with it before any run.

    Examples
    --------
    >>> canonical_provider(" 高德 "), canonical_provider(""), canonical_provider("OSM")
    ('amap', 'offline', 'nominatim')

    Raises
    ------
    UnknownNameError
        Not a provider; the message lists the valid names.
    """
    key = str(name or "offline").strip().lower() or "offline"
    key = _ALIASES.get(key, key)
    if key not in PROVIDERS:
        raise UnknownNameError(
            f"未知地理编码服务 Unknown geocoding provider {name!r}; "
            f"可选 valid: {', '.join(PROVIDERS)}"
        )
    return key


def provider_class(name: str) -> type[Provider]:
    """The class registered under a name (see :func:`canonical_provider`).

    Raises
    ------
    UnknownNameError
        Not a provider; the message lists the valid names.
    """
    module, cls = PROVIDERS[canonical_provider(name)].split(":")
    return getattr(importlib.import_module(f"{__package__}.providers.{module}"), cls)


def get_provider(
    name: str = "offline",
    *,
    url: str | None = None,
    api_key: str | None = None,
    key_ref: KeyReference | None = None,
    **options: Any,
) -> Provider:
    """A ready provider.

    Parameters
    ----------
    name : str
        One of :func:`provider_names` (default ``offline``).
    url : str, optional
        Another server for an online provider, e.g. ``http://photon.internal:2322``
        (a self-hosted Photon, Pelias or Nominatim; a test server).
    api_key : str, optional
        The key itself (from a caller that read it safely); else ``key_ref`` or the
        environment / user key file (:func:`addrkit.geocode.keys.find_key`).
    **options
        Passed to the provider (``timeout``, ``limiter``, ``domain``, ``scheme`` …).

    Returns
    -------
    Provider
    """
    cls = provider_class(name)
    if not issubclass(cls, GeopyProvider):
        if url or api_key or key_ref:
            raise ProviderConfigError(f"{cls.name}: 不需要服务器或密钥 / takes no server or key")
        return cls(**options)
    if url:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ProviderConfigError(
                f"服务器地址无效 / not a server URL: {url!r} (e.g. http://host:2322)"
            )
        options.setdefault("scheme", parts.scheme)
        options.setdefault("domain", parts.netloc + parts.path.rstrip("/"))
    if api_key is None:
        api_key = find_key(cls.name, key_ref)
    return cls(api_key=api_key, **options)
