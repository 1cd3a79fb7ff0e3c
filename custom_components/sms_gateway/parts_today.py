"""SMS parts sent today: the spend guard's count, its limit and what is left.

The count starts again at local midnight; ``last_reset`` tells long-term
statistics so, as a utility meter's daily cycle does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.components.sensor import SensorEntity, SensorStateClass

from .coordinator import SmsGatewayConfigEntry
from .entity import SmsGatewayEntity


class PartsTodaySensor(SmsGatewayEntity, SensorEntity):
    """Parts that went out today, or may have; a refused send adds nothing."""

    _attr_translation_key = "parts_today"
    _attr_native_unit_of_measurement = "SMS"
    _attr_state_class = SensorStateClass.TOTAL

    def __init__(self, entry: SmsGatewayConfigEntry) -> None:
        super().__init__(entry, "parts_today")
        self._guard = entry.runtime_data.spend_guard

    @property
    def native_value(self) -> int:
        """Today's count."""
        return self._guard.parts_today

    @property
    def last_reset(self) -> datetime:
        """Local midnight at the start of the counted day."""
        return self._guard.day_start

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The daily limit and what is left of it; None where there is no limit."""
        return {
            "limit": self._guard.limit or None,
            "remaining": self._guard.remaining,
        }

    async def async_added_to_hass(self) -> None:
        """Follow the guard's count."""
        await super().async_added_to_hass()
        self.async_on_remove(self._guard.async_add_listener(self.async_write_ha_state))
