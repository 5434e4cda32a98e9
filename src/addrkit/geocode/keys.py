"""Where an online provider's API key comes from: never the workbook.

In order: a :class:`~addrkit.settings.KeyReference` the caller passes (the Settings
sheet's ``env:NAME`` / ``file:PATH`` / ``keyring:service/name`` — a reference, never the
key), the provider's environment variables, then the user's own key file
(``keys.toml`` in the user config folder, e.g. ``~/.config/addrkit/keys.toml``)::

    amap = "…"
    baidu = "…"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from ..errors import ProviderConfigError
from ..settings import KeyReference, KeySource

__all__ = ["KEY_VARIABLES", "find_key", "user_key_file"]

# Environment variables read for each provider, first found wins.
KEY_VARIABLES: dict[str, tuple[str, ...]] = {
    "amap": ("ADDRKIT_AMAP_KEY", "AMAP_KEY"),
    "baidu": ("ADDRKIT_BAIDU_KEY", "BAIDU_AK"),
    "google": ("ADDRKIT_GOOGLE_KEY", "GOOGLE_API_KEY"),
    "arcgis": ("ADDRKIT_ARCGIS_KEY", "ARCGIS_API_KEY"),
}
KEY_FILE_ENV = "ADDRKIT_KEY_FILE"  # another key file than the user's default one


def user_key_file() -> Path:
    """The user's key file (``ADDRKIT_KEY_FILE`` overrides the user config folder)."""
    override = os.environ.get(KEY_FILE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("addrkit", appauthor=False)) / "keys.toml"


def find_key(provider: str, reference: KeyReference | None = None) -> str | None:
    """The API key for a provider, or ``None`` when none is configured.

    Raises
    ------
    ProviderConfigError
        A reference was given but points at nothing (a variable not set, a missing file).

    Examples
    --------
    >>> import os
    >>> os.environ["ADDRKIT_AMAP_KEY"] = "k-123"
    >>> find_key("amap")
    'k-123'
    >>> find_key("amap", KeyReference.parse("env:NO_SUCH_VARIABLE_SET"))
    Traceback (most recent call last):
    ...
    addrkit.errors.ProviderConfigError: 环境变量未设置 / environment variable NO_SUCH_VARIABLE_SET is not set
    >>> del os.environ["ADDRKIT_AMAP_KEY"]
    """
    if reference is not None:
        return _resolve(reference)
    for variable in KEY_VARIABLES.get(provider, ()):
        value = os.environ.get(variable, "").strip()
        if value:
            return value
    path = user_key_file()
    if path.is_file():
        try:
            keys = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ProviderConfigError(
                f"密钥文件无法读取 / cannot read key file {path}: {err}"
            ) from err
        value = keys.get(provider)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _resolve(ref: KeyReference) -> str:
    if ref.source is KeySource.ENV:
        value = os.environ.get(ref.name, "").strip()
        if not value:
            raise ProviderConfigError(
                f"环境变量未设置 / environment variable {ref.name} is not set"
            )
        return value
    if ref.source is KeySource.FILE:
        try:
            value = Path(ref.name).expanduser().read_text(encoding="utf-8").strip()
        except OSError as err:
            raise ProviderConfigError(
                f"密钥文件无法读取 / cannot read key file {ref.name}"
            ) from err
        if not value:
            raise ProviderConfigError(f"密钥文件为空 / key file {ref.name} is empty")
        return value
    try:
        import keyring
    except ImportError as err:
        raise ProviderConfigError(
            "keyring: 需要安装 / needs the keyring package: pip install keyring"
        ) from err
    service, _, user = ref.name.partition("/")
    value = keyring.get_password(service, user or service)
    if not value:
        raise ProviderConfigError(f"钥匙串中没有 / no key in the keyring for {ref.name}")
    return value
