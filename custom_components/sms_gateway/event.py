"""The event platform: an entity per account for the delivery of tracked messages.

It makes ``sms_gateway_delivery`` selectable in the automation editor (a
state trigger on the entity, its ``event_type`` the new delivery state).
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import SmsGatewayConfigEntry
from .entity import SmsGatewayEntity
from .tracking import DELIVERY_EVENT_TYPES, delivery_signal

PARALLEL_UPDATES = 0

_ATTRIBUTES = ("tracking_id", "message_id", "report_id", "recipient", "code")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmsGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One delivery entity for an account whose provider reports delivery."""
    if entry.runtime_data.delivery is not None:
        async_add_entities([DeliveryEventEntity(entry)])


class DeliveryEventEntity(SmsGatewayEntity, EventEntity):
    """Fires for every state change of a tracked message of the account."""

    _attr_translation_key = "delivery"
    _attr_event_types = DELIVERY_EVENT_TYPES

    def __init__(self, entry: SmsGatewayConfigEntry) -> None:
        super().__init__(entry, "delivery")
        self._entry_id = entry.entry_id

    async def async_added_to_hass(self) -> None:
        """Listen to the account's delivery changes."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, delivery_signal(self._entry_id), self._on_delivery
            )
        )

    @callback
    def _on_delivery(self, data: dict[str, Any]) -> None:
        self._trigger_event(data["state"], {key: data[key] for key in _ATTRIBUTES})
        self.async_write_ha_state()
