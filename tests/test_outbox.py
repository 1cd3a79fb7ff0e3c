"""The outbox: an alert that certainly did not go out is held, kept and sent later, once.

Through Home Assistant against the emulator: the provider goes away, the
alerts are held (and survive a reload or a restart), the provider comes back,
and every held message arrives exactly once — never one whose outcome was
unknown, never after its deadline.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.sms_gateway import pipeline
from custom_components.sms_gateway.client.phone import mask_number
from custom_components.sms_gateway.const import DOMAIN, UPDATE_INTERVAL
from custom_components.sms_gateway.outbox import EVENT_OUTBOX, FIRST_WAIT, LONGEST_WAIT
from sms_emulator import Emulator, Fault

from .conftest import AYSE, MEHMET, TURKEY_API_KEY, let_time_pass, setup_entry

ALERT = "Water leak in the kitchen"
AYSE_ENTITY = "notify.turkey_sms_demo_home_ayse"
OUTBOX_SENSOR = "sensor.turkey_sms_demo_home_outbox"


class Outage:
    """The provider refuses every connection, then comes back at the same address."""

    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator
        self._port = 0

    async def begin(self) -> None:
        assert self._emulator.base_url is not None
        self._port = int(self._emulator.base_url.rsplit(":", 1)[1])
        await self._emulator.stop()

    async def end(self) -> None:
        await self._emulator.start(port=self._port)


@pytest.fixture
def outbox_events(hass: HomeAssistant) -> list[Event[dict[str, Any]]]:
    return async_capture_events(hass, EVENT_OUTBOX)


async def send_sms(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, "send_sms", data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


async def notify(hass: HomeAssistant, message: str = ALERT) -> None:
    await hass.services.async_call(
        "notify",
        "send_message",
        {ATTR_ENTITY_ID: AYSE_ENTITY, "message": message},
        blocking=True,
    )


def delivered(emulator: Emulator) -> list[tuple[str, str]]:
    return [(f"+{m.number}", m.text) for m in emulator.sent_messages()]


def waiting(hass: HomeAssistant) -> int:
    state = hass.states.get(OUTBOX_SENSOR)
    assert state is not None
    return int(state.state)


@dataclass
class Scene:
    """The Turkey SMS account set up against the emulator, with time to let pass."""

    hass: HomeAssistant
    emulator: Emulator
    freezer: FrozenDateTimeFactory
    entry: MockConfigEntry
    events: list[Event[dict[str, Any]]]
    """The outbox events since the account was set up."""
    outage: Outage

    async def provider_down(self) -> None:
        await self.outage.begin()

    async def provider_back(self) -> None:
        await self.outage.end()

    async def hold_an_alert(self) -> None:
        """The provider goes away, then an alert is sent to Ayşe."""
        await self.provider_down()
        await notify(self.hass)

    async def pass_time(self, seconds: float | timedelta) -> None:
        await let_time_pass(self.hass, self.freezer, seconds)

    async def reload_while_one_is_held_then_recover(self) -> None:
        """Reload the account with one message held; the provider comes back."""
        assert await self.hass.config_entries.async_reload(self.entry.entry_id)
        await self.hass.async_block_till_done()
        assert self.waiting() == 1
        await self.provider_back()
        await self.pass_time(LONGEST_WAIT)

    def delivered(self) -> list[tuple[str, str]]:
        return delivered(self.emulator)

    def waiting(self) -> int:
        return waiting(self.hass)


@pytest.fixture
def scene(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms: MockConfigEntry,
    outbox_events: list[Event[dict[str, Any]]],
) -> Scene:
    return Scene(hass, emulator, freezer, turkey_sms, outbox_events, Outage(emulator))


async def test_an_alert_sent_while_the_provider_is_down_is_held_and_sent_once_later(
    hass: HomeAssistant, scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    await scene.provider_down()
    caplog.set_level(logging.DEBUG, logger="custom_components.sms_gateway")

    await notify(hass)  # no error: the alert is not lost

    assert scene.waiting() == 1
    assert hass.states.get(OUTBOX_SENSOR).attributes["oldest"] is not None
    response = await send_sms(hass, recipients=[MEHMET], message="Second alert")
    assert response["queued"] == [MEHMET]
    assert response["outbox_id"]
    assert response["accepted"] == response["not_sent"] == response["unknown"] == []
    assert scene.waiting() == 2
    assert [e.data["state"] for e in scene.events] == ["queued", "queued"]
    assert scene.delivered() == []

    await scene.provider_back()
    await scene.pass_time(LONGEST_WAIT)

    assert sorted(scene.delivered()) == sorted(
        [(AYSE, ALERT), (MEHMET, "Second alert")]
    )
    assert scene.waiting() == 0
    sent = [e for e in scene.events if e.data["state"] == "sent"]
    assert len(sent) == 2
    await scene.pass_time(LONGEST_WAIT * 3)
    assert len(scene.delivered()) == 2

    for event in scene.events:
        assert set(event.data) == {
            "config_entry_id",
            "outbox_id",
            "state",
            "kind",
            "recipients",
            "attempts",
        }
        assert ALERT not in str(event.data)
        assert AYSE not in str(event.data)
        assert MEHMET not in str(event.data)
    ours = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.sms_gateway")
    )
    assert "held in the outbox" in ours
    assert ALERT not in ours
    assert AYSE[1:] not in ours


async def test_held_messages_go_out_as_soon_as_a_poll_succeeds_again(
    scene: Scene,
) -> None:
    await scene.hold_an_alert()
    await scene.pass_time(UPDATE_INTERVAL)  # the poll fails too
    await scene.provider_back()

    tried = len(scene.emulator.log)
    await scene.pass_time(UPDATE_INTERVAL)  # poll succeeds: wake

    assert scene.delivered() == [(AYSE, ALERT)]
    assert len(scene.emulator.log) > tried


async def test_held_messages_survive_a_reload(scene: Scene) -> None:
    await scene.hold_an_alert()

    await scene.reload_while_one_is_held_then_recover()

    assert scene.delivered() == [(AYSE, ALERT)]
    # The balance refresh that follows a send runs too.
    await scene.pass_time(30)
    assert scene.waiting() == 0


async def test_a_try_cut_short_by_a_restart_is_never_made_again(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms_entry: MockConfigEntry,
    outbox_events: list[Event[dict[str, Any]]],
) -> None:
    """Home Assistant stopped during the request: it may have gone out."""
    now = "2026-12-03T10:00:00+00:00"
    later = "2026-12-03T11:00:00+00:00"
    hass_storage[f"{DOMAIN}.outbox.{turkey_sms_entry.entry_id}"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.outbox.{turkey_sms_entry.entry_id}",
        "data": {
            "messages": [
                {
                    "outbox_id": "cut-short",
                    "kind": "sms",
                    "numbers": [AYSE, MEHMET],
                    "text": ALERT,
                    "sender": None,
                    "created": now,
                    "deadline": later,
                    "next_try": now,
                    "attempts": 1,
                    "in_flight": [AYSE],
                }
            ]
        },
    }
    freezer.move_to(now)
    await setup_entry(hass, turkey_sms_entry)
    await let_time_pass(hass, freezer, 1)

    assert delivered(emulator) == [(MEHMET, ALERT)]
    states = {e.data["state"]: e.data["recipients"] for e in outbox_events}
    assert states["unknown"] == [mask_number(AYSE)]
    assert states["sent"] == [mask_number(MEHMET)]


async def test_a_try_cut_short_between_attempts_is_made_again(
    hass: HomeAssistant, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reloaded while a try waits to connect again: the alert certainly did not go out."""
    await scene.hold_an_alert()
    waiting_to_connect = asyncio.Event()

    async def wait_for_ever(_seconds: float) -> None:
        waiting_to_connect.set()
        await asyncio.Event().wait()

    no_pause = pipeline.pause
    monkeypatch.setattr(pipeline, "pause", wait_for_ever)
    scene.freezer.tick(FIRST_WAIT)
    async_fire_time_changed(hass)
    await waiting_to_connect.wait()
    monkeypatch.setattr(pipeline, "pause", no_pause)

    await scene.reload_while_one_is_held_then_recover()

    assert scene.delivered() == [(AYSE, ALERT)]
    assert [e.data["state"] for e in scene.events] == ["queued", "sent"]


