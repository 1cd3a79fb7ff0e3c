"""Setting an account up and down: retries, refused credentials, polling."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
)

from custom_components.sms_gateway.const import DOMAIN, UPDATE_INTERVAL
from sms_emulator import Emulator, Fault

from .conftest import (
    AYSE,
    HISMS_USERNAME,
    POLL_FAULTS,
    TURKEY_API_KEY,
    let_time_pass,
    setup_entry,
)

BALANCE_FUNCTIONS = {"balance", "get_balance", "schedule_sms_count"}


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def reauth_flows(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """The reauthentication flows in progress for an entry."""
    return [
        flow["flow_id"]
        for flow in hass.config_entries.flow.async_progress()
        if flow["handler"] == DOMAIN
        and flow["context"]["source"] == SOURCE_REAUTH
        and flow["context"].get("entry_id") == entry.entry_id
    ]


def balance_requests(emulator: Emulator) -> int:
    return sum(1 for request in emulator.log if request.function in BALANCE_FUNCTIONS)


def refuse_credentials(emulator: Emulator, entry: MockConfigEntry) -> None:
    """Change the account at the provider so the stored credentials stop working."""
    if entry.data["provider"] == "turkey_sms":
        emulator.state.turkey_accounts.pop(TURKEY_API_KEY)
    else:
        emulator.state.hisms_accounts[HISMS_USERNAME].password = "changed-elsewhere"


def is_sent_counter(entity: er.RegistryEntry) -> bool:
    """Counted by the integration itself (what was sent, what waits), not polled."""
    return entity.translation_key in {
        "sent_parts",
        "sent_messages",
        "outbox",
        "parts_today",
    }


async def test_setup_and_unload(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    account_entry: MockConfigEntry,
) -> None:
    await setup_entry(hass, account_entry)
    assert account_entry.state is ConfigEntryState.LOADED
    assert account_entry.runtime_data.coordinator.last_update_success
    sensors = [
        entity.entity_id
        for entity in er.async_entries_for_config_entry(
            entity_registry, account_entry.entry_id
        )
        if entity.domain == Platform.SENSOR
    ]
    assert sensors

    assert await hass.config_entries.async_unload(account_entry.entry_id)
    await hass.async_block_till_done()

    assert account_entry.state is ConfigEntryState.NOT_LOADED
    for entity_id in sensors:
        assert state_of(hass, entity_id) == STATE_UNAVAILABLE


async def test_two_accounts_load_side_by_side(
    hass: HomeAssistant, turkey_sms: MockConfigEntry, hisms: MockConfigEntry
) -> None:
    assert turkey_sms.state is ConfigEntryState.LOADED
    assert hisms.state is ConfigEntryState.LOADED

    assert await hass.config_entries.async_unload(hisms.entry_id)
    assert turkey_sms.state is ConfigEntryState.LOADED


@pytest.mark.parametrize("fault", POLL_FAULTS)
async def test_provider_unreachable_at_startup_still_takes_alerts(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    account_entry: MockConfigEntry,
    fault: Fault,
) -> None:
    """A power cut often brings Home Assistant up before the internet.

    The account sets up: its notify entities and outbox take alerts; the
    balance sensors come once the provider answers.
    """
    emulator.faults.add(fault)
    await setup_entry(hass, account_entry)

    assert account_entry.state is ConfigEntryState.LOADED
    assert not reauth_flows(hass, account_entry)
    entities = er.async_entries_for_config_entry(
        entity_registry, account_entry.entry_id
    )
    assert not [
        e for e in entities if e.domain == Platform.SENSOR and not is_sent_counter(e)
    ]
    assert [e for e in entities if e.domain == Platform.NOTIFY]

    emulator.faults.clear()
    await let_time_pass(hass, freezer, UPDATE_INTERVAL)

    polled = [
        e
        for e in er.async_entries_for_config_entry(
            entity_registry, account_entry.entry_id
        )
        if e.domain == Platform.SENSOR and not is_sent_counter(e)
    ]
    assert polled
    assert all(state_of(hass, e.entity_id) != STATE_UNAVAILABLE for e in polled)

    # It reloads (a reconfigure, new credentials) like any other account.
    assert await hass.config_entries.async_reload(account_entry.entry_id)
    await hass.async_block_till_done()
    assert account_entry.state is ConfigEntryState.LOADED


async def test_refused_credentials_at_startup_ask_for_new_ones(
    hass: HomeAssistant,
    emulator: Emulator,
    account_entry: MockConfigEntry,
) -> None:
    refuse_credentials(emulator, account_entry)
    await setup_entry(hass, account_entry)

    assert account_entry.state is ConfigEntryState.SETUP_ERROR
    assert len(reauth_flows(hass, account_entry)) == 1


@pytest.mark.parametrize(
    ("provider", "code"),
    [
        ("turkey_sms", "TS-1031"),
        ("turkey_sms", "TS-1050"),
        ("turkey_sms", "TS-1030"),
        ("hisms", "1"),
        ("hisms", "2"),
        ("hisms", "504"),
    ],
)
async def test_every_credentials_code_starts_reauthentication(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms_entry: MockConfigEntry,
    hisms_entry: MockConfigEntry,
    provider: str,
    code: str,
) -> None:
    entry = turkey_sms_entry if provider == "turkey_sms" else hisms_entry
    emulator.faults.add(Fault("result_code", provider=provider, code=code))
    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert len(reauth_flows(hass, entry)) == 1


async def test_disabled_account_at_startup_asks_for_new_credentials(
    hass: HomeAssistant,
    emulator: Emulator,
    hisms_entry: MockConfigEntry,
) -> None:
    emulator.state.hisms_accounts[HISMS_USERNAME].disabled = True
    await setup_entry(hass, hisms_entry)

    assert hisms_entry.state is ConfigEntryState.SETUP_ERROR
    assert len(reauth_flows(hass, hisms_entry)) == 1


async def test_credentials_refused_while_polling_ask_for_new_ones(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    account: MockConfigEntry,
) -> None:
    assert not reauth_flows(hass, account)

    refuse_credentials(emulator, account)
    await let_time_pass(hass, freezer, UPDATE_INTERVAL)

    assert len(reauth_flows(hass, account)) == 1
    assert account.state is ConfigEntryState.LOADED
    for entity in er.async_entries_for_config_entry(entity_registry, account.entry_id):
        if entity.domain == Platform.SENSOR and not is_sent_counter(entity):
            assert state_of(hass, entity.entity_id) == STATE_UNAVAILABLE
        elif entity.domain == Platform.SENSOR:
            # Counted by the integration itself: the poll does not matter.
            assert state_of(hass, entity.entity_id) == "0"


async def test_refused_credentials_are_not_tried_again_and_again(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    hisms_entry: MockConfigEntry,
) -> None:
    """HiSMS locks an account out after a few bad logins: stop polling at once."""
    await setup_entry(hass, hisms_entry)
    refuse_credentials(emulator, hisms_entry)
    await let_time_pass(hass, freezer, UPDATE_INTERVAL)
    tried = balance_requests(emulator)

    for _ in range(3):
        await let_time_pass(hass, freezer, UPDATE_INTERVAL)

    assert balance_requests(emulator) == tried
    assert len(reauth_flows(hass, hisms_entry)) == 1


async def test_options_change_reloads_the_account(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms: MockConfigEntry,
) -> None:
    polls = balance_requests(emulator)

    hass.config_entries.async_update_entry(
        turkey_sms, options={**turkey_sms.options, "low_balance_threshold": 10}
    )
    await hass.async_block_till_done(wait_background_tasks=True)

    assert turkey_sms.state is ConfigEntryState.LOADED
    assert balance_requests(emulator) == polls + 1


async def test_key_without_balance_permission_still_loads(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    turkey_sms_entry: MockConfigEntry,
) -> None:
    """An API key may send without being allowed to read the balance (TS-1065)."""
    emulator.state.turkey_accounts[TURKEY_API_KEY].balance_enabled = False
    await setup_entry(hass, turkey_sms_entry)

    assert turkey_sms_entry.state is ConfigEntryState.LOADED
    assert not [
        entity
        for entity in er.async_entries_for_config_entry(
            entity_registry, turkey_sms_entry.entry_id
        )
        if entity.domain == Platform.SENSOR and not is_sent_counter(entity)
    ]
    polls = balance_requests(emulator)

    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"recipients": [AYSE], "message": "Still sending"},
        blocking=True,
        return_response=True,
    )
    await let_time_pass(hass, freezer, UPDATE_INTERVAL)

    assert len(emulator.sent_messages()) == 1
    assert balance_requests(emulator) == polls
    assert state_of(hass, "sensor.turkey_sms_demo_home_messages_sent") == "1"
    assert caplog.text.count("may not read the balance") == 1
