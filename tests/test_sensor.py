"""Balance sensors: one poll per account feeds every sensor of it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.sms_gateway.const import CONF_PROVIDER, DOMAIN, UPDATE_INTERVAL
from sms_emulator import Emulator, Fault

from .conftest import (
    HISMS_PASSWORD,
    HISMS_USERNAME,
    POLL_FAULTS,
    SARA,
    TURKEY_API_KEY,
    let_time_pass,
    poll,
    setup_entry,
)

POLLED_FUNCTIONS = {
    "turkey_sms": ["balance"],
    "hisms": ["get_balance", "schedule_sms_count"],
}
"""The provider functions one poll calls."""
SENT_COUNTERS = ("sent_parts", "sent_messages", "outbox", "parts_today")
"""Sensors every account has, counted by the integration (see test_sent_counter,
test_outbox and test_spend_guard)."""


def sensor_id(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> str:
    """The entity ID of one of the account's sensors, found by unique ID."""
    entity_id = er.async_get(hass).async_get_entity_id(
        Platform.SENSOR, DOMAIN, f"{entry.entry_id}_{key}"
    )
    assert entity_id is not None, key
    return entity_id


def sensors(hass: HomeAssistant, entry: MockConfigEntry) -> list[er.RegistryEntry]:
    return [
        entity
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if entity.domain == Platform.SENSOR
    ]


