"""The base entity: its unique ID, its name, and the device it lives on.

Every entity of the integration is one: the balance sensors, the sent
counters, the outbox sensor and the delivery event entity on the account's
service device, and each recipient's notify entity on that recipient's own
device. A device belongs to one config subentry, so each recipient subentry
gets its own device, linked to the account's device (as Home Assistant's
ntfy does for its topics).
"""

from __future__ import annotations

import dataclasses

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity

from .const import CONF_PROVIDER, DOMAIN
from .coordinator import SmsGatewayConfigEntry
from .provider_setup import PROVIDERS

# Newer releases name the parent device by its id (`via_device_id`, a
# TypedDict key, later a dataclass field) and report `via_device`; 2026.2 knows
# only `via_device`, an identifier.
_DEVICE_INFO_FIELDS: frozenset[str] = (
    frozenset(field.name for field in dataclasses.fields(DeviceInfo))
    if dataclasses.is_dataclass(DeviceInfo)
    else frozenset(getattr(DeviceInfo, "__annotations__", {}))
)
_LINKS_BY_DEVICE_ID = "via_device_id" in _DEVICE_INFO_FIELDS


def _account_identifier(entry: SmsGatewayConfigEntry) -> tuple[str, str]:
    return (DOMAIN, entry.entry_id)


def _recipient_identifier(
    entry: SmsGatewayConfigEntry, subentry: ConfigSubentry
) -> tuple[str, str]:
    return (DOMAIN, f"{entry.entry_id}_{subentry.subentry_id}")


def _manufacturer(entry: SmsGatewayConfigEntry) -> str:
    return PROVIDERS[entry.data[CONF_PROVIDER]].name


@callback
def async_register_account_device(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry
) -> str:
    """Register the account's service device before its entities are added.

    The sensors then name it by its identifier alone, and the recipients'
    devices link to it.
    """
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={_account_identifier(entry)},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=_manufacturer(entry),
        model="SMS API",
        name=entry.title,
    )
    return device.id


def _recipient_device_info(
    entry: SmsGatewayConfigEntry, subentry: ConfigSubentry, account_device_id: str
) -> DeviceInfo:
    """A recipient's own device, reached through the account's device.

    The device is named after the account and the recipient, so that two
    accounts' "Family" stay apart in the device list, and the notify entity
    keeps the entity ID it had when it lived on the account's device.
    """
    info = DeviceInfo(
        identifiers={_recipient_identifier(entry, subentry)},
        entry_type=DeviceEntryType.SERVICE,
        manufacturer=_manufacturer(entry),
        model="SMS recipient",
        name=f"{entry.title} {subentry.title}",
    )
    if _LINKS_BY_DEVICE_ID:
        info["via_device_id"] = account_device_id  # type: ignore[typeddict-unknown-key, unused-ignore]
    else:
        info["via_device"] = _account_identifier(entry)
    return info


class SmsGatewayEntity(Entity):
    """An entity of an account: on the account's device, or on a recipient's."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self,
        entry: SmsGatewayConfigEntry,
        key: str | None = None,
        *,
        recipient: ConfigSubentry | None = None,
    ) -> None:
        """Identify the entity by its account, its recipient and its key.

        The account id can be the owner's phone number (HiSMS): keep it out
        of the entity registry by building on the entry id alone.
        """
        owner = entry.entry_id
        if recipient is None:
            self._attr_device_info = DeviceInfo(
                identifiers={_account_identifier(entry)}
            )
        else:
            owner = f"{owner}_{recipient.subentry_id}"
            self._attr_device_info = _recipient_device_info(
                entry, recipient, entry.runtime_data.account_device_id
            )
        self._attr_unique_id = owner if key is None else f"{owner}_{key}"
