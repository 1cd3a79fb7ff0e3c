"""The Outbox sensor: how many recipients wait in an account's outbox."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import SensorEntity, SensorStateClass
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .const import DOMAIN
from .coordinator import SmsGatewayConfigEntry
from .outbox import outbox_signal


class OutboxSensor(SensorEntity):
    """Recipients waiting; the oldest held message's time as an attribute."""

    _attr_has_entity_name = True
    _attr_translation_key = "outbox"
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_should_poll = False

    def __init__(self, entry: SmsGatewayConfigEntry) -> None:
        self._entry = entry
        self._attr_unique_id = f"{entry.entry_id}_outbox"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, entry.entry_id)})

    @property
    def native_value(self) -> int:
        """Recipients whose message waits to go out."""
        return self._entry.runtime_data.pipeline.outbox.waiting

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """When the oldest waiting message was held."""
        oldest = self._entry.runtime_data.pipeline.outbox.oldest
        return {"oldest": oldest.isoformat() if oldest else None}

    async def async_added_to_hass(self) -> None:
        """Follow the outbox."""
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                outbox_signal(self._entry.entry_id),
                self.async_write_ha_state,
            )
        )
