"""The Outbox sensor: how many recipients wait in an account's outbox."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import SensorEntity, SensorStateClass
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .coordinator import SmsGatewayConfigEntry
from .entity import SmsGatewayEntity
from .outbox import outbox_signal


class OutboxSensor(SmsGatewayEntity, SensorEntity):
    """Recipients waiting; the oldest held message's time as an attribute."""

    _attr_translation_key = "outbox"
    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(self, entry: SmsGatewayConfigEntry) -> None:
        super().__init__(entry, "outbox")
        self._entry = entry

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
