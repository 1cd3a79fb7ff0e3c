"""The sent counters: SMS parts and messages an account sent, kept across restarts.

Fed by the ``sms_gateway_message_sent`` event, which every successful send
fires (actions, notify entities, the legacy notify service, one-time codes),
so the counters see exactly what the event reports. They make cost and a
runaway automation visible in the statistics graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import Event, callback

from .const import EVENT_MESSAGE_SENT
from .coordinator import SmsGatewayConfigEntry
from .entity import SmsGatewayEntity


@dataclass(frozen=True, kw_only=True)
class SentCounterDescription(SensorEntityDescription):
    """A counter and the field of the event that feeds it."""

    event_field: str


SENT_COUNTERS: tuple[SentCounterDescription, ...] = (
    SentCounterDescription(
        key="sent_parts",
        translation_key="sent_parts",
        native_unit_of_measurement="SMS",
        state_class=SensorStateClass.TOTAL_INCREASING,
        event_field="parts",
    ),
    SentCounterDescription(
        key="sent_messages",
        translation_key="sent_messages",
        state_class=SensorStateClass.TOTAL_INCREASING,
        event_field="accepted",
    ),
)


class SentCounter(SmsGatewayEntity, RestoreSensor):
    """Counts up with every send through the account; never goes back.

    Counted here, not polled: a failing balance poll does not matter.
    """

    entity_description: SentCounterDescription

    def __init__(
        self, entry: SmsGatewayConfigEntry, description: SentCounterDescription
    ) -> None:
        super().__init__(entry, description.key)
        self.entity_description = description
        self._entry_id = entry.entry_id
        self._count = 0

    @property
    def native_value(self) -> int:
        """Everything counted since the entity was first added."""
        return self._count

    async def async_added_to_hass(self) -> None:
        """Carry on from the count before the restart, then listen for sends."""
        await super().async_added_to_hass()
        last = await self.async_get_last_sensor_data()
        if last is not None and isinstance(last.native_value, int | float | Decimal):
            self._count = int(last.native_value)
        self.async_on_remove(
            self.hass.bus.async_listen(
                EVENT_MESSAGE_SENT, self._async_sent, event_filter=self._is_ours
            )
        )

    @callback
    def _is_ours(self, event_data: Mapping[str, Any]) -> bool:
        return bool(event_data.get("config_entry_id") == self._entry_id)

    @callback
    def _async_sent(self, event: Event[Mapping[str, Any]]) -> None:
        if added := int(event.data.get(self.entity_description.event_field, 0)):
            self._count += added
            self.async_write_ha_state()
