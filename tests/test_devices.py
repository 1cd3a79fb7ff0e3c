"""Devices: the account's service device, and one device per recipient."""

from __future__ import annotations

import logging
from pathlib import Path
import warnings

from homeassistant.components.notify import (
    ATTR_MESSAGE,
    DOMAIN as NOTIFY_DOMAIN,
    SERVICE_SEND_MESSAGE,
)
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import DOMAIN
from sms_emulator import Emulator

from .conftest import reports_about_us

REPO = Path(__file__).resolve().parents[1]


def device_of(
    registry: dr.DeviceRegistry, entry: MockConfigEntry, identifier: str
) -> dr.DeviceEntry:
    """The entry's device with this identifier (looked up the same on every release)."""
    found = [
        device
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        if (DOMAIN, identifier) in device.identifiers
    ]
    assert len(found) == 1
    return found[0]


def subentries_of(device: dr.DeviceEntry, entry_id: str) -> set[str | None]:
    """The config subentries a device belongs to, on every release."""
    if hasattr(device, "config_subentry_id"):
        return {device.config_subentry_id}
    return set(device.config_entries_subentries[entry_id])


async def test_each_recipient_has_its_own_device_reached_through_the_account(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    turkey_sms: MockConfigEntry,
) -> None:
    account = device_of(device_registry, turkey_sms, turkey_sms.entry_id)
    assert account.entry_type is dr.DeviceEntryType.SERVICE
    assert subentries_of(account, turkey_sms.entry_id) == {None}

    for subentry_id, subentry in turkey_sms.subentries.items():
        device = device_of(
            device_registry, turkey_sms, f"{turkey_sms.entry_id}_{subentry_id}"
        )
        assert device.name == f"{turkey_sms.title} {subentry.title}"
        assert device.via_device_id == account.id
        assert subentries_of(device, turkey_sms.entry_id) == {subentry_id}
        entities = er.async_entries_for_device(entity_registry, device.id)
        assert [(e.domain, e.config_subentry_id) for e in entities] == [
            (NOTIFY_DOMAIN, subentry_id)
        ]

    on_account = er.async_entries_for_device(entity_registry, account.id)
    assert on_account
    assert {e.domain for e in on_account} == {"sensor", "event"}


async def test_an_installation_from_before_keeps_its_entity_ids(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    emulator: Emulator,
    turkey_sms_entry: MockConfigEntry,
) -> None:
    """Recipients used to live on the account's device, under other names."""
    turkey_sms_entry.add_to_hass(hass)
    account = device_registry.async_get_or_create(
        config_entry_id=turkey_sms_entry.entry_id,
        identifiers={(DOMAIN, turkey_sms_entry.entry_id)},
        name=turkey_sms_entry.title,
    )
    chosen: dict[str, str] = {}
    for number, subentry_id in enumerate(turkey_sms_entry.subentries):
        entity = entity_registry.async_get_or_create(
            NOTIFY_DOMAIN,
            DOMAIN,
            f"{turkey_sms_entry.entry_id}_{subentry_id}",
            config_entry=turkey_sms_entry,
            config_subentry_id=subentry_id,
            device_id=account.id,
            suggested_object_id=f"pager_{number}",
        )
        chosen[subentry_id] = entity.entity_id

    await hass.config_entries.async_setup(turkey_sms_entry.entry_id)
    await hass.async_block_till_done()

    for subentry_id, entity_id in chosen.items():
        entity = entity_registry.async_get(entity_id)
        assert entity is not None
        assert entity.unique_id == f"{turkey_sms_entry.entry_id}_{subentry_id}"
        device = device_registry.async_get(entity.device_id or "")
        assert device is not None
        assert device.identifiers == {
            (DOMAIN, f"{turkey_sms_entry.entry_id}_{subentry_id}")
        }
    await hass.services.async_call(
        NOTIFY_DOMAIN,
        SERVICE_SEND_MESSAGE,
        {ATTR_ENTITY_ID: sorted(chosen.values())[0], ATTR_MESSAGE: "Still here"},
        blocking=True,
    )
    assert [m.text for m in emulator.sent_messages()] == ["Still here"]


async def test_a_recipient_keeps_its_notify_entity_after_a_reload(
    hass: HomeAssistant, turkey_sms: MockConfigEntry
) -> None:
    assert hass.states.get("notify.turkey_sms_demo_home_ayse") is not None
    await hass.config_entries.async_reload(turkey_sms.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get("notify.turkey_sms_demo_home_ayse")
    assert state is not None
    assert state.state != "unavailable"


def test_a_frame_report_about_the_integration_fails_the_test() -> None:
    record = logging.LogRecord(
        "homeassistant.helpers.frame",
        logging.WARNING,
        __file__,
        1,
        "Detected that custom integration '%s' assigns an existing device to a "
        "different config subentry. This will stop working in Home Assistant "
        "2027.8.0",
        (DOMAIN,),
        None,
    )
    other = logging.LogRecord(
        "homeassistant.helpers.frame",
        logging.WARNING,
        __file__,
        1,
        "Detected that custom integration 'another' does something",
        (),
        None,
    )
    assert reports_about_us([record, other], []) == [record.getMessage()]


def test_a_deprecation_warning_from_the_integration_fails_the_test() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn_explicit(
            "old_api is deprecated",
            DeprecationWarning,
            str(REPO / "custom_components" / DOMAIN / "notify.py"),
            1,
        )
        warnings.warn("unrelated is deprecated", DeprecationWarning, stacklevel=1)
    assert reports_about_us([], caught) == ["old_api is deprecated"]
