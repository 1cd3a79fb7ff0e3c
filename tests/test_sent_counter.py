"""Counters of what an account sent: SMS parts and messages, kept across restarts."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import SensorExtraStoredData
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.sms_gateway.const import DOMAIN
from sms_emulator import Emulator, Fault

from .conftest import AYSE, MEHMET, SARA, setup_entry

PARTS = "sensor.turkey_sms_demo_home_sms_parts_sent"
MESSAGES = "sensor.turkey_sms_demo_home_messages_sent"
HISMS_PARTS = "sensor.hisms_sms_parts_sent"
HISMS_MESSAGES = "sensor.hisms_messages_sent"
TWO_PARTS = "Kargo kapıda. " * 12
"""168 characters of the Turkish GSM alphabet: two SMS parts."""


def counted(
    hass: HomeAssistant, parts: str = PARTS, messages: str = MESSAGES
) -> tuple[int, int]:
    values = []
    for entity_id in (parts, messages):
        state = hass.states.get(entity_id)
        assert state is not None, entity_id
        values.append(int(state.state))
    return values[0], values[1]


async def call(hass: HomeAssistant, domain: str, service: str, **data: Any) -> None:
    await hass.services.async_call(domain, service, data, blocking=True)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("turkey_sms")
async def test_the_counters_start_at_zero_and_count_up_for_statistics(
    hass: HomeAssistant,
) -> None:
    assert counted(hass) == (0, 0)
    for entity_id in (PARTS, MESSAGES):
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.attributes["state_class"] == "total_increasing"
    parts = hass.states.get(PARTS)
    assert parts is not None
    assert parts.attributes["unit_of_measurement"] == "SMS"


@pytest.mark.usefixtures("turkey_sms")
async def test_send_sms_counts_every_part_to_every_recipient(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    await call(hass, DOMAIN, "send_sms", recipients=[AYSE, MEHMET], message=TWO_PARTS)
    assert {m.segments for m in emulator.sent_messages()} == {2}
    assert counted(hass) == (4, 2)
    await call(
        hass,
        DOMAIN,
        "send_sms",
        messages=[
            {"recipient": AYSE, "message": "short"},
            {"recipient": MEHMET, "message": TWO_PARTS},
        ],
    )
    assert counted(hass) == (7, 4)


@pytest.mark.usefixtures("turkey_sms")
async def test_notify_entities_the_legacy_service_and_otp_count_too(
    hass: HomeAssistant,
) -> None:
    await call(
        hass,
        "notify",
        "send_message",
        entity_id="notify.turkey_sms_demo_home_family",
        message="Dinner",
    )
    assert counted(hass) == (2, 2)
    await call(hass, "notify", "turkey_sms_demo_home", message="Alarm", target=[AYSE])
    assert counted(hass) == (3, 3)
    await call(hass, DOMAIN, "send_otp", recipient=AYSE)
    assert counted(hass) == (4, 4)


@pytest.mark.usefixtures("turkey_sms")
async def test_what_the_provider_refused_is_not_counted(
    hass: HomeAssistant, emulator: Emulator
) -> None:
    emulator.faults.add(Fault("result_code", code="TS-1027", times=2))
    with pytest.raises(HomeAssistantError):
        await call(hass, DOMAIN, "send_sms", recipients=[AYSE], message="hi")
    with pytest.raises(HomeAssistantError):
        await call(hass, DOMAIN, "send_otp", recipient=AYSE)
    assert emulator.sent_messages() == []
    assert counted(hass) == (0, 0)


async def test_each_account_counts_its_own_sends(
    hass: HomeAssistant,
    turkey_sms: MockConfigEntry,
    hisms: MockConfigEntry,
) -> None:
    await call(
        hass,
        DOMAIN,
        "send_sms",
        config_entry_id=hisms.entry_id,
        recipients=[SARA],
        message=TWO_PARTS,
        send_at="2099-01-01 09:00",
    )
    assert counted(hass, HISMS_PARTS, HISMS_MESSAGES) == (2, 1)
    assert counted(hass) == (0, 0)


async def test_the_counts_carry_on_after_a_restart(
    hass: HomeAssistant, turkey_sms_entry: MockConfigEntry
) -> None:
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(PARTS, "120"),
                SensorExtraStoredData(
                    native_value=120, native_unit_of_measurement="SMS"
                ).as_dict(),
            ),
            (
                State(MESSAGES, "100"),
                SensorExtraStoredData(
                    native_value=100, native_unit_of_measurement=None
                ).as_dict(),
            ),
        ],
    )
    await setup_entry(hass, turkey_sms_entry)
    assert counted(hass) == (120, 100)
    await call(hass, DOMAIN, "send_sms", recipients=[AYSE], message=TWO_PARTS)
    assert counted(hass) == (122, 101)


async def test_a_count_that_cannot_be_read_back_starts_again_at_zero(
    hass: HomeAssistant, turkey_sms_entry: MockConfigEntry
) -> None:
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(PARTS, "unknown"),
                SensorExtraStoredData(
                    native_value=None, native_unit_of_measurement="SMS"
                ).as_dict(),
            )
        ],
    )
    await setup_entry(hass, turkey_sms_entry)
    assert counted(hass) == (0, 0)
