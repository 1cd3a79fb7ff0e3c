"""SMS Gateway: send SMS and one-time codes through cloud SMS providers."""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .coordinator import (
    SmsGatewayConfigEntry,
    SmsGatewayCoordinator,
    SmsGatewayRuntimeData,
    async_delete_low_balance_issue,
)
from .entity import async_register_account_device
from .notify import async_setup_legacy_service
from .otp import OtpStore
from .outbox import async_remove_outbox
from .pipeline import SendPipeline
from .provider_setup import create_provider
from .services import async_setup_services
from .spend_guard import async_remove_spend_guard, async_start_spend_guard
from .tracking import async_remove_tracking, async_start_tracking

PLATFORMS: list[Platform] = [Platform.EVENT, Platform.NOTIFY, Platform.SENSOR]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, whatever the number of accounts."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmsGatewayConfigEntry) -> bool:
    """Connect to the account, start polling, add the entities."""
    provider = create_provider(async_get_clientsession(hass), entry.data)
    coordinator = SmsGatewayCoordinator(hass, entry, provider)
    await coordinator.async_first_poll()
    pipeline = SendPipeline(hass, entry, provider)
    entry.runtime_data = SmsGatewayRuntimeData(
        coordinator=coordinator,
        pipeline=pipeline,
        delivery=await async_start_tracking(hass, entry, provider),
        account_device_id=async_register_account_device(hass, entry),
        otp_store=OtpStore(),
        spend_guard=await async_start_spend_guard(hass, entry),
    )
    await pipeline.outbox.async_start(pipeline.async_send_held)
    entry.async_on_unload(pipeline.outbox.async_stop)
    entry.async_on_unload(coordinator.async_add_listener(_wake_outbox_on_answer(entry)))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_setup_legacy_service(hass, entry)
    entry.async_on_unload(entry.add_update_listener(_async_reload_on_change))
    return True


def _wake_outbox_on_answer(entry: SmsGatewayConfigEntry) -> Callable[[], None]:
    """Held messages go out at once when a poll succeeds after failing."""
    answered = entry.runtime_data.coordinator.last_update_success

    @callback
    def on_poll() -> None:
        nonlocal answered
        now = entry.runtime_data.coordinator.last_update_success
        if now and not answered:
            entry.runtime_data.pipeline.outbox.wake()
        answered = now

    return on_poll


async def _async_reload_on_change(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry
) -> None:
    """Reload once for any change: credentials, options or recipients.

    The one place that reloads a loaded account. Home Assistant calls it only
    when something changed; the flows update the entry and leave reloading
    to it.
    """
    hass.config_entries.async_schedule_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: SmsGatewayConfigEntry) -> bool:
    """Remove the entities; the legacy notify service answers "not loaded"."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SmsGatewayConfigEntry) -> None:
    """Forget the messages a removed account was tracking, and its repairs."""
    async_delete_low_balance_issue(hass, entry.entry_id)
    await async_remove_tracking(hass, entry.entry_id)
    await async_remove_outbox(hass, entry.entry_id)
    await async_remove_spend_guard(hass, entry.entry_id)
