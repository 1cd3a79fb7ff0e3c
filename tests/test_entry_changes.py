"""Changing a running account: each change reloads it once and takes effect.

Every test starts from a really set-up account, so Home Assistant's checks on
loaded entries (update listeners next to flows that reload) run as they do for
users, and counts each setup the change causes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.sms_gateway.const import (
    CONF_MAX_SEGMENTS,
    CONF_NUMBERS,
    CONF_RETRY_MINUTES,
    CONF_SENDER,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from sms_emulator import Emulator

from .conftest import AYSE, MEHMET, TURKEY_API_KEY
from .flows import turkey_input

NEW_KEY = "rotated-key"


def own_text(result: Any, reason: str) -> None:
    """The flow ended with this reason, shown in the integration's own words."""
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert result.get("translation_domain") in (None, DOMAIN)


async def send(hass: HomeAssistant, text: str = "door open") -> None:
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"recipients": [AYSE], "message": text},
        blocking=True,
        return_response=True,
    )


async def reauthenticate(
    hass: HomeAssistant, entry: MockConfigEntry, api_key: str
) -> None:
    """Give the account this key when Home Assistant asks for new credentials."""
    result = await entry.start_reauth_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_key": api_key}
    )
    await hass.async_block_till_done()

    own_text(result, "reauth_successful")


async def test_reauthentication_with_a_new_key_reloads_once_and_sends_with_it(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms: MockConfigEntry,
    setups: list[str],
) -> None:
    accounts = emulator.state.turkey_accounts
    accounts[NEW_KEY] = dataclasses.replace(accounts[TURKEY_API_KEY], api_key=NEW_KEY)
    await reauthenticate(hass, turkey_sms, NEW_KEY)

    assert setups == [turkey_sms.entry_id]
    assert turkey_sms.state is ConfigEntryState.LOADED
    del accounts[TURKEY_API_KEY]
    await send(hass)
    assert [message.number for message in emulator.sent_messages()] == [AYSE[1:]]


async def test_reauthentication_with_the_same_key_sets_the_account_up_again(
    hass: HomeAssistant, turkey_sms: MockConfigEntry, setups: list[str]
) -> None:
    """Nothing changed, so no listener runs: the flow reloads it itself."""
    await reauthenticate(hass, turkey_sms, TURKEY_API_KEY)

    assert setups == [turkey_sms.entry_id]
    assert turkey_sms.state is ConfigEntryState.LOADED


async def test_reconfigure_with_a_new_sender_reloads_once_and_sends_from_it(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms: MockConfigEntry,
    setups: list[str],
) -> None:
    emulator.state.turkey_accounts[TURKEY_API_KEY].senders["OFFICE"] = "active"
    result = await turkey_sms.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**turkey_input(emulator.base_url), CONF_SENDER: "OFFICE"}
    )
    await hass.async_block_till_done()

    own_text(result, "reconfigure_successful")
    assert setups == [turkey_sms.entry_id]
    await send(hass)
    assert [message.sender for message in emulator.sent_messages()] == ["OFFICE"]


async def test_changed_options_reload_once_and_apply(
    hass: HomeAssistant, turkey_sms: MockConfigEntry, setups: list[str]
) -> None:
    result = await hass.config_entries.options.async_init(turkey_sms.entry_id)

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**turkey_sms.options, CONF_MAX_SEGMENTS: 2, CONF_RETRY_MINUTES: 60},
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert turkey_sms.options[CONF_MAX_SEGMENTS] == 2
    assert setups == [turkey_sms.entry_id]
    assert turkey_sms.state is ConfigEntryState.LOADED


async def test_a_new_recipient_reloads_once_and_gets_its_notify_entity(
    hass: HomeAssistant, turkey_sms: MockConfigEntry, setups: list[str]
) -> None:
    result = await hass.config_entries.subentries.async_init(
        (turkey_sms.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Neighbour", CONF_NUMBERS: [MEHMET]}
    )
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert setups == [turkey_sms.entry_id]
    assert hass.states.get("notify.turkey_sms_demo_home_neighbour") is not None


async def test_a_renamed_recipient_reloads_once_and_its_device_takes_the_name(
    hass: HomeAssistant, turkey_sms: MockConfigEntry, setups: list[str]
) -> None:
    family = next(s for s in turkey_sms.subentries.values() if s.title == "Family")
    result = await turkey_sms.start_subentry_reconfigure_flow(hass, family.subentry_id)

    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Kids", CONF_NUMBERS: [AYSE, MEHMET]}
    )
    await hass.async_block_till_done()

    own_text(result, "reconfigure_successful")
    assert setups == [turkey_sms.entry_id]
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), turkey_sms.entry_id)
    names = {device.name for device in devices}
    assert "Turkey SMS Demo Home Kids" in names
    assert "Turkey SMS Demo Home Family" not in names


async def test_a_removed_recipient_reloads_once_and_its_entity_goes(
    hass: HomeAssistant, turkey_sms: MockConfigEntry, setups: list[str]
) -> None:
    family = next(s for s in turkey_sms.subentries.values() if s.title == "Family")
    assert hass.states.get("notify.turkey_sms_demo_home_family") is not None

    hass.config_entries.async_remove_subentry(turkey_sms, family.subentry_id)
    await hass.async_block_till_done()

    assert setups == [turkey_sms.entry_id]
    state = hass.states.get("notify.turkey_sms_demo_home_family")
    assert state is None or state.state == "unavailable"


async def test_a_changed_password_reloads_once_and_sends_with_it(
    hass: HomeAssistant,
    emulator: Emulator,
    hisms: MockConfigEntry,
    setups: list[str],
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "change_password",
        {"config_entry_id": hisms.entry_id, "new_password": "n3w-Secret"},
        blocking=True,
    )
    await hass.async_block_till_done()

    assert setups == [hisms.entry_id]
    assert hisms.data["password"] == "n3w-Secret"
    assert hisms.state is ConfigEntryState.LOADED
