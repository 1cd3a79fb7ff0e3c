"""Notify: an entity per recipient, and the legacy ``notify.<account>`` service."""

from __future__ import annotations

from typing import Any

from homeassistant.components.notify import NotifyEntity, NotifyEntityFeature
from homeassistant.components.notify.const import (
    ATTR_TARGET,
    ATTR_TITLE,
    DOMAIN as NOTIFY_DOMAIN,
)
from homeassistant.components.notify.legacy import BaseNotificationService
from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.const import CONF_NAME, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import discovery
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType
from homeassistant.util import slugify
from homeassistant.util.hass_dict import HassKey

from .client.bulk import OutgoingText
from .const import (
    CONF_NUMBERS,
    CONF_TRACK_DELIVERY,
    DOMAIN,
    LOGGER,
    SUBENTRY_RECIPIENT,
)
from .coordinator import SmsGatewayConfigEntry
from .entity import recipient_device_info
from .validation import async_resolve_recipients, validate_message

PARALLEL_UPDATES = 0
LEGACY_SERVICES: HassKey[dict[str, SmsNotificationService]] = HassKey(
    f"{DOMAIN}_legacy_notify"
)
"""This integration's legacy notify services by name, for as long as HA runs."""


def _with_title(message: str, title: str | None) -> str:
    """SMS has no title: it becomes the first line."""
    return f"{title}\n{message}" if title else message


async def _async_send_text(
    hass: HomeAssistant,
    entry: SmsGatewayConfigEntry,
    recipients: list[Any],
    message: str,
) -> None:
    """Validate, send, and raise unless every recipient got it or will get it.

    A held message is not an error: the alert is not lost (the outbox says
    so in the log, once).
    """
    analysis = validate_message(message, entry)
    numbers = await async_resolve_recipients(hass, entry, recipients)
    outcome = await entry.runtime_data.pipeline.async_send(
        [OutgoingText(analysis, tuple(numbers))],
        track=bool(entry.options.get(CONF_TRACK_DELIVERY))
        and entry.runtime_data.delivery is not None,
    )
    outcome.raise_for_failure(partial_ok=False)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmsGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """An entity for every recipient subentry."""
    for subentry_id, subentry in entry.subentries.items():
        if subentry.subentry_type == SUBENTRY_RECIPIENT:
            async_add_entities(
                [SmsRecipientEntity(entry, subentry)], config_subentry_id=subentry_id
            )


class SmsRecipientEntity(NotifyEntity):
    """A person or group that ``notify.send_message`` can reach by SMS."""

    _attr_has_entity_name = True
    _attr_supported_features = NotifyEntityFeature.TITLE
    _attr_translation_key = "recipient"

    def __init__(self, entry: SmsGatewayConfigEntry, subentry: ConfigSubentry) -> None:
        self._entry = entry
        self._subentry = subentry
        # The recipient's device carries the name; this is its main feature.
        self._attr_name = None
        self._attr_unique_id = f"{entry.entry_id}_{subentry.subentry_id}"
        self._attr_device_info = recipient_device_info(
            entry, subentry, entry.runtime_data.account_device_id
        )

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send the message to every number of this recipient."""
        await _async_send_text(
            self.hass,
            self._entry,
            list(self._subentry.data.get(CONF_NUMBERS, [])),
            _with_title(message, title),
        )


@callback
def async_setup_legacy_service(
    hass: HomeAssistant, entry: SmsGatewayConfigEntry
) -> None:
    """Make ``notify.<slug of the title>`` send through this account.

    The notify component loads a legacy service by discovery, once; it has no
    call that drops one service of an integration (``async_reset_platform``
    drops them all, and notify's discovery listener with them). So the service
    object stays for the run, and the account registers and unregisters its
    ``notify.<name>`` with the service's own methods as it loads and unloads;
    an account set up under that name later takes the object over.
    """
    name = slugify(entry.title)
    services = hass.data.setdefault(LEGACY_SERVICES, {})
    service = services.get(name)
    if service is not None:
        owner = hass.config_entries.async_get_entry(service.entry_id)
        if (
            owner is None
            or owner.state is not ConfigEntryState.LOADED
            or (owner.entry_id == entry.entry_id)
        ):
            service.entry_id = entry.entry_id
            entry.async_create_task(
                hass, service.async_register_services(), eager_start=True
            )
            entry.async_on_unload(service.async_unregister_services)
            return
    if service is not None or hass.services.has_service(NOTIFY_DOMAIN, name):
        LOGGER.warning(
            "notify.%s already exists, so %s gets no legacy notify service: "
            "give the entry another name",
            name,
            entry.title,
        )
        return
    services[name] = service = SmsNotificationService(entry.entry_id)
    entry.async_create_task(
        hass,
        discovery.async_load_platform(
            hass, Platform.NOTIFY, DOMAIN, {CONF_NAME: entry.title}, {}
        ),
        eager_start=True,
    )
    entry.async_on_unload(service.async_unregister_services)


async def async_get_service(
    hass: HomeAssistant,
    config: ConfigType,
    discovery_info: DiscoveryInfoType | None = None,
) -> SmsNotificationService | None:
    """The legacy service of one account (only ever loaded by discovery)."""
    if discovery_info is None:
        return None
    return hass.data[LEGACY_SERVICES][slugify(discovery_info[CONF_NAME])]


class SmsNotificationService(BaseNotificationService):
    """``notify.<account>``: ``target`` numbers, or every recipient of the account."""

    def __init__(self, entry_id: str) -> None:
        self.entry_id = entry_id
        """The account this name sends through; the last one set up under it."""

    async def async_send_message(self, message: str = "", **kwargs: Any) -> None:
        """Send to the targets; without targets, to all the account's recipients."""
        entry: SmsGatewayConfigEntry | None = self.hass.config_entries.async_get_entry(
            self.entry_id
        )
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="config_entry_not_loaded"
            )
        targets = kwargs.get(ATTR_TARGET)
        if not targets:
            targets = [
                number
                for subentry in entry.subentries.values()
                if subentry.subentry_type == SUBENTRY_RECIPIENT
                for number in subentry.data.get(CONF_NUMBERS, [])
            ]
        await _async_send_text(
            self.hass,
            entry,
            list(targets) if isinstance(targets, list | tuple) else [targets],
            _with_title(message, kwargs.get(ATTR_TITLE)),
        )
