"""Secrets, codes, texts and numbers never reach logs, events, states or errors.

Nor automation and script traces: they hold every action's data and the
responses stored in variables, are shown in the UI and saved to disk when Home
Assistant stops. Only a code the caller asked for with ``return_code`` may be
found there.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from custom_components.sms_gateway.const import DOMAIN
from sms_emulator import Emulator, Fault

from .conftest import (
    HISMS_ACCOUNT,
    HISMS_USERNAME,
    TURKEY_API_KEY,
    TURKEY_SMS_ACCOUNT,
    StoredAccount,
    setup_entry,
)

API_KEY = "SENTINEL-KEY-4f9c1e"
PASSWORD = "SENTINEL-PASS-8d2b7a"
NUMBER = "+905399876543"
HISMS_NUMBER = "+966559876543"
TEXT = "SENTINEL-TEXT-a71c"


def _with_door(
    account: StoredAccount, number: str, **credentials: str
) -> StoredAccount:
    """The account with these credentials and only the recipient "Door"."""
    return dataclasses.replace(
        account,
        credentials={**account.credentials, **credentials},
        recipients={"Door": [number]},
    )


@pytest.fixture
def sentinel_entries(emulator: Emulator) -> tuple[MockConfigEntry, MockConfigEntry]:
    """Both accounts, with sentinel credentials the emulator accepts.

    Each has a recipient "Door" with the sentinel number of its country.
    """
    accounts = emulator.state.turkey_accounts
    accounts[API_KEY] = dataclasses.replace(accounts[TURKEY_API_KEY], api_key=API_KEY)
    emulator.state.hisms_accounts[HISMS_USERNAME].password = PASSWORD
    return (
        _with_door(TURKEY_SMS_ACCOUNT, NUMBER, api_key=API_KEY).entry(emulator),
        _with_door(HISMS_ACCOUNT, HISMS_NUMBER, password=PASSWORD).entry(emulator),
    )


def _digits(number: str) -> str:
    return number.lstrip("+")[-9:]


async def test_no_secret_leaks_anywhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    emulator: Emulator,
    sentinel_entries: tuple[MockConfigEntry, MockConfigEntry],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    turkey, hisms = sentinel_entries
    await setup_entry(hass, turkey)
    await setup_entry(hass, hisms)
    events: list[Event] = []
    hass.bus.async_listen("*", events.append)
    errors: list[str] = []

    async def call(service: str, **data: Any) -> dict[str, Any] | None:
        try:
            return await hass.services.async_call(
                DOMAIN, service, data, blocking=True, return_response=True
            )
        except HomeAssistantError as err:
            errors.append(str(err))
            return None

    await call(
        "send_sms", config_entry_id=turkey.entry_id, recipients=[NUMBER], message=TEXT
    )
    otp = await call(
        "send_otp", config_entry_id=turkey.entry_id, recipient=NUMBER, return_code=True
    )
    assert otp is not None
    await call(
        "verify_otp", config_entry_id=turkey.entry_id, recipient=NUMBER, code="000"
    )
    hisms_otp = await call(
        "send_otp",
        config_entry_id=hisms.entry_id,
        recipient=HISMS_NUMBER,
        return_code=True,
    )
    assert hisms_otp is not None
    await call(
        "send_sms",
        config_entry_id=hisms.entry_id,
        recipients=[HISMS_NUMBER],
        message=TEXT,
    )
    emulator.faults.add(Fault("drop_after", times=1))
    await call(
        "send_sms", config_entry_id=turkey.entry_id, recipients=[NUMBER], message=TEXT
    )
    emulator.faults.add(Fault("result_code", code="TS-1034", times=1))
    await call(
        "send_sms", config_entry_id=turkey.entry_id, recipients=[NUMBER], message=TEXT
    )
    await call(
        "send_sms",
        config_entry_id=turkey.entry_id,
        recipients=["05399876543x"],
        message=TEXT,
    )
    emulator.faults.add(Fault("result_code", provider="hisms", code="2"))
    await call(
        "send_sms",
        config_entry_id=hisms.entry_id,
        recipients=[HISMS_NUMBER],
        message=TEXT,
        retry_minutes=0,
    )
    # Held for new credentials: in the outbox's event and store, never shown.
    await call(
        "send_sms",
        config_entry_id=hisms.entry_id,
        recipients=[HISMS_NUMBER],
        message=TEXT,
    )
    await hass.async_block_till_done()
    assert len(errors) >= 3

    diagnostics = [
        await get_diagnostics_for_config_entry(hass, hass_client, entry)
        for entry in (turkey, hisms)
    ]
    states = [(s.state, s.attributes) for s in hass.states.async_all()]
    haystacks = {
        # Every logger but the test harness's stand-in for Home Assistant's
        # storage, which logs what it is given (the real Store logs nothing;
        # the outbox's store must hold the text it sends later).
        "logs": "\n".join(
            caplog.handler.format(record)
            for record in caplog.records
            if record.name != "pytest_homeassistant_custom_component.common"
        ),
        # call_service is Home Assistant's own record of the call itself.
        "events": repr([e.data for e in events if e.event_type != "call_service"]),
        "errors": repr(errors),
        "diagnostics": repr(diagnostics),
        "states": repr(states),
    }
    needles = {
        "api key": API_KEY,
        "password": PASSWORD,
        "text": TEXT,
        "turkish number": _digits(NUMBER),
        "saudi number": _digits(HISMS_NUMBER),
        "otp code": f"'{otp['code']}'",
        "hisms otp code": f"'{hisms_otp['code']}'",
    }
    for where, haystack in haystacks.items():
        for what, needle in needles.items():
            assert needle not in haystack, f"{what} found in {where}"


def _door_entity(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    [entity] = [
        item
        for item in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if item.domain == "notify"
    ]
    return entity.entity_id


def _sequence(
    hass: HomeAssistant, turkey: MockConfigEntry, hisms: MockConfigEntry
) -> list[dict[str, Any]]:
    """Codes with and without return_code, and texts, to recipient entities."""
    turkey_door, hisms_door = _door_entity(hass, turkey), _door_entity(hass, hisms)
    return [
        {
            "action": f"{DOMAIN}.send_otp",
            "data": {"config_entry_id": turkey.entry_id, "recipient": turkey_door},
            "response_variable": "hidden",
        },
        {
            "action": f"{DOMAIN}.send_otp",
            "data": {"config_entry_id": hisms.entry_id, "recipient": hisms_door},
            "response_variable": "hidden_hisms",
        },
        {
            "action": f"{DOMAIN}.send_otp",
            "data": {
                "config_entry_id": turkey.entry_id,
                "recipient": turkey_door,
                "return_code": True,
            },
            "response_variable": "asked",
        },
        {
            "action": f"{DOMAIN}.send_sms",
            "data": {
                "config_entry_id": turkey.entry_id,
                "recipients": [turkey_door],
                "message": "Door code on its way: {{ hidden.expires_at }}",
            },
        },
        {
            "action": "notify.send_message",
            "target": {"entity_id": hisms_door},
            "data": {"message": "Door code on its way"},
        },
    ]


async def _traces(client: MockHAClientWebSocket, domain: str) -> list[dict[str, Any]]:
    await client.send_json_auto_id({"type": "trace/list", "domain": domain})
    listed = await client.receive_json()
    assert listed["success"], listed
    traces = []
    for item in listed["result"]:
        await client.send_json_auto_id(
            {
                "type": "trace/get",
                "domain": domain,
                "item_id": item["item_id"],
                "run_id": item["run_id"],
            }
        )
        got = await client.receive_json()
        assert got["success"], got
        traces.append(got["result"])
    return traces


def _codes(emulator: Emulator) -> list[str]:
    """Every code sent: Turkey SMS records its own, HiSMS gets ours as text."""
    return [
        message.otp_code or message.text.split()[-1]
        for message in emulator.sent_messages()
        if message.otp_code or "verification code" in message.text
    ]


async def test_automation_and_script_traces_keep_codes_secrets_and_numbers_out(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    hass_storage: dict[str, Any],
    emulator: Emulator,
    sentinel_entries: tuple[MockConfigEntry, MockConfigEntry],
) -> None:
    turkey, hisms = sentinel_entries
    await setup_entry(hass, turkey)
    await setup_entry(hass, hisms)
    sequence = _sequence(hass, turkey, hisms)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": "door_code",
                "alias": "Door code",
                "triggers": [{"trigger": "event", "event_type": "door_code"}],
                "actions": sequence,
            }
        },
    )
    assert await async_setup_component(
        hass, "script", {"script": {"door_code": {"sequence": sequence}}}
    )
    hass.bus.async_fire("door_code")
    await hass.async_block_till_done()
    await hass.services.async_call("script", "door_code", blocking=True)
    await hass.async_block_till_done()

    codes = _codes(emulator)
    assert len(codes) == 6
    hidden = [codes[0], codes[1], codes[3], codes[4]]
    asked = [codes[2], codes[5]]
    client = await hass_ws_client(hass)
    traces = {
        "automation": await _traces(client, "automation"),
        "script": await _traces(client, "script"),
    }
    await client.close()
    assert all(len(found) == 1 for found in traces.values())
    assert all(not trace.get("error") for found in traces.values() for trace in found)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    haystacks = {
        **{domain: json.dumps(found) for domain, found in traces.items()},
        "saved": json.dumps(hass_storage["trace.saved_traces"]),
    }
    for code in asked:
        # The caller asked for it: the trace shows it, which proves that the
        # responses are read.
        assert f'"{code}"' in haystacks["saved"]
    needles = {
        "api key": API_KEY,
        "password": PASSWORD,
        "turkish number": _digits(NUMBER),
        "saudi number": _digits(HISMS_NUMBER),
        **{f"code {index}": f'"{code}"' for index, code in enumerate(hidden)},
    }
    for where, haystack in haystacks.items():
        for what, needle in needles.items():
            assert needle not in haystack, f"{what} found in the {where} traces"
