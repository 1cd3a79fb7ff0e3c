"""How a provider failure reaches the user: one table, one handler.

Every ``FailureReason`` of the client package has its translated message
here, and ``provider_errors`` is the one place that turns a client error into
a Home Assistant error, asking for new credentials when they were refused;
``poll_error`` does the same for the balance coordinator.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers.update_coordinator import UpdateFailed

from .client import (
    AuthenticationError,
    FailureReason,
    RateLimitedError,
    SmsGatewayError,
)
from .const import DOMAIN, UPDATE_INTERVAL

if TYPE_CHECKING:
    from .coordinator import SmsGatewayConfigEntry

_R = FailureReason

TRANSLATION_KEYS: Final[Mapping[FailureReason, str]] = MappingProxyType(
    {
        _R.CANNOT_CONNECT: "cannot_connect",
        _R.OUTCOME_UNKNOWN: "outcome_unknown_single",
        _R.INVALID_RESPONSE: "invalid_response",
        _R.NOT_SUPPORTED: "not_supported",
        _R.AUTHENTICATION_FAILED: "authentication_failed",
        _R.ACCOUNT_DISABLED: "account_disabled",
        _R.RATE_LIMITED: "rate_limited",
        _R.LOCKED_OUT: "locked_out",
        _R.CANCELLED: "send_cancelled",
        _R.STOPPED: "send_stopped",
        _R.NO_NUMBERS: "provider_no_numbers",
        _R.EMPTY_MESSAGE: "provider_empty_message",
        _R.INVALID_NUMBER: "provider_invalid_number",
        _R.INSUFFICIENT_BALANCE: "insufficient_balance",
        _R.SENDER_NOT_ACTIVE: "sender_not_active",
        _R.SENDER_UNKNOWN: "sender_unknown",
        _R.SENDER_MISSING: "sender_missing",
        _R.FORBIDDEN_WORD: "forbidden_word",
        _R.INTERNATIONAL_NOT_ENABLED: "international_not_enabled",
        _R.NOT_PERMITTED: "not_permitted",
        _R.INVALID_REQUEST: "provider_invalid_request",
        _R.MISSING_PARAMETERS: "provider_invalid_request",
        _R.INVALID_DATE: "provider_invalid_schedule",
        _R.INVALID_TIME: "provider_invalid_schedule",
        _R.DATE_IN_PAST: "send_at_in_past",
        _R.UNKNOWN: "provider_error",
    }
)
"""The translated message of every reason (``strings.json`` → ``exceptions``)."""

FORM_ERRORS: Final[Mapping[FailureReason, str]] = MappingProxyType(
    {
        _R.AUTHENTICATION_FAILED: "invalid_auth",
        _R.ACCOUNT_DISABLED: "account_disabled",
        _R.RATE_LIMITED: "rate_limited",
        _R.LOCKED_OUT: "rate_limited",
        _R.CANNOT_CONNECT: "cannot_connect",
        _R.OUTCOME_UNKNOWN: "cannot_connect",
        _R.INVALID_RESPONSE: "cannot_connect",
    }
)
"""The config flow's form error for a failed credentials check; others are bugs."""

POLL_FAILED: Final = "update_failed"
"""A failed balance poll that is neither refused credentials nor a rate limit."""


def error_for_reason(reason: FailureReason) -> HomeAssistantError:
    """The translated error of one reason."""
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=TRANSLATION_KEYS[reason]
    )


def poll_error(err: SmsGatewayError) -> ConfigEntryAuthFailed | UpdateFailed:
    """The coordinator's error for a failed poll.

    Refused credentials (a disabled account too) start reauth; a rate limit
    says when to ask again; anything else names the error's type.
    """
    if isinstance(err, AuthenticationError):
        return ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key=TRANSLATION_KEYS[FailureReason.AUTHENTICATION_FAILED],
        )
    if isinstance(err, RateLimitedError):
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=TRANSLATION_KEYS[FailureReason.RATE_LIMITED],
            retry_after=_poll_wait(err.retry_after),
        )
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key=POLL_FAILED,
        translation_placeholders={"error": type(err).__name__},
    )


def _poll_wait(retry_after: float | None) -> float | None:
    """Honour a rate limit's wait, but never past the next regular poll.

    Home Assistant 2026.11 waits ``retry_after`` before retrying a failed
    setup too; a provider asking for a day would leave the account
    unavailable for that day. Asking again after one poll interval costs one
    refused request at most.
    """
    if retry_after is None:
        return None
    return min(retry_after, UPDATE_INTERVAL.total_seconds())


def reauth_if_refused(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry, err: SmsGatewayError | None
) -> None:
    """Refused credentials only come right with new ones: ask the user for them."""
    if isinstance(err, AuthenticationError):
        entry.async_start_reauth(hass)


@contextmanager
def provider_errors(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry
) -> Iterator[None]:
    """Raise a client error as the translated Home Assistant error of its reason."""
    try:
        yield
    except SmsGatewayError as err:
        reauth_if_refused(hass, entry, err)
        raise error_for_reason(err.reason) from err