async def test_messages_to_one_number_keep_their_order(
    hass: HomeAssistant, scene: Scene
) -> None:
    await scene.provider_down()
    await notify(hass, "first")
    await scene.provider_back()

    # The provider is back, but Ayşe's first alert still waits: the second
    # goes behind it, not before it.
    response = await send_sms(hass, recipients=[AYSE, MEHMET], message="second")
    assert response["queued"] == [AYSE]
    assert response["accepted"] == [MEHMET]

    await scene.pass_time(LONGEST_WAIT)

    to_ayse = [text for number, text in scene.delivered() if number == AYSE]
    assert to_ayse == ["first", "second"]


async def test_a_message_past_its_deadline_expires_and_is_never_sent(
    hass: HomeAssistant, scene: Scene
) -> None:
    await scene.provider_down()
    response = await send_sms(hass, recipients=[AYSE], message=ALERT, retry_minutes=2)
    assert response["queued"] == [AYSE]

    await scene.pass_time(timedelta(minutes=3))
    await scene.provider_back()
    await scene.pass_time(LONGEST_WAIT * 2)

    assert scene.delivered() == []
    assert scene.events[-1].data["state"] == "expired"
    assert scene.waiting() == 0


async def test_held_messages_wait_while_new_credentials_are_asked_for(
    hass: HomeAssistant, scene: Scene
) -> None:
    await scene.hold_an_alert()
    await scene.provider_back()
    key = scene.emulator.state.turkey_accounts.pop(TURKEY_API_KEY)
    await scene.pass_time(UPDATE_INTERVAL)  # refused: reauth
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    requests = len(scene.emulator.log)

    await scene.pass_time(LONGEST_WAIT)
    assert len(scene.emulator.log) == requests  # nothing tried with refused credentials

    scene.emulator.state.turkey_accounts[TURKEY_API_KEY] = key
    await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"api_key": TURKEY_API_KEY}
    )
    await hass.async_block_till_done()
    await scene.pass_time(LONGEST_WAIT)

    assert scene.delivered() == [(AYSE, ALERT)]


