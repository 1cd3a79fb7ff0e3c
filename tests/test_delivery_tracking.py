"""Delivery tracking: events per state change, automations, restarts, the budget."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.sms_gateway.const import DOMAIN
from custom_components.sms_gateway.tracking import EVENT_DELIVERY
from sms_emulator import Emulator, Fault

from .conftest import AYSE, MEHMET, SARA, let_time_pass

THIRD = "+905051234567"
POLLS = {"status", "report_detailed"}


async def send_tracked(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"track_delivery": True, "message": "Water leak", **data},
        blocking=True,
        return_response=True,
    )
    assert isinstance(response, dict)
    return response


async def run_for(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: int, step: int = 10
) -> None:
    for _ in range(seconds // step):
        await let_time_pass(hass, freezer, step)


def polls(emulator: Emulator) -> list[str]:
    return [e.function for e in emulator.log if e.function in POLLS]


def sequence(events: list[Event]) -> list[tuple[str, str]]:
    return [(e.data["recipient"], e.data["state"]) for e in events]


def script(emulator: Emulator, number: str, *steps: tuple[float, str]) -> None:
    emulator.script_delivery(number.lstrip("+"), steps)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([(5, "delivered")], ["delivered"]),
        ([(0, "pending"), (5, "not_delivered")], ["not_delivered"]),
        ([(0, "out_of_coverage"), (45, "delivered")], ["pending", "delivered"]),
    ],
    ids=["delivered", "not_delivered", "late_delivery"],
)
async def test_single_send_fires_each_state_change(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms: MockConfigEntry,
    steps: list[tuple[float, str]],
    expected: list[str],
) -> None:
    script(emulator, AYSE, *steps)
    events = async_capture_events(hass, EVENT_DELIVERY)
    response = await send_tracked(hass, recipients=[AYSE])
    [message_id] = response["message_ids"]
    await let_time_pass(hass, freezer, 15)
    assert len(events) == 1, "the first check comes within 15 s"
    await run_for(hass, freezer, 3600, step=30)
    assert [e.data["state"] for e in events] == expected
    for event in events:
        assert event.data["tracking_id"] == response["tracking_id"]
        assert event.data["message_id"] == message_id
        assert event.data["recipient"] == "+90*******67"
        assert event.data["config_entry_id"] == turkey_sms.entry_id
        assert event.data["code"].startswith("TS-10")
        assert event.data["time"]
    polled = len(polls(emulator))
    await run_for(hass, freezer, 7200, step=600)
    assert len(polls(emulator)) == polled, "a final state ends the polling"


@pytest.mark.usefixtures("turkey_sms")
async def test_group_send_is_one_report_poll_for_all_numbers(
    hass: HomeAssistant, emulator: Emulator, freezer: FrozenDateTimeFactory
) -> None:
    script(emulator, AYSE, (5, "delivered"))
    script(emulator, MEHMET, (0, "pending"), (20, "not_delivered"))
    script(emulator, THIRD, (0, "out_of_coverage"), (100, "delivered"))
    events = async_capture_events(hass, EVENT_DELIVERY)
    response = await send_tracked(hass, recipients=[AYSE, MEHMET, THIRD])
    assert response["report_id"] is not None
    await let_time_pass(hass, freezer, 10)
    assert sequence(events) == [
        ("+90*******67", "delivered"),
        ("+90*******67", "pending"),
        ("+90*******67", "pending"),
    ]
    assert polls(emulator) == ["report_detailed"]
    await run_for(hass, freezer, 300)
    assert [(e.data["state"]) for e in events] == [
        "delivered",
        "pending",
        "pending",
        "not_delivered",
        "delivered",
    ]
    assert {e.data["report_id"] for e in events} == {response["report_id"]}
    assert {e.data["tracking_id"] for e in events} == {response["tracking_id"]}
    # 10, 30, 60 and 120 s: one report per poll, never one request per number.
    assert polls(emulator) == ["report_detailed"] * 4


@pytest.mark.usefixtures("turkey_sms")
async def test_wait_for_trigger_reacts_to_its_own_message_only(
    hass: HomeAssistant, emulator: Emulator, freezer: FrozenDateTimeFactory
) -> None:
    calls = async_mock_service(hass, "test", "escalate")
    script(emulator, AYSE, (0, "out_of_coverage"), (20, "delivered"))
    script(emulator, MEHMET, (0, "out_of_coverage"), (20, "not_delivered"))
    for name, number in (("ayse", AYSE), ("mehmet", MEHMET)):
        hass.states.async_set(f"input_text.{name}", number)
    await async_setup_escalation(hass)
    hass.bus.async_fire("leak_ayse")
    hass.bus.async_fire("leak_mehmet")
    # The runs wait for their triggers: time moves on without waiting for them.
    for _ in range(15):
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        for _ in range(300):  # no timers: time is frozen between the ticks
            await asyncio.sleep(0)
    assert [call.data["who"] for call in calls] == ["mehmet"]


async def async_setup_escalation(hass: HomeAssistant) -> None:
    automations = [
        {
            "id": f"leak_{who}",
            "alias": f"Leak {who}",
            "triggers": [{"trigger": "event", "event_type": f"leak_{who}"}],
            "actions": [
                {
                    "action": "sms_gateway.send_sms",
                    "data": {
                        "recipients": f"{{{{ states('input_text.{who}') }}}}",
                        "message": "Water leak in the kitchen",
                        "track_delivery": True,
                    },
                    "response_variable": "sent",
                },
                {
                    "wait_for_trigger": [
                        {
                            "trigger": "event",
                            "event_type": EVENT_DELIVERY,
                            "event_data": {
                                "tracking_id": "{{ sent.tracking_id }}",
                                "state": "delivered",
                            },
                        }
                    ],
                    "timeout": {"minutes": 2},
                },
                {
                    "if": [
                        {
                            "condition": "template",
                            "value_template": "{{ not wait.trigger }}",
                        }
                    ],
                    "then": [{"action": "test.escalate", "data": {"who": who}}],
                },
            ],
        }
        for who in ("ayse", "mehmet")
    ]
    assert await async_setup_component(hass, "automation", {"automation": automations})
    await hass.async_block_till_done()


async def test_tracking_resumes_after_a_reload(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    turkey_sms: MockConfigEntry,
) -> None:
    script(emulator, AYSE, (0, "out_of_coverage"), (60, "delivered"))
    events = async_capture_events(hass, EVENT_DELIVERY)
    response = await send_tracked(hass, recipients=[AYSE])
    await let_time_pass(hass, freezer, 10)
    entry_id = turkey_sms.entry_id
    stored = hass_storage[f"{DOMAIN}.delivery.{entry_id}"]["data"]["tracked"]
    assert [item["tracking_id"] for item in stored] == [response["tracking_id"]]
    assert await hass.config_entries.async_reload(entry_id)
    await hass.async_block_till_done()
    await run_for(hass, freezer, 120)
    assert [e.data["state"] for e in events] == ["pending", "delivered"]
    assert events[-1].data["tracking_id"] == response["tracking_id"]
    assert hass_storage[f"{DOMAIN}.delivery.{entry_id}"]["data"]["tracked"] == []


async def test_unload_stops_tracking(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms: MockConfigEntry,
) -> None:
    script(emulator, AYSE, (0, "out_of_coverage"))
    await send_tracked(hass, recipients=[AYSE])
    await let_time_pass(hass, freezer, 10)
    assert polls(emulator) == ["status"]
    assert await hass.config_entries.async_unload(turkey_sms.entry_id)
    await run_for(hass, freezer, 600)
    assert polls(emulator) == ["status"]


@pytest.mark.usefixtures("turkey_sms")
async def test_polling_stays_within_the_account_budget(
    hass: HomeAssistant, emulator: Emulator, freezer: FrozenDateTimeFactory
) -> None:
    numbers = [AYSE, MEHMET, THIRD, "+905321234500", "+905321234501"]
    for number in numbers:
        script(emulator, number, (0, "out_of_coverage"))
        await send_tracked(hass, recipients=[number])
    await send_tracked(hass, recipients=numbers)
    events = async_capture_events(hass, EVENT_DELIVERY)
    await run_for(hass, freezer, 300)
    await run_for(hass, freezer, 86400 + 3600, step=300)
    # Six tracked sends, each polled at 10, 30, 60, 120, 300, 600, 1200 and
    # 1800 s, then hourly until the validity (1440 min) ends: 32 polls each.
    assert len(polls(emulator)) == 6 * 32
    assert polls(emulator).count("report_detailed") == 32
    assert [e.data["state"] for e in events].count("expired") == 10


async def test_hisms_refuses_tracking_before_sending(
    hass: HomeAssistant, hisms: MockConfigEntry, emulator: Emulator
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await send_tracked(hass, recipients=[SARA])
    assert err.value.translation_key == "delivery_tracking_not_supported"
    assert emulator.sent_messages() == []
    assert hass.states.async_entity_ids("event") == []


async def test_notify_entities_track_delivery_through_the_account_option(
    hass: HomeAssistant,
    turkey_sms: MockConfigEntry,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    result = await hass.config_entries.options.async_init(turkey_sms.entry_id)
    assert "track_delivery" in result["data_schema"].schema
    await hass.config_entries.options.async_configure(
        result["flow_id"], {**turkey_sms.options, "track_delivery": True}
    )
    await hass.async_block_till_done()
    assert turkey_sms.options["track_delivery"] is True
    script(emulator, AYSE, (5, "delivered"))
    events = async_capture_events(hass, EVENT_DELIVERY)
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.turkey_sms_demo_home_ayse", "message": "Leak"},
        blocking=True,
    )
    await hass.services.async_call(
        "notify",
        "turkey_sms_demo_home",
        {"message": "Leak", "target": [MEHMET]},
        blocking=True,
    )
    await run_for(hass, freezer, 30)
    assert sorted(e.data["state"] for e in events) == ["delivered", "delivered"]
    state = hass.states.get("event.turkey_sms_demo_home_delivery")
    assert state is not None
    assert state.attributes["event_type"] == "delivered"
    assert state.attributes["recipient"] == "+90*******67"


async def test_notify_does_not_track_without_the_option(
    hass: HomeAssistant,
    turkey_sms: MockConfigEntry,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.turkey_sms_demo_home_ayse", "message": "Leak"},
        blocking=True,
    )
    await run_for(hass, freezer, 60)
    assert polls(emulator) == []


async def test_hisms_options_offer_no_delivery_tracking(
    hass: HomeAssistant, hisms_entry: MockConfigEntry
) -> None:
    hisms_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(hisms_entry.entry_id)
    assert "track_delivery" not in result["data_schema"].schema


@pytest.mark.usefixtures("turkey_sms")
@pytest.mark.parametrize("fault", ["rate_limited", "http_status"])
async def test_a_failed_check_is_tried_again_later(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    fault: str,
) -> None:
    script(emulator, AYSE, (5, "delivered"))
    emulator.faults.add(Fault(fault, provider="turkey_sms", function="status", times=1))
    events = async_capture_events(hass, EVENT_DELIVERY)
    await send_tracked(hass, recipients=[AYSE])
    await let_time_pass(hass, freezer, 10)
    assert events == []
    await run_for(hass, freezer, 60)
    assert [e.data["state"] for e in events] == ["delivered"]


async def test_removing_the_account_forgets_what_it_tracked(
    hass: HomeAssistant, turkey_sms: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await send_tracked(hass, recipients=[AYSE])
    await hass.async_block_till_done()
    key = f"{DOMAIN}.delivery.{turkey_sms.entry_id}"
    assert key in hass_storage
    await hass.config_entries.async_remove(turkey_sms.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage
