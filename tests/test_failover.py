"""Failing over to a second account: its sender, its event, the options that set it."""

from __future__ import annotations

from typing import Any, NamedTuple

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType, InvalidData
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.sms_gateway.const import (
    CONF_FALLBACK_ACCOUNT,
    CONF_RETRY_MINUTES,
    CONF_SENDER,
    EVENT_MESSAGE_SENT,
)
from custom_components.sms_gateway.outbox import EVENT_OUTBOX, FIRST_WAIT
from sms_emulator import Emulator, Fault

from .conftest import HISMS_USERNAME, SENDER, let_time_pass
from .sends import (
    FAMILY,
    assert_honest,
    delivered_through,
    fresh,
    held,
    send,
    sends,
    set_up,
)

pytestmark = pytest.mark.usefixtures("waits")

TURKEY_DOWN = Fault("http_status", provider="turkey_sms", status=503)
"""Every request to Turkey SMS is refused unprocessed, as long as the test runs."""
TURKEY_BROKE = Fault("result_code", provider="turkey_sms", code="TS-1027")
"""Turkey SMS refuses every send for want of balance."""
HISMS_DOWN = Fault("http_status", provider="hisms", status=503)
HISMS_BROKE = Fault("result_code", provider="hisms", code="9")
HISMS_SENDER = "RIYADHHOME"


class Accounts(NamedTuple):
    """Turkey SMS set up with HiSMS as its fallback, and where they keep things."""

    storage: dict[str, Any]
    emulator: Emulator
    first: MockConfigEntry
    fallback: MockConfigEntry


@pytest.fixture
async def accounts(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    emulator: Emulator,
    turkey_sms_entry: MockConfigEntry,
    hisms_entry: MockConfigEntry,
) -> Accounts:
    await set_up(hass, turkey_sms_entry, hisms_entry)
    return Accounts(hass_storage, emulator, turkey_sms_entry, hisms_entry)


@pytest.mark.parametrize("sender", [None, SENDER], ids=["default", "given"])
async def test_failover_sends_with_the_fallback_accounts_own_sender(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms_entry: MockConfigEntry,
    hisms_entry: MockConfigEntry,
    sender: str | None,
) -> None:
    """A sender given for the first account may not exist at the second one."""
    emulator.state.hisms_accounts[HISMS_USERNAME].senders[HISMS_SENDER] = "active"
    hisms_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        hisms_entry, data={**hisms_entry.data, CONF_SENDER: HISMS_SENDER}
    )
    await set_up(hass, turkey_sms_entry, hisms_entry)
    emulator.faults.add(fresh(TURKEY_DOWN))

    fields = {"sender": sender} if sender else {}
    response = await send(hass, FAMILY, turkey_sms_entry, **fields)

    assert response["failed_over"] == FAMILY
    assert [m.sender for m in emulator.sent_messages("hisms")] == [HISMS_SENDER] * 3
    assert_honest(response, emulator)


async def test_the_sent_event_names_the_account_that_sent(
    hass: HomeAssistant,
    emulator: Emulator,
    turkey_sms_entry: MockConfigEntry,
    hisms_entry: MockConfigEntry,
) -> None:
    """Each account's event and counters tell what went out through it."""
    await set_up(hass, turkey_sms_entry, hisms_entry)
    emulator.faults.add(fresh(TURKEY_DOWN))
    events = async_capture_events(hass, EVENT_MESSAGE_SENT)

    await send(hass, FAMILY, turkey_sms_entry)
    await hass.async_block_till_done()

    by_account = {event.data["config_entry_id"]: event.data for event in events}
    assert len(events) == len(by_account) == 2
    turkey, hisms = (
        by_account[turkey_sms_entry.entry_id],
        by_account[hisms_entry.entry_id],
    )
    assert (turkey["accepted"], turkey["not_sent"], turkey["requests"]) == (0, 3, 3)
    assert turkey["message_ids"] == []
    assert (hisms["accepted"], hisms["not_sent"], hisms["requests"]) == (3, 0, 1)
    assert hisms["message_ids"] == [emulator.sent_messages("hisms")[0].message_id]
    assert hisms["parts"] == 3
    assert messages_sent(hass, "sensor.turkey_sms_demo_home_messages_sent") == 0
    assert messages_sent(hass, "sensor.hisms_messages_sent") == 3


def messages_sent(hass: HomeAssistant, entity_id: str) -> int:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return int(state.state)


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [(TURKEY_DOWN, "queued"), (TURKEY_BROKE, "error:insufficient_balance")],
    ids=["unreachable", "insufficient balance"],
)
async def test_a_fallback_that_is_not_loaded_is_not_used(
    hass: HomeAssistant, accounts: Accounts, fault: Fault, outcome: str
) -> None:
    """What passes is held as if there were no fallback; what does not is refused."""
    hass_storage, emulator, turkey_sms_entry, hisms_entry = accounts
    assert await hass.config_entries.async_unload(hisms_entry.entry_id)
    emulator.faults.add(fresh(fault))

    if outcome == "queued":
        response = await send(hass, FAMILY, turkey_sms_entry)
        assert response["queued"] == FAMILY
        assert (response["failed_over"], response["fallback_account"]) == ([], None)
        assert held(hass_storage, turkey_sms_entry) == FAMILY
    else:
        with pytest.raises(HomeAssistantError) as caught:
            await send(hass, FAMILY, turkey_sms_entry)
        assert caught.value.translation_key == outcome.removeprefix("error:")
        assert held(hass_storage, turkey_sms_entry) == []
    assert sends(emulator, "hisms") == 0


