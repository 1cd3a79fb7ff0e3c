"""Which account holds the code a recipient is verifying.

``verify_otp`` needs no account: the code was sent through one, and that is
where it waits. Only when two accounts wait for a code from the same number
must the caller say which one is meant.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .client.phone import PhoneNumber
from .const import DOMAIN
from .coordinator import SmsGatewayConfigEntry
from .validation import async_single_recipient, invalid, resolve_entry


async def async_account_of_code(
    hass: HomeAssistant, entry_id: str | None, raw: Any
) -> tuple[SmsGatewayConfigEntry, PhoneNumber]:
    """The account whose code waits for the recipient, and the recipient's number.

    Each account reads the recipient with its own default country. A code
    still valid wins over one that expired, so that the answer is "expired"
    only when no account has a live code.
    """
    if entry_id is not None:
        entry = resolve_entry(hass, entry_id)
        return entry, await async_single_recipient(hass, entry, raw)
    candidates: list[tuple[SmsGatewayConfigEntry, PhoneNumber]] = []
    refusal: ServiceValidationError | None = None
    for entry in hass.config_entries.async_loaded_entries(DOMAIN):
        try:
            candidates.append((entry, await async_single_recipient(hass, entry, raw)))
        except ServiceValidationError as err:
            refusal = refusal or err
    if not candidates:
        raise refusal or invalid("config_entry_required")
    waiting = [
        (entry, number)
        for entry, number in candidates
        if entry.runtime_data.otp_store.awaits(number.e164)
    ]
    if len(waiting) > 1:
        raise invalid("otp_account_ambiguous")
    held = [
        (entry, number)
        for entry, number in candidates
        if entry.runtime_data.otp_store.holds(number.e164)
    ]
    return (waiting or held or candidates)[0]
