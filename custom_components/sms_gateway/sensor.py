"""The sensor platform: the account's polled balances, its sent counters, its outbox.

The balances and the scheduled messages come from one poll for all of them;
the counters (``sent_counter.py``) count the sends themselves, and the outbox
sensor (``outbox_sensor.py``) follows what waits to go out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .client import AccountStatus, Capability
from .coordinator import SmsGatewayConfigEntry, SmsGatewayCoordinator
from .entity import SmsGatewayEntity
from .outbox_sensor import OutboxSensor
from .parts_today import PartsTodaySensor
from .sent_counter import SENT_COUNTERS, SentCounter

PARALLEL_UPDATES = 0

UNIT_SMS = "SMS"
CURRENCY_TRY = "TRY"


def _message_count(value: float | None) -> float | int | None:
    """SMS balances are whole messages: show 1000, not 1000.0."""
    if value is not None and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True, kw_only=True)
class SmsGatewaySensorEntityDescription(SensorEntityDescription):
    """A sensor read from the polled account status."""

    exists_fn: Callable[[Capability, AccountStatus], bool]
    """Whether the account has this value: decided once, from the first poll."""
    value_fn: Callable[[AccountStatus], StateType | Decimal]
    available_fn: Callable[[AccountStatus], bool] = lambda _: True
    """Whether the last poll read this value (one may fail while others work)."""


def _sms_balance(
    key: str, *, beside_international: bool
) -> SmsGatewaySensorEntityDescription:
    """The SMS balance; an account with an international balance calls it local."""
    return SmsGatewaySensorEntityDescription(
        key=key,
        translation_key=key,
        native_unit_of_measurement=UNIT_SMS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        exists_fn=lambda capabilities, status: (
            (Capability.INTERNATIONAL_BALANCE in capabilities) is beside_international
            and status.sms_balance is not None
        ),
        value_fn=lambda status: _message_count(status.sms_balance),
    )


SENSORS: tuple[SmsGatewaySensorEntityDescription, ...] = (
    # An account with a second, international balance calls its SMS balance
    # "local"; anywhere else it is simply the balance.
    _sms_balance("local_balance", beside_international=True),
    SmsGatewaySensorEntityDescription(
        key="international_balance",
        translation_key="international_balance",
        device_class=SensorDeviceClass.MONETARY,
        native_unit_of_measurement=CURRENCY_TRY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        exists_fn=lambda capabilities, status: (
            Capability.INTERNATIONAL_BALANCE in capabilities
            and status.international_balance is not None
        ),
        value_fn=lambda status: status.international_balance,
    ),
    _sms_balance("balance", beside_international=False),
    SmsGatewaySensorEntityDescription(
        key="scheduled_messages",
        translation_key="scheduled_messages",
        state_class=SensorStateClass.MEASUREMENT,
        exists_fn=lambda capabilities, _: Capability.SCHEDULED_MESSAGES in capabilities,
        value_fn=lambda status: status.scheduled_messages,
        available_fn=lambda status: status.scheduled_messages is not None,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmsGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors this provider and account report, and the counters."""
    coordinator = entry.runtime_data.coordinator
    capabilities = coordinator.provider.capabilities

    @callback
    def add_polled_sensors() -> bool:
        """Add the values the account reports, once a poll has said which."""
        # None until the provider has answered once.
        status: AccountStatus | None = coordinator.data
        if status is None:
            return False
        async_add_entities(
            SmsGatewaySensor(entry, description)
            for description in SENSORS
            if description.exists_fn(capabilities, status)
        )
        return True

    if not add_polled_sensors():
        # The provider did not answer at setup: add them after its first answer.
        # The listener stays until unload, which removes it (only once).
        added = False

        @callback
        def on_poll() -> None:
            nonlocal added
            added = added or add_polled_sensors()

        entry.async_on_unload(coordinator.async_add_listener(on_poll))
    async_add_entities(SentCounter(entry, description) for description in SENT_COUNTERS)
    async_add_entities([OutboxSensor(entry), PartsTodaySensor(entry)])


class SmsGatewaySensor(
    SmsGatewayEntity, CoordinatorEntity[SmsGatewayCoordinator], SensorEntity
):
    """One value of the account status."""

    entity_description: SmsGatewaySensorEntityDescription

    def __init__(
        self,
        entry: SmsGatewayConfigEntry,
        description: SmsGatewaySensorEntityDescription,
    ) -> None:
        SmsGatewayEntity.__init__(self, entry, description.key)
        CoordinatorEntity.__init__(self, entry.runtime_data.coordinator)
        self.entity_description = description

    @property
    def native_value(self) -> StateType | Decimal:
        """The value from the last successful poll."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def available(self) -> bool:
        """Unavailable while polling fails, or while this value cannot be read."""
        return super().available and self.entity_description.available_fn(
            self.coordinator.data
        )
