"""The base of every entity: one service device per provider account."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_PROVIDER, DOMAIN
from .coordinator import SmsGatewayConfigEntry, SmsGatewayCoordinator
from .providers import PROVIDERS


def account_device_info(entry: SmsGatewayConfigEntry) -> DeviceInfo:
    """The account's service device, shared by its sensors and recipients."""
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=PROVIDERS[entry.data[CONF_PROVIDER]].name,
        model="SMS API",
        name=entry.title,
    )


class SmsGatewayEntity(CoordinatorEntity[SmsGatewayCoordinator]):
    """An entity of an SMS provider account."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: SmsGatewayCoordinator, key: str) -> None:
        super().__init__(coordinator)
        entry = coordinator.config_entry
        # The account id can be the owner's phone number (HiSMS): keep it out
        # of the entity registry.
        self._attr_unique_id = f"{entry.entry_id}_{key}"
        self._attr_device_info = account_device_info(entry)
