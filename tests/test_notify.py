"""Notify entities per recipient and the legacy notify.<account> service."""

from __future__ import annotations

from homeassistant.components.notify import (
    ATTR_MESSAGE,
    ATTR_TITLE,
    DOMAIN as NOTIFY_DOMAIN,
    SERVICE_SEND_MESSAGE,
)
from homeassistant.components.notify.const import ATTR_TARGET
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from sms_emulator import Emulator

from .conftest import AYSE, MEHMET, setup_entry


async def test_each_recipient_is_a_notify_entity(
    hass: HomeAssistant, turkey_sms: MockConfigEntry
) -> None:
    registry = er.async_get(hass)
    entries = er.async_entries_for_config_entry(registry, turkey_sms.entry_id)
    notify = sorted(e.entity_id for e in entries if e.domain == NOTIFY_DOMAIN)
    assert notify == [
        "notify.turkey_sms_demo_home_ayse",
        "notify.turkey_sms_demo_home_family",
    ]
    assert all(
        e.config_subentry_id in turkey_sms.subentries
        for e in entries
        if e.domain == NOTIFY_DOMAIN
    )


async def test_send_message_reaches_every_number_of_a_group(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    await hass.services.async_call(
        NOTIFY_DOMAIN,
        SERVICE_SEND_MESSAGE,
        {
            ATTR_ENTITY_ID: "notify.turkey_sms_demo_home_family",
            ATTR_MESSAGE: "Garage left open",
            ATTR_TITLE: "Home",
        },
        blocking=True,
    )
    messages = emulator.sent_messages()
    assert sorted(m.number for m in messages) == ["905321234567", "905441234567"]
    assert {m.text for m in messages} == {"Home\nGarage left open"}


async def test_a_failed_send_from_an_entity_raises_a_translated_error(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    emulator.state.turkey_accounts["demo-turkey-key"].local_balance = 0
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            NOTIFY_DOMAIN,
            SERVICE_SEND_MESSAGE,
            {ATTR_ENTITY_ID: "notify.turkey_sms_demo_home_ayse", ATTR_MESSAGE: "x"},
            blocking=True,
        )
    assert caught.value.translation_key == "insufficient_balance"


async def test_legacy_service_sends_to_target_numbers(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    assert hass.services.has_service(NOTIFY_DOMAIN, "turkey_sms_demo_home")
    await hass.services.async_call(
        NOTIFY_DOMAIN,
        "turkey_sms_demo_home",
        {ATTR_MESSAGE: "Alarm!", ATTR_TARGET: ["05441234567"]},
        blocking=True,
    )
    assert [m.number for m in emulator.sent_messages()] == ["905441234567"]


async def test_legacy_service_without_target_reaches_all_recipients_once(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    await hass.services.async_call(
        NOTIFY_DOMAIN, "turkey_sms_demo_home", {ATTR_MESSAGE: "Alarm!"}, blocking=True
    )
    numbers = sorted(m.number for m in emulator.sent_messages())
    assert numbers == [AYSE[1:], MEHMET[1:]]


async def test_legacy_service_refuses_a_bad_target_and_sends_nothing(
    hass: HomeAssistant, emulator: Emulator, turkey_sms: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            NOTIFY_DOMAIN,
            "turkey_sms_demo_home",
            {ATTR_MESSAGE: "x", ATTR_TARGET: ["0532&password=1"]},
            blocking=True,
        )
    assert emulator.sent_messages() == []


async def test_an_unloaded_accounts_legacy_service_is_gone_until_loaded(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms: MockConfigEntry,
    hisms: MockConfigEntry,
) -> None:
    await hass.config_entries.async_unload(turkey_sms.entry_id)
    await hass.async_block_till_done()
    assert turkey_sms.state is ConfigEntryState.NOT_LOADED
    assert not hass.services.has_service(NOTIFY_DOMAIN, "turkey_sms_demo_home")

    await hass.services.async_call(
        NOTIFY_DOMAIN, "hisms", {ATTR_MESSAGE: "Still here"}, blocking=True
    )
    assert len(emulator.sent_messages()) == 1

    await hass.config_entries.async_setup(turkey_sms.entry_id)
    await hass.async_block_till_done()
    assert hass.services.has_service(NOTIFY_DOMAIN, "turkey_sms_demo_home")
    await hass.services.async_call(
        NOTIFY_DOMAIN, "turkey_sms_demo_home", {ATTR_MESSAGE: "Back"}, blocking=True
    )
    assert {m.provider for m in emulator.sent_messages()} == {"hisms", "turkey_sms"}


async def test_two_accounts_with_one_name_do_not_share_a_legacy_service(
    hass: HomeAssistant,
    emulator: Emulator,
    hisms_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_entry(hass, hisms_entry)
    twin = MockConfigEntry(
        domain=hisms_entry.domain,
        title=hisms_entry.title,
        unique_id="966500000009",
        data=hisms_entry.data,
        options=hisms_entry.options,
    )
    await setup_entry(hass, twin)
    assert "notify.hisms already exists" in caplog.text

    await hass.config_entries.async_unload(twin.entry_id)
    await hass.async_block_till_done()
    assert hass.services.has_service(NOTIFY_DOMAIN, "hisms")
    await hass.services.async_call(
        NOTIFY_DOMAIN, "hisms", {ATTR_MESSAGE: "Still here"}, blocking=True
    )
    assert [m.account for m in emulator.sent_messages()] == ["966500000001"]