async def test_clear_outbox_drops_what_is_held(
    hass: HomeAssistant, scene: Scene
) -> None:
    await scene.provider_down()
    await send_sms(hass, recipients=[AYSE, MEHMET], message=ALERT)

    response = await hass.services.async_call(
        DOMAIN, "clear_outbox", {}, blocking=True, return_response=True
    )

    assert response == {"cleared": 1, "recipients": 2}
    assert scene.events[-1].data["state"] == "cleared"
    await scene.provider_back()
    await scene.pass_time(LONGEST_WAIT)
    assert scene.delivered() == []
    assert scene.waiting() == 0


async def test_an_unknown_outcome_is_never_held(
    hass: HomeAssistant,
    emulator: Emulator,
    freezer: FrozenDateTimeFactory,
    turkey_sms: MockConfigEntry,
) -> None:
    """The provider processed it and the answer was lost: it may have gone out."""
    emulator.faults.add(Fault("drop_after", times=1))
    response = await send_sms(hass, recipients=[AYSE, MEHMET], message=ALERT)

    assert response["queued"] == []
    assert response["unknown"] == [AYSE, MEHMET]
    await let_time_pass(hass, freezer, LONGEST_WAIT * 2)
    assert len(delivered(emulator)) == 2
    assert waiting(hass) == 0


@pytest.mark.parametrize(
    ("data", "key"),
    [
        pytest.param({}, "provider_invalid_number", id="rejected number"),
        pytest.param({"retry_minutes": 0}, "cannot_connect", id="holding off"),
    ],
)
async def test_rejections_and_calls_without_holding_are_not_held(
    hass: HomeAssistant, scene: Scene, data: dict[str, Any], key: str
) -> None:
    if key == "cannot_connect":
        await scene.provider_down()
    else:
        scene.emulator.faults.add(Fault("result_code", code="TS-1034", times=1))

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, recipients=[AYSE], message=ALERT, **data)

    assert caught.value.translation_key == key
    assert scene.waiting() == 0
    if key == "cannot_connect":
        await scene.provider_back()
    await scene.pass_time(LONGEST_WAIT * 2)
    assert scene.delivered() == []
