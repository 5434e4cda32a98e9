"""Every error addrkit raises, under one root.

Each error also inherits the built-in it resembles, so callers that only know
the standard library (``except ValueError``) still catch it. Foreign errors are
translated where they enter addrkit, with ``raise ... from err``.
"""

from __future__ import annotations

__all__ = [
    "AddrkitError",
    "DataError",
    "GazetteerDataError",
    "InputError",
    "TableNotFoundError",
    "SettingsError",
    "CodePatternError",
    "RegistryError",
    "WorkbookError",
    "EncryptedWorkbookError",
    "UnsafeWorkbookError",
    "ReadOnlyError",
    "ProviderError",
    "ProviderTimeoutError",
    "ProviderRateLimitError",
    "ProviderQuotaError",
    "ProviderAuthError",
    "ProviderResponseError",
    "ProviderConfigError",
    "UnknownNameError",
    "CancelledError",
]


class AddrkitError(Exception):
    """Root of every error raised by addrkit."""


class DataError(AddrkitError, RuntimeError):
    """Bundled data is missing or damaged (reinstall addrkit)."""


class GazetteerDataError(DataError):
    """The embedded gazetteer file cannot be read or fails its checksum."""


class InputError(AddrkitError, ValueError):
    """User input that cannot be used as given; the message says why and what to do."""


class TableNotFoundError(InputError, LookupError):
    """No customer table (name/address/phone headers) was found on a sheet."""


class SettingsError(InputError):
    """A value on the Settings sheet is invalid."""


class CodePatternError(SettingsError):
    """The customer-code pattern cannot be read, or cannot make a code (full sequence)."""


class UnknownNameError(InputError, KeyError):
    """A name (provider, operation, part) is not one of the valid ones; the message lists them."""

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0]) if self.args else ""


class WorkbookError(AddrkitError, OSError):
    """A workbook cannot be read or written."""


class EncryptedWorkbookError(WorkbookError):
    """A workbook is password-protected or its zip entries are encrypted."""


class UnsafeWorkbookError(WorkbookError):
    """A file that would unpack too large or declares XML entities: refused before reading."""


class ReadOnlyError(WorkbookError, PermissionError):
    """The file or its folder may not be written; the message names ``-o``."""
class RegistryError(AddrkitError, ConnectionError):
    """The registry of issued customer codes cannot be reached or used; nothing was assigned."""


class ProviderError(AddrkitError, ConnectionError):
    """An online geocoding provider failed."""


class ProviderTimeoutError(ProviderError, TimeoutError):
    """An online geocoding provider did not answer in time."""


class ProviderQuotaError(ProviderError):
    """The provider's quota is used up (a daily limit): retrying now will not help."""


class ProviderRateLimitError(ProviderQuotaError):
    """The provider asked to slow down (HTTP 429 or its own code); worth retrying later."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ProviderAuthError(ProviderError, PermissionError):
    """The provider refused the API key (missing, invalid or not allowed)."""


class ProviderResponseError(ProviderError, ValueError):
    """The provider's answer could not be read (malformed JSON, unexpected shape)."""


class ProviderConfigError(InputError):
    """A provider cannot be set up as configured (no API key, bad URL); says what to set."""


class CancelledError(AddrkitError):
    """A long run was cancelled by the user; nothing was written."""