@pytest.mark.parametrize(
    ("fault", "fallback_fault"),
    [(TURKEY_DOWN, HISMS_DOWN), (TURKEY_BROKE, HISMS_BROKE)],
    ids=["both unreachable", "both without credit"],
)
async def test_what_neither_account_can_send_is_held_by_the_first(
    hass: HomeAssistant, accounts: Accounts, fault: Fault, fallback_fault: Fault
) -> None:
    """Held by the first account, whose later tries fail over again."""
    hass_storage, emulator, turkey_sms_entry, hisms_entry = accounts
    for each in (fault, fallback_fault):
        emulator.faults.add(fresh(each))

    response = await send(hass, FAMILY, turkey_sms_entry)

    assert response["queued"] == FAMILY
    assert response["failed_over"] == []
    assert held(hass_storage, turkey_sms_entry) == FAMILY
    assert held(hass_storage, hisms_entry) == []
    assert emulator.sent_messages() == []
    assert_honest(response, emulator)


async def test_a_held_message_fails_over_when_it_is_tried_again(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, accounts: Accounts
) -> None:
    """Held while the fallback was away; its next try goes out through it, once."""
    hass_storage, emulator, turkey_sms_entry, hisms_entry = accounts
    assert await hass.config_entries.async_unload(hisms_entry.entry_id)
    emulator.faults.add(fresh(TURKEY_DOWN))
    response = await send(hass, FAMILY, turkey_sms_entry)
    assert response["queued"] == FAMILY

    assert await hass.config_entries.async_setup(hisms_entry.entry_id)
    outbox = async_capture_events(hass, EVENT_OUTBOX)
    await let_time_pass(hass, freezer, FIRST_WAIT + 1)

    assert [(e.data["state"], len(e.data["recipients"])) for e in outbox] == [
        ("sent", 3)
    ]
    assert delivered_through(emulator, hisms_entry) == FAMILY
    assert held(hass_storage, turkey_sms_entry) == []
    await let_time_pass(hass, freezer, FIRST_WAIT * 4)
    assert len(emulator.sent_messages()) == 3


# -- choosing the fallback -------------------------------------------------------


def fallback_choices(result: FlowResult[Any, Any]) -> list[str] | None:
    """The accounts the options form offers as fallback; None: no such field."""
    for key, selector in result["data_schema"].schema.items():
        if str(key) == CONF_FALLBACK_ACCOUNT:
            return [option["value"] for option in selector.config["options"]]
    return None


async def choose_fallback(
    hass: HomeAssistant, entry: MockConfigEntry, fallback: str
) -> FlowResult[Any, Any]:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    return await hass.config_entries.options.async_configure(
        result["flow_id"], form_input(entry, fallback)
    )


def form_input(entry: MockConfigEntry, fallback: str) -> dict[str, Any]:
    return {**entry.options, CONF_RETRY_MINUTES: 60, CONF_FALLBACK_ACCOUNT: fallback}


async def test_two_accounts_cannot_fall_back_to_each_other(
    hass: HomeAssistant,
    turkey_sms_entry: MockConfigEntry,
    hisms_entry: MockConfigEntry,
) -> None:
    turkey_sms_entry.add_to_hass(hass)
    hisms_entry.add_to_hass(hass)
    result = await choose_fallback(hass, turkey_sms_entry, hisms_entry.entry_id)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert turkey_sms_entry.options[CONF_FALLBACK_ACCOUNT] == hisms_entry.entry_id

    result = await choose_fallback(hass, hisms_entry, turkey_sms_entry.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_FALLBACK_ACCOUNT: "fallback_loop"}
    assert CONF_FALLBACK_ACCOUNT not in hisms_entry.options


async def test_an_account_is_never_its_own_fallback(
    hass: HomeAssistant,
    turkey_sms_entry: MockConfigEntry,
    hisms_entry: MockConfigEntry,
) -> None:
    """Not offered, refused if sent anyway, and gone if removed meanwhile."""
    turkey_sms_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(turkey_sms_entry.entry_id)
    assert fallback_choices(result) is None

    hisms_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(turkey_sms_entry.entry_id)
    assert fallback_choices(result) == [hisms_entry.entry_id]
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], form_input(turkey_sms_entry, turkey_sms_entry.entry_id)
        )

    await hass.config_entries.async_remove(hisms_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], form_input(turkey_sms_entry, hisms_entry.entry_id)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_FALLBACK_ACCOUNT: "fallback_unknown"}
    assert CONF_FALLBACK_ACCOUNT not in turkey_sms_entry.options