def sensor_keys(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    return {
        entity.unique_id.removeprefix(f"{entry.entry_id}_")
        for entity in sensors(hass, entry)
    }


def balance_polls(emulator: Emulator, function: str) -> int:
    return sum(1 for request in emulator.log if request.function == function)


def sensor_state(hass: HomeAssistant, entry: MockConfigEntry, key: str) -> State:
    """The state of the account's sensor with this key; it must exist."""
    entity_id = sensor_id(hass, entry, key)
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


# What the integration decides about a registry entry. The rest of the entry is
# Home Assistant's bookkeeping, whose shape changes between releases.
DECLARED = (
    "entity_id",
    "platform",
    "has_entity_name",
    "original_name",
    "translation_key",
    "original_device_class",
    "original_icon",
    "entity_category",
    "capabilities",
    "unit_of_measurement",
    "supported_features",
    "disabled_by",
    "hidden_by",
)


def what_the_entity_declares(entity: er.RegistryEntry) -> dict[str, Any]:
    declared = {name: getattr(entity, name) for name in DECLARED}
    declared["capabilities"] = with_string_keys(entity.capabilities or {})
    return declared


def what_the_state_shows(state: State) -> dict[str, Any]:
    return {"state": state.state, "attributes": with_string_keys(state.attributes)}


def with_string_keys(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Newer releases key attributes by enums of the same strings."""
    return {str(key): value for key, value in mapping.items()}


@pytest.mark.freeze_time("2026-06-01 12:00:00+00:00")
async def test_sensor_states_and_registry_entries(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
    account: MockConfigEntry,
) -> None:
    entities = sensors(hass, account)
    assert entities
    for entity in entities:
        # The unique ID holds the account ID (a HiSMS username is a phone
        # number): checked here, kept out of the snapshot file.
        assert entity.unique_id == (f"{account.entry_id}_{entity.translation_key}")
        assert what_the_entity_declares(entity) == snapshot(
            name=f"{entity.entity_id}-entry"
        )
        assert entity.disabled_by is None
        state = hass.states.get(entity.entity_id)
        assert state is not None
        assert what_the_state_shows(state) == snapshot(name=f"{entity.entity_id}-state")


async def test_turkey_sms_shows_local_and_international_balance(
    hass: HomeAssistant, turkey_sms: MockConfigEntry
) -> None:
    assert sensor_keys(hass, turkey_sms) == {
        "local_balance",
        "international_balance",
        *SENT_COUNTERS,
    }
    local = sensor_state(hass, turkey_sms, "local_balance")
    international = sensor_state(hass, turkey_sms, "international_balance")
    assert float(local.state) == 1000
    assert local.attributes["unit_of_measurement"] == "SMS"
    assert Decimal(international.state) == Decimal("250.00")
    assert international.attributes["unit_of_measurement"] == "TRY"
    assert international.attributes["device_class"] == "monetary"


async def test_hisms_shows_balance_and_scheduled_messages(
    hass: HomeAssistant, hisms: MockConfigEntry
) -> None:
    assert sensor_keys(hass, hisms) == {"balance", "scheduled_messages", *SENT_COUNTERS}
    balance = sensor_state(hass, hisms, "balance")
    scheduled = sensor_state(hass, hisms, "scheduled_messages")
    assert float(balance.state) == 500
    assert int(scheduled.state) == 0


async def test_balance_follows_the_account_on_the_next_poll(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms: MockConfigEntry,
) -> None:
    local_id = sensor_id(hass, turkey_sms, "local_balance")
    international_id = sensor_id(hass, turkey_sms, "international_balance")
    account = emulator.state.turkey_accounts[TURKEY_API_KEY]
    account.local_balance = 742
    account.international_balance_tl = Decimal("12.25")

    assert float(state_of(hass, local_id)) == 1000
    await poll(hass, freezer)

    assert float(state_of(hass, local_id)) == 742
    assert Decimal(state_of(hass, international_id)) == Decimal("12.25")


async def test_hisms_scheduled_count_follows_the_account(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    hisms: MockConfigEntry,
) -> None:
    emulator.state.hisms_accounts[HISMS_USERNAME].balance = 321
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "recipients": [SARA],
            "message": "Later",
            "send_at": "2099-01-01T10:00:00+03:00",
        },
        blocking=True,
        return_response=True,
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    await poll(hass, freezer)

    scheduled = sensor_state(hass, hisms, "scheduled_messages")
    balance = sensor_state(hass, hisms, "balance")
    assert int(scheduled.state) == 1
    assert float(balance.state) < 321


async def test_each_endpoint_is_polled_once_per_interval(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    account: MockConfigEntry,
) -> None:
    functions = POLLED_FUNCTIONS[account.data[CONF_PROVIDER]]
    # Once at setup, whatever the number of sensors.
    assert [balance_polls(emulator, f) for f in functions] == [1] * len(functions)

    await poll(hass, freezer)
    await poll(hass, freezer)

    assert [balance_polls(emulator, f) for f in functions] == [3] * len(functions)


async def test_nothing_is_polled_before_the_interval_is_over(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms: MockConfigEntry,
) -> None:
    await let_time_pass(hass, freezer, UPDATE_INTERVAL / 2)

    assert balance_polls(emulator, "balance") == 1


@pytest.mark.parametrize("fault", POLL_FAULTS)
async def test_sensors_are_unavailable_while_polling_fails(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    turkey_sms: MockConfigEntry,
    fault: Fault,
) -> None:
    entity_ids = [
        sensor_id(hass, turkey_sms, key)
        for key in ("local_balance", "international_balance")
    ]
    caplog.set_level(logging.INFO, logger="custom_components.sms_gateway")
    emulator.faults.add(fault)

    await poll(hass, freezer)
    await poll(hass, freezer)

    for entity_id in entity_ids:
        assert state_of(hass, entity_id) == STATE_UNAVAILABLE

    emulator.faults.clear()
    await poll(hass, freezer)

    for entity_id in entity_ids:
        assert state_of(hass, entity_id) != STATE_UNAVAILABLE
    assert float(state_of(hass, entity_ids[0])) == 1000

    ours = [r for r in caplog.records if r.name.startswith("custom_components")]
    failures = [r for r in ours if r.levelno == logging.ERROR]
    recoveries = [r for r in ours if "recovered" in r.getMessage()]
    assert len(failures) == 1
    assert len(recoveries) == 1
    assert TURKEY_API_KEY not in caplog.text


async def test_hisms_sensors_are_unavailable_while_polling_fails(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    hisms: MockConfigEntry,
) -> None:
    entity_id = sensor_id(hass, hisms, "scheduled_messages")
    emulator.faults.add(Fault("drop_before", provider="hisms", function="get_balance"))

    await poll(hass, freezer)
    assert state_of(hass, entity_id) == STATE_UNAVAILABLE

    emulator.faults.clear()
    await poll(hass, freezer)
    assert state_of(hass, entity_id) == "0"
    assert HISMS_PASSWORD not in caplog.text


@pytest.mark.parametrize(
    "fault",
    [
        Fault(
            "result_code", provider="hisms", function="schedule_sms_count", code="404"
        ),
        Fault("html_error", provider="hisms", function="schedule_sms_count"),
    ],
    ids=["unknown_function", "unreadable"],
)
async def test_hisms_scheduled_count_failing_leaves_the_balance_alone(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    hisms_entry: MockConfigEntry,
    fault: Fault,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")
    emulator.faults.add(fault)
    await setup_entry(hass, hisms_entry)
    balance = sensor_id(hass, hisms_entry, "balance")
    scheduled = sensor_id(hass, hisms_entry, "scheduled_messages")

    await poll(hass, freezer)
    await poll(hass, freezer)

    assert float(state_of(hass, balance)) == 500
    assert state_of(hass, scheduled) == STATE_UNAVAILABLE
    assert balance_polls(emulator, "get_balance") == 3
    assert balance_polls(emulator, "schedule_sms_count") == 1
    ours = [r for r in caplog.records if r.name.startswith("custom_components")]
    assert not [r for r in ours if r.levelno >= logging.ERROR]
    assert len([r for r in ours if r.levelno == logging.WARNING]) == 1
    assert HISMS_PASSWORD not in caplog.text

    emulator.faults.clear()
    await hass.config_entries.async_reload(hisms_entry.entry_id)
    await hass.async_block_till_done()

    assert balance_polls(emulator, "schedule_sms_count") == 2
    assert state_of(hass, scheduled) == "0"


async def test_hisms_scheduled_count_that_drops_is_asked_again(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    hisms: MockConfigEntry,
) -> None:
    scheduled = sensor_id(hass, hisms, "scheduled_messages")
    emulator.faults.add(
        Fault("drop_before", provider="hisms", function="schedule_sms_count", times=1)
    )

    await poll(hass, freezer)
    assert state_of(hass, scheduled) == STATE_UNAVAILABLE
    assert float(state_of(hass, sensor_id(hass, hisms, "balance"))) == 500

    await poll(hass, freezer)
    assert state_of(hass, scheduled) == "0"


async def test_rate_limited_poll_makes_the_sensors_unavailable_until_it_passes(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms: MockConfigEntry,
) -> None:
    entity_id = sensor_id(hass, turkey_sms, "local_balance")
    emulator.faults.add(Fault("rate_limited", times=1))

    await poll(hass, freezer)
    assert state_of(hass, entity_id) == STATE_UNAVAILABLE

    await poll(hass, freezer)
    assert float(state_of(hass, entity_id)) == 1000


async def test_one_account_failing_leaves_the_other_available(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms: MockConfigEntry,
    hisms: MockConfigEntry,
) -> None:
    emulator.faults.add(Fault("http_status", provider="hisms", status=500))

    await poll(hass, freezer)

    turkey_sms_balance = sensor_id(hass, turkey_sms, "local_balance")
    hisms_balance = sensor_id(hass, hisms, "balance")
    assert float(state_of(hass, turkey_sms_balance)) == 1000
    assert state_of(hass, hisms_balance) == STATE_UNAVAILABLE


async def test_fractional_balance_is_shown_as_reported(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms: MockConfigEntry,
) -> None:
    account = emulator.state.turkey_accounts[TURKEY_API_KEY]
    account.local_balance = Decimal("99.5")  # type: ignore[assignment]

    await poll(hass, freezer)

    local = sensor_state(hass, turkey_sms, "local_balance")
    assert local.state == "99.5"
