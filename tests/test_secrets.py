"""Secrets, codes, texts and numbers never reach logs, events, states or errors."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.sms_gateway.const import DOMAIN
from sms_emulator import Emulator, Fault

from .conftest import setup_entry

API_KEY = "SENTINEL-KEY-4f9c1e"
PASSWORD = "SENTINEL-PASS-8d2b7a"
NUMBER = "+905399876543"
HISMS_NUMBER = "+966559876543"
TEXT = "SENTINEL-TEXT-a71c"


@pytest.fixture
def sentinel_entries(
    emulator: Emulator,
    turkey_sms_entry: MockConfigEntry,
    hisms_entry: MockConfigEntry,
) -> tuple[MockConfigEntry, MockConfigEntry]:
    """Both accounts, with sentinel credentials the emulator accepts."""
    accounts = emulator.state.turkey_accounts
    accounts[API_KEY] = dataclasses.replace(
        accounts["demo-turkey-key"], api_key=API_KEY
    )
    emulator.state.hisms_accounts["966500000001"].password = PASSWORD
    turkey = MockConfigEntry(
        domain=DOMAIN,
        title=turkey_sms_entry.title,
        unique_id=turkey_sms_entry.unique_id,
        data={**turkey_sms_entry.data, "api_key": API_KEY},
        options=turkey_sms_entry.options,
    )
    hisms = MockConfigEntry(
        domain=DOMAIN,
        title=hisms_entry.title,
        unique_id=hisms_entry.unique_id,
        data={**hisms_entry.data, "password": PASSWORD},
        options=hisms_entry.options,
    )
    return turkey, hisms


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
    otp = await call("send_otp", config_entry_id=turkey.entry_id, recipient=NUMBER)
    assert otp is not None
    await call(
        "verify_otp", config_entry_id=turkey.entry_id, recipient=NUMBER, code="000"
    )
    hisms_otp = await call(
        "send_otp", config_entry_id=hisms.entry_id, recipient=HISMS_NUMBER
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
    )
    await hass.async_block_till_done()
    assert len(errors) >= 3

    diagnostics = [
        await get_diagnostics_for_config_entry(hass, hass_client, entry)
        for entry in (turkey, hisms)
    ]
    states = [(s.state, s.attributes) for s in hass.states.async_all()]
    haystacks = {
        "logs": caplog.text,
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
