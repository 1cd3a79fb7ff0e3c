"""Diagnostics: what the account looks like, without secrets or phone numbers."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any, Final

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_KEY, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from .client import AccountStatus, Capability, SmsProvider
from .const import CONF_BASE_URL, CONF_NUMBERS
from .coordinator import SmsGatewayConfigEntry
from .outbox import Outbox

TO_REDACT: Final = {
    CONF_API_KEY,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_NUMBERS,
    CONF_BASE_URL,
    "title",
    "unique_id",
}
"""Credentials, recipients' numbers, and whatever names the account or its owner
(a HiSMS username is the owner's mobile number, and titles often hold names)."""


def _capabilities(provider: SmsProvider) -> dict[str, bool | int]:
    """Each capability by name, and how many numbers one request takes."""
    return {
        **{
            str(flag.name).lower(): flag in provider.capabilities for flag in Capability
        },
        "max_numbers_per_request": provider.max_numbers_per_request,
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry
) -> dict[str, Any]:
    """The entry, its recipients, the provider's capabilities and the last poll."""
    coordinator = entry.runtime_data.coordinator
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "version": entry.version,
                "minor_version": entry.minor_version,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "subentries": [
                {
                    "subentry_type": subentry.subentry_type,
                    "title": subentry.title,
                    "unique_id": subentry.unique_id,
                    "data": dict(subentry.data),
                    "number_count": len(subentry.data.get(CONF_NUMBERS, ())),
                }
                for subentry in entry.subentries.values()
            ],
            "capabilities": _capabilities(entry.runtime_data.coordinator.provider),
            "coordinator": {
                "last_update_success": coordinator.last_update_success,
                "balance_readable": coordinator.balance_readable,
                "last_exception": (
                    type(coordinator.last_exception).__name__
                    if coordinator.last_exception
                    else None
                ),
                "update_interval": (
                    coordinator.update_interval.total_seconds()
                    if coordinator.update_interval
                    else None
                ),
                "data": _last_poll(coordinator.data),  # None: no answer yet
            },
            "outbox": _outbox(entry.runtime_data.pipeline.outbox),
        },
        TO_REDACT,
    )


def _last_poll(status: AccountStatus | None) -> dict[str, Any] | None:
    """The last poll's values; None until the provider has answered once."""
    if status is None:
        return None
    return {
        key: str(value) if isinstance(value, Decimal) else value
        for key, value in asdict(status).items()
    }


def _outbox(outbox: Outbox) -> dict[str, Any]:
    """How much waits, never what or for whom."""
    oldest = outbox.oldest
    return {
        "waiting": outbox.waiting,
        "oldest": oldest.isoformat() if oldest else None,
    }
